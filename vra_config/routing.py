"""Which prefixes cross each link, in each direction: the routing intent of the whole plan.

A plan says what sits behind each device (a router's `advertise`, a site's `networks`, a
workspace's `subnets`) and which links join them; it should not have to repeat, link by link,
what each end must advertise. So: a device advertises over a link everything it can reach
without using that link, less what belongs to the far end; PowerVS workspaces (and the
Transit Gateway in front of one) are leaves that advertise their own subnets and carry
nothing through. A link's explicit `advertise` overrides its `router` end's export.

Both ends of a link read the same sets: what one end exports is exactly what the other end
imports, so filters (or static routes) on the two routers cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from ipaddress import IPv4Network

from vra_config.model import Plan
from vra_config.planner import PlannedLink

Node = tuple[str, str]  # ("device" | "powervs", name)


@dataclass(frozen=True)
class LinkRoutes:
    """What each end of one link sends over it."""

    router_exports: tuple[IPv4Network, ...]
    peer_exports: tuple[IPv4Network, ...]


def _own(plan: Plan) -> dict[Node, frozenset[IPv4Network]]:
    own: dict[Node, frozenset[IPv4Network]] = {}
    for name, router in plan.routers.items():
        own[("device", name)] = frozenset(router.advertise)
    for name, site in plan.sites.items():
        own[("device", name)] = frozenset(site.networks)
    for name, ws in plan.powervs.items():
        own[("powervs", name)] = frozenset(ws.subnets)
    return own


def _far(link: PlannedLink) -> Node:
    return ("powervs" if link.peer_kind == "powervs" else "device", link.peer)


def link_routes(plan: Plan, links: dict[str, PlannedLink]) -> dict[str, LinkRoutes]:
    """Export sets for both ends of every link, each sorted."""
    own = _own(plan)
    adjacent: dict[Node, list[tuple[str, Node]]] = defaultdict(list)
    for name, link in links.items():
        a, b = ("device", link.router), _far(link)
        adjacent[a].append((name, b))
        adjacent[b].append((name, a))

    def reach(start: Node, without: str) -> set[IPv4Network]:
        """Everything `start` reaches without crossing link `without`."""
        seen = {start}
        found: set[IPv4Network] = set(own.get(start, ()))
        stack = [start] if start[0] == "device" else []
        while stack:
            node = stack.pop()
            for name, other in adjacent[node]:
                if name == without or other in seen:
                    continue
                seen.add(other)
                found |= own.get(other, frozenset())
                if other[0] == "device":  # workspaces carry nothing through
                    stack.append(other)
        return found

    out: dict[str, LinkRoutes] = {}
    for name, link in sorted(links.items()):
        a, b = ("device", link.router), _far(link)
        if link.advertise is not None:
            exports_a = set(link.advertise)
        else:
            exports_a = reach(a, name) - own.get(b, frozenset())
        exports_b = reach(b, name) - own.get(a, frozenset())
        out[name] = LinkRoutes(tuple(sorted(exports_a)), tuple(sorted(exports_b)))
    return out
