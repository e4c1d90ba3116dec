"""What the failure matrix fails, and what the plan says must survive each failure.

Pure, and decided from the plan's routing model (`intent.routing.link_routes`), never from
what FRR happened to do: a link has an alternative when some prefix that crosses it is still
routed to the same device with the link gone (redundant tunnels, two cloud connections to
one workspace, Direct Link plus GRE, any link whose prefixes are also learned elsewhere). A
pair of networks the plan routes with the link and without it must survive its failure; a
pair the plan only routes over that link has no alternative and is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

from vra_config.intent.routing import link_routes
from vra_config.lab.faults import Failure
from vra_config.lab.topology import Network, Topology, expected_for
from vra_config.planner.records import AddressPlan

Pair = tuple[Network, Network]


@dataclass(frozen=True)
class Candidate:
    """One failure the matrix runs, with the plan's answer for every pair afterwards."""

    failure: Failure
    #: pairs the plan routes before and after the failure: each must still reach
    survive: tuple[Pair, ...]
    #: pairs the plan routes before the failure only: no alternative, reported as such
    no_alternative: tuple[Pair, ...]


def emulated_links(topology: Topology) -> list[str]:
    """The plan's connections the lab runs as a wire (not IBM's inside wires, nor a VRA
    pair's VLANs between its members: the pair fails by a member's power-off)."""
    return sorted(
        {
            w.name
            for w in topology.wires
            if not w.name.endswith("-ibm")
            and not all(topology.nodes[e.node].pair is not None for e in (w.a, w.b))
        }
    )


def power_off_candidates(topology: Topology) -> list[str]:
    """The nodes the matrix powers off: every member of an HA pair (`Node.pair`)."""
    return sorted(n for n, node in topology.nodes.items() if node.pair is not None)


def baseline_pairs(topology: Topology) -> list[Pair]:
    """Every pair of networks on different devices that the plan routes."""
    return [
        (s, t)
        for s in topology.networks
        for t in topology.networks
        if s.owner != t.owner and topology.expected_reach(s, t)
    ]


def has_alternative(address_plan: AddressPlan, topology: Topology, link: str) -> bool:
    """Some prefix that crosses `link` still reaches the same device without it."""
    planned = address_plan.connections[link]
    crossing = link_routes(address_plan.plan, address_plan.connections)[link]
    live = {n: x for n, x in address_plan.connections.items() if n != link}
    after = expected_for(address_plan, live, topology.nodes)
    return any(p in after.get(planned.router, frozenset()) for p in crossing.peer_exports) or any(
        p in after.get(planned.peer, frozenset()) for p in crossing.router_exports
    )


def _split(
    pairs: list[Pair], after: dict[str, frozenset[IPv4Network]]
) -> tuple[tuple[Pair, ...], tuple[Pair, ...]]:
    survive = tuple(
        (s, t)
        for s, t in pairs
        if t.prefix in after.get(s.owner, frozenset())
        and s.prefix in after.get(t.owner, frozenset())
    )
    return survive, tuple(p for p in pairs if p not in survive)


def candidates(address_plan: AddressPlan, topology: Topology) -> tuple[list[Candidate], list[str]]:
    """The failures to run, and the emulated links not failed (no alternative), by name."""
    pairs = baseline_pairs(topology)
    out: list[Candidate] = []
    skipped: list[str] = []
    for link in emulated_links(topology):
        if not has_alternative(address_plan, topology, link):
            skipped.append(link)
            continue
        live = {n: x for n, x in address_plan.connections.items() if n != link}
        survive, lost = _split(pairs, expected_for(address_plan, live, topology.nodes))
        out.append(Candidate(Failure("silent", link), survive, lost))
    for node in power_off_candidates(topology):
        # the other member takes over: the plan's routing is that of the pair, unchanged
        out.append(Candidate(Failure("power-off", node), tuple(pairs), ()))
    return out, skipped
