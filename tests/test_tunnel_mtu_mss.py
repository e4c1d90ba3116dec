"""Tunnel MTU and TCP MSS: the vSRX clamps native GRE and st0 each its own way, and a
Transit Gateway tunnel's MTU must fit its underlay and always be clamped (issue 10 items 6
and 7; split from tests/test_behaviour.py)."""

from __future__ import annotations

from conftest import errors, lines, render, sample


def test_vsrx_clamps_native_gre_with_all_tcp_and_st0_with_ipsec_vpn() -> None:
    text = render(sample("private-ipsec"), "vsrx")["vra-dal12.vsrx.set"]
    assert lines(text, "set security flow tcp-mss") == [
        "set security flow tcp-mss all-tcp mss 1436",
        "set security flow tcp-mss ipsec-vpn mss 1360",
    ]


def test_a_tunnel_mtu_the_underlay_cannot_carry_is_an_error() -> None:
    plan = sample("powervs-tgw-gre")
    plan["connections"]["tgw-wdc06"]["mtu"] = 9000
    assert errors(plan) == [
        "plan.yaml:33:10: VRC904 connections.tgw-wdc06.mtu: a GRE tunnel MTU of 9000 needs an "
        "underlay of 9024 bytes, but vra-wdc06's underlay_mtu is 1500 (GRE adds 24 bytes, RFC "
        "2784, https://www.rfc-editor.org/rfc/rfc2784); lower mtu to 1476 or less, or set "
        "vra-wdc06's underlay_mtu if its network carries jumbo frames"
    ]


def test_a_jumbo_underlay_takes_ibms_9000_and_tcp_is_still_clamped() -> None:
    plan = sample("powervs-tgw-gre")
    plan["routers"]["vra-wdc06"]["underlay_mtu"] = 9100
    plan["connections"]["tgw-wdc06"]["mtu"] = 9000
    text = render(plan)["vra-wdc06.vyatta.set"]
    assert "set interfaces tunnel tun0 mtu 9000" in text
    assert "set interfaces tunnel tun0 ip tcp-mss limit 8960" in text


def test_a_transit_gateway_tunnel_without_a_clamp_is_an_error() -> None:
    plan = sample("powervs-tgw-gre")
    plan["connections"]["tgw-wdc06"]["tcp_mss"] = "off"
    (message,) = errors(plan)
    assert message.startswith(
        "plan.yaml:33:14: VRC905 "
        "connections.tgw-wdc06.tcp_mss: a Transit Gateway GRE tunnel always "
        "needs a TCP MSS clamp"
    )
