"""eBGP multihop on Transit Gateway sessions, rendered on both vendors (issue 10 item 11;
split from tests/test_behaviour.py)."""

from __future__ import annotations

from conftest import render, sample


def test_ebgp_multihop_is_rendered_on_both_vendors() -> None:
    plan = sample("powervs-tgw-gre")
    plan["connections"]["tgw-wdc06"]["ebgp_multihop"] = 16
    vyatta = render(plan, "vyatta")["vra-wdc06.vyatta.set"]
    assert "set protocols bgp 64880 neighbor 172.16.10.1 ebgp-multihop 16" in vyatta
    junos = render(plan, "vsrx")["vra-wdc06.vsrx.set"]
    assert "set protocols bgp group tgw-wdc06 multihop ttl 16" in junos
