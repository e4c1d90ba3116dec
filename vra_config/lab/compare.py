"""Expected against observed: every difference is a finding, with the first cause found.

Pure: it reads a `Topology` (what the plan says) and an `Observed` (what FRR did). A pair
that should reach and does not is traced from the network's owner towards the device that
lacks the route, hop by hop, and the first broken hop is the cause: no route to the
`network` at the origin, a session down, a prefix filtered by a named policy, an AS-path loop
(RFC 4271 §9.1.2: a speaker ignores a route whose AS_PATH holds its own AS). A prefix a
device holds although the plan sends it nowhere near is a leak.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from vra_config.lab.observe import Observed
from vra_config.lab.topology import Network, Topology, Wire


@dataclass(frozen=True)
class Mismatch:
    kind: str  # "session", "unreachable", "reaches", "leak", "converge"
    message: str


@dataclass(frozen=True)
class Cell:
    """One source/destination pair of the reachability matrix."""

    source: Network
    target: Network
    expected: bool
    reaches: bool
    cause: str | None


def _covers(rib: frozenset[IPv4Network], address: IPv4Address) -> bool:
    return any(address in p for p in rib)


def route_path(topology: Topology, origin: str, node: str) -> list[tuple[str, Wire]] | None:
    """The shortest chain of live wires from `origin` to `node`, as (next node, wire) hops.

    PowerVS workspaces carry nothing through (as in the plan's routing model), so a path
    only ends at one.
    """
    links: dict[str, list[tuple[str, Wire]]] = {}
    for w in topology.wires:
        if w.name in topology.failed:
            continue
        links.setdefault(w.a.node, []).append((w.b.node, w))
        links.setdefault(w.b.node, []).append((w.a.node, w))
    before: dict[str, tuple[str, Wire]] = {}
    queue = deque([origin])
    seen = {origin}
    while queue:
        here = queue.popleft()
        if here == node:
            break
        if here != origin and topology.nodes[here].kind == "powervs":
            continue
        for there, wire in sorted(links.get(here, []), key=lambda x: (x[0], x[1].name)):
            if there not in seen:
                seen.add(there)
                before[there] = (here, wire)
                queue.append(there)
    if node not in seen:
        return None
    hops: list[tuple[str, Wire]] = []
    while node != origin:
        prev, wire = before[node]
        hops.append((node, wire))
        node = prev
    return hops[::-1]


def missing_cause(
    topology: Topology, seen: Observed, prefix: IPv4Network, owner: str, node: str
) -> str:
    """Why `node` has no route to `prefix` (which `owner` holds): the first broken hop."""
    if prefix not in seen.rib.get(owner, frozenset()):
        if prefix in topology.nodes[owner].originates:
            return (
                f"no route to the network {prefix} at {owner} (BGP `network` needs one in the RIB)"
            )
        return f"{owner} does not originate {prefix}"
    path = route_path(topology, owner, node)
    if path is None:
        return f"no working link joins {owner} to {node}"
    here = owner
    for there, wire in path:
        near, far = wire.end(here), wire.end(there)
        if not wire.bgp:
            if prefix not in seen.rib.get(there, frozenset()):
                return f"no static route to {prefix} at {there} ({wire.name})"
            here = there
            continue
        key_far = (there, str(near.address.ip))
        state = seen.sessions.get(key_far, "absent")
        if state != "Established":
            return f"BGP session {here}–{there} ({wire.name}) is {state}, not Established"
        if prefix not in seen.advertised.get((here, str(far.address.ip)), frozenset()):
            policy = near.policies[1] if near.policies else "its export policy"
            if topology.nodes[here].kind == "powervs":
                return f"{here} does not pass {prefix} on: PowerVS carries no transit"
            return f"{prefix} filtered at {here} by policy {policy} (towards {there})"
        received = seen.received.get(key_far, {})
        if prefix in received and topology.nodes[there].asn in received[prefix]:
            path_text = " ".join(str(a) for a in received[prefix])
            return (
                f"AS-path loop at {there}: {prefix} arrives with AS path {path_text}, which "
                f"holds its own AS {topology.nodes[there].asn}"
            )
        if prefix not in seen.bgp.get(there, frozenset()):
            policy = far.policies[0] if far.policies else "its import policy"
            return f"{prefix} filtered at {there} by policy {policy} (from {here})"
        if prefix not in seen.rib.get(there, frozenset()):
            return f"{prefix} is in the BGP table of {there} but not installed in its RIB"
        here = there
    return f"{node} has no route to {prefix} although every hop passed it on"


def _pair_cause(topology: Topology, seen: Observed, source: Network, target: Network) -> str:
    for prefix, owner, at in (
        (target.prefix, target.owner, source.owner),
        (source.prefix, source.owner, target.owner),
    ):
        path = route_path(topology, owner, at) or []
        for node in [at, *[n for n, _ in path]]:
            if node != owner and prefix not in seen.rib.get(node, frozenset()):
                return missing_cause(topology, seen, prefix, owner, node)
    if not _covers(seen.rib.get(source.owner, frozenset()), target.host):
        return f"{source.owner} has no route to {target.host}"
    return "every routing table holds the routes, but the ping got no answer (forwarding)"


def compare(topology: Topology, seen: Observed) -> tuple[list[Cell], list[Mismatch]]:
    """The matrix, and every difference between the plan and what the lab saw."""
    findings: list[Mismatch] = []
    if not seen.converged:
        findings.append(
            Mismatch("converge", f"the routers did not settle within {seen.seconds:.0f} s")
        )
    for w in topology.wires:
        if not w.bgp or w.name in topology.failed:
            continue
        for end, other in ((w.a, w.b), (w.b, w.a)):
            state = seen.sessions.get((end.node, str(other.address.ip)), "absent")
            if state != "Established":
                findings.append(
                    Mismatch(
                        "session",
                        f"BGP session {end.node}–{other.node} ({w.name}) is {state} at "
                        f"{end.node}, not Established",
                    )
                )
    cells: list[Cell] = []
    for s in topology.networks:
        for t in topology.networks:
            if s.owner == t.owner:
                continue
            expected = topology.expected_reach(s, t)
            reaches = seen.reach.get((s.prefix, t.prefix), False)
            cause = None
            if expected and not reaches:
                cause = _pair_cause(topology, seen, s, t)
                findings.append(
                    Mismatch(
                        "unreachable",
                        f"{s.prefix} ({s.owner}) does not reach {t.prefix} ({t.owner}): {cause}",
                    )
                )
            elif reaches and not expected:
                cause = "the plan does not route this pair"
                findings.append(
                    Mismatch(
                        "reaches",
                        f"{s.prefix} ({s.owner}) reaches {t.prefix} ({t.owner}), "
                        "which the plan does not route",
                    )
                )
            cells.append(Cell(s, t, expected, reaches, cause))
    for node in sorted(topology.nodes):
        if topology.nodes[node].kind == "transit-gateway":
            continue
        extra = (seen.rib.get(node, frozenset()) & topology.planned) - topology.expected[node]
        for prefix in sorted(extra):
            findings.append(
                Mismatch(
                    "leak", f"{node} has a route to {prefix}, which the plan does not send there"
                )
            )
    return cells, findings
