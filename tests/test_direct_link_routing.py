"""GRE across a Direct Link: the tunnel endpoint is routed by the Direct Link, never
through the tunnel itself (GRE recursion), and the return path is not asymmetric (issue 10
item 3; split from tests/test_behaviour.py)."""

from __future__ import annotations

from conftest import errors, render, sample, warnings


def test_a_direct_link_site_routes_the_tunnel_endpoint_by_its_direct_link() -> None:
    for vendor, expected in (
        ("vyatta", "set protocols static route 10.72.14.10/32 next-hop 172.31.255.1"),
        ("vsrx", "set routing-options static route 10.72.14.10/32 next-hop 172.31.255.1"),
    ):
        assert expected in render(sample("direct-link-dc"), vendor)[f"dc-west.{vendor}.set"]


def test_advertising_the_tunnel_endpoint_to_a_site_without_a_host_route_is_an_error() -> None:
    plan = sample("direct-link-dc")
    del plan["sites"]["dc-west"]["direct_link"]
    plan["routers"]["vra-dal10"]["advertise"] = ["10.72.14.0/26"]
    assert errors(plan) == [
        "plan.yaml:40:3: VRC902 "
        "connections.gre-dc-west: vra-dal10 advertises 10.72.14.0/26 to dc-west "
        "through this GRE tunnel, but 10.72.14.0/26 holds 10.72.14.10, the tunnel's own "
        "destination at dc-west: once dc-west learns it, the tunnel's outer packets are routed "
        "into the tunnel and it flaps (GRE recursion); give the site `direct_link: "
        "{bgp_subnet}` so vra-config renders a host route to the endpoint, or do not "
        "advertise 10.72.14.0/26 over this link (`advertise:`)"
    ]


def test_advertising_the_routers_own_subnet_to_a_direct_link_site_warns_of_asymmetry() -> None:
    plan = sample("direct-link-dc")
    plan["routers"]["vra-dal10"]["advertise"] = ["10.72.14.0/26", "10.72.20.0/24"]
    # (the cloud connection to PowerVS gets its own VRC903: tests/test_survive_failure.py)
    assert [w for w in warnings(plan) if "gre-dc-west" in w] == [
        "plan.yaml:43:3: VRC903 "
        "connections.gre-dc-west: warning: vra-dal10 advertises its own private "
        "subnet 10.72.14.0/26 to dc-west, but hosts there use the BCR (10.72.14.1) as their "
        "gateway, not vra-dal10: their replies to dc-west return by the BCR and the Direct "
        "Link, not through this tunnel, and a stateful firewall at the site drops them; "
        "advertise the subnets routed through the router (its `connected:` VLANs) instead, "
        "with `advertise:` on the router or the link"
    ]
