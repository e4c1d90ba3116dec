"""Both ends of every IBM link agree: the Terraform IBM side mirrors the router side.

For every Transit Gateway and cloud-connection link of every sample, the generated HCL is
parsed (python-hcl2) and compared with the router configuration `render` prints for the
same plan: IBM's *local* gateway and tunnel IP are the router's remote-ip and BGP
neighbour, IBM's *remote* ones the router's local-ip and tunnel address, the remote ASN is
the router's, the zone the plan's. For a cloud connection, the GRE destination is the
router's local-ip and the GRE source IBM assigns (the first host of the /29, which the
`check` block asserts after apply) is the router's remote-ip.
"""

from __future__ import annotations

from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any

import hcl2
import pytest
from conftest import run_cli, sample_plans
from hcl_literal import decode, resources
from test_both_ends import bgp_asn, bgp_neighbors, one, rendered, tunnel_of

from vra_config.pipeline import check_file
from vra_config.plan.model import CloudConnection, TransitGatewayConnection


def ibm_links(plan: Path) -> list[str]:
    conns = check_file(plan, locked=True).plan.connections
    kinds = (TransitGatewayConnection, CloudConnection)
    return sorted(name for name, conn in conns.items() if isinstance(conn, kinds))


LINKS = [(plan, name) for plan in sample_plans() for name in ibm_links(plan)]


def terraform(plan: Path) -> str:
    run = run_cli(["render", "--locked", "--target", "terraform", str(plan)])
    assert run.exit_code == 0, run.stderr
    return run.stdout


def label(name: str) -> str:
    return name.replace("-", "_")


@pytest.mark.parametrize(("plan", "name"), LINKS, ids=[f"{p.stem}:{n}" for p, n in LINKS])
def test_ibm_side_mirrors_router_side(plan: Path, name: str) -> None:
    text = terraform(plan)
    found = resources(text)
    checked = check_file(plan, locked=True)
    conn = checked.plan.connections[name]
    router = rendered(plan)[conn.router]
    neighbors = bgp_neighbors(router)
    if isinstance(conn, TransitGatewayConnection):
        body: dict[str, Any] = found[("ibm_tg_connection", label(name))]
        assert decode(body["base_network_type"]) == "classic"
        assert decode(body["name"]) == name
        tgw = conn.transit_gateway
        if tgw.tunnels:  # a redundant GRE: one `tunnels` block per tunnel, in plan order
            assert decode(body["network_type"]) == "redundant_gre"
            blocks = body["tunnels"]
            assert [decode(b["name"]) for b in blocks] == [t.name for t in tgw.tunnels]
            for t, block in zip(tgw.tunnels, blocks, strict=True):
                assert decode(block["zone"]) == t.zone
                _tgw_tunnel_agrees(router, neighbors, t.name, block, t.asn)
            return
        assert decode(body["network_type"]) == "unbound_gre_tunnel"
        _tgw_tunnel_agrees(router, neighbors, name, body, tgw.asn)
        zone = tgw.zone
        expected = f'"{zone}"' if zone else f"${{var.{label(name)}_zone}}"
        assert body["zone"] == expected
        return
    tun = tunnel_of(router, "tunnel", name)
    local_ip = one(router, "interfaces", "tunnel", tun, "local-ip")
    remote_ip = one(router, "interfaces", "tunnel", tun, "remote-ip")
    address = IPv4Interface(one(router, "interfaces", "tunnel", tun, "address"))
    assert isinstance(conn, CloudConnection)
    body = found[("ibm_pi_cloud_connection", label(name))]
    gre = IPv4Network(decode(body["pi_cloud_connection_gre_cidr"]))
    assert body["pi_cloud_connection_classic_enabled"] is True
    assert decode(body["pi_cloud_connection_gre_destination_address"]) == local_ip
    source_half, tunnel_half = gre.subnets(new_prefix=gre.prefixlen + 1)
    assert remote_ip == str(source_half.network_address + 1)
    assert address.network == tunnel_half
    assert str(tunnel_half.network_address + 1) in neighbors
    location = checked.plan.powervs[conn.powervs].location
    assert body["provider"] == f"${{ibm.{location}}}"
    check = hcl2.loads(text)["check"]
    conditions = [
        blk[f'"{label(name)}_gre_source"']["assert"][0]["condition"]
        for blk in check
        if f'"{label(name)}_gre_source"' in blk
    ]
    assert conditions == [
        f'${{ibm_pi_cloud_connection.{label(name)}.gre_source_address == "{remote_ip}"}}'
    ]


def _tgw_tunnel_agrees(
    router: list[list[str]],
    neighbors: dict[str, str],
    tunnel_name: str,
    body: dict[str, Any],
    tgw_asn: int | None,
) -> None:
    """IBM's local ends are the router's remote ones and the other way round."""
    tun = tunnel_of(router, "tunnel", tunnel_name)
    local_ip = one(router, "interfaces", "tunnel", tun, "local-ip")
    remote_ip = one(router, "interfaces", "tunnel", tun, "remote-ip")
    address = IPv4Interface(one(router, "interfaces", "tunnel", tun, "address"))
    assert decode(body["local_gateway_ip"]) == remote_ip
    assert decode(body["remote_gateway_ip"]) == local_ip
    assert decode(body["remote_tunnel_ip"]) == str(address.ip)
    local_tunnel = decode(body["local_tunnel_ip"])
    assert local_tunnel in neighbors, "the router does not peer with IBM's tunnel IP"
    assert IPv4Interface(f"{local_tunnel}/{address.network.prefixlen}").network == address.network
    assert body["remote_bgp_asn"] == int(bgp_asn(router))
    assert neighbors[local_tunnel] == str(tgw_asn)


def test_every_ibm_link_kind_is_covered() -> None:
    kinds = {type(check_file(p, locked=True).plan.connections[n]).__name__ for p, n in LINKS}
    assert kinds == {"TransitGatewayConnection", "CloudConnection"}
