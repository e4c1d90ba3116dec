"""Which links carry a pair: the forward path, hop by hop, through the routers' own tables.

Pure: it reads each node's `show ip route json` (as FRR's zebra installed it) and follows the
longest match for the destination host from node to node through the wires, so the report
says which path a pair takes after a failure (the backup tunnel, the other workspace link).
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from vra_config.lab.topology import Topology

MAX_HOPS = 16

#: per node: prefix → the interfaces its selected route leaves by (empty: connected/local)
Tables = dict[str, list[tuple[IPv4Network, tuple[str, ...]]]]


def tables(raw: dict[str, Any]) -> Tables:
    """Per node, its selected routes longest first, from `show ip route json` answers."""
    out: Tables = {}
    for node, table in raw.items():
        rows = []
        for prefix, entries in table.items():
            for e in entries:
                if not e.get("selected"):
                    continue
                hops = tuple(
                    str(h["interfaceName"])
                    for h in e.get("nexthops", [])
                    if h.get("active") and h.get("interfaceName") and not h.get("directlyConnected")
                )
                local = e.get("protocol") in ("connected", "local") or any(
                    h.get("directlyConnected") for h in e.get("nexthops", [])
                )
                rows.append((IPv4Network(prefix), () if local else hops))
        out[node] = sorted(rows, key=lambda r: -r[0].prefixlen)
    return out


def trace(topology: Topology, routes: Tables, source: str, target: IPv4Address) -> list[str] | None:
    """The wires (by name) from node `source` towards `target`, until a node delivers it
    locally; None when a node has no route or a loop appears."""
    by_end = {(end.node, end.interface): (w.name, w.other(end.node).node)
              for w in topology.wires for end in (w.a, w.b)}  # fmt: skip
    node, seen = source, {source}
    path: list[str] = []
    for _ in range(MAX_HOPS):
        match = next(((p, hops) for p, hops in routes.get(node, []) if target in p), None)
        if match is None:
            return None
        hops = match[1]
        if not hops:
            return path
        nxt = by_end.get((node, hops[0]))
        if nxt is None:  # a LAN or a next hop outside the lab's wires
            return path
        path.append(nxt[0])
        node = nxt[1]
        if node in seen:
            return None
        seen.add(node)
    return None


def plan_links(path: Sequence[str] | None) -> tuple[str, ...] | None:
    """The plan's links a traced path crosses, in order (IBM's inside wires left out);
    None when there is no path."""
    if path is None:
        return None
    return tuple(w for w in path if not w.endswith("-ibm"))


def shown(path: Sequence[str] | None) -> str:
    """A path for people: the plan's links it crosses (IBM's inside wires left out)."""
    links = plan_links(path)
    if links is None:
        return "no path"
    return " → ".join(links) if links else "direct"
