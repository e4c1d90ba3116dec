"""Design checks that need the plan's routing: what commits on every router but does not work.

The planner checks each prefix and link on its own; these checks read what crosses each link
(`routing.link_routes`) and ask a change board's questions of the whole design:
- is every advertised prefix in the advertising device's routing table? BGP announces only
  what the RIB holds, so a prefix without a route is silently never sent;
- does a tunnel advertise a prefix holding its own far endpoint, so that the far end would
  route the tunnel's outer packets into the tunnel (GRE recursion, the tunnel flaps)?
- do replies come back the way requests went, through a stateful firewall that saw them?
Pure functions: findings out, nothing printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from ipaddress import IPv4Network

from vra_config.intent.routing import LinkRoutes
from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.model import Plan, Route
from vra_config.plan.rules import RULES
from vra_config.planner.records import AddressPlan, PlannedLink
from vra_config.vendors import VENDORS, facts

#: VRC901's reason, citing the page its rule registers (FRR's import check).
IMPORT_CHECK_REASON = (
    f"FRR `bgp network import-check`, {RULES['VRC901'].cite}; Junos exports only active routes"
)


def design_findings(address_plan: AddressPlan, routes: Mapping[str, LinkRoutes]) -> list[Finding]:
    """Every design finding of a plan whose addresses are planned; `routes` is
    `routing.link_routes` of it, which rendering reuses."""
    plan = address_plan.plan
    findings = list(_unrouted_advertisements(plan, address_plan.connections, routes))
    for name, link in sorted(address_plan.connections.items()):
        findings += _recursion(plan, link, routes[name])
    for name, link in sorted(address_plan.connections.items()):
        findings += _own_subnet_exports(plan, link, routes[name])
    findings += _static_reoriginations(plan, address_plan.connections, routes)
    findings += _loops_behind_gateways(plan, address_plan.connections, routes)
    return findings


def pinned_reorigination(device: str, prefix: IPv4Network, arrivals: Sequence[str]) -> Finding:
    """VRC907, said alike by `check` (a router whose plan says `vendor: vyatta`) and by the
    Vyatta pack (any router rendered with it): the re-originating static would pin `prefix`
    to the first of `arrivals` (the preferred link) and keep the others from taking over."""
    preferred, backup = arrivals[0], arrivals[1]
    return Finding(
        ("connections", backup),
        f"{prefix} reaches {device} over {' and '.join(arrivals)}, and {device} must "
        "re-originate it for a neighbour in the AS it came from (the Vyatta 5600 has no "
        "`as-override`, and `remove-private-as` keeps the neighbour's own AS): its static "
        f"route to {preferred}'s BGP peer (distance 1) stays while {preferred}'s tunnel is "
        "up, and a GRE tunnel stays up when its far end dies, so it outranks "
        f"{backup}'s eBGP route (distance 20) and traffic keeps going into the dead tunnel; "
        f"render {device} as a vSRX (`as-override`), keep one link to where {prefix} comes "
        f"from, or do not send {prefix} to that neighbour (`advertise:` on its link)",
        rule="VRC907",
    )


def loop_behind_gateway(
    device: str, prefix: IPv4Network, connection: str, workspace_asn: int, gateway_asn: int
) -> Finding:
    """VRC909, said alike by `check` (`vendor: vsrx`) and by the vSRX pack: a route the
    workspace behind a Transit Gateway drops as a loop, which `as-override` cannot fix."""
    return Finding(
        ("connections", connection),
        f"{prefix} reaches {device} with AS {workspace_asn} in its path, and {connection} "
        "sends it to a Transit Gateway whose PowerVS workspace is AS "
        f"{workspace_asn} too: the workspace drops it as a loop (RFC 4271 9.1.2), and "
        f"`as-override` rewrites only the gateway's AS {gateway_asn}; do not send {prefix} "
        f"over {connection} (`advertise:` on the link), or give the workspaces different ASNs "
        "where IBM allows it",
        rule="VRC909",
    )


def _loops_behind_gateways(
    plan: Plan, links: Mapping[str, PlannedLink], routes: Mapping[str, LinkRoutes]
) -> Iterable[Finding]:
    """VRC909 for routers whose plan names a vendor with `as-override` (the vSRX; its pack
    says it for the rest)."""
    for name, link in sorted(links.items()):
        router = plan.routers.get(link.router)
        ws, gw = link.workspace_asn, link.peer_asn
        if router is None or router.vendor is None or link.routing != "bgp":
            continue
        if not facts(router.vendor).AS_OVERRIDE:  # re-originated instead: VRC907/VRC908
            continue
        if not link.kind.gateway_in_front or ws is None or gw is None or ws == gw:
            continue
        paths = routes[name].router_paths
        for p in routes[name].router_exports:
            if ws in paths.get(p, frozenset()):
                yield loop_behind_gateway(link.router, p, name, ws, gw)


def _says_no_as_override(plan: Plan, device: str) -> bool:
    """The plan names, for this device, a vendor whose BGP has no `as-override` (the
    Vyatta); a vendor-less router is refused only when rendered so, by the pack."""
    device_plan = plan.routers.get(device) or plan.sites.get(device)
    vendor = device_plan.vendor if device_plan is not None else None
    return vendor is not None and not facts(vendor).AS_OVERRIDE


def _rank(link: PlannedLink, device: str) -> int:
    """A link's rank among the device's links to one workspace, as BGP prefers them."""
    return link.backup if device == link.router else 0


def _may_lack_as_override(plan: Plan, device: str) -> bool:
    """A device a pack without `as-override` may render: a router naming such a vendor or
    none (`render --vendor vyatta`), or a site naming such a vendor."""
    if device in plan.routers:
        vendor = plan.routers[device].vendor
        if vendor is None:
            return not all(v.AS_OVERRIDE for v in VENDORS.values())
        return not facts(vendor).AS_OVERRIDE
    vendor = plan.sites[device].vendor if device in plan.sites else None
    return vendor is not None and not facts(vendor).AS_OVERRIDE


#: One BGP end of a link: (device, link, far ASNs, what arrives over it, and for each prefix
#: leaving over it the ASNs it crossed).
_End = tuple[
    str, str, frozenset[int], tuple[IPv4Network, ...], Mapping[IPv4Network, frozenset[int]]
]


def _device_asns(plan: Plan) -> dict[str, int]:
    asns = {n: r.asn for n, r in plan.routers.items()}
    asns.update({n: s.asn for n, s in plan.sites.items() if s.asn is not None})
    return asns


def _bgp_ends(
    plan: Plan, links: Mapping[str, PlannedLink], routes: Mapping[str, LinkRoutes]
) -> list[_End]:
    """Both device ends of every BGP link, in link order (a workspace's end is no device)."""
    asns = _device_asns(plan)
    ends: list[_End] = []
    for name, link in sorted(links.items()):
        if link.routing != "bgp":
            continue
        r = routes[name]
        ends.append((link.router, name, link.far_asns, r.peer_exports, r.router_paths))
        if link.peer_kind != "powervs":
            router_asn = asns.get(link.router)
            far = frozenset({router_asn} if router_asn is not None else ())
            ends.append((link.peer, name, far, r.router_exports, r.peer_paths))
    return ends


def _looping(plan: Plan, ends: Sequence[_End]) -> dict[tuple[str, IPv4Network], tuple[str, int]]:
    """(device, prefix) that a Vyatta device would re-originate, with the first link (in
    link order) that sends it back towards an AS it crossed, and that AS.

    Each leaving prefix is tested against the link's far ASNs first: two small sets of
    ints, no `IPv4Network` hashed. Only the prefixes that loop (a tenth at 10,000 links)
    are keyed by device and prefix."""
    found: dict[tuple[str, IPv4Network], tuple[str, int]] = {}
    for device, name, far, _, paths in ends:
        if not far or not _may_lack_as_override(plan, device):
            continue
        for p, crossed in paths.items():  # a `LinkRoutes` path per exported prefix
            if not far.isdisjoint(crossed):
                found.setdefault((device, p), (name, min(far & crossed)))
    return found


def _static_reoriginations(
    plan: Plan, links: Mapping[str, PlannedLink], routes: Mapping[str, LinkRoutes]
) -> Iterable[Finding]:
    """VRC908: a prefix a Vyatta device re-originates (a static route to the BGP peer of the
    one link that brings it, then `network`, since the 5600 cannot take a shared AS out of
    the path): the static does not follow BGP, so the device keeps advertising the prefix
    when it is gone behind that link. Two links bringing it are refused by the Vyatta pack
    (VRC907), so only the one-link case is reported here, once per device and prefix.

    Linear in what crosses the links: the looping prefixes are found first, then one pass
    over what arrives at each device collects the links that bring them."""
    ends = _bgp_ends(plan, links, routes)
    looping = _looping(plan, ends)
    bringing: dict[tuple[str, IPv4Network], list[str]] = {key: [] for key in looping}
    devices = {device for device, _ in looping}
    for device, name, _, imports, _ in ends:
        if device in devices:
            for p in imports:
                arriving = bringing.get((device, p))
                if arriving is not None:
                    arriving.append(name)
    asns = _device_asns(plan)
    for (device, p), (name, far_asn) in looping.items():
        arrivals = bringing[(device, p)]
        if len(arrivals) > 1:
            if _says_no_as_override(plan, device):
                ranked = sorted(arrivals, key=lambda n: (_rank(links[n], device), n))
                yield pinned_reorigination(device, p, ranked)
        elif arrivals:
            yield _reoriginated(device, p, name, arrivals[0], far_asn, links, asns)


def _reoriginated(
    device: str,
    p: IPv4Network,
    name: str,
    bringing: str,
    far_asn: int,
    links: Mapping[str, PlannedLink],
    asns: Mapping[str, int],
) -> Finding:
    """VRC908's finding: `device` re-originates `p`, brought by link `bringing` alone,
    towards link `name`, whose far end has `far_asn` in `p`'s path."""
    # `as-override` rewrites the neighbour's own AS only, not a workspace's behind a
    # Transit Gateway (VRC909)
    behind = far_asn not in (links[name].peer_asn, asns.get(links[name].router))
    shown = str(p)
    instead = (
        f"do not send {shown} over {name} (`advertise:` on the link)"
        if behind
        else f"render {device} as a vSRX (`as-override` follows BGP)"
    )
    return Finding(
        ("connections", bringing),
        f"{device} re-originates {shown} towards {name} (a static route to its BGP peer on "
        f"{bringing}, then `network`): the Vyatta 5600 cannot take AS {far_asn} out "
        f"of the path. That static stays while {bringing}'s tunnel is up, also when "
        f"{shown} is gone behind it (its far end silent, or {shown} withdrawn further on), "
        f"so {device} keeps advertising {shown} and drops its traffic, and a path to "
        f"{shown} that avoids {device} would lose to it; nothing else brings {shown} to "
        f"{device}, so no backup of its own is kept out. Acknowledge it with `accept:` if "
        f"no other path to {shown} exists, or {instead}",
        severity="warning",
        rule="VRC908",
    )


def _exports(
    links: Mapping[str, PlannedLink], routes: Mapping[str, LinkRoutes], devices: set[str]
) -> dict[str, set[IPv4Network]]:
    """What each of `devices` sends over any of its links, in one pass over the links (the
    other devices' exports are not hashed: at 10,000 links that is most of the cost)."""
    out: dict[str, set[IPv4Network]] = defaultdict(set)
    for name, link in links.items():
        if link.router in devices:
            out[link.router].update(routes[name].router_exports)
        if link.peer_kind != "powervs" and link.peer in devices:
            out[link.peer].update(routes[name].peer_exports)
    return out


def _unrouted_advertisements(
    plan: Plan, links: Mapping[str, PlannedLink], routes: Mapping[str, LinkRoutes]
) -> Iterable[Finding]:
    devices: list[tuple[str, str, str, tuple[IPv4Network, ...], set[IPv4Network]]] = []
    for name, router in plan.routers.items():
        own = {router.private.address.network, *router.connected}
        if router.public is not None:
            own.add(router.public.address.network)
        devices.append(
            ("routers", name, "advertise", router.advertise, _routed(router.routes, own))
        )
    for name, site in plan.sites.items():
        if site.vendor is None:
            continue  # not rendered: its routes are its owner's business
        devices.append(
            ("sites", name, "networks", site.networks, _routed(site.routes, set(site.connected)))
        )
    # Only what a device advertises without a route is looked for among its exports.
    unrouted = [
        (section, name, key, [(i, p) for i, p in enumerate(prefixes) if p not in routed])
        for section, name, key, prefixes, routed in devices
    ]
    exports = _exports(links, routes, {name for _, name, _, found in unrouted if found})
    for section, name, key, found in unrouted:
        exported = exports.get(name, set())
        for i, prefix in found:
            if prefix not in exported:
                continue
            path: PlanPath = (section, name, key, i)
            yield Finding(
                path,
                f"{prefix} is advertised, but {name} has no route to exactly it that "
                "vra-config renders, and BGP sends only prefixes in the routing table "
                f"({IMPORT_CHECK_REASON}): add it to `routes:` (with its next hop) or to "
                f"`connected:` under {section}.{name}, or make sure {name} already has that "
                "route",
                severity="warning",
                rule="VRC901",
            )


def _routed(routes: tuple[Route, ...], connected: set[IPv4Network]) -> set[IPv4Network]:
    return connected | {r.prefix for r in routes}


def _recursion(plan: Plan, link: PlannedLink, routes: LinkRoutes) -> Iterable[Finding]:
    """A GRE link to a site whose advertisements hold the site's own tunnel destination."""
    if link.kind.interface_family != "gre" or link.peer_kind != "site" or link.local_ip is None:
        return
    site = plan.sites[link.peer]
    endpoint = link.local_ip  # the router's end: the site's tunnel destination
    holding = [p for p in routes.router_exports if endpoint in p]
    base: PlanPath = ("connections", link.name)
    if holding and site.direct_link is None:
        yield Finding(
            base,
            f"{link.router} advertises {holding[0]} to {link.peer} through this GRE tunnel, "
            f"but {holding[0]} holds {endpoint}, the tunnel's own destination at {link.peer}: "
            f"once {link.peer} learns it, the tunnel's outer packets are routed into the "
            "tunnel and it flaps (GRE recursion); give the site `direct_link: {bgp_subnet}` "
            "so vra-config renders a host route to the endpoint, or do not advertise "
            f"{holding[0]} over this link (`advertise:`)",
            rule="VRC902",
        )
    elif holding and site.vendor is None:
        yield Finding(
            base,
            f"{holding[0]}, advertised to {link.peer} over this GRE tunnel, holds the "
            f"tunnel's destination {endpoint}: {link.peer} (not rendered) needs a host route "
            f"{endpoint}/32 via its Direct Link peer {link.peer_gateway}, or the tunnel "
            "recurses and flaps",
            severity="warning",
            rule="VRC902",
            downgraded="the site is not rendered: its own configuration may hold the host route",
        )


def _own_subnet_exports(plan: Plan, link: PlannedLink, routes: LinkRoutes) -> Iterable[Finding]:
    """VRC903 on every kind of link: a router (either end) that advertises its own private
    subnet, whose hosts use IBM's BCR as their gateway. Their replies to the far end leave
    by the BCR, not by this link; a tunnel whose own endpoint (or VIP) sits in that subnet
    would also route its outer packets into itself once the far end believed the route."""
    ends = [(link.router, routes.router_exports, link.peer, link.local_ip)]
    if link.peer_kind == "router":
        ends.append((link.peer, routes.peer_exports, link.router, link.remote_ip))
    for device, exports, far, endpoint in ends:
        router = plan.routers.get(device)
        if router is None:  # a site: its networks are behind it, not beside it
            continue
        own = router.private.address.network
        if not any(p.overlaps(own) for p in exports):
            continue
        site = plan.sites.get(far) if link.peer_kind == "site" else None
        if (
            site is not None
            and site.direct_link is not None
            and link.kind.interface_family == "gre"
        ):
            yield Finding(
                ("connections", link.name),
                f"{device} advertises its own private subnet {own} to {far}, but hosts "
                f"there use the BCR ({router.private.gateway}) as their gateway, not "
                f"{device}: their replies to {far} return by the BCR and the Direct "
                "Link, not through this tunnel, and a stateful firewall at the site drops "
                "them; advertise the subnets routed through the router (its `connected:` "
                "VLANs) instead, with `advertise:` on the router or the link",
                severity="warning",
                rule="VRC903",
            )
            continue
        name = link.kind.far_name.format(link.powervs or far)
        holds = (
            f"; {own} also holds {endpoint}, this tunnel's own endpoint on {device}, which "
            f"{name} must keep reaching outside the tunnel"
            if endpoint is not None and endpoint in own and link.kind.interface_family is not None
            else ""
        )
        yield Finding(
            ("connections", link.name),
            f"{device} advertises its own private subnet {own} to {name} over {link.name}, "
            f"but hosts there use the BCR ({router.private.gateway}) as their gateway, not "
            f"{device}: their replies leave by the BCR, not by this link, so they are lost "
            f"or dropped by a stateful firewall on the way{holds}; advertise the subnets "
            "routed through the router (its `connected:` VLANs) instead, with `advertise:` "
            "on the router or the link",
            severity="warning",
            rule="VRC903",
        )
