"""The frr.conf each lab node loads: the FRR rendering of a device's intent, or IBM's stand-in.

Pure, so the golden files (tests/golden/<sample>.frr.conf) hold exactly what the lab runs.
"""

from __future__ import annotations

from vra_config.lab import standins, vrrp
from vra_config.lab.topology import Node, Topology
from vra_config.targets.environment import environment
from vra_config.targets.routers import frr
from vra_config.targets.routers.meaning import VYATTA


def node_config(node: Node, topology: Topology, plan_name: str) -> str:
    """The node's frr.conf: the FRR rendering of its intent as its vendor's text means it,
    or IBM's stand-in; plus, for
    the comparison only, an inbound copy of every update (`soft-reconfiguration inbound`,
    bgp.html), which changes no routing decision."""
    if node.intent is None:
        text = standins.render(node, topology)
    else:
        text = frr.render(node.intent, plan_name, node.vendor or VYATTA)
    if node.pair is not None:
        text = vrrp.without_vrrp_addresses(text, topology, node.name)
    peers = [
        str(w.other(node.name).address.ip)
        for w in topology.wires
        if w.bgp and node.name in (w.a.node, w.b.node)
    ]
    if peers and node.asn is not None:
        template = environment("frr").get_template("diagnostics.j2")
        text += template.render(asn=node.asn, peers=peers)
    return text


def all_configs(topology: Topology, plan_name: str) -> str:
    """Every node's configuration, devices first, then IBM's stand-ins, by name."""
    order = sorted(topology.nodes, key=lambda n: (topology.nodes[n].intent is None, n))
    if not order:
        return frr.comment(f"vra-config lab: {plan_name}: no router and no rendered site") + "\n"
    return "\n".join(node_config(topology.nodes[n], topology, plan_name) for n in order)
