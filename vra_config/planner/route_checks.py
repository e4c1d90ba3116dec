"""Static routes (`routes:`) and connected networks (`connected:`) against the rest of the plan.

`advertise` and the routers' subnets have long been checked for overlaps and IBM's ranges;
`routes` and `connected` reach the router just as directly (a static route is in the RIB
before any BGP route of the same prefix, and a connected network is the most preferred route
of all), so they get the same checks, and the ones that only a route can fail:

- a route equal to or inside a PowerVS subnet wins over the BGP route PowerVS announces
  (longest prefix, then the static route's lower distance) and sends the workspace's traffic
  to the LAN: a black hole (VRC130);
- a route equal to one IBM provisions on every classic router (10.0.0.0/8, 161.26.0.0/16,
  166.8.0.0/14 to the BCR, and the default route) through another next hop replaces it, and
  the service network or the Internet goes with it (VRC130);
- a route covering a tunnel's far endpoint through a next hop off the tunnel's source subnet
  pulls the tunnel's own packets into the LAN, so the tunnel never comes up (VRC131);
- a next hop or gateway that is the device itself, or its subnet's network or broadcast
  address, is refused by the router or never resolves (VRC132);
- two routes for one prefix: the same one twice prints a `set` line twice, and vra-config
  renders one next hop per prefix (VRC133);
- a connected network on a pool or a tunnel subnet: the allocator hands that space to a
  link while the router already has it on an interface (VRC201);
- a site's next hop must be on one of its `connected:` networks (VRC906), as a router's
  must be on one of its subnets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from ipaddress import IPv4Address, IPv4Network

from vra_config.plan.findings import Finding, PlanPath, format_path
from vra_config.plan.model import Plan, Route
from vra_config.plan.rules import RULES
from vra_config.planner.prefixes import PrefixUse, reserved_findings
from vra_config.planner.records import PlannedLink

#: The static routes IBM provisions on classic servers and gateway appliances towards the
#: BCR (the private gateway): the service network and IaaS endpoints.
IBM_BCR_ROUTES: tuple[IPv4Network, ...] = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("161.26.0.0/16"),
    IPv4Network("166.8.0.0/14"),
)
DEFAULT_ROUTE = IPv4Network("0.0.0.0/0")

#: What a route or a connected network may not be inside of (or, for connected, overlap).
_ROUTE_SPACE = {"pool": "tunnel pool", "vti_pool": "VTI pool", "tunnel": "tunnel subnet"}
_ROUTE_SPACE["vti"] = "VTI subnet"


def _devices(plan: Plan) -> Iterator[tuple[str, str, Sequence[Route], Sequence[IPv4Network]]]:
    """(section, name, routes, connected) of every router and site."""
    for name, router in sorted(plan.routers.items()):
        yield "routers", name, router.routes, router.connected
    for name, site in sorted(plan.sites.items()):
        yield "sites", name, site.routes, site.connected


def _own_addresses(plan: Plan, section: str, name: str) -> set[IPv4Address]:
    if section == "routers":
        router = plan.routers[name]
        own = {router.private.address.ip}
        if router.public is not None:
            own.add(router.public.address.ip)
        if router.ha is not None:
            for member in router.ha.members.values():
                own |= {a.ip for a in (member.private, member.public) if a is not None}
        if router.cluster is not None:
            nodes = (router.cluster.node0, router.cluster.node1)
            own |= {n.management for n in nodes if n.management is not None}
        return own
    site = plan.sites[name]
    return {site.address} if site.address is not None else set()


def _edge(address: IPv4Address, net: IPv4Network) -> str | None:
    """'network' or 'broadcast' when `address` is that address of `net` (a /30 or larger)."""
    if net.prefixlen >= 31:
        return None
    if address == net.network_address:
        return "network"
    if address == net.broadcast_address:
        return "broadcast"
    return None


def _subnets(plan: Plan, section: str, name: str) -> list[IPv4Network]:
    """The subnets a next hop of the device is on: a router's interfaces, a site's LAN."""
    if section == "routers":
        router = plan.routers[name]
        nets = [router.private.address.network]
        if router.public is not None:
            nets.append(router.public.address.network)
        return nets
    return list(plan.sites[name].connected)


def next_hop_findings(plan: Plan) -> Iterator[Finding]:
    """Next hops and gateways that are the device itself or a network/broadcast address."""
    for name, router in sorted(plan.routers.items()):
        for side in ("private", "public"):
            iface = getattr(router, side)
            if iface is None:
                continue
            edge = _edge(iface.gateway, iface.address.network)
            if edge is not None:
                yield Finding(
                    ("routers", name, side, "gateway"),
                    f"gateway {iface.gateway} is the {edge} address of "
                    f"{iface.address.network}, not a host; use the gateway IBM shows for the "
                    "subnet (the first usable address, the BCR or FCR)",
                    rule="VRC132",
                )
    for section, name, routes, _ in _devices(plan):
        own = _own_addresses(plan, section, name)
        nets = _subnets(plan, section, name)
        for i, route in enumerate(routes):
            path: PlanPath = (section, name, "routes", i, "next_hop")
            if route.next_hop in own:
                yield Finding(
                    path,
                    f"next hop {route.next_hop} is {name}'s own address; a route through "
                    "itself never resolves: use the LAN router that reaches "
                    f"{route.prefix}",
                    rule="VRC132",
                )
                continue
            for net in nets:
                if route.next_hop in net and (edge := _edge(route.next_hop, net)):
                    yield Finding(
                        path,
                        f"next hop {route.next_hop} is the {edge} address of {net}, not a "
                        f"host; use the address of the router that reaches {route.prefix}",
                        rule="VRC132",
                    )
                    break
            if section == "sites" and not any(route.next_hop in net for net in nets):
                shown = ", ".join(str(n) for n in nets)
                yield Finding(
                    path,
                    f"next hop {route.next_hop} is on none of {name}'s `connected:` networks"
                    + (f" ({shown})" if shown else " (it lists none)")
                    + ", so the route would never be active; add the LAN subnet the next hop "
                    "is on to `connected:`, or use a next hop on one of them",
                    rule="VRC906",
                )


def duplicate_route_findings(plan: Plan) -> Iterator[Finding]:
    """One route per prefix: the same route twice, or two next hops (ECMP) for one prefix."""
    for section, name, routes, _ in _devices(plan):
        first: dict[IPv4Network, tuple[int, Route]] = {}
        for i, route in enumerate(routes):
            if route.prefix not in first:
                first[route.prefix] = (i, route)
                continue
            j, other = first[route.prefix]
            where = format_path((section, name, "routes", j))
            if other.next_hop == route.next_hop:
                message = (
                    f"the route to {route.prefix} via {route.next_hop} is listed twice (also "
                    f"at {where}); remove one"
                )
            else:
                message = (
                    f"{route.prefix} already has a route (via {other.next_hop}, at {where}); "
                    "vra-config renders one next hop per prefix and does not render ECMP or "
                    "floating static routes: keep one, and let the LAN router balance"
                )
            yield Finding((section, name, "routes", i, "prefix"), message, rule="VRC133")


class _Space:
    """The pools, tunnel subnets and PowerVS subnets a route or connected network may not
    fall in, indexed once: by (network, length) for the ones that contain a prefix (at most
    33 lookups of ints), and by first address for the ones inside it (a bisection). Each
    question answers with the first such use in the plan's order, as a scan would, without
    scanning every use for every route (quadratic at 10,000 links)."""

    def __init__(self, uses: Sequence[PrefixUse]) -> None:
        self.uses = uses
        self.first: dict[tuple[int, int], int] = {}
        for i, use in enumerate(uses):
            key = (int(use.prefix.network_address), use.prefix.prefixlen)
            self.first.setdefault(key, i)
        by_start = sorted((int(u.prefix.network_address), i) for i, u in enumerate(uses))
        self.starts = [start for start, _ in by_start]
        self.order = [i for _, i in by_start]

    def containing(self, prefix: IPv4Network) -> PrefixUse | None:
        """The first use whose prefix holds `prefix` (or is it)."""
        found = self._containing(prefix)
        return self.uses[found] if found is not None else None

    def overlapping(self, prefix: IPv4Network) -> PrefixUse | None:
        """The first use whose prefix holds `prefix`, is it, or lies inside it."""
        found = self._containing(prefix)
        first, last = int(prefix.network_address), int(prefix.broadcast_address)
        low = bisect_left(self.starts, first)
        high = bisect_right(self.starts, last, lo=low)
        inside = min(self.order[low:high], default=None)
        if inside is not None and (found is None or inside < found):
            found = inside
        return self.uses[found] if found is not None else None

    def _containing(self, prefix: IPv4Network) -> int | None:
        network = int(prefix.network_address)
        found: int | None = None
        for length in range(prefix.prefixlen, -1, -1):
            mask = (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
            i = self.first.get((network & mask, length))
            if i is not None and (found is None or i < found):
                found = i
        return found


def prefix_findings(plan: Plan, uses: Iterable[PrefixUse]) -> Iterator[Finding]:
    """Routes and connected networks against PowerVS, pools, tunnels and IBM's ranges."""
    space = _Space([u for u in uses if u.use in _ROUTE_SPACE or u.use == "powervs"])
    for section, name, routes, connected in _devices(plan):
        for i, route in enumerate(routes):
            path: PlanPath = (section, name, "routes", i, "prefix")
            yield from _route_prefix(plan, section, name, route, path, space)
            yield from reserved_findings([PrefixUse(route.prefix, "advertise", name, path)])
        for i, prefix in enumerate(connected):
            path = (section, name, "connected", i)
            use = space.overlapping(prefix)
            if use is not None and use.use != "powervs":
                yield Finding(
                    path,
                    f"connected network {prefix} {_relation(prefix, use.prefix)} "
                    f"{_ROUTE_SPACE[use.use]} {use.prefix} at {format_path(use.path)}: a "
                    f"network on {name}'s interface cannot also be a link's address "
                    "space (the allocator would hand it to a tunnel); give each its own",
                    rule="VRC201",
                )
            elif use is not None:
                yield Finding(
                    path,
                    f"connected network {prefix} {_relation(prefix, use.prefix)} PowerVS "
                    f"subnet {use.prefix} of {use.owner}: {name} would deliver that "
                    "traffic on its own LAN instead of sending it to PowerVS; give each "
                    "its own address space",
                    rule="VRC201",
                )
            yield from reserved_findings([PrefixUse(prefix, "advertise", name, path)])


def _relation(inner: IPv4Network, outer: IPv4Network) -> str:
    if inner == outer:
        return "is the same as"
    return "is inside" if inner.subnet_of(outer) else "covers"


def _route_prefix(
    plan: Plan,
    section: str,
    name: str,
    route: Route,
    path: PlanPath,
    space: _Space,
) -> Iterator[Finding]:
    use = space.containing(route.prefix)
    if use is not None:
        if use.use == "powervs":
            yield Finding(
                path,
                f"a static route to {route.prefix} {_relation(route.prefix, use.prefix)} "
                f"PowerVS subnet {use.prefix} of {use.owner}: it wins over the route PowerVS "
                f"announces over BGP and sends that traffic to {route.next_hop}, a black "
                "hole for the workspace; remove the route (BGP brings PowerVS's subnets)",
                rule="VRC130",
            )
        else:
            yield Finding(
                path,
                f"a static route to {route.prefix} {_relation(route.prefix, use.prefix)} "
                f"{_ROUTE_SPACE[use.use]} {use.prefix} at {format_path(use.path)}, and would "
                "take the tunnels' addresses away from them; route something else, or move "
                "the pool",
                rule="VRC201",
            )
        return
    if section != "routers":
        return
    router = plan.routers[name]
    bcr = router.private.gateway
    if route.prefix in IBM_BCR_ROUTES and route.next_hop != bcr:
        yield Finding(
            path,
            f"IBM provisions a static route to {route.prefix} via the BCR ({bcr}) for the "
            f"service network ({RULES['VRC130'].cite}); this route through "
            f"{route.next_hop} replaces it and cuts {name} off from IBM's services: remove "
            "it, or route a more specific prefix",
            rule="VRC130",
        )
    elif route.prefix == DEFAULT_ROUTE:
        gateway = router.public.gateway if router.public is not None else bcr
        if route.next_hop != gateway:
            yield Finding(
                path,
                f"a default route through {route.next_hop} replaces the one IBM provisions "
                f"(via {gateway}), and every destination without a more specific route "
                "follows it; remove it, or route the prefixes you mean",
                rule="VRC130",
            )


def endpoint_findings(plan: Plan, links: Iterable[PlannedLink]) -> Iterator[Finding]:
    """A route of a tunnel's end covering the far endpoint through a LAN next hop."""
    for link in links:
        if link.local_ip is None or link.remote_ip is None:
            continue
        ends = [(link.router, link.local_ip, link.remote_ip, link.router_gateway)]
        if link.peer_kind in ("router", "site"):
            ends.append((link.peer, link.remote_ip, link.local_ip, link.peer_gateway))
        for device, local, remote, gateway in ends:
            # A GRE end with an underlay gateway gets a host route to the far endpoint
            # (intent/router.py), which no shorter route overrides; only a host route of the
            # plan's own to the endpoint, through another next hop, competes with it.
            pinned = gateway if link.kind.interface_family == "gre" else None
            section = "routers" if device in plan.routers else "sites"
            routes = (plan.routers[device] if section == "routers" else plan.sites[device]).routes
            source = [net for net in _source_subnets(plan, section, device, local) if local in net]
            for i, route in enumerate(routes):
                if remote not in route.prefix:
                    continue
                if pinned is not None and (route.prefix.prefixlen < 32 or route.next_hop == pinned):
                    continue
                if any(route.next_hop in net for net in source):
                    continue  # out of the interface the tunnel starts on: its own underlay
                yield Finding(
                    (section, device, "routes", i, "prefix"),
                    f"the route to {route.prefix} via {route.next_hop} covers {remote}, the "
                    f"far end of {link.name}, so {device} sends the tunnel's own packets "
                    "into the LAN and the tunnel never comes up; "
                    + (
                        f"remove it: vra-config renders the host route to {remote} via {pinned}"
                        if pinned is not None
                        else "route a narrower prefix that leaves the tunnel endpoint out"
                    ),
                    rule="VRC131",
                )


def _source_subnets(plan: Plan, section: str, name: str, local: IPv4Address) -> list[IPv4Network]:
    if section == "routers":
        return _subnets(plan, section, name)
    return [net for net in plan.sites[name].connected if local in net]
