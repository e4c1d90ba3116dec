"""FRR configuration for IBM's side of each link: PowerVS routers and Transit Gateways.

A stand-in behaves as IBM documents its side, no more: its ASN, the workspace subnets it
originates, and the filter IBM applies to what it accepts. Everything else is real FRR
behaviour, which is the point: an AS-path that holds the stand-in's own ASN is dropped as a
loop there, exactly as on IBM's router.

What IBM's side refuses: the IBM Cloud classic service network (10.0.0.0/14, 10.198.0.0/15,
10.200.0.0/14), link-local 169.254.0.0/16 and multicast 224.0.0.0/4 are filtered from BGP
(https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-network-architecture-diagrams,
"Network reference architecture: classic"; IBM Cloud Direct Link, "Configuring BGP").
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from vra_config.lab.topology import Node, Topology
from vra_config.targets.environment import as_namespaces, environment

IBM_FILTERED: tuple[IPv4Network, ...] = tuple(
    IPv4Network(p)
    for p in ("10.0.0.0/14", "10.198.0.0/15", "10.200.0.0/14", "169.254.0.0/16", "224.0.0.0/4")
)
TIMERS = (30, 90)  # IBM's BGP keepalive and hold time (the plan's links use the same)


def context(node: Node, topology: Topology) -> dict[str, Any]:
    """Template data for one stand-in: its interfaces, networks and neighbours."""
    interfaces = []
    neighbors = []
    for wire in topology.wires:
        if node.name not in (wire.a.node, wire.b.node):
            continue
        mine, theirs = wire.end(node.name), wire.other(node.name)
        interfaces.append({"name": mine.interface, "address": str(mine.address)})
        neighbors.append(
            {
                "address": str(theirs.address.ip),
                "remote_as": topology.nodes[theirs.node].asn,
                "description": f"{wire.name}: {theirs.node}",
            }
        )
    return {
        "hostname": node.name,
        "kind": "PowerVS router" if node.kind == "powervs" else "Transit Gateway",
        "asn": node.asn,
        "interfaces": interfaces,
        "lans": [{"name": name, "address": str(a)} for name, a in node.lans],
        "networks": [str(p) for p in node.originates],
        "filtered": [str(p) for p in IBM_FILTERED],
        "neighbors": neighbors,
        "keepalive": TIMERS[0],
        "holdtime": TIMERS[1],
    }


def render(node: Node, topology: Topology) -> str:
    """The `frr.conf` of one stand-in."""
    text = (
        environment("frr")
        .get_template("standin.j2")
        .render(vars(as_namespaces(context(node, topology))))
    )
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"
