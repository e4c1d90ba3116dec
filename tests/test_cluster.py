"""vSRX chassis clusters: one configuration whose tunnels start on the reths (GRE source on
reth0.0's address, IKE on reth1.0), never on a node's own address or port; VRRP settings are
refused on a vSRX (the exact messages are in tests/errors/cluster-*.out)."""

from __future__ import annotations

import dataclasses
import re
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from types import SimpleNamespace

import yaml
from conftest import render_locked, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.intent.records import ClusterNodes, RouterIntent
from vra_config.pipeline import check_text, render_checked
from vra_config.targets.routers import vsrx, vsrx_cluster

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "vsrx-cluster-gre.yaml"
RETH0, RETH1 = "10.186.30.10", "169.60.20.12"
NODES = ("10.186.30.40", "10.186.30.41")
#: every vSRX line that puts a tunnel's own end on an address or interface
SOURCE = re.compile(r"^set interfaces gr-0/0/0 unit \d+ tunnel source (\S+)$")
IKE = re.compile(
    r"^set security ike gateway \S+ (external-interface|local-address|local-identity inet) (\S+)$"
)


def _render(vendor: str = "vsrx") -> str:
    run = render_locked(SAMPLE, vendor)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_gre_sources_on_reth0_and_ike_on_reth1() -> None:
    lines = _render().splitlines()
    sources = [m.group(1) for line in lines if (m := SOURCE.match(line))]
    ike = [(m.group(1), m.group(2)) for line in lines if (m := IKE.match(line))]
    assert sources == [RETH0, RETH0]
    assert sorted(ike) == [
        ("external-interface", "reth1.0"),
        ("local-address", RETH1),
        ("local-identity inet", RETH1),
    ]


def test_no_line_uses_a_nodes_own_address_or_port() -> None:
    text = _render()
    for address in NODES:
        assert address not in text
    assert not re.search(r"\bge-[07]/0/\d", text)
    assert "node-local" not in text  # a pair's VPN follows the cluster, not one node


def test_one_configuration_for_the_cluster_with_its_anchor_notes() -> None:
    text = _render()
    assert text.count("# vra-config: router") == 1
    assert text.startswith(
        "# vra-config: router vsrx-dal (IBM Cloud classic, chassis cluster of vsrx-dal-node0 "
        "and vsrx-dal-node1), Junos on vSRX\n"
    )
    assert (
        "# Tunnels start on the reths, which follow redundancy group 1: GRE on reth0.0's "
        "address, IKE on reth1.0.\n"
    ) in text
    # IBM's provisioning, never ours to render (and not in the junos-es YANG)
    assert "set chassis" not in text


def test_ibm_is_told_the_reth0_address_as_the_gre_destination() -> None:
    run = run_cli(["plan", "--locked", str(SAMPLE)])
    assert run.exit_code == 0
    assert f'--gre-tunnel "172.16.3.0/29 {RETH0}"' in run.stdout
    assert f"remote_gateway_ip {RETH0}," in run.stdout


def test_a_cluster_rendered_for_the_vra_says_it_has_no_failover() -> None:
    assert (
        "# vsrx-dal is a vSRX chassis cluster in the plan; rendered for Vyatta 5600 it is one "
        "stand-alone router on the cluster's reth addresses, with no failover\n"
    ) in _render("vyatta")


def test_the_pack_refuses_a_tunnel_on_a_nodes_own_address() -> None:
    """The planner refuses such plans (VRC953); the pack's guard catches any that slip by."""
    intent = RouterIntent(
        name="vsrx-dal",
        asn=64880,
        router_id=None,
        cluster=ClusterNodes(
            node0="n0",
            node1="n1",
            private_interface="reth0.0",
            public_interface="reth1.0",
            node_addresses=(IPv4Address("10.0.0.5"), IPv4Address("10.0.0.6")),
        ),
    )
    gre_units = [SimpleNamespace(unit=3, source="10.0.0.5")]
    vpns = [SimpleNamespace(name="vpn-a", external="ge-0/0/3.0", local="169.60.20.12")]
    found = vsrx_cluster.check(intent, gre_units, vpns)
    assert [(f.rule, f.message) for f in found] == [
        (
            "VRC953",
            "gr-0/0/0.3 would start on 10.0.0.5, a node's own address; a cluster's GRE starts "
            "on reth0.0's",
        ),
        (
            "VRC953",
            "IKE gateway vpn-a would bind to ge-0/0/3.0 / 169.60.20.12, not to the cluster's "
            "reth1.0",
        ),
    ]
    assert vsrx_cluster.check(dataclasses.replace(intent, cluster=None), gre_units, vpns) == []
    assert vsrx.context(dataclasses.replace(intent, cluster=None), {}).cluster_notes == ()


def _plan(third: int, node_hosts: tuple[int, int], tgws: int) -> str:
    net = IPv4Network(f"10.186.{third}.0/26")
    hosts = list(net.hosts())
    plan = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    router = plan["routers"]["vsrx-dal"]
    router["private"] = {"address": f"{hosts[9]}/26", "gateway": str(hosts[0])}
    router["router_id"] = str(hosts[9])
    router["advertise"] = [str(net)]
    router.pop("routes")
    router["cluster"]["node0"]["management"] = str(hosts[node_hosts[0]])
    router["cluster"]["node1"]["management"] = str(hosts[node_hosts[1]])
    conns = {k: v for k, v in plan["connections"].items() if k != "tgw-dal10"}
    for i in range(tgws):
        conns[f"tgw-{i}"] = {
            "router": "vsrx-dal",
            "powervs": "dal10-per",
            "via": "transit-gateway",
            "transit_gateway": {"gateway_ip": f"192.168.255.{4 * i + 1}", "asn": 64490},
        }
    plan["connections"] = conns
    return yaml.safe_dump(plan, sort_keys=False)


@settings(max_examples=20, deadline=None)
@given(
    third=st.integers(min_value=1, max_value=250),
    node_hosts=st.tuples(st.integers(10, 60), st.integers(10, 60)).filter(lambda t: t[0] != t[1]),
    tgws=st.integers(min_value=0, max_value=3),
)
def test_property_no_tunnel_starts_on_a_node(
    third: int, node_hosts: tuple[int, int], tgws: int
) -> None:
    text = _plan(third, node_hosts, tgws)
    files = render_checked(
        check_text(text), vendor="vsrx", environ={"VRA_PSK_DC_EAST": "k"}, show_secrets=True
    )
    (config,) = files.values()
    reth0 = str(list(IPv4Network(f"10.186.{third}.0/26").hosts())[9])
    lines = config.splitlines()
    sources = {m.group(1) for line in lines if (m := SOURCE.match(line))}
    assert sources == {reth0}
    ike = {(m.group(1), m.group(2)) for line in lines if (m := IKE.match(line))}
    assert ("external-interface", "reth1.0") in ike
    assert all(value in ("reth1.0", RETH1) for _, value in ike)


def _without_accept(connections: tuple[str, ...]) -> str:
    plan = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    plan.pop("accept")
    plan["connections"] = {k: v for k, v in plan["connections"].items() if k in connections}
    return yaml.safe_dump(plan, sort_keys=False)


def test_gre_on_a_cluster_is_a_warning_to_acknowledge_after_a_failover_test() -> None:
    """VRC970: no Juniper source shows gr-0/0/0 surviving node0's loss; the plan records the
    test with `accept:` (the sample does, so it checks clean)."""
    checked = check_text(_without_accept(("cc-dal12", "tgw-dal10", "vpn-dc-east")))
    assert [(f.rule, f.severity, f.message) for f in checked.warnings] == [
        (
            "VRC970",
            "warning",
            "router vsrx-dal is a chassis cluster and cc-dal12, tgw-dal10 are GRE on "
            "gr-0/0/0, for which no Juniper source documents a redundancy-group anchor: "
            "nothing shows these tunnels surviving the loss of node0. Test it (`request "
            "chassis cluster failover redundancy-group 1 node 1`, then `show bgp summary` on "
            "node1), then record the test with `accept: [{id: VRC970, at: "
            "routers.vsrx-dal.cluster, reason: ...}]`",
        )
    ]
    sample = check_text(SAMPLE.read_text(encoding="utf-8"))
    assert [(f.rule, f.accepted is not None) for f in sample.warnings] == [("VRC970", True)]


def test_a_cluster_with_ipsec_only_gets_no_gre_warning() -> None:
    """IKE on reth1.0 and st0 follow the redundancy group (Juniper documents it): no VRC970."""
    checked = check_text(_without_accept(("vpn-dc-east",)))
    assert [f.rule for f in checked.warnings if f.rule == "VRC970"] == []
