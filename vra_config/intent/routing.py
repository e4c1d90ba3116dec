"""Which prefixes cross each link, in each direction: the routing intent of the whole plan.

A plan says what sits behind each device (a router's `advertise`, a site's `networks`, a
workspace's `subnets`) and which links join them; it should not have to repeat, link by link,
what each end must advertise. So: a device advertises over a link everything it can reach
without using that link, less what belongs to the far end; PowerVS workspaces (and the
Transit Gateway in front of one) are leaves that advertise their own subnets and carry
nothing through. A link's explicit `advertise` overrides its `router` end's export.

Both ends of a link read the same sets: what one end exports is exactly what the other end
imports, so filters (or static routes) on the two routers cannot disagree.

Prefixes are numbered in address order and the sets hold the numbers: hashing an
`IPv4Network` costs a Python call, hashing an int does not (3 s of 4 at 10,000 links).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network

from vra_config.plan.model import Plan
from vra_config.planner.records import PlannedLink

Node = tuple[str, str]  # ("device" | "powervs", name)


@dataclass(frozen=True, kw_only=True)
class LinkRoutes:
    """What each end of one link sends over it, and the ASNs each prefix has crossed."""

    router_exports: tuple[IPv4Network, ...]
    peer_exports: tuple[IPv4Network, ...]
    #: For each exported prefix, the ASNs on its way to the exporting end (origin included):
    #: a neighbour whose ASN is among them would drop the route as a loop.
    router_paths: Mapping[IPv4Network, frozenset[int]]
    peer_paths: Mapping[IPv4Network, frozenset[int]]


def _own(plan: Plan) -> dict[Node, tuple[IPv4Network, ...]]:
    own: dict[Node, tuple[IPv4Network, ...]] = {}
    for name, router in plan.routers.items():
        own[("device", name)] = router.advertise
    for name, site in plan.sites.items():
        own[("device", name)] = site.networks
    for name, ws in plan.powervs.items():
        own[("powervs", name)] = ws.subnets
    return own


def _far(link: PlannedLink) -> Node:
    return ("powervs" if link.peer_kind == "powervs" else "device", link.peer)


def _device_asns(plan: Plan) -> dict[Node, int]:
    out: dict[Node, int] = {("device", n): r.asn for n, r in plan.routers.items()}
    out.update({("device", n): s.asn for n, s in plan.sites.items() if s.asn is not None})
    return out


def link_routes(plan: Plan, links: dict[str, PlannedLink]) -> dict[str, LinkRoutes]:
    """Export sets for both ends of every link, each sorted."""
    graph = _Graph.of(plan, links)
    return {name: graph.routes(name, link) for name, link in sorted(links.items())}


@dataclass(frozen=True, kw_only=True)
class _Graph:
    """The plan's devices and workspaces joined by its links, with what each one owns.

    Prefixes are numbered in address order (`every[i]` is prefix `i`, `number` the way back),
    so sorting numbers sorts networks. One record rather than closures in `link_routes`:
    every link's search reads the same tables, built once."""

    links: Mapping[str, PlannedLink]
    every: list[IPv4Network]
    number: dict[IPv4Network, int]
    own: dict[Node, frozenset[int]]
    asn: dict[Node, int]
    adjacent: dict[Node, list[tuple[str, Node]]]

    @classmethod
    def of(cls, plan: Plan, links: Mapping[str, PlannedLink]) -> _Graph:
        own_nets = _own(plan)
        explicit = [p for link in links.values() for p in link.advertise or ()]
        every = sorted({p for nets in own_nets.values() for p in nets} | set(explicit))
        number = {p: i for i, p in enumerate(every)}
        adjacent: dict[Node, list[tuple[str, Node]]] = defaultdict(list)
        for name, link in links.items():
            a, b = ("device", link.router), _far(link)
            adjacent[a].append((name, b))
            adjacent[b].append((name, a))
        return cls(
            links=links,
            every=every,
            number=number,
            own={node: frozenset(number[p] for p in nets) for node, nets in own_nets.items()},
            asn=_device_asns(plan),
            adjacent=adjacent,
        )

    def routes(self, name: str, link: PlannedLink) -> LinkRoutes:
        """What each end of `link` exports over it: all it reaches without the link, less
        the far end's own (or the link's explicit `advertise` at the router end)."""
        a, b = ("device", link.router), _far(link)
        far_own, near_own = self.own.get(b, frozenset()), self.own.get(a, frozenset())
        from_a = self.reach(a, name)
        if link.advertise is not None:
            number = self.number
            from_a = {number[p]: from_a.get(number[p], frozenset()) for p in link.advertise}
        else:
            from_a = {p: v for p, v in from_a.items() if p not in far_own}
        from_b = {p: v for p, v in self.reach(b, name).items() if p not in near_own}
        if b[0] == "powervs" and link.far_asns:
            from_b = dict.fromkeys(from_b, link.far_asns)
        exports_a, paths_a = self.named(from_a)
        exports_b, paths_b = self.named(from_b)
        return LinkRoutes(
            router_exports=exports_a,
            peer_exports=exports_b,
            router_paths=paths_a,
            peer_paths=paths_b,
        )

    def reach(self, start: Node, without: str) -> dict[int, frozenset[int]]:
        """Everything `start` reaches without crossing link `without`, with the ASNs on the
        way (breadth first, so each prefix's path is a shortest one)."""
        own, asn, adjacent, links = self.own, self.asn, self.adjacent, self.links
        first: frozenset[int] = frozenset()
        found = dict.fromkeys(own.get(start, ()), first)
        seen = {start}
        queue = [(start, first)] if start[0] == "device" else []
        while queue:
            node, path = queue.pop(0)
            for name, other in adjacent[node]:
                if name == without or other in seen:
                    continue
                seen.add(other)
                if other[0] == "device":
                    hop = asn.get(other)
                    here = path | {hop} if hop is not None else path
                else:
                    # a workspace's routes cross its link's peer (PowerVS, Megaport) and,
                    # behind a Transit Gateway, its own ASN too (`PlannedLink.far_asns`)
                    here = path | links[name].far_asns
                for p in own.get(other, ()):
                    found.setdefault(p, here)
                if other[0] == "device":  # workspaces carry nothing through
                    queue.append((other, here))
        return found

    def named(
        self, found: dict[int, frozenset[int]]
    ) -> tuple[tuple[IPv4Network, ...], dict[IPv4Network, frozenset[int]]]:
        """The numbered prefixes `found` as networks, in address order, with their paths."""
        ordered = sorted(found)
        every = self.every
        return tuple(every[i] for i in ordered), {every[i]: found[i] for i in ordered}
