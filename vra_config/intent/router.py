"""Per-device intent: what each router must be told, in words no vendor owns.

The planner says where every address goes and `routing` which prefixes cross each link; this
module says, device by device, which tunnels, IPsec peers, static routes and BGP sessions
carry them. Both ends of a link come from one `PlannedLink` and one `LinkRoutes`, so a
tunnel's addresses, its BGP neighbours, proposals and key reference cannot disagree.
The records themselves are in `records.py`; vendor packs turn a `RouterIntent` into their
own names and syntax.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from vra_config.intent import pairs
from vra_config.intent.cluster import with_clusters
from vra_config.intent.records import (
    BgpNeighbor,
    GreTunnel,
    InboundFilter,
    IpsecPeer,
    LinkEnd,
    RouterIntent,
    StaticRoute,
    VlanInterface,
    Vti,
)
from vra_config.intent.routing import LinkRoutes, link_routes
from vra_config.plan.model import Route
from vra_config.planner import ibm
from vra_config.planner.records import AddressPlan, PlannedLink

_KIND = {"cloud-connection": "cloud connection", "transit-gateway": "Transit Gateway"}


@dataclass
class _Builder:
    """Collects one device's pieces while the links are walked."""

    tunnels: list[GreTunnel] = field(default_factory=list)
    vtis: list[Vti] = field(default_factory=list)
    peers: list[IpsecPeer] = field(default_factory=list)
    vlans: list[VlanInterface] = field(default_factory=list)
    routes: list[StaticRoute] = field(default_factory=list)
    neighbors: list[BgpNeighbor] = field(default_factory=list)
    filters: list[InboundFilter] = field(default_factory=list)
    links: list[LinkEnd] = field(default_factory=list)
    static_imports: set[IPv4Network] = field(default_factory=set)
    #: per BGP link: the ASNs each exported prefix has crossed
    paths: dict[str, Mapping[IPv4Network, frozenset[int]]] = field(default_factory=dict)


def router_intents(
    address_plan: AddressPlan, routes: Mapping[str, LinkRoutes] | None = None
) -> dict[str, RouterIntent]:
    """One `RouterIntent` per device (routers and sites) of the plan, by name; `routes`, when
    the caller has worked them out already (the design checks do), are not worked out again."""
    plan = address_plan.plan
    if routes is None:
        routes = link_routes(plan, address_plan.connections)
    builders: dict[str, _Builder] = defaultdict(_Builder)
    firewalled = {n for n, r in plan.routers.items() if r.firewall}
    firewalled |= {n for n, s in plan.sites.items() if s.firewall}
    for name in sorted(address_plan.connections):
        link = address_plan.connections[name]
        _add_link(builders, link, routes[name], firewalled)
    intents: dict[str, RouterIntent] = {}
    for name, router in plan.routers.items():
        intents[name] = _finish(
            name,
            router.asn,
            router.router_id,
            frozenset(router.advertise),
            builders[name],
            site=False,
            own_zone=router.zone,
            loopback_filter=router.loopback_filter,
            public_interface=pairs.public_interface(router),
            own_routes=router.routes,
        )
    for name, site in plan.sites.items():
        intents[name] = _finish(
            name,
            site.asn,
            site.router_id,
            frozenset(site.networks),
            builders[name],
            site=True,
            own_zone=site.zone,
            loopback_filter=site.loopback_filter,
            site_interface=site.interface,
            site_wan_zone=site.wan_zone,
            site_lan_interface=site.lan_interface,
            own_routes=site.routes,
            site_direct_link=site.direct_link is not None,
        )
    return with_clusters(intents, plan)


def _descriptions(link: PlannedLink, other: str) -> tuple[str, str]:
    """(interface, BGP neighbour) descriptions for one end; names only, never addresses."""
    if link.description:
        return link.description, link.description
    if link.via in _KIND:
        neighbor = (
            f"{link.name}: PowerVS {link.powervs}"
            if link.via == "cloud-connection"
            else f"{link.name}: TGW, PowerVS {link.powervs}"
        )
        return f"PowerVS {link.powervs} via {_KIND[link.via]} {link.name}", neighbor
    if link.via == "megaport":
        return f"{link.name}: Megaport VXC to PowerVS {link.powervs}", (
            f"{link.name}: PowerVS {link.powervs} via Megaport"
        )
    kind = "GRE" if link.via == "gre" else "IPsec"
    return f"{kind} {link.name} to {other}", f"{link.name}: {other}"


def _add_link(
    builders: dict[str, _Builder], link: PlannedLink, routes: LinkRoutes, firewalled: set[str]
) -> None:
    ends = [(link.router, link.peer, True)]
    if link.peer_kind != "powervs":
        ends.append((link.peer, link.router, False))
    for device, other, is_router in ends:
        _add_end(builders[device], link, routes, other, is_router, device in firewalled)


def _add_end(
    b: _Builder,
    link: PlannedLink,
    routes: LinkRoutes,
    other: str,
    is_router: bool,
    firewall: bool,
) -> None:
    exports = routes.router_exports if is_router else routes.peer_exports
    imports = routes.peer_exports if is_router else routes.router_exports
    mine = link.router_address if is_router else link.peer_address
    theirs = link.peer_address if is_router else link.router_address
    number = link.tunnel if is_router else link.peer_tunnel
    local_ip = link.local_ip if is_router else link.remote_ip
    remote_ip = link.remote_ip if is_router else link.local_ip
    gateway = link.router_gateway if is_router else link.peer_gateway
    remote_as = link.peer_asn if is_router else link.router_asn
    interface_text, neighbor_text = _descriptions(link, other)
    family: str | None = None

    if link.via in ("cloud-connection", "transit-gateway", "gre"):
        assert number is not None and mine is not None and local_ip and remote_ip and link.mtu
        family = "gre"
        b.tunnels.append(
            GreTunnel(
                link.name,
                number,
                interface_text,
                local_ip,
                remote_ip,
                mine,
                link.mtu,
                link.tcp_mss,
            )
        )
        if gateway is not None:
            # The far endpoint is reached over the private network, not the default (public)
            # route the appliance would otherwise use for 172.x and 192.168.x
            # (IBM: power-iaas-cloud-connections).
            b.routes.append(
                StaticRoute(IPv4Network(remote_ip), _endpoint_text(link, other), next_hop=gateway)
            )
    elif link.via == "ipsec":
        assert link.ipsec is not None and local_ip and remote_ip
        vti = None
        family = "vti"
        if link.ipsec.mode == "vti":
            assert number is not None and mine is not None and link.mtu
            vti = number
            b.vtis.append(Vti(link.name, number, interface_text, mine, link.mtu, link.tcp_mss))
        pairs = (
            tuple((local, remote) for local in exports for remote in imports)
            if link.ipsec.mode == "policy"
            else ()
        )
        if link.ipsec.mode == "policy" and is_router and link.router_public_gateway:
            # Policy-based IPsec encrypts what leaves by the public interface; a route there
            # puts the remote prefixes in the RIB, so BGP can advertise them onwards.
            b.routes.extend(
                StaticRoute(
                    prefix,
                    f"{link.name}: {other} (IPsec policy)",
                    next_hop=link.router_public_gateway,
                    for_ipsec_policy=True,
                )
                for prefix in imports
            )
            b.static_imports |= set(imports)
        b.peers.append(
            IpsecPeer(
                link.name,
                f"{link.name}: {other}",
                local_ip,
                remote_ip,
                link.ipsec.ike,
                link.ipsec.esp,
                link.ipsec.psk,
                vti,
                pairs,
                number,
            )
        )
    elif link.via == "megaport":
        assert mine is not None and link.interface and link.vlan
        b.vlans.append(VlanInterface(link.name, link.interface, link.vlan, mine, interface_text))

    if firewall and mine is not None and (family is not None or link.via == "megaport"):
        # Anti-spoofing: what arrives may come only from what the far end may send, or from
        # the link subnet itself (BGP, ICMP from the far router).
        b.filters.append(
            InboundFilter(
                link.name,
                f"{link.name}: what {_far_name(link, other)} may send",
                tuple(sorted({*imports, mine.network})),
                family,
                number,
                link.interface if family is None else None,
                link.vlan if family is None else None,
            )
        )

    b.links.append(
        LinkEnd(
            link.name,
            link.via,
            other,
            link.peer_kind if is_router else "router",  # links start on classic routers
            family,
            number,
            link.interface,
            link.vlan,
            imports,
            exports,
            link.zone if is_router else None,
            remote_ip,
            theirs.ip if link.routing == "bgp" and theirs is not None else None,
        )
    )

    if link.routing == "static" and family is not None:
        assert number is not None
        b.routes.extend(
            StaticRoute(
                prefix, f"{link.name}: {_far_name(link, other)}", family=family, number=number
            )
            for prefix in imports
        )
        b.static_imports |= set(imports)
    elif link.routing == "bgp":
        assert theirs is not None and mine is not None and remote_as is not None
        b.neighbors.append(
            BgpNeighbor(
                link.name,
                theirs.ip,
                mine.ip,
                remote_as,
                neighbor_text,
                imports,
                exports,
                ibm.BGP_KEEPALIVE,
                ibm.BGP_HOLDTIME,
                multihop=link.ebgp_multihop,
                backup=link.backup if is_router else 0,
                behind=tuple(sorted(link.far_asns - {remote_as})) if is_router else (),
            )
        )
        b.paths[link.name] = routes.router_paths if is_router else routes.peer_paths


def _far_name(link: PlannedLink, other: str) -> str:
    return (
        f"PowerVS {link.powervs}" if link.peer_kind == "powervs" and other == link.peer else other
    )


def _endpoint_text(link: PlannedLink, other: str) -> str:
    if link.via == "cloud-connection":
        return f"{link.name}: PowerVS {link.powervs} GRE source"
    if link.via == "transit-gateway":
        return f"{link.name}: Transit Gateway GRE endpoint"
    return f"{link.name}: GRE endpoint of {other}"


def _loops(n: BgpNeighbor, paths: Mapping[IPv4Network, frozenset[int]]) -> tuple[IPv4Network, ...]:
    """The routes sent to `n` that have already crossed `n`'s ASN (both PowerVS locations often
    use 64999): `n` drops them as a loop. `remove-private-as` does not help: FRR and Junos
    both keep the neighbour's own AS (Juniper's `remove-private` reference points to
    `as-override` for exactly this). A workspace behind a Transit Gateway (`n.behind`)
    drops the routes whose path holds its own ASN in the same way."""
    seen = {n.remote_as, *n.behind}
    return tuple(p for p in n.advertise if seen & paths.get(p, frozenset()))


def _loops_behind(
    n: BgpNeighbor, paths: Mapping[IPv4Network, frozenset[int]]
) -> tuple[IPv4Network, ...]:
    """The routes sent to `n` that a workspace behind it (a Transit Gateway's) drops as a
    loop: their path holds that workspace's ASN, which `as-override` does not rewrite."""
    behind = set(n.behind)
    return tuple(p for p in n.advertise if behind & paths.get(p, frozenset()))


def _reoriginated(
    b: _Builder, neighbors: list[BgpNeighbor]
) -> tuple[list[StaticRoute], set[IPv4Network]]:
    """Static routes that make this device the origin of each looping prefix: to the BGP peer
    of the link the prefix arrives by (the preferred one where several bring it, as BGP would
    choose; then by name), so the route is in the RIB and `network` originates it with this
    device's AS alone in the path. Each route lists every link that brings its prefix
    (`StaticRoute.arrivals`): with several, the static outlives the preferred link's far end
    and no backup can take over, which the Vyatta pack refuses (rule VRC907)."""
    rank = {n.connection: n.backup for n in neighbors}
    arrivals = sorted(
        (e for e in b.links if e.bgp_peer is not None),
        key=lambda e: (rank.get(e.connection, 0), e.connection),
    )
    routes: list[StaticRoute] = []
    done: set[IPv4Network] = set()
    for n in neighbors:
        for prefix in n.own_as_in_path:
            if prefix in done:
                continue
            bringing = [e for e in arrivals if prefix in e.imports]
            if not bringing:  # learned by a static link: already routed and originated
                continue
            via = bringing[0]
            done.add(prefix)
            asn = n.behind[0] if prefix in n.loops_behind else n.remote_as
            routes.append(
                StaticRoute(
                    prefix,
                    f"{via.connection}: re-originated so AS {asn} accepts it",
                    next_hop=via.bgp_peer,
                    reoriginate=True,
                    arrivals=tuple(e.connection for e in bringing),
                )
            )
    return routes, done


def _finish(
    name: str,
    asn: int | None,
    router_id: IPv4Address | None,
    own: frozenset[IPv4Network],
    b: _Builder,
    site: bool,
    own_zone: str | None = None,
    loopback_filter: str | None = None,
    public_interface: str | None = None,
    site_interface: str | None = None,
    site_wan_zone: str | None = None,
    site_lan_interface: str | None = None,
    own_routes: tuple[Route, ...] = (),
    site_direct_link: bool = False,
) -> RouterIntent:
    neighbors = [
        BgpNeighbor(
            n.connection,
            n.address,
            n.local_address,
            n.remote_as,
            n.description,
            n.accept,
            n.advertise,
            n.keepalive,
            n.holdtime,
            own_as_in_path=_loops(n, b.paths[n.connection]),
            multihop=n.multihop,
            backup=n.backup,
            behind=n.behind,
            loops_behind=_loops_behind(n, b.paths[n.connection]),
        )
        for n in b.neighbors
    ]
    reoriginate, reoriginated = _reoriginated(b, neighbors)
    routes = [
        *b.routes,
        *reoriginate,
        *(
            StaticRoute(r.prefix, f"{name}: reaches {r.prefix}", next_hop=r.next_hop)
            for r in own_routes
        ),
    ]
    exported = {p for n in neighbors for p in n.advertise}
    networks = tuple(sorted(exported & (own | b.static_imports | reoriginated)))
    return RouterIntent(
        name=name,
        asn=asn,
        router_id=router_id,
        tunnels=tuple(sorted(b.tunnels, key=lambda t: t.number)),
        static_routes=tuple(
            sorted(routes, key=lambda r: (r.prefix, r.family or "", r.number or 0))
        ),
        bgp_neighbors=tuple(sorted(neighbors, key=lambda n: n.address)),
        vtis=tuple(sorted(b.vtis, key=lambda v: v.number)),
        ipsec_peers=tuple(sorted(b.peers, key=lambda p: p.remote_address)),
        vlan_interfaces=tuple(sorted(b.vlans, key=lambda v: (str(v.interface), v.vlan))),
        bgp_networks=networks,
        site=site,
        filters=tuple(sorted(b.filters, key=lambda f: f.connection)),
        links=tuple(sorted(b.links, key=lambda end: end.connection)),
        own_prefixes=tuple(sorted(own)),
        own_zone=own_zone,
        loopback_filter=loopback_filter,
        public_interface=public_interface,
        site_interface=site_interface,
        site_wan_zone=site_wan_zone,
        site_lan_interface=site_lan_interface,
        site_direct_link=site_direct_link,
    )
