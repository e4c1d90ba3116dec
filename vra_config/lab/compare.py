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
from functools import partial
from ipaddress import IPv4Address, IPv4Network

from vra_config.lab.observe import Observed
from vra_config.lab.rows import Cause, Mismatch, MismatchKind
from vra_config.lab.topology import Network, Topology, Wire
from vra_config.plan.findings import PlanPath

__all__ = ["Cause", "Cell", "Mismatch", "compare", "missing_cause", "plan_path", "route_path"]


@dataclass(frozen=True, kw_only=True)
class Cell:
    """One source/destination pair of the reachability matrix."""

    source: Network
    target: Network
    expected: bool
    reaches: bool
    #: why a pair differs from the plan (None when it does not)
    cause: Cause | None


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
) -> Cause:
    """Why `node` has no route to `prefix` (which `owner` holds): the first broken hop."""
    if prefix not in seen.rib.get(owner, frozenset()):
        if prefix in topology.nodes[owner].originates:
            return Cause(kind="no-origin-route", node=owner, prefix=prefix)
        return Cause(kind="not-originated", node=owner, prefix=prefix)
    path = route_path(topology, owner, node)
    if path is None:
        return Cause(kind="no-link", node=node, peer=owner, prefix=prefix)
    here = owner
    for there, wire in path:
        broken = _hop_cause(topology, seen, prefix, here, there, wire)
        if broken is not None:
            return broken
        here = there
    return Cause(kind="passed-on-but-missing", node=node, prefix=prefix)


def _hop_cause(
    topology: Topology, seen: Observed, prefix: IPv4Network, here: str, there: str, wire: Wire
) -> Cause | None:
    """What stops `prefix` on its way from `here` to `there` over `wire`, if anything."""
    near, far = wire.end(here), wire.end(there)
    at = partial(Cause, prefix=prefix, link=wire.name)
    if not wire.bgp:
        if prefix not in seen.rib.get(there, frozenset()):
            return at(kind="no-static-route", node=there, peer=here)
        return None
    key_far = (there, str(near.address.ip))
    state = seen.sessions.get(key_far, "absent")
    if state != "Established":
        return at(kind="session-down", node=there, peer=here, state=state)
    if prefix not in seen.advertised.get((here, str(far.address.ip)), frozenset()):
        if topology.nodes[here].kind == "powervs":
            return at(kind="no-transit", node=here, peer=there)
        policy = near.policies[1] if near.policies else "its export policy"
        return at(kind="export-filtered", node=here, peer=there, policy=policy)
    received = seen.received.get(key_far, {})
    asn = topology.nodes[there].asn
    if prefix in received and asn in received[prefix]:
        loop = received[prefix]
        return at(kind="as-path-loop", node=there, peer=here, as_path=loop, asn=asn)
    if prefix not in seen.bgp.get(there, frozenset()):
        policy = far.policies[0] if far.policies else "its import policy"
        return at(kind="import-filtered", node=there, peer=here, policy=policy)
    if prefix not in seen.rib.get(there, frozenset()):
        return at(kind="not-installed", node=there, peer=here)
    return None


def _pair_cause(topology: Topology, seen: Observed, source: Network, target: Network) -> Cause:
    for prefix, owner, at in (
        (target.prefix, target.owner, source.owner),
        (source.prefix, source.owner, target.owner),
    ):
        path = route_path(topology, owner, at) or []
        for node in [at, *[n for n, _ in path]]:
            if node != owner and prefix not in seen.rib.get(node, frozenset()):
                return missing_cause(topology, seen, prefix, owner, node)
    if not _covers(seen.rib.get(source.owner, frozenset()), target.host):
        return Cause(kind="no-route-to-host", node=source.owner, host=target.host)
    return Cause(kind="forwarding")


def compare(topology: Topology, seen: Observed) -> tuple[list[Cell], list[Mismatch]]:
    """The matrix, and every difference between the plan and what the lab saw."""
    findings: list[Mismatch] = []
    if not seen.converged:
        findings.append(Mismatch(kind="converge", seconds=seen.seconds))
    findings += _sessions_down(topology, seen)
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
            elif reaches and not expected:
                cause = Cause(kind="not-routed")
            if cause is not None:
                findings.append(_pair_finding(topology, s, t, cause))
            cells.append(Cell(source=s, target=t, expected=expected, reaches=reaches, cause=cause))
    for node in sorted(topology.nodes):
        if topology.nodes[node].kind == "transit-gateway":
            continue
        extra = (seen.rib.get(node, frozenset()) & topology.planned) - topology.expected[node]
        path = plan_path(topology, node=node)
        for prefix in sorted(extra):
            findings.append(Mismatch(kind="leak", node=node, prefix=prefix, path=path))
    return cells, findings


def _sessions_down(topology: Topology, seen: Observed) -> list[Mismatch]:
    """Each end of a running BGP wire whose session is not Established, as that end sees it."""
    out: list[Mismatch] = []
    for w in topology.wires:
        if not w.bgp or w.name in topology.failed:
            continue
        for end, other in ((w.a, w.b), (w.b, w.a)):
            state = seen.sessions.get((end.node, str(other.address.ip)), "absent")
            if state != "Established":
                out.append(
                    Mismatch(
                        kind="session",
                        node=end.node,
                        peer=other.node,
                        link=w.name,
                        state=state,
                        path=plan_path(topology, link=w.name, node=end.node),
                    )
                )
    return out


def _pair_finding(topology: Topology, source: Network, target: Network, cause: Cause) -> Mismatch:
    """A pair that differs from the plan: `reaches` when the plan does not route it, else
    `unreachable`, pointing where its first cause sits (its node, link, prefix and state)."""
    kind: MismatchKind = "reaches" if cause.kind == "not-routed" else "unreachable"
    return Mismatch(
        kind=kind,
        source=source.prefix,
        source_device=source.owner,
        target=target.prefix,
        target_device=target.owner,
        node=cause.node,
        link=cause.link,
        prefix=cause.prefix,
        state=cause.state,
        cause=cause,
        path=plan_path(topology, link=cause.link, node=cause.node),
    )


def connection_of(topology: Topology, wire: str) -> str | None:
    """The plan's connection a lab wire runs: its own name, or the connection a Transit
    Gateway's inner wire (`<connection>-ibm`) belongs to; None for a VRA pair's VLAN
    between its members, which no connection names."""
    found = next((w for w in topology.wires if w.name == wire), None)
    if found is None:
        return None
    kinds = {topology.nodes[e.node].kind for e in (found.a, found.b) if e.node in topology.nodes}
    if kinds == {"transit-gateway", "powervs"}:
        return wire.removesuffix("-ibm")
    pairs = {topology.nodes[e.node].pair for e in (found.a, found.b) if e.node in topology.nodes}
    if len(pairs) == 1 and None not in pairs:
        return None
    return wire


def plan_path(
    topology: Topology, *, link: str | None = None, node: str | None = None
) -> PlanPath | None:
    """Where a lab row points in the plan, like a `Finding`: the connection of `link` when
    there is one, else the device `node` (a VRA pair member under its pair's `ha`, a Transit
    Gateway stand-in under its connection); None when neither is known."""
    connection = connection_of(topology, link) if link is not None else None
    if connection is not None:
        return ("connections", connection)
    if node is None or node not in topology.nodes:
        return None
    device = topology.nodes[node]
    if device.pair is not None:
        return ("routers", device.pair, "ha", "members", node)
    if device.kind == "transit-gateway":
        return ("connections", node.removesuffix("-tgw"))
    section = {"router": "routers", "site": "sites", "powervs": "powervs"}[device.kind]
    return (section, node)
