"""Per-device intent: what each router must be told, in words no vendor owns.

The planner says where every address goes and `routing` which prefixes cross each link; this
module says, device by device, which tunnels, IPsec peers, static routes and BGP sessions
carry them. Both ends of a link come from one `PlannedLink` and one `LinkRoutes`, so a
tunnel's addresses, its BGP neighbours, proposals and key reference cannot disagree.
The records themselves are in `records.py`, each end's view of a link in `ends.py`; vendor
packs turn a `RouterIntent` into their own names and syntax.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Network

from vra_config.intent import pairs
from vra_config.intent.cluster import with_clusters
from vra_config.intent.ends import End, ends
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
from vra_config.vendors.descriptions import about, link_descriptions


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
        device = RouterIntent(
            name=name,
            asn=router.asn,
            router_id=router.router_id,
            own_prefixes=tuple(sorted(frozenset(router.advertise))),
            own_zone=router.zone,
            loopback_filter=router.loopback_filter,
            public_interface=pairs.public_interface(router),
        )
        intents[name] = _device_intent(device, builders[name], router.routes)
    for name, site in plan.sites.items():
        device = RouterIntent(
            name=name,
            asn=site.asn,
            router_id=site.router_id,
            site=True,
            own_prefixes=tuple(sorted(frozenset(site.networks))),
            own_zone=site.zone,
            loopback_filter=site.loopback_filter,
            site_interface=site.interface,
            site_wan_zone=site.wan_zone,
            site_lan_interface=site.lan_interface,
            site_direct_link=site.direct_link is not None,
        )
        intents[name] = _device_intent(device, builders[name], site.routes)
    return with_clusters(intents, plan)


def _descriptions(link: PlannedLink, other: str) -> tuple[str, str]:
    """(interface, BGP neighbour) descriptions for one end; names only, never addresses.

    The plan's own `description` wins; otherwise the text comes from `vendors.descriptions`,
    which also reads it back from a running configuration (`running/ownership.py`)."""
    if link.description:
        return link.description, link.description
    return link_descriptions(link.name, link.via, link.powervs, other)


def _add_link(
    builders: dict[str, _Builder], link: PlannedLink, routes: LinkRoutes, firewalled: set[str]
) -> None:
    """Both ends of one link, each into its own device's builder (a workspace's end is
    IBM's: `ends` gives no far end for it)."""
    for end in ends(link):
        if end is not None:
            _add_end(builders[end.device], link, end, routes, end.device in firewalled)


def _add_end(
    builder: _Builder, link: PlannedLink, end: End, routes: LinkRoutes, firewall: bool
) -> None:
    """One device's share of one link: its interface (GRE tunnel, IPsec, VLAN), the inbound
    filter on it, its place among the device's links, and the routing over it."""
    exports, imports = end.exports(routes), end.imports(routes)
    interface_text, neighbor_text = _descriptions(link, end.other)
    family = link.kind.interface_family
    if family == "gre":
        _add_tunnel(builder, link, end, interface_text)
    elif family == "vti":
        _add_ipsec(builder, link, end, interface_text, exports, imports)
    else:
        _add_vlan(builder, link, end, interface_text)
    if firewall:
        _add_filter(builder, link, end, family, imports)
    builder.links.append(_link_end(link, end, family, imports, exports))
    _add_routing(builder, link, end, family, routes, neighbor_text)


def _add_tunnel(builder: _Builder, link: PlannedLink, end: End, description: str) -> None:
    """A GRE tunnel, and the route to its far endpoint where the underlay needs one."""
    number, address, local_ip, remote_ip = end.number, end.address, end.local_ip, end.remote_ip
    assert number is not None and address is not None and local_ip and remote_ip and link.mtu
    builder.tunnels.append(
        GreTunnel(
            connection=link.name,
            number=number,
            description=description,
            local_ip=local_ip,
            remote_ip=remote_ip,
            address=address,
            mtu=link.mtu,
            tcp_mss=link.tcp_mss,
        )
    )
    if end.gateway is not None:
        # The far endpoint is reached over the private network, not the default (public)
        # route the appliance would otherwise use for 172.x and 192.168.x
        # (IBM: power-iaas-cloud-connections).
        builder.routes.append(
            StaticRoute(
                prefix=IPv4Network(remote_ip),
                description=_endpoint_text(link, end.other),
                next_hop=end.gateway,
            )
        )


def _add_ipsec(
    builder: _Builder,
    link: PlannedLink,
    end: End,
    description: str,
    exports: tuple[IPv4Network, ...],
    imports: tuple[IPv4Network, ...],
) -> None:
    """An IPsec peer: route-based over a VTI, or policy-based with one selector per pair of
    (a prefix this end sends, a prefix the far end sends)."""
    ipsec = link.ipsec
    assert ipsec is not None and end.local_ip and end.remote_ip
    vti = _add_vti(builder, link, end, description) if ipsec.mode == "vti" else None
    selectors: tuple[tuple[IPv4Network, IPv4Network], ...] = ()
    if ipsec.mode == "policy":
        selectors = tuple((local, remote) for local in exports for remote in imports)
        if end.at_router_end and link.router_public_gateway:
            _add_policy_routes(builder, link, end, link.router_public_gateway, imports)
    builder.peers.append(
        IpsecPeer(
            connection=link.name,
            description=about(link.name, end.other),
            local_address=end.local_ip,
            remote_address=end.remote_ip,
            ike=ipsec.ike,
            esp=ipsec.esp,
            psk=ipsec.psk,
            vti=vti,
            policies=selectors,
            number=end.number,
        )
    )


def _add_vti(builder: _Builder, link: PlannedLink, end: End, description: str) -> int:
    """A route-based IPsec peer's VTI; its number, which the peer names."""
    assert end.number is not None and end.address is not None and link.mtu
    builder.vtis.append(
        Vti(
            connection=link.name,
            number=end.number,
            description=description,
            address=end.address,
            mtu=link.mtu,
            tcp_mss=link.tcp_mss,
        )
    )
    return end.number


def _add_policy_routes(
    builder: _Builder,
    link: PlannedLink,
    end: End,
    public_gateway: IPv4Address,
    imports: tuple[IPv4Network, ...],
) -> None:
    """Policy-based IPsec encrypts what leaves by the public interface; a route there puts
    the remote prefixes in the RIB, so BGP can advertise them onwards."""
    builder.routes.extend(
        StaticRoute(
            prefix=prefix,
            description=about(link.name, f"{end.other} (IPsec policy)"),
            next_hop=public_gateway,
            for_ipsec_policy=True,
        )
        for prefix in imports
    )
    builder.static_imports |= set(imports)


def _add_vlan(builder: _Builder, link: PlannedLink, end: End, description: str) -> None:
    """A Megaport VXC: a VLAN sub-interface holding this end's peering address."""
    assert end.address is not None and link.interface and link.vlan
    builder.vlans.append(
        VlanInterface(
            connection=link.name,
            interface=link.interface,
            vlan=link.vlan,
            address=end.address,
            description=description,
        )
    )


def _add_filter(
    builder: _Builder,
    link: PlannedLink,
    end: End,
    family: str | None,
    imports: tuple[IPv4Network, ...],
) -> None:
    """Anti-spoofing on a firewalled device: what arrives may come only from what the far
    end may send, or from the link subnet itself (BGP, ICMP from the far router)."""
    if end.address is None:
        return
    builder.filters.append(
        InboundFilter(
            connection=link.name,
            description=about(link.name, f"what {_far_name(link, end.other)} may send"),
            sources=tuple(sorted({*imports, end.address.network})),
            family=family,
            number=end.number,
            interface=link.interface if family is None else None,
            vlan=link.vlan if family is None else None,
        )
    )


def _link_end(
    link: PlannedLink,
    end: End,
    family: str | None,
    imports: tuple[IPv4Network, ...],
    exports: tuple[IPv4Network, ...],
) -> LinkEnd:
    """This end among the device's links, for zones, policies and host-bound filters."""
    far = end.far_address
    bgp_peer = far.ip if link.routing == "bgp" and far is not None else None
    return LinkEnd(
        connection=link.name,
        via=link.via,
        other=end.other,
        other_kind=end.other_kind,
        family=family,
        number=end.number,
        interface=link.interface,
        vlan=link.vlan,
        imports=imports,
        exports=exports,
        zone=end.zone,
        remote_ip=end.remote_ip,
        bgp_peer=bgp_peer,
    )


def _add_routing(
    builder: _Builder,
    link: PlannedLink,
    end: End,
    family: str | None,
    routes: LinkRoutes,
    description: str,
) -> None:
    """What crosses the link: static routes out of the tunnel, or one BGP session."""
    imports = end.imports(routes)
    if link.routing == "static" and family is not None:
        assert end.number is not None
        builder.routes.extend(
            StaticRoute(
                prefix=prefix,
                description=about(link.name, _far_name(link, end.other)),
                family=family,
                number=end.number,
            )
            for prefix in imports
        )
        builder.static_imports |= set(imports)
    elif link.routing == "bgp":
        builder.neighbors.append(_neighbor(link, end, routes, description))
        builder.paths[link.name] = end.paths(routes)


def _neighbor(link: PlannedLink, end: End, routes: LinkRoutes, description: str) -> BgpNeighbor:
    """The BGP session to the far end's inner address, with IBM's timers; what it would
    drop as a loop is filled in once the device's every link is known (`_device_intent`)."""
    mine, theirs, remote_as = end.address, end.far_address, end.remote_as
    assert theirs is not None and mine is not None and remote_as is not None
    return BgpNeighbor(
        connection=link.name,
        address=theirs.ip,
        local_address=mine.ip,
        remote_as=remote_as,
        description=description,
        accept=end.imports(routes),
        advertise=end.exports(routes),
        keepalive=ibm.BGP_KEEPALIVE,
        holdtime=ibm.BGP_HOLDTIME,
        multihop=link.ebgp_multihop,
        backup=end.backup,
        behind=end.behind,
    )


def _far_name(link: PlannedLink, other: str) -> str:
    return (
        f"PowerVS {link.powervs}" if link.peer_kind == "powervs" and other == link.peer else other
    )


def _endpoint_text(link: PlannedLink, other: str) -> str:
    """The description of the underlay route to a GRE tunnel's far endpoint: a Transit
    Gateway's own endpoint, a cloud connection's PowerVS source, or another router."""
    if link.kind.gateway_in_front:
        return about(link.name, "Transit Gateway GRE endpoint")
    if link.kind.far_end == "powervs":
        return about(link.name, f"PowerVS {link.powervs} GRE source")
    return about(link.name, f"GRE endpoint of {other}")


def _loops(n: BgpNeighbor, paths: Mapping[IPv4Network, frozenset[int]]) -> tuple[IPv4Network, ...]:
    """The routes sent to `n` that have already crossed `n`'s ASN (both PowerVS locations often
    use 64999): `n` drops them as a loop. `remove-private-as` does not help: FRR and Junos
    both keep the neighbour's own AS (Juniper's `remove-private` reference points to
    `as-override` for exactly this). A workspace behind a Transit Gateway (`n.behind`)
    drops the routes whose path holds its own ASN in the same way."""
    return _crossing(n.advertise, paths, {n.remote_as, *n.behind})


def _loops_behind(
    n: BgpNeighbor, paths: Mapping[IPv4Network, frozenset[int]]
) -> tuple[IPv4Network, ...]:
    """The routes sent to `n` that a workspace behind it (a Transit Gateway's) drops as a
    loop: their path holds that workspace's ASN, which `as-override` does not rewrite."""
    return _crossing(n.advertise, paths, set(n.behind))


def _crossing(
    advertise: tuple[IPv4Network, ...],
    paths: Mapping[IPv4Network, frozenset[int]],
    asns: set[int],
) -> tuple[IPv4Network, ...]:
    """The prefixes of `advertise`, in its order, whose path (`paths`) crosses one of `asns`.

    Why not `paths.get(p)` per advertised prefix: hashing an `IPv4Network` is Python code
    (1.6 us), and at 10,000 connections that lookup, twice per session, was most of
    `_device_intent`. `routing.link_routes` keys the paths by the exports in their order,
    so when the keys are `advertise` (a tuple comparison, by identity first) the pairs are
    read in order with no hashing; otherwise only the looping prefixes are hashed."""
    if not asns:
        return ()
    if tuple(paths) == advertise:
        return tuple(p for p, crossed in paths.items() if not asns.isdisjoint(crossed))
    looping = {p for p, crossed in paths.items() if not asns.isdisjoint(crossed)}
    if not looping:
        return ()
    return tuple(p for p in advertise if p in looping)


def _reoriginated(
    builder: _Builder, neighbors: list[BgpNeighbor]
) -> tuple[list[StaticRoute], set[IPv4Network]]:
    """Static routes that make this device the origin of each looping prefix: to the BGP peer
    of the link the prefix arrives by (the preferred one where several bring it, as BGP would
    choose; then by name), so the route is in the RIB and `network` originates it with this
    device's AS alone in the path. Each route lists every link that brings its prefix
    (`StaticRoute.arrivals`): with several, the static outlives the preferred link's far end
    and no backup can take over, which the Vyatta pack refuses (rule VRC907)."""
    rank = {n.connection: n.backup for n in neighbors}
    arrivals = sorted(
        (e for e in builder.links if e.bgp_peer is not None),
        key=lambda e: (rank.get(e.connection, 0), e.connection),
    )
    routes: list[StaticRoute] = []
    done: set[IPv4Network] = set()
    brought = _bringing(arrivals, {p for n in neighbors for p in n.own_as_in_path})
    for n in neighbors:
        for prefix in n.own_as_in_path:
            if prefix in done:
                continue
            bringing = brought.get(prefix, [])
            if not bringing:  # learned by a static link: already routed and originated
                continue
            via = bringing[0]
            done.add(prefix)
            asn = n.behind[0] if prefix in n.loops_behind else n.remote_as
            routes.append(
                StaticRoute(
                    prefix=prefix,
                    description=about(via.connection, f"re-originated so AS {asn} accepts it"),
                    next_hop=via.bgp_peer,
                    reoriginate=True,
                    arrivals=tuple(e.connection for e in bringing),
                )
            )
    return routes, done


def _bringing(
    arrivals: list[LinkEnd], wanted: set[IPv4Network]
) -> dict[IPv4Network, list[LinkEnd]]:
    """For each prefix of `wanted`, the links of `arrivals` that import it, in the order of
    `arrivals`: one walk over the imports instead of one per looping prefix (each a linear
    `in` over every link's imports)."""
    out: dict[IPv4Network, list[LinkEnd]] = {}
    if not wanted:
        return out
    for e in arrivals:
        for prefix in e.imports:
            if prefix in wanted:
                links = out.setdefault(prefix, [])
                if not links or links[-1] is not e:  # a prefix listed twice: the link once
                    links.append(e)
    return out


def _device_intent(
    device: RouterIntent, builder: _Builder, own_routes: tuple[Route, ...]
) -> RouterIntent:
    """`device` (what the plan says of the device itself) with what its links brought:
    each record sorted, so that rendering is byte-stable, and the prefixes BGP originates
    (what it advertises that the device holds, routes statically or re-originates)."""
    neighbors = [
        replace(
            n,
            own_as_in_path=_loops(n, builder.paths[n.connection]),
            loops_behind=_loops_behind(n, builder.paths[n.connection]),
        )
        for n in builder.neighbors
    ]
    reoriginate, reoriginated = _reoriginated(builder, neighbors)
    routes = [
        *builder.routes,
        *reoriginate,
        *(
            StaticRoute(
                prefix=r.prefix,
                description=f"{device.name}: reaches {r.prefix}",
                next_hop=r.next_hop,
            )
            for r in own_routes
        ),
    ]
    routed = set(device.own_prefixes) | builder.static_imports | reoriginated
    # the same prefix object crosses many sessions: told apart by identity (an int hash in
    # C) before the few distinct ones are hashed as networks
    exported = {id(p): p for n in neighbors for p in n.advertise}
    return replace(
        device,
        tunnels=tuple(sorted(builder.tunnels, key=lambda t: t.number)),
        static_routes=tuple(
            sorted(routes, key=lambda r: (r.prefix, r.family or "", r.number or 0))
        ),
        bgp_neighbors=tuple(sorted(neighbors, key=lambda n: n.address)),
        vtis=tuple(sorted(builder.vtis, key=lambda v: v.number)),
        ipsec_peers=tuple(sorted(builder.peers, key=lambda p: p.remote_address)),
        vlan_interfaces=tuple(sorted(builder.vlans, key=lambda v: (str(v.interface), v.vlan))),
        bgp_networks=tuple(sorted({p for p in exported.values() if p in routed})),
        filters=tuple(sorted(builder.filters, key=lambda f: f.connection)),
        links=tuple(sorted(builder.links, key=lambda end: end.connection)),
    )
