"""Advertised prefixes the router has a route to: BGP sends only what is in the routing
table, so the plan's `routes:` are rendered and checked (issue 10 item 5; split from
tests/test_behaviour.py)."""

from __future__ import annotations

from conftest import errors, render, sample, warnings


def test_an_advertised_prefix_without_a_route_is_a_warning() -> None:
    plan = sample("powervs-gre-bgp")
    del plan["routers"]["vra-dal12"]["routes"]
    assert warnings(plan) == [
        "plan.yaml:14:7: VRC901 "
        "routers.vra-dal12.advertise[0]: warning: 10.20.0.0/16 is advertised, but "
        "vra-dal12 has no route to exactly it that vra-config renders, and BGP sends only "
        "prefixes in the routing table (FRR `bgp network import-check`, "
        "https://docs.frrouting.org/en/latest/bgp.html; Junos exports only active routes): add "
        "it to `routes:` (with its next hop) or to `connected:` under routers.vra-dal12, or "
        "make sure vra-dal12 already has that route"
    ]


def test_the_planned_route_is_rendered_on_both_vendors() -> None:
    plan = sample("powervs-gre-bgp")
    vyatta = render(plan, "vyatta")["vra-dal12.vyatta.set"]
    assert "set protocols static route 10.20.0.0/16 next-hop 10.148.252.90" in vyatta
    assert "set protocols bgp 64880 address-family ipv4-unicast network 10.20.0.0/16" in vyatta
    junos = render(plan, "vsrx")["vra-dal12.vsrx.set"]
    assert "set routing-options static route 10.20.0.0/16 next-hop 10.148.252.90" in junos


def test_a_route_whose_next_hop_is_on_no_subnet_of_the_router_is_an_error() -> None:
    plan = sample("powervs-gre-bgp")
    plan["routers"]["vra-dal12"]["routes"] = [{"prefix": "10.20.0.0/16", "next_hop": "10.1.1.1"}]
    assert errors(plan) == [
        "plan.yaml:17:17: VRC906 "
        "routers.vra-dal12.routes[0].next_hop: next hop 10.1.1.1 is on none of "
        "vra-dal12's subnets (10.148.252.64/26, 169.55.223.72/29), so the route would never be "
        "active; use a gateway on one of them (the private one is the BCR)"
    ]
