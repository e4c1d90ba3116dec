"""Vyatta 5600 (IBM Cloud Virtual Router Appliance): names, spellings, quoting and limits.

Every keyword the templates print is in the DANOS YANG for the 5600 (the public model of the
VRA's OS), checked in CI by an offline YANG checker:
- tunnel: vyatta-interfaces-tunnel-v1.yang (`interfaces tunnel tunN`, pattern `tun[0-9]+`,
  description 1..256), TCP MSS: vyatta-interfaces-tcp-mss-v1.yang (`ip tcp-mss limit`);
- VTI: vyatta-interfaces-vti-v1.yang (`interfaces vti vtiN`, mtu 68..9000);
- VLANs: vyatta-interfaces-dataplane-v1.yang / -bonding-v1.yang (`vif N address`);
- IPsec: vyatta-security-vpn-ipsec-v1.yang (ike-group / esp-group / site-to-site peer; the
  pre-shared-secret pattern; ike dh-group 2, 5, 14-20);
- static routes: vyatta-protocols-static-v1.yang; BGP: vyatta-protocols-frr-bgp-v1.yang
  (neighbour description 1..80); filters: vyatta-policy-route-v1.yang.
IBM's own VRA examples of these lines: cloud.ibm.com/docs/virtual-router-appliance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from vra_config.intent.design import pinned_reorigination
from vra_config.intent.records import (
    BgpNeighbor,
    GreTunnel,
    InboundFilter,
    IpsecPeer,
    RouterIntent,
    VlanInterface,
    Vti,
)
from vra_config.plan.findings import PlanPath
from vra_config.targets.base import REDACTED_KEY, Problems, vendor_interface, withheld_key
from vra_config.targets.routers import vyatta_ha
from vra_config.targets.routers.bgp import policy_names, router_block
from vra_config.targets.routers.vyatta_context import (
    BgpLines,
    DeadPeerDetection,
    EspGroup,
    FirewallLines,
    IkeGroup,
    NeighborLines,
    NumberedRule,
    PeerLines,
    PolicyTunnel,
    PrefixListLines,
    RouteLines,
    RouteMapLines,
    TunnelLines,
    VifLines,
    VyattaContext,
)
from vra_config.vendors import vyatta as vendor

TITLE = vendor.TITLE
SUFFIX = "vyatta.set"

POLICY_NAME_RE = re.compile(r"[-a-zA-Z0-9.]+")
PSK_RE = re.compile(r"[-+&!@#$%^*(),.:_a-zA-Z0-9]+")
DATAPLANE_RE = re.compile(r"dp[0-9]+(?:[A-Za-z][0-9]+)+")
BONDING_RE = re.compile(r"dp[0-9]+bond(?:[0-9]|[1-9][0-9]+)")
TUNNEL_DESCRIPTION_MAX = 256
NEIGHBOR_DESCRIPTION_MAX = 80
RULE_STEP = 10
RULE_MAX = 65535
#: The catch-all deny sits after every permit rule a route-map can have.
DENY_RULE = RULE_MAX

#: Vendor-neutral algorithm names (the plan's) → the 5600's spelling.
ENCRYPTION = {
    "aes128": "aes128",
    "aes256": "aes256",
    "aes128gcm": "aes128gcm128",
    "aes256gcm": "aes256gcm128",
    "3des": "3des",
}
HASH = {
    "sha1": "sha1",
    "sha256": "sha2_256",
    "sha384": "sha2_384",
    "sha512": "sha2_512",
    "md5": "md5",
}
#: Dead-peer detection on route-based peers, so a VTI notices a dead peer and BGP or a
#: backup route takes over: restart the SA after 30 s without answers, give up at 120 s.
DPD = DeadPeerDetection(action="restart", interval=30, timeout=120)


#: Quoting and interface names are the vendor's (`vendors/vyatta.py`), shared with `running/`.
quote = vendor.quote
interface_name = vendor.tunnel_interface


def comment(text: str) -> str:
    """A comment line: the VRA's configuration shell (vbash) ignores `#` lines."""
    return f"# {text}"


def context(intent: RouterIntent, secrets: Mapping[str, str]) -> VyattaContext:
    """Template data for one device; raises `VendorError` for what the 5600 cannot take.

    `secrets` maps a connection name to the pre-shared key text to print (the key, or a
    placeholder when output is for review). Problems are found in template order, so a
    device's findings read top to bottom like its configuration.
    """
    problems = Problems("VRC701", TITLE, quote)
    tunnels = tuple(_tunnel(t, problems) for t in intent.tunnels)
    vtis = tuple(_vti(v, problems) for v in intent.vtis)
    vifs = tuple(_vif(v, problems) for v in intent.vlan_interfaces)
    _pinned_reoriginations(intent, problems)
    firewalls = tuple(_firewall(f, problems) for f in intent.filters)
    ike_groups, esp_groups, peers = _ipsec(intent, secrets, problems)
    prefix_lists, route_maps, bgp = _bgp(intent, problems)
    problems.raise_any()
    return VyattaContext(
        tunnels=tunnels,
        vtis=vtis,
        vifs=vifs,
        routes=tuple(
            RouteLines(
                prefix=str(r.prefix), next_hop=str(r.next_hop), description=quote(r.description)
            )
            for r in intent.static_routes
            if r.next_hop is not None
        ),
        interface_routes=tuple(
            RouteLines(
                prefix=str(r.prefix),
                interface=interface_name(r.family or "gre", r.number or 0),
                description=quote(r.description),
            )
            for r in intent.static_routes
            if r.family is not None
        ),
        firewalls=firewalls,
        vrrp=vyatta_ha.vrrp(intent),
        failover=tuple(vyatta_ha.failover_notes(intent)),
        make_before_break=intent.ike_v2,
        ike_groups=ike_groups,
        esp_groups=esp_groups,
        peers=peers,
        prefix_lists=prefix_lists,
        route_maps=route_maps,
        bgp=bgp,
    )


def _pinned_reoriginations(intent: RouterIntent, problems: Problems) -> None:
    """Refuse a re-originated prefix that more than one link brings (rule VRC907).

    The 5600 cannot take the shared AS out of the path (its BGP YANG has no `as-override`;
    `remove-private-as` renders FRR's plain `neighbor X remove-private-AS`, which keeps the
    neighbour's own AS), so the prefix is re-originated from a static route to one link's
    BGP peer. A static route has distance 1 and an eBGP route 20, and a VRA GRE tunnel stays
    up when its far end dies, so the static keeps the prefix on the dead link and no backup
    takes over; DANOS's public YANG has no path monitor that could withdraw it, and FRR's
    `network` import-check ignores BGP's own routes, so nothing BGP-native follows the link
    either. With one link the static also outlives a silent far end, but nothing could
    take over anyway (docs/before-you-paste.md)."""
    name = intent.ha.pair if intent.ha is not None else intent.name
    for r in intent.static_routes:
        if r.reoriginate and len(r.arrivals) > 1:
            problems.found.append(pinned_reorigination(name, r.prefix, r.arrivals))


def _tunnel_interface(
    item: GreTunnel | Vti,
    family: str,
    problems: Problems,
    local_ip: str | None = None,
    remote_ip: str | None = None,
) -> TunnelLines:
    """What GRE tunnels and VTIs share: name, description, address, MTU, MSS clamp."""
    return TunnelLines(
        name=interface_name(family, item.number),
        description=problems.quoted_within(
            ("connections", item.connection, "description"),
            item.description,
            TUNNEL_DESCRIPTION_MAX,
            "tunnel description" if family == "gre" else "VTI description",
        ),
        address=str(item.address),
        mtu=item.mtu,
        tcp_mss=item.tcp_mss,
        local_ip=local_ip,
        remote_ip=remote_ip,
    )


def _tunnel(t: GreTunnel, problems: Problems) -> TunnelLines:
    return _tunnel_interface(t, "gre", problems, str(t.local_ip), str(t.remote_ip))


def _vti(v: Vti, problems: Problems) -> TunnelLines:
    return _tunnel_interface(v, "vti", problems)


def _interface_kind(connection: str, interface: str, problems: Problems) -> str:
    if BONDING_RE.fullmatch(interface):
        return "bonding"
    if not DATAPLANE_RE.fullmatch(interface):
        problems.add(
            ("connections", connection, "interface"),
            f"{interface} is not a Vyatta 5600 dataplane or bonding interface (dp0p192p1, "
            "dp0bond1); write the name `show interfaces` prints",
        )
    return "dataplane"


#: Firewall rules are numbered 1..9999 (vyatta-security-firewall-v1.yang).
FIREWALL_RULE_MAX = 9999

#: ICMP errors a link filter lets in from any source, numbered below the first source rule:
#: destination unreachable (type 3, with "fragmentation needed", which path-MTU discovery
#: needs from whichever hop cannot forward a packet: RFC 1191, RFC 792) and time exceeded
#: (type 11, traceroute and loops), both sent by transit hops the sources do not cover.
#: vyatta-npf-v1.yang `rule N icmp name`; vyatta-fw-types-v1.yang: destination-unreachable is
#: "Type 3" (every code), time-exceeded "Type 11".
ICMP_ERRORS = (
    NumberedRule(number=1, name="destination-unreachable"),
    NumberedRule(number=2, name="time-exceeded"),
)


def _firewall(f: InboundFilter, problems: Problems) -> FirewallLines:
    if f.family is not None:
        assert f.number is not None  # a tunnel's filter names its tunnel
        kind = "tunnel" if f.family == "gre" else "vti"
        attach = f"interfaces {kind} {interface_name(f.family, f.number)}"
    else:
        parent = vendor_interface(vendor.NAME, f.interface, f.connection, problems.found)
        kind = _interface_kind(f.connection, parent, problems)
        attach = f"interfaces {kind} {parent} vif {f.vlan}"
    if len(f.sources) * RULE_STEP > FIREWALL_RULE_MAX:
        problems.add(
            ("connections", f.connection),
            f"{len(f.sources)} source prefixes exceed the {FIREWALL_RULE_MAX // RULE_STEP} a "
            "Vyatta firewall can number; summarise them",
        )
    return FirewallLines(
        name=vendor.object_names(f.connection)["firewall"],
        description=quote(f.description),
        attach=attach,
        icmp_errors=ICMP_ERRORS,
        rules=tuple(
            NumberedRule(number=(i + 1) * RULE_STEP, source=str(p)) for i, p in enumerate(f.sources)
        ),
    )


def _vif(v: VlanInterface, problems: Problems) -> VifLines:
    parent = vendor_interface(vendor.NAME, v.interface, v.connection, problems.found)
    kind = _interface_kind(v.connection, parent, problems)
    return VifLines(
        kind=kind,
        interface=parent,
        vlan=v.vlan,
        address=str(v.address),
        description=quote(v.description),
    )


def _ipsec(
    intent: RouterIntent, secrets: Mapping[str, str], problems: Problems
) -> tuple[tuple[IkeGroup, ...], tuple[EspGroup, ...], tuple[PeerLines, ...]]:
    """(IKE groups, ESP groups, peers) of the device's IPsec peers, in peer order."""
    ike_groups, esp_groups, peers = [], [], []
    seen: dict[str, str] = {}
    for p in intent.ipsec_peers:
        base: PlanPath = ("connections", p.connection)
        address = str(p.remote_address)
        if address in seen:
            problems.add(
                base,
                f"{intent.name} already has an IPsec peer at {address} (connection "
                f"{seen[address]}); the Vyatta 5600 keys peers by address: use one link",
            )
        seen[address] = p.connection
        key = secrets.get(p.connection, "")
        if key != REDACTED_KEY and not PSK_RE.fullmatch(key):
            problems.add(
                (*base, "psk"),
                "the pre-shared key holds characters the Vyatta 5600 does not take (it allows "
                "letters, digits and - + & ! @ # $ % ^ * ( ) , . : _); generate another",
            )
        ike_groups.append(_ike_group(p))
        esp_groups.append(_esp_group(p))
        peers.append(_peer(p, address, key))
        if p.vti is None and not p.policies:
            problems.add(
                base,
                "policy-based IPsec needs prefixes on both sides, but one side has none to "
                "send; give the peer networks (or use mode: vti)",
            )
    return tuple(ike_groups), tuple(esp_groups), tuple(peers)


def _peer(p: IpsecPeer, address: str, key: str) -> PeerLines:
    names = vendor.object_names(p.connection)
    return PeerLines(
        address=address,
        description=quote(p.description),
        local_address=str(p.local_address),
        psk=quote(key) if PSK_RE.fullmatch(key) else "''",
        psk_withheld=comment(withheld_key(p.connection)) if key == REDACTED_KEY else None,
        ike_group=names["ike_group"],
        esp_group=names["esp_group"],
        vti=interface_name("vti", p.vti) if p.vti is not None else None,
        tunnels=tuple(
            PolicyTunnel(number=i + 1, local=str(local), remote=str(remote))
            for i, (local, remote) in enumerate(p.policies)
        ),
    )


def _ike_group(p: IpsecPeer) -> IkeGroup:
    return IkeGroup(
        name=vendor.object_names(p.connection)["ike_group"],
        version=p.ike.version,
        lifetime=p.ike.lifetime,
        encryption=ENCRYPTION[p.ike.encryption],
        hash=HASH[p.ike.integrity],
        dh_group=p.ike.dh_group,
        dpd=DPD,
    )


def _esp_group(p: IpsecPeer) -> EspGroup:
    return EspGroup(
        name=vendor.object_names(p.connection)["esp_group"],
        lifetime=p.esp.lifetime,
        pfs="disable" if p.esp.pfs == "off" else f"dh-group{p.esp.pfs}",
        encryption=ENCRYPTION[p.esp.encryption],
        hash=HASH[p.esp.integrity] if p.esp.integrity else "null",
    )


def _route_map(
    n: BgpNeighbor, direction: str, verb: str, prefix_list: str | None, asn: int | None
) -> RouteMapLines:
    """The route-map of one direction of a session. A backup link
    (`BgpNeighbor.backup`) learns at a lower local-preference and advertises with the
    router's AS prepended (vyatta-policy-route-v1.yang, route-map rule `set
    local-preference` and `set as-path-prepend`)."""
    prepend = quote(" ".join([str(asn)] * n.prepend)) if direction == "out" and n.prepend else None
    return RouteMapLines(
        name=policy_names(n)[f"rm_{direction}"],
        description=quote(f"{verb}: planned prefixes only"),
        prefix_list=prefix_list,
        deny_rule=DENY_RULE,
        local_preference=n.local_preference if direction == "in" else None,
        prepend=prepend,
    )


def _bgp(
    intent: RouterIntent, problems: Problems
) -> tuple[tuple[PrefixListLines, ...], tuple[RouteMapLines, ...], BgpLines | None]:
    """(prefix lists, route-maps, the BGP block) of the device's sessions; the policies
    sorted by name so the output is byte-stable whatever order the links were walked in."""
    prefix_lists: list[PrefixListLines] = []
    route_maps: list[RouteMapLines] = []
    neighbors: list[NeighborLines] = []
    text = _prefix_texts(intent.bgp_neighbors)
    for n in intent.bgp_neighbors:
        names = policy_names(n)
        for direction, prefixes, verb in (
            ("in", n.accept, f"accept from {n.connection}"),
            ("out", n.advertise, f"advertise to {n.connection}"),
        ):
            if (len(prefixes) + 1) * RULE_STEP > RULE_MAX:
                problems.add(
                    ("connections", n.connection),
                    f"{len(prefixes)} prefixes to {verb} exceed the "
                    f"{RULE_MAX // RULE_STEP - 1} a Vyatta prefix list can number; summarise them",
                )
            pl = names[f"pl_{direction}"]
            if prefixes:
                prefix_lists.append(
                    PrefixListLines(
                        name=pl,
                        description=quote(f"{verb}: exactly the planned prefixes"),
                        rules=tuple(
                            NumberedRule(number=(i + 1) * RULE_STEP, prefix=text[id(p)])
                            for i, p in enumerate(prefixes)
                        ),
                    )
                )
            route_maps.append(_route_map(n, direction, verb, pl if prefixes else None, intent.asn))
        neighbors.append(_neighbor(n, names, problems))
    for name in [item.name for item in prefix_lists] + [item.name for item in route_maps]:
        if not POLICY_NAME_RE.fullmatch(name):  # plan names are a subset: a guard
            raise ValueError(f"policy name {name!r} is not valid on Vyatta")
    return (
        tuple(sorted(prefix_lists, key=lambda p: p.name)),
        tuple(sorted(route_maps, key=lambda m: m.name)),
        router_block(intent, neighbors),
    )


def _prefix_texts(neighbors: tuple[BgpNeighbor, ...]) -> dict[int, str]:
    """`str(p)` of every prefix the sessions accept or advertise, by the prefix's identity.

    The same prefix object is in the lists of most of a device's sessions (five times over
    at 10,000 connections), and `IPv4Network.__str__` is Python code (5 us): each is spelled
    once. Keyed by `id`, not by the network, whose hash is Python code too; the intent holds
    every prefix while the device's data is built, so no identity is reused meanwhile."""
    out: dict[int, str] = {}
    for n in neighbors:
        for p in (*n.accept, *n.advertise):
            if id(p) not in out:
                out[id(p)] = str(p)
    return out


def _neighbor(n: BgpNeighbor, names: Mapping[str, str], problems: Problems) -> NeighborLines:
    return NeighborLines(
        address=str(n.address),
        remote_as=n.remote_as,
        description=problems.quoted_within(
            ("connections", n.connection, "description"),
            n.description,
            NEIGHBOR_DESCRIPTION_MAX,
            "BGP neighbour description",
        ),
        keepalive=n.keepalive,
        holdtime=n.holdtime,
        connect=n.connect_retry,
        import_map=names["rm_in"],
        export_map=names["rm_out"],
        multihop=n.multihop,
    )
