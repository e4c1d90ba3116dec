"""Same-ASN PowerVS transit (issue 10 item 1): two PowerVS locations in AS 64999 joined
through the plan's gateways, where BGP would drop a path holding its own AS. The Vyatta
re-originates the far location's subnets; the vSRX rewrites the peer AS (as-override).

Split from tests/test_behaviour.py, issue 10's regression tests: each states the behaviour a
router needs after `commit`, not only that a line exists.
"""

from __future__ import annotations

from conftest import lines, render, sample


def test_vyatta_re_originates_the_far_locations_subnets_so_64999_never_reaches_64999() -> None:
    files = render(sample("proxy-multi-location"))
    dal12 = files["gw-dal12.vyatta.set"]
    # in the RIB by a static route to the backbone peer, originated by `network`: the path
    # dal12's PowerVS router sees is 64880 alone (FRR keeps the peer's AS under
    # remove-private-as, and the 5600's BGP has no as-override)
    assert lines(dal12, "static route 192.168.80.0/24") == [
        "set protocols static route 192.168.80.0/24 next-hop 172.16.30.18",
        "set protocols static route 192.168.80.0/24 description 'gw-backbone: re-originated "
        "so AS 64999 accepts it'",
    ]
    assert "set protocols bgp 64880 address-family ipv4-unicast network 192.168.80.0/24" in dal12
    assert "remove-private-as" not in "".join(files.values())
    wdc06 = files["gw-wdc06.vyatta.set"]
    assert "set protocols static route 192.168.50.0/24 next-hop 172.16.30.17" in wdc06


def test_vsrx_rewrites_the_peer_as_instead_of_remove_private() -> None:
    text = render(sample("proxy-multi-location"), "vsrx")["gw-dal12.vsrx.set"]
    assert lines(text, "protocols bgp group cc-dal12")[-3:-1] == [
        "set protocols bgp group cc-dal12 as-override",
        "set protocols bgp group cc-dal12 advertise-peer-as",
    ]
    assert "remove-private" not in text
    assert "as-override" not in "".join(lines(text, "group gw-backbone"))  # no loop there
