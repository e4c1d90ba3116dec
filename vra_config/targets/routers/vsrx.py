"""Junos on the vSRX (IBM Cloud's other classic gateway): names, spellings, quoting, limits.

Output is `set` lines as `load set terminal` takes them. Every keyword is in Juniper's
junos-es 23.4R2 YAML/YANG, checked in CI by an offline YANG checker against IBM's
default vSRX configuration:
- `interfaces gr-0/0/0 unit N tunnel source|destination`, `family inet address|mtu`;
  `interfaces st0 unit N family inet`; VLAN units (`flexible-vlan-tagging`, `vlan-id`);
- `security ike proposal|policy|gateway`, `security ipsec proposal|policy|vpn` (names at most
  32 characters; DH groups 1, 2, 5, 14, 15, 16, 19, 20, 21, 24);
- `security zones`, `security address-book global`, `security policies`;
- `security flow tcp-mss gre-in|gre-out|ipsec-vpn mss` (the vSRX clamps globally:
  `family inet tcp-mss` on st0 is refused from 20.4R2-S2,
  IBM vSRX docs: readiness_correcting_errors);
- `routing-options`, `protocols bgp group`, `policy-options`, `firewall filter`.
A chassis cluster (IBM's vSRX HA pair) is one configuration whose addresses are the reths'
(reth0.0 private, reth1.0 public): see `vsrx_cluster.py`.
IBM provisions the box with zones SL-PRIVATE (ge-0/0/0.0) and SL-PUBLIC (ge-0/0/1.0) and a
loopback filter PROTECT-IN that lets only ping, SSH and HTTPS reach the box: terms for the
planned IKE, ESP, GRE and BGP peers are added to it, or those never arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from vra_config.intent.design import loop_behind_gateway
from vra_config.intent.records import GreTunnel, InboundFilter, IpsecPeer, LinkEnd, RouterIntent
from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.rules import RULES
from vra_config.targets.base import REDACTED_KEY, Problems, vendor_interface, withheld_key
from vra_config.targets.routers import vsrx_cluster
from vra_config.targets.routers.meaning import VSRX, meaning
from vra_config.targets.routers.vsrx_context import (
    AddressEntry,
    BgpGroup,
    DeadPeerDetection,
    GreUnit,
    LinkFilter,
    PrefixList,
    ProtectTerm,
    SecurityPolicy,
    St0Unit,
    StaticRoute,
    TrafficSelector,
    VlanUnit,
    Vpn,
    VsrxContext,
    ZoneBinding,
    ZoneInterface,
    Zones,
)
from vra_config.vendors import vsrx as vendor

TITLE = vendor.TITLE
SUFFIX = "vsrx.set"

#: IBM's provisioning (ibm-vsrx-default-standalone.conf).
DEFAULT_PUBLIC_INTERFACE = "ge-0/0/1.0"
DEFAULT_OWN_ZONE = {"router": "SL-PRIVATE", "site": "trust"}
#: A site is not IBM-provisioned: Juniper's vSRX factory default puts ge-0/0/0.0 in the
#: untrust zone (the WAN) and the LAN in trust.
DEFAULT_SITE_INTERFACE = "ge-0/0/0.0"
DEFAULT_SITE_WAN_ZONE = "untrust"
DEFAULT_SITE_LAN_INTERFACE = "ge-0/0/1.0"
#: Default zone of a link's interface on a router in classic, by what is at the far end;
#: on a site, every link leads to IBM Cloud.
DEFAULT_LINK_ZONE = {"powervs": "POWERVS", "site": "ENTERPRISE", "router": "BACKBONE"}
DEFAULT_SITE_LINK_ZONE = "IBM-CLOUD"
GR = vendor.GR
#: Policy-name stand-in for what sits behind the device; plan names never hold "_", so policy
#: names `<from>_to_<to>` are unique (`vendor.policy_name`).
LOCAL_GROUP = "local_networks"

NAME_MAX = 32  # IKE and IPsec object names
PHYSICAL_RE = re.compile(r"(?:ge|xe|et|fe)-[0-9]+/[0-9]+/[0-9]+")
PSK_FORBIDDEN = re.compile(r'["\\\x00-\x1f\x7f]')

ENCRYPTION = {
    "aes128": "aes-128-cbc",
    "aes256": "aes-256-cbc",
    "aes128gcm": "aes-128-gcm",
    "aes256gcm": "aes-256-gcm",
    "3des": "3des-cbc",
}
IKE_HASH = {
    "sha1": "sha1",
    "sha256": "sha-256",
    "sha384": "sha-384",
    "sha512": "sha-512",
    "md5": "md5",
}
ESP_HASH = {
    "sha1": "hmac-sha1-96",
    "sha256": "hmac-sha-256-128",
    "sha384": "hmac-sha-384",
    "sha512": "hmac-sha-512",
    "md5": "hmac-md5-96",
}
DH_GROUPS = {1, 2, 5, 14, 15, 16, 19, 20, 21, 24}
#: IKEv2 with AES-GCM: Junos binds the cipher to a PRF and refuses `prf-algorithm` beside
#: it ("aes-256-gcm ... internally associated with a PRF-384 and cannot use PRF-256"). The
#: plan's `ike.integrity` is what the Vyatta end offers as PRF with GCM (`hash`), so the two
#: must be equal. Juniper documents no pairing for aes-128-gcm: it is refused, not guessed.
IKE_GCM_PRF = {"aes256gcm": "sha384"}
#: Dead-peer detection like the Vyatta pack's: probe every 30 s, down after 4 misses.
DPD = DeadPeerDetection(interval=30, threshold=4)
IKE_PORTS = (500, 4500)


#: Quoting and unit names are the vendor's (`vendors/vsrx.py`), shared with `running/`.
quote = vendor.quote
unit_name = vendor.tunnel_interface


def comment(text: str) -> str:
    """A comment line: `load set terminal` skips lines that start with `#`."""
    return f"# {text}"


def _end_interface(end: LinkEnd) -> str:
    if end.family is not None:
        assert end.number is not None
        return unit_name(end.family, end.number)
    return f"{end.interface.get(vendor.NAME) if end.interface else None}.{end.vlan}"


def context(intent: RouterIntent, secrets: Mapping[str, str]) -> VsrxContext:
    """Template data for one vSRX; raises `VendorError` for what Junos cannot take."""
    problems = Problems("VRC702", TITLE, quote)
    for end in intent.links:
        if len(end.connection) > NAME_MAX:  # plan names are shorter: a guard
            problems.add(("connections", end.connection), "name longer than 32 characters")
    gre_units = tuple(_gre_unit(t) for t in intent.tunnels)
    vlan_units = _vlan_units(intent, problems)
    tcp_mss = _tcp_mss(intent)
    vpns = _ipsec(intent, secrets, problems)
    zones = _zones_and_policies(intent)
    problems.found += _site_zone_problems(intent, zones)
    _loops_behind(intent, problems)
    # a chassis cluster (IBM's vSRX HA pair): tunnels on the reths, notes on where they start
    problems.found += vsrx_cluster.check(intent, gre_units, vpns)
    problems.raise_any()
    groups, prefix_lists = _bgp(intent)
    return VsrxContext(
        gre_units=gre_units,
        st0_units=_st0_units(intent),
        vlan_units=vlan_units,
        vlan_ports=tuple(sorted({u.interface for u in vlan_units})),
        tcp_mss=tcp_mss,
        routes=_routes(intent),
        vpns=vpns,
        own_zone=zones.own_zone,
        zone_bindings=zones.zone_bindings,
        zone_interfaces=zones.zone_interfaces,
        addresses=zones.addresses,
        policies=zones.policies,
        protect_terms=_protect_terms(intent),
        protect_filter=intent.loopback_filter,
        firewalls=tuple(_firewall(f) for f in intent.filters),
        asn=intent.asn if groups else None,
        router_id=str(intent.router_id) if intent.router_id and groups else None,
        bgp_groups=groups,
        prefix_lists=prefix_lists,
        cluster_notes=(*vsrx_cluster.notes(intent, comment), *_notes(intent, tcp_mss)),
    )


def _gre_unit(t: GreTunnel) -> GreUnit:
    return GreUnit(
        unit=t.number,
        description=quote(t.description),
        source=str(t.local_ip),
        destination=str(t.remote_ip),
        address=str(t.address),
        mtu=t.mtu,
    )


def _loops_behind(intent: RouterIntent, problems: Problems) -> None:
    """Refuse a route a workspace behind a Transit Gateway would drop as a loop (VRC909):
    `as-override` rewrites only the neighbour's AS (the gateway's), not the workspace's
    behind it, and Junos has no re-origination the pack could render instead."""
    for n in intent.bgp_neighbors:
        for prefix in n.loops_behind:
            problems.found.append(
                loop_behind_gateway(intent.name, prefix, n.connection, n.behind[0], n.remote_as)
            )


def _st0_units(intent: RouterIntent) -> tuple[St0Unit, ...]:
    vtis = {v.number: v for v in intent.vtis}
    units = []
    for p in intent.ipsec_peers:
        assert p.number is not None
        v = vtis.get(p.number)
        units.append(
            St0Unit(
                unit=p.number,
                description=quote(v.description if v else p.description),
                address=str(v.address) if v else None,
                mtu=v.mtu if v else None,
            )
        )
    return tuple(sorted(units, key=lambda u: u.unit))


def _vlan_units(intent: RouterIntent, problems: Problems) -> tuple[VlanUnit, ...]:
    units = []
    for v in intent.vlan_interfaces:
        port = vendor_interface(vendor.NAME, v.interface, v.connection, problems.found)
        if port != "missing" and not PHYSICAL_RE.fullmatch(port):
            problems.add(
                ("connections", v.connection, "interface"),
                f"{port} is not a vSRX physical interface (ge-0/0/2); name the port, the VLAN "
                "becomes its unit",
            )
        units.append(
            VlanUnit(
                interface=port,
                unit=v.vlan,
                description=quote(v.description),
                address=str(v.address),
            )
        )
    return tuple(units)


def _tcp_mss(intent: RouterIntent) -> dict[str, int]:
    """The vSRX clamps per traffic type, not per tunnel: the smallest planned MSS wins.

    Juniper's `tcp-mss` reference: `gre-in` / `gre-out` apply to GRE packets entering or
    leaving an IPsec VPN tunnel, which our gr-0/0/0 tunnels are not; native GRE is covered
    only by `all-tcp`, and `ipsec-vpn` by the st0 tunnels.
    https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-tcp-mss.html
    """
    out: dict[str, int] = {}
    gre = [t.tcp_mss for t in intent.tunnels if t.tcp_mss is not None]
    vti = [v.tcp_mss for v in intent.vtis if v.tcp_mss is not None]
    if gre:
        out["all-tcp"] = min(gre)
    if vti:
        out["ipsec-vpn"] = min(vti)
    return out


def _routes(intent: RouterIntent) -> tuple[StaticRoute, ...]:
    """The statics Junos needs (`meaning.py`): not the policy-based ones (traffic selectors
    install those routes on st0 themselves), nor the re-originating ones (Junos rewrites the
    AS path instead, `as-override`, see _bgp)."""
    routes = []
    for r in meaning(intent, VSRX).static_routes:
        if r.next_hop is not None:
            via = str(r.next_hop)
        else:
            assert r.family is not None and r.number is not None
            via = unit_name(r.family, r.number)
        routes.append(StaticRoute(prefix=str(r.prefix), next_hop=via))
    return tuple(routes)


def _ipsec(intent: RouterIntent, secrets: Mapping[str, str], problems: Problems) -> tuple[Vpn, ...]:
    vpns = []
    external = (
        (intent.site_interface or DEFAULT_SITE_INTERFACE)
        if intent.site
        else (intent.public_interface or DEFAULT_PUBLIC_INTERFACE)
    )
    for p in intent.ipsec_peers:
        base: PlanPath = ("connections", p.connection)
        checks = ((("ike", "dh_group"), p.ike.dh_group), (("esp", "pfs"), p.esp.pfs))
        for where, group in checks:
            if group != "off" and group not in DH_GROUPS:
                problems.add(
                    (*base, *where),
                    f"DH group {group} is not available on the vSRX (it has 14, 15, 16, 19, "
                    "20, 21 and 24); choose another",
                )
        prf = IKE_GCM_PRF.get(p.ike.encryption)
        if p.ike.encryption.endswith("gcm") and p.ike.integrity != prf:
            problems.add(
                (*base, "ike", "integrity"),
                f"with IKE {p.ike.encryption} the vSRX uses a fixed PRF"
                + (f", {prf}" if prf else " that Juniper documents only for aes256gcm (sha384)")
                + f", while the plan's ike.integrity ({p.ike.integrity}) is the PRF the other "
                "end offers, so IKE never negotiates (Juniper `prf-algorithm` reference, "
                f"{RULES['VRC704'].cite}); "
                + (f"set ike.integrity: {prf}" if prf else "use aes256gcm with integrity sha384")
                + ", or use a CBC cipher",
                rule="VRC704",
            )
        key = secrets.get(p.connection, "")
        if key != REDACTED_KEY and PSK_FORBIDDEN.search(key):
            problems.add(
                (*base, "psk"),
                "the pre-shared key is empty or holds a quote, backslash or control character, "
                "which Junos cannot take in a quoted string; generate another",
            )
            key = ""
        vpns.append(_vpn(p, key, external))
    return tuple(vpns)


def _vpn(p: IpsecPeer, key: str, external: str) -> Vpn:
    gcm_ike = p.ike.encryption.endswith("gcm")
    return Vpn(
        name=vendor.object_names(p.connection)["ike"],
        ike_encryption=ENCRYPTION[p.ike.encryption],
        ike_hash=None if gcm_ike else IKE_HASH[p.ike.integrity],
        dh_group=f"group{p.ike.dh_group}",
        ike_lifetime=p.ike.lifetime,
        version="v2-only" if p.ike.version == 2 else "v1-only",
        main_mode=p.ike.version == 1,
        psk=quote(key),
        psk_withheld=comment(withheld_key(p.connection)) if key == REDACTED_KEY else None,
        peer=str(p.remote_address),
        local=str(p.local_address),
        external=external,
        dpd=DPD,
        esp_encryption=ENCRYPTION[p.esp.encryption],
        esp_hash=ESP_HASH[p.esp.integrity] if p.esp.integrity else None,
        esp_lifetime=p.esp.lifetime,
        pfs=None if p.esp.pfs == "off" else f"group{p.esp.pfs}",
        bind=unit_name("vti", p.number or 0),
        selectors=tuple(
            TrafficSelector(name=f"ts{i + 1}", local=str(local), remote=str(remote))
            for i, (local, remote) in enumerate(p.policies)
        ),
    )


def _zone(end: LinkEnd, site: bool) -> str:
    if end.zone:
        return end.zone
    return DEFAULT_SITE_LINK_ZONE if site else DEFAULT_LINK_ZONE[end.other_kind]


def _zones_and_policies(intent: RouterIntent) -> Zones:
    """Each link's interface in a zone; policies permitting exactly the planned pairs."""
    own_zone = intent.own_zone or DEFAULT_OWN_ZONE["site" if intent.site else "router"]
    prefixes = _RankedPrefixes.of(intent)
    policies, used = _policies(_groups(intent, own_zone, prefixes), prefixes.names)
    zone_lines = _zone_interfaces(intent)
    bindings = _site_lan_binding(intent, own_zone)
    return Zones(
        # the zone of what sits behind the device exists (IBM's SL-PRIVATE) or is created
        own_zone=own_zone if intent.own_prefixes and policies and not bindings else None,
        zone_bindings=bindings,
        zone_interfaces=tuple(sorted(zone_lines, key=lambda z: (z.zone, z.interface))),
        addresses=tuple(
            AddressEntry(name=prefixes.names[i], prefix=str(prefixes.order[i]))
            for i in sorted(used)
        ),
        policies=tuple(sorted(policies, key=lambda p: (p.from_zone, p.to_zone, p.name))),
    )


def _zone_interfaces(intent: RouterIntent) -> list[ZoneInterface]:
    """Each link's interface in its zone (BGP allowed in where the link peers), and a site's
    WAN port in its own."""
    zone_lines = [
        ZoneInterface(
            zone=_zone(end, intent.site),
            interface=_end_interface(end),
            services=("ping",),
            protocols=("bgp",) if end.bgp_peer is not None else (),
        )
        for end in intent.links
    ]
    wan = _site_wan(intent)
    if wan is not None:
        zone_lines.append(wan)
    return zone_lines


def _site_lan_binding(intent: RouterIntent, own_zone: str) -> tuple[ZoneBinding, ...]:
    """IBM provisions its routers' zones; a site's LAN must be bound by us, or the zone the
    policies name holds no interface and nothing matches them."""
    if not (intent.site and intent.links and intent.own_prefixes):
        return ()
    lan = intent.site_lan_interface or DEFAULT_SITE_LAN_INTERFACE
    return (ZoneBinding(zone=own_zone, interface=lan),)


@dataclass(frozen=True)
class _RankedPrefixes:
    """Every prefix of the device, sorted, named and hashed once, then standing for itself by
    its rank: the pairs of groups meet it once per pair, and hashing, comparing and printing
    an `IPv4Network` (pure Python) there was most of a large vSRX render."""

    order: list[IPv4Network]
    rank: dict[IPv4Network, int]
    names: list[str]

    @classmethod
    def of(cls, intent: RouterIntent) -> _RankedPrefixes:
        order = sorted({*intent.own_prefixes, *(p for e in intent.links for p in e.imports)})
        return cls(
            order=order,
            rank={p: i for i, p in enumerate(order)},
            names=[vendor.address_name(str(p)) for p in order],
        )

    def ids(self, prefixes: Iterable[IPv4Network]) -> frozenset[int]:
        return frozenset(self.rank[p] for p in prefixes if p in self.rank)


#: (group name, zone, its prefixes, the prefixes its far end is told of), prefixes by rank.
_Group = tuple[str, str, frozenset[int], frozenset[int]]


def _groups(intent: RouterIntent, own_zone: str, prefixes: _RankedPrefixes) -> list[_Group]:
    """Groups of prefixes that talk to each other through this device: what sits behind it
    (told of everything, as the device routes to all), and what arrives over each link."""
    groups: list[_Group] = []
    if intent.own_prefixes:
        # "_" never appears in plan names, so no link's group can take this name
        everything = frozenset(range(len(prefixes.order)))
        groups.append((LOCAL_GROUP, own_zone, prefixes.ids(intent.own_prefixes), everything))
    groups += [
        (e.connection, _zone(e, intent.site), prefixes.ids(e.imports), prefixes.ids(e.exports))
        for e in intent.links
    ]
    return groups


def _policies(groups: list[_Group], names: list[str]) -> tuple[list[SecurityPolicy], set[int]]:
    """A policy from group S to group T where T's far end can route back to S (S's prefixes
    are exported over T's link) and S's far end was told of T (T's prefixes are exported over
    S's link); with the ranks of the prefixes the policies name."""
    policies = []
    used: set[int] = set()
    for src_name, src_zone, src, src_exports in groups:
        for dst_name, dst_zone, dst, dst_exports in groups:
            sources = sorted(src & dst_exports)
            destinations = sorted(dst & src_exports)
            if src_name == dst_name or not sources or not destinations:
                continue
            used.update(sources, destinations)
            policies.append(
                SecurityPolicy(
                    name=vendor.policy_name(src_name, dst_name),
                    from_zone=src_zone,
                    to_zone=dst_zone,
                    sources=tuple(names[i] for i in sources),
                    destinations=tuple(names[i] for i in destinations),
                )
            )
    return policies, used


#: Units that are never a site's LAN or WAN port: tunnels (st0, gr-, ip-, lt-), the loopback
#: and the management and cluster-control ports (fxp, em).
NOT_A_PORT = re.compile(r"(?:st0|gr-|ip-|lt-|lo0|fxp[0-9]|em[0-9])")


def _site_zone_problems(intent: RouterIntent, zones: Zones) -> list[Finding]:
    """A site's units each in one zone, its LAN and WAN on ports, and its WAN zone apart.

    Junos puts an interface in exactly one security zone, so a LAN unit that is the WAN unit
    or a tunnel unit would be listed in two and the commit fails; a WAN zone equal to the LAN
    zone puts the Internet side under the policies written for the LAN's networks.
    """
    if not intent.site:
        return []
    base: PlanPath = ("sites", intent.name)
    found: list[Finding] = []
    flagged: set[str] = set()
    for key, unit in (
        ("interface", intent.site_interface),
        ("lan_interface", intent.site_lan_interface),
    ):
        if unit is not None and NOT_A_PORT.match(unit):
            flagged.add(unit)
            found.append(
                Finding(
                    (*base, key),
                    f"{unit} is not a port: st0 and gr-0/0/0 are the tunnels' units, lo0 the "
                    "loopback, fxp0 and em0 management; name the ge- (or xe-, reth, ae) unit "
                    f"{'towards the networks' if key == 'lan_interface' else 'holding address'}",
                    rule="VRC710",
                )
            )
    zone_of: dict[str, str] = {}
    placed: list[ZoneBinding | ZoneInterface] = [*zones.zone_bindings, *zones.zone_interfaces]
    for line in placed:
        first = zone_of.setdefault(line.interface, line.zone)
        if first != line.zone and line.interface not in flagged:
            key = "lan_interface" if intent.site_lan_interface else "interface"
            found.append(
                Finding(
                    (*base, key),
                    f"{line.interface} would be in zones {first} and {line.zone}, and "
                    "Junos puts an interface in exactly one security zone (the commit "
                    "fails); give the LAN its own unit, apart from the WAN unit and the "
                    "tunnels' st0/gr-0/0/0 units",
                    rule="VRC710",
                )
            )
    wan = intent.site_wan_zone or DEFAULT_SITE_WAN_ZONE
    lan = intent.own_zone or DEFAULT_OWN_ZONE["site"]
    if intent.links and intent.own_prefixes and wan == lan:
        found.append(
            Finding(
                (*base, "wan_zone"),
                f"wan_zone {wan} is also the zone of the site's networks, so the WAN side "
                "would pass every policy written for the LAN's networks; give the WAN its "
                f"own zone (Juniper's default: {DEFAULT_SITE_WAN_ZONE})",
                rule="VRC710",
            )
        )
    return found


def _site_wan(intent: RouterIntent) -> ZoneInterface | None:
    """A site's interface holding its `address`, in its WAN zone, letting in what the links
    need of the box itself; None when no link of the plan starts there.

    Interface-level `host-inbound-traffic` replaces the zone's for that unit (Juniper:
    "Understanding How to Control Inbound Traffic Based on Traffic Types"), so it is written
    only on a unit a link uses (a GRE's source, an IPsec peer's IKE), with everything those
    links need there: ping, IKE for IPsec, and BGP on a Direct Link site, whose own session
    with IBM arrives on that side and would be refused at commit otherwise. A VLAN link
    (Megaport) starts on its own unit, so it leaves the WAN unit alone."""
    if not intent.site or not any(e.family in ("gre", "vti") for e in intent.links):
        return None
    return ZoneInterface(
        zone=intent.site_wan_zone or DEFAULT_SITE_WAN_ZONE,
        interface=intent.site_interface or DEFAULT_SITE_INTERFACE,
        services=("ping", "ike") if intent.ipsec_peers else ("ping",),
        protocols=("bgp",) if intent.site_direct_link else (),
    )


def _notes(intent: RouterIntent, tcp_mss: Mapping[str, int]) -> list[str]:
    """Header comments for what this file changes beyond the plan's own objects: the WAN
    unit's inbound services, and the box-wide TCP MSS clamp."""
    notes = []
    wan = _site_wan(intent)
    if wan is not None:
        allowed = ", ".join([*wan.services, *wan.protocols])
        notes.append(
            f"{wan.interface}: host-inbound-traffic set on the interface ({allowed}) "
            f"replaces what zone {wan.zone} allows to the box on it (Juniper, Understanding "
            "How to Control Inbound Traffic Based on Traffic Types); add any other service it "
            "must keep (ssh, dhcp, another BGP session) to this interface before committing"
        )
    mss = tcp_mss.get("all-tcp")
    if mss is not None:
        notes.append(
            f"security flow tcp-mss all-tcp mss {mss} clamps every TCP session through this "
            "vSRX, not only the GRE tunnels' (Juniper, tcp-mss (Security Flow))"
        )
    return [comment(n) for n in notes]


def _protect_terms(intent: RouterIntent) -> tuple[ProtectTerm, ...]:
    """Loopback-filter terms letting exactly the planned peers reach the box."""
    if intent.loopback_filter is None:
        return ()
    terms = []
    for end in intent.links:
        names = vendor.object_names(end.connection)
        if end.family == "gre" and end.remote_ip is not None:
            terms.append(_term(names["gre_term"], end.remote_ip, "gre"))
        if end.family == "vti" and end.remote_ip is not None:
            terms.append(_term(names["ike_term"], end.remote_ip, "udp", ports=IKE_PORTS))
            terms.append(_term(names["esp_term"], end.remote_ip, "esp"))
        if end.bgp_peer is not None:
            terms.append(_term(names["bgp_term"], end.bgp_peer, "tcp", port="bgp"))
        # ICMP from the far end: pinging the BGP peer is IBM's first troubleshooting step,
        # and path-MTU discovery needs "fragmentation needed" from the tunnel and its
        # endpoint; IBM's PROTECT-IN accepts ICMP only to the management addresses.
        for i, source in enumerate(sorted({a for a in (end.remote_ip, end.bgp_peer) if a})):
            terms.append(_term(f"{end.connection}-icmp{i + 1}", source, "icmp"))
    return tuple(terms)


def _term(
    name: str,
    source: IPv4Address,
    protocol: str,
    ports: tuple[int, ...] = (),
    port: str | None = None,
) -> ProtectTerm:
    return ProtectTerm(
        name=name, source=f"{source}/32", protocol=protocol, destination_ports=ports, port=port
    )


#: ICMP errors a link filter lets in from any source: unreachable (type 3, with
#: "fragmentation needed", which path-MTU discovery needs from whichever hop cannot forward a
#: packet: RFC 1191, RFC 792) and time-exceeded (type 11), both sent by transit hops the
#: planned sources do not cover. Junos firewall filter match condition `icmp-type`.
ICMP_ERRORS = ("unreachable", "time-exceeded")


def _firewall(f: InboundFilter) -> LinkFilter:
    if f.family is not None:
        assert f.number is not None  # a tunnel's filter names its tunnel
        unit = unit_name(f.family, f.number)
    else:
        unit = f"{f.interface.get(vendor.NAME) if f.interface else None}.{f.vlan}"
    interface, number = unit.rsplit(".", 1)
    return LinkFilter(
        name=vendor.object_names(f.connection)["firewall"],
        interface=interface,
        unit=number,
        sources=tuple(str(p) for p in f.sources),
        icmp_errors=ICMP_ERRORS,
    )


def _bgp(intent: RouterIntent) -> tuple[tuple[BgpGroup, ...], tuple[PrefixList, ...]]:
    """(groups, prefix lists by name): one external group per BGP link."""
    overridden = meaning(intent, VSRX).as_override
    groups = []
    prefix_lists = []
    for n in intent.bgp_neighbors:
        names = vendor.object_names(n.connection)
        for direction, prefixes in (("in", n.accept), ("out", n.advertise)):
            if prefixes:
                prefix_lists.append(
                    PrefixList(
                        name=names[f"prefix_list_{direction}"],
                        prefixes=tuple(str(p) for p in prefixes),
                    )
                )
        groups.append(
            BgpGroup(
                name=names["bgp_group"],
                description=quote(n.description),
                peer_as=n.remote_as,
                local_address=str(n.local_address),
                neighbor=str(n.address),
                hold_time=n.holdtime,
                import_policy=names["import_policy"],
                export_policy=names["export_policy"],
                import_list=names["prefix_list_in"] if n.accept else None,
                export_list=names["prefix_list_out"] if n.advertise else None,
                # Juniper: `remove-private` keeps the neighbour's own AS and points to
                # `as-override`; Junos also withholds routes from peers in the AS they were
                # learned from unless `advertise-peer-as` (both under `protocols bgp group`).
                as_override=n.connection in overridden,
                multihop=n.multihop,
                # a backup link (Junos policy `then local-preference`, `then as-path-prepend`)
                local_preference=n.local_preference,
                prepend=quote(" ".join([str(intent.asn)] * n.prepend)) if n.prepend else None,
            )
        )
    return tuple(groups), tuple(sorted(prefix_lists, key=lambda p: p.name))
