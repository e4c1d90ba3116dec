"""Redundant links to one PowerVS workspace: a redundant GRE's tunnels, and which link a
router prefers.

A Transit Gateway connection with `transit_gateway.tunnels` is IBM's redundant GRE: "a
grouping of at least two GRE tunnels", never "more than two tunnels per zone", every tunnel
named uniquely on the gateway (https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-helpful-tips).
`expand` turns each tunnel into one single-tunnel connection named after the tunnel, so the
rest of the planner gives it its own /30, tunnel number, lock entry and BGP session, exactly
as for an unbound GRE; `relocate` puts the findings about a tunnel back where the user wrote
it (`connections.C.transit_gateway.tunnels[i]`).

`preference` ranks the BGP links of one router to one workspace (the tunnels of a redundant
GRE, several unbound GREs, two cloud connections): the first is preferred, the others are
backups, in the order the plan lists them (tunnels in list order, connections by name). IBM
documents no load sharing across GRE tunnels; it compares AS-path lengths ("consider two
direct links ... both advertising the same AS path length", the Transit Gateway route-report
considerations), so the packs make a backup less preferred both ways: a lower
local-preference on what it learns (the router's own choice, RFC 4271 9.1.1) and the
router's AS prepended to what it advertises (the far end's choice, RFC 4271 9.1.2.2 b).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.model import (
    AnyConnection,
    Plan,
    TgwTunnel,
    TransitGatewayConnection,
    TransitGatewayEnd,
)
from vra_config.plan.rules import RULES
from vra_config.planner.records import PlannedLink

#: IBM: a redundant GRE has at least two tunnels and "cannot exceed two tunnels per zone".
MIN_TUNNELS = 2
MAX_PER_ZONE = 2

#: The most backups one router can rank to one workspace. A backup learns at local-preference
#: 100 - 10 x its rank (`intent.records.BgpNeighbor.local_preference`); both OSes take only
#: 0..4294967295 there (vyatta-policy-route-v1.yang `set local-preference` uint32, Junos
#: `then local-preference` uint32), and a backup at 0 leaves no room below it: the ninth
#: backup (10) is the last ranked, so a router has at most ten BGP links to one workspace
#: (rule VRC961).
MAX_BACKUPS = 9

#: Tunnel name -> (its redundant GRE connection, its index in `tunnels`).
Origins = dict[str, tuple[str, int]]


def expand(plan: Plan) -> tuple[Plan, Origins, list[Finding]]:
    """The plan with every redundant GRE split into one connection per tunnel."""
    findings: list[Finding] = []
    origins: Origins = {}
    connections: dict[str, AnyConnection] = {}
    taken = set(plan.connections)
    for name, conn in plan.connections.items():
        if not isinstance(conn, TransitGatewayConnection) or not conn.transit_gateway.tunnels:
            connections[name] = conn
            continue
        findings += _group_findings(name, conn)
        for i, t in enumerate(conn.transit_gateway.tunnels):
            if t.name in taken:
                findings.append(
                    Finding(
                        ("connections", name, "transit_gateway", "tunnels", i, "name"),
                        f"{t.name} already names a connection or tunnel; IBM needs every "
                        "connection and tunnel on a transit gateway to have a unique name, and "
                        "the router names the tunnel's interface after it: rename it "
                        f"({RULES['VRC960'].cite})",
                        rule="VRC960",
                    )
                )
                continue
            taken.add(t.name)
            origins[t.name] = (name, i)
            connections[t.name] = _tunnel_connection(conn, t)
    if not origins:
        return plan, origins, findings
    return plan.model_copy(update={"connections": connections}), origins, findings


def _tunnel_connection(conn: TransitGatewayConnection, t: TgwTunnel) -> AnyConnection:
    """One tunnel of a redundant GRE as a single-tunnel connection."""
    return conn.model_copy(
        update={
            "gre": t.gre,
            "tunnel": t.tunnel,
            # already validated as the plan was read: constructed, not parsed again
            "transit_gateway": TransitGatewayEnd.model_construct(
                gateway_ip=t.gateway_ip, asn=t.asn, zone=t.zone, tunnels=()
            ),
        }
    )


def _group_findings(name: str, conn: TransitGatewayConnection) -> list[Finding]:
    """IBM's rules for a redundant GRE as a whole: how many tunnels, how many per zone, and
    no pin of the single tunnel a connection without `tunnels` has."""
    findings: list[Finding] = []
    cite = RULES["VRC960"].cite
    base: PlanPath = ("connections", name, "transit_gateway", "tunnels")
    tunnels = conn.transit_gateway.tunnels
    if len(tunnels) < MIN_TUNNELS:
        findings.append(
            Finding(
                base,
                f"a redundant GRE has at least {MIN_TUNNELS} tunnels and {name} lists "
                f"{len(tunnels)}; add a tunnel in another zone, or write the one tunnel's "
                f"gateway_ip, asn and zone under transit_gateway ({cite})",
                rule="VRC960",
            )
        )
    for key in ("gre", "tunnel"):
        if getattr(conn, key) is not None:
            findings.append(
                Finding(
                    ("connections", name, key),
                    f"`{key}` pins the one tunnel of a single-tunnel connection, and "
                    f"{name} is a redundant GRE; pin `{key}` in each of "
                    f"transit_gateway.tunnels instead ({cite})",
                    rule="VRC960",
                )
            )
    per_zone: Counter[str] = Counter()
    for i, t in enumerate(tunnels):
        per_zone[t.zone] += 1
        if per_zone[t.zone] > MAX_PER_ZONE:
            findings.append(
                Finding(
                    (*base, i, "zone"),
                    f"{t.name} is tunnel {per_zone[t.zone]} of {name} in zone {t.zone}, "
                    f"and IBM allows at most {MAX_PER_ZONE} per zone; move it to another "
                    f"zone or remove it ({cite})",
                    rule="VRC960",
                )
            )
    return findings


def origins_of(plan: Plan) -> Origins:
    """Each redundant GRE tunnel's connection and index, as `expand` names them."""
    return {
        t.name: (name, i)
        for name, conn in plan.connections.items()
        if isinstance(conn, TransitGatewayConnection)
        for i, t in enumerate(conn.transit_gateway.tunnels)
        if t.name not in plan.connections
    }


def relocate(path: PlanPath, origins: Origins) -> PlanPath:
    """A path in the expanded plan as the path the user wrote."""
    if len(path) < 2 or path[0] != "connections" or path[1] not in origins:
        return path
    parent, index = origins[str(path[1])]
    rest = path[2:]
    tunnel: PlanPath = ("connections", parent, "transit_gateway", "tunnels", index)
    if rest[:1] == ("transit_gateway",):
        return tunnel + rest[1:]
    if not rest or rest[0] in ("gre", "tunnel"):
        return tunnel + rest
    return ("connections", parent, *rest)


def relocate_findings(findings: list[Finding], origins: Origins) -> list[Finding]:
    if not origins:
        return findings
    return [replace(f, path=relocate(f.path, origins)) for f in findings]


def preference(
    links: dict[str, PlannedLink], origins: Origins
) -> tuple[dict[str, PlannedLink], list[Finding]]:
    """Each BGP link to a workspace ranked among its router's links to that workspace:
    `backup` 0 for the preferred one, 1, 2, ... for the backups; an error (VRC961) at every
    link beyond `MAX_BACKUPS` backups, which no local-preference both OSes take could rank."""
    groups: dict[tuple[str, str], list[tuple[str, int, str]]] = defaultdict(list)
    for name, link in links.items():
        if link.kind.ranks_backups and link.routing == "bgp" and link.powervs:
            parent, index = origins.get(name, (name, 0))
            groups[(link.router, link.powervs)].append((parent, index, name))
    out = dict(links)
    findings: list[Finding] = []
    for (router, workspace), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        ranked = sorted(members)
        for rank, (parent, _, name) in enumerate(ranked):
            if rank > MAX_BACKUPS:
                findings.append(_unrankable(router, workspace, name, rank, ranked))
                continue
            out[name] = replace(links[name], backup=rank, group=parent if name in origins else None)
    for name, (parent, _) in origins.items():
        if name in out and out[name].group is None:
            out[name] = replace(out[name], group=parent)
    return out, findings


def _unrankable(
    router: str, workspace: str, name: str, rank: int, ranked: list[tuple[str, int, str]]
) -> Finding:
    last = ranked[MAX_BACKUPS][2]
    return Finding(
        ("connections", name),
        f"{name} would be backup {rank} of {router}'s {len(ranked)} BGP links to PowerVS "
        f"{workspace}, and at most {MAX_BACKUPS} backups can be ranked: a backup learns at "
        "local-preference 100 - 10 x its rank, which must stay above 0, the least the Vyatta "
        f"5600 and Junos take (backup {rank} would get {100 - 10 * rank}); keep at most "
        f"{MAX_BACKUPS + 1} links from {router} to {workspace} (the last one ranked is {last})",
        rule="VRC961",
    )
