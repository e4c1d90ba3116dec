"""The address planner: from a plan and its lock to every address each link needs.

Pure functions: a `Plan` and a `Lock` in, an `AddressPlan` (per-link addresses, the new lock,
findings) out. No I/O, no global state, so the property tests can drive it directly.

The IBM rules it applies (IBM Cloud docs: power-iaas-cloud-connections, transit-gateway-cli):
- cloud connection: a /29 split in halves; PowerVS GRE source = first host of the first half;
  PowerVS tunnel IP = first host of the second half; router tunnel IP = second host of the
  second half, configured as a /30 so the source stays outside the overlay; a /32 route to
  the source via the router's private gateway.
- Transit Gateway: a /30 holding the TGW tunnel IP (first host) and the router's (second).
Links between devices of the plan (GRE, IPsec VTI) and Megaport peerings use a /30: the
first host for the `router` end, the second for the peer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config import ibm, rules
from vra_config.existing import InUse
from vra_config.findings import Finding, PlanPath
from vra_config.ha import pair_findings
from vra_config.lock import Lock, LockEntry
from vra_config.model import (
    AnyConnection,
    CloudConnection,
    Esp,
    GreLink,
    Ike,
    IpsecLink,
    MegaportLink,
    PerVendor,
    Plan,
    Secret,
    TransitGatewayConnection,
)
from vra_config.prefixes import (
    PrefixUse,
    Use,
    duplicate_findings,
    overlap_findings,
    reserved_findings,
)
from vra_config.rules import RULES
from vra_config.space import FreeList, Occupied

#: Size of the subnet each kind of link takes.
PREFIXLEN: dict[str, int] = {
    "cloud-connection": ibm.CLOUD_CONNECTION_GRE_PREFIXLEN,
    "transit-gateway": ibm.TRANSIT_GATEWAY_GRE_PREFIXLEN,
    "gre": 30,
    "ipsec": 30,
    "megaport": 30,
}
#: Which interface family a link's tunnel number counts in (tunN / vtiN); None: no tunnel.
FAMILY: dict[str, str | None] = {
    "cloud-connection": "gre",
    "transit-gateway": "gre",
    "gre": "gre",
    "ipsec": "vti",
    "megaport": None,
}
_SUBNET_FIELD = {
    "cloud-connection": "gre",
    "transit-gateway": "gre",
    "gre": "gre",
    "ipsec": "vti",
    "megaport": "peering",
}
_WEAK_ENCRYPTION = {"3des"}
_WEAK_INTEGRITY = {"md5"}
_WEAK_DH = {2, 5}


@dataclass(frozen=True)
class IpsecParams:
    """What both ends of an IPsec link share: proposals, key, mode."""

    mode: str
    ike: Ike
    esp: Esp
    psk: Secret


@dataclass(frozen=True)
class PlannedLink:
    """Every address and number one link needs, both ends derived from one subnet.

    `router` is the device the link starts on; `peer` is a device (`peer_kind` "router" or
    "site") or a PowerVS workspace ("powervs").
    """

    name: str
    via: str
    router: str
    peer: str
    peer_kind: str
    powervs: str | None
    routing: str  # "bgp", "static" or "policy"
    subnet: IPv4Network | None
    tunnel: int | None
    peer_tunnel: int | None
    local_ip: IPv4Address | None
    remote_ip: IPv4Address | None
    router_address: IPv4Interface | None
    peer_address: IPv4Interface | None
    router_asn: int | None
    peer_asn: int | None
    router_gateway: IPv4Address | None  # the router's private gateway, for endpoint routes
    peer_gateway: IPv4Address | None  # the peer's underlay next hop: its BCR, or its DL peer
    mtu: int | None
    tcp_mss: int | None
    advertise: tuple[IPv4Network, ...] | None  # explicit, from the plan; None: derived
    description: str | None
    origin: str  # "pinned", "locked", "allocated" or "" (no subnet)
    ipsec: IpsecParams | None = None
    router_public_gateway: IPv4Address | None = None
    zone: str | None = None  # the plan's security zone for the router end (vSRX)
    interface: PerVendor | None = None
    vlan: int | None = None
    ebgp_multihop: int | None = None  # Transit Gateway: the TTL IBM's troubleshooting suggests


@dataclass(frozen=True)
class LockChange:
    """One connection whose allocation the lock file would gain, lose or change."""

    connection: str
    what: str

    def __str__(self) -> str:
        return f"{self.connection}: {self.what}"


@dataclass(frozen=True)
class AddressPlan:
    """The planner's answer: addresses per link, the lock to keep, and findings."""

    plan: Plan
    connections: dict[str, PlannedLink]
    lock: Lock
    lock_changes: tuple[LockChange, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)


def split_cloud_connection(gre: IPv4Network) -> tuple[IPv4Address, IPv4Address, IPv4Interface]:
    """IBM's /29 rule: (PowerVS GRE source, PowerVS tunnel IP, router tunnel address /30)."""
    first_half, second_half = gre.subnets(new_prefix=gre.prefixlen + 1)
    source = first_half.network_address + 1
    powervs_tunnel = second_half.network_address + 1
    router_tunnel = IPv4Interface(f"{second_half.network_address + 2}/{second_half.prefixlen}")
    return source, powervs_tunnel, router_tunnel


def split_transit_gateway(gre: IPv4Network) -> tuple[IPv4Address, IPv4Interface]:
    """A /30: (TGW tunnel IP = first host, router tunnel address = second host /30)."""
    return gre.network_address + 1, IPv4Interface(f"{gre.network_address + 2}/{gre.prefixlen}")


def split_point_to_point(net: IPv4Network) -> tuple[IPv4Interface, IPv4Interface]:
    """A /30 between two devices: (router end = first host, peer end = second host)."""
    return (
        IPv4Interface(f"{net.network_address + 1}/{net.prefixlen}"),
        IPv4Interface(f"{net.network_address + 2}/{net.prefixlen}"),
    )


def plan_addresses(
    plan: Plan, lock: Lock | None = None, running: Mapping[str, InUse] | None = None
) -> AddressPlan:
    """Check every prefix and ASN, allocate what is not pinned or locked, derive addresses.

    `running` holds, per router, what its running configuration already uses that the plan
    does not own: those tunnel numbers and addresses are avoided, and a pin onto one is an
    error naming the line.
    """
    lock = lock or Lock()
    running = running or {}
    findings: list[Finding] = []
    findings += _device_findings(plan)
    findings += pair_findings(plan)
    findings += _asn_findings(plan)
    usable, ref_findings = _usable_links(plan)
    findings += ref_findings
    peer_asns, asn_findings = _peer_asns(plan, usable)
    findings += asn_findings

    uses = list(_prefix_uses(plan))
    uses += _running_uses(running)
    findings += _list_duplicates(plan)
    findings += _pin_findings(usable)
    subnets, origin, alloc_findings = _allocate_subnets(plan, usable, lock, uses)
    findings += alloc_findings
    # Allocated and locked subnets are found at the connection: the user wrote no `gre:`.
    uses += [
        PrefixUse(net, _subnet_use(usable[n]), n, ("connections", n))
        for n, net in subnets.items()
        if origin[n] != "pinned"  # pins are already in `uses`
    ]
    findings += reserved_findings(uses)
    findings += overlap_findings(uses)
    numbers, peer_numbers, number_findings = _allocate_numbers(plan, usable, lock, running)
    findings += number_findings

    links: dict[str, PlannedLink] = {}
    for name, conn in usable.items():
        needs_subnet = not (isinstance(conn, IpsecLink) and conn.mode == "policy")
        if (needs_subnet and name not in subnets) or name not in peer_asns:
            continue
        link, link_findings = _plan_link(
            plan,
            name,
            conn,
            subnets.get(name),
            numbers.get(name),
            peer_numbers.get(name),
            peer_asns[name],
            origin.get(name, ""),
        )
        findings += link_findings
        findings += _session_findings(link)
        links[name] = link

    new_lock = Lock(
        {
            name: LockEntry(
                conn.router,
                conn.via,
                subnets.get(name),
                numbers.get(name),
                peer_numbers.get(name),
                _peer_name(conn),
            )
            for name, conn in usable.items()
            if name in links and (name in subnets or name in numbers)
        }
    )
    changes = tuple(_lock_changes(lock, new_lock))
    return AddressPlan(plan, links, new_lock, changes, tuple(findings))


def _peer_name(conn: AnyConnection) -> str:
    if isinstance(conn, GreLink | IpsecLink):
        return conn.peer
    return conn.powervs


def _subnet_use(conn: AnyConnection) -> Use:
    return "vti" if conn.via == "ipsec" else "tunnel"


# --- devices, references and ASNs ----------------------------------------------------------


def _device_findings(plan: Plan) -> Iterable[Finding]:
    for name in sorted(set(plan.routers) & set(plan.sites)):
        yield Finding(
            ("sites", name),
            f"{name} is both a router and a site; a link could not tell which is meant: rename one",
            rule="VRC402",
        )
    for name, router in plan.routers.items():
        connected = [router.private.address.network]
        if router.public is not None:
            connected.append(router.public.address.network)
        for i, route in enumerate(router.routes):
            if not any(route.next_hop in net for net in connected):
                yield Finding(
                    ("routers", name, "routes", i, "next_hop"),
                    f"next hop {route.next_hop} is on none of {name}'s subnets "
                    f"({', '.join(str(n) for n in connected)}), so the route would never be "
                    "active; use a gateway on one of them (the private one is the BCR)",
                    rule="VRC906",
                )
    for name, site in plan.sites.items():
        dl = site.direct_link
        if dl is None:
            continue
        path: PlanPath = ("sites", name, "direct_link", "bgp_subnet")
        if dl.bgp_subnet.prefixlen not in (30, 31):
            yield Finding(
                path,
                f"{dl.bgp_subnet} is a /{dl.bgp_subnet.prefixlen}; a Direct Link BGP session "
                f"uses a /30 (or a /31) ({RULES['VRC120'].cite})",
                rule="VRC120",
            )
        tunnels = [
            n
            for n, c in plan.connections.items()
            if isinstance(c, GreLink | IpsecLink) and name in (c.router, c.peer)
        ]
        if tunnels and dl.bgp_subnet.subnet_of(ibm.DL_LINK_LOCAL):
            yield Finding(
                path,
                f"{dl.bgp_subnet} is in {ibm.DL_LINK_LOCAL}, but connection {tunnels[0]} runs "
                "a tunnel over this Direct Link, and IBM requires a BGP IP outside it for GRE "
                f"or IPsec ({ibm.DL_LINK_LOCAL_SOURCE}); order the Direct Link with a manual "
                "BGP subnet (e.g. from 172.16.0.0/12)",
                rule="VRC121",
            )


def _usable_links(plan: Plan) -> tuple[dict[str, AnyConnection], list[Finding]]:
    """Links whose references resolve to devices that can carry them, by name."""
    findings: list[Finding] = []
    usable: dict[str, AnyConnection] = {}
    devices = set(plan.routers) | set(plan.sites)
    for name, conn in sorted(plan.connections.items()):
        base: PlanPath = ("connections", name)
        ok = True
        classic_only = conn.via in ("cloud-connection", "transit-gateway", "gre", "ipsec")
        if conn.router not in devices:
            findings.append(_unknown(base, "router", conn.router, plan.routers, "routers"))
            ok = False
        elif classic_only and conn.router not in plan.routers:
            findings.append(
                Finding(
                    (*base, "router"),
                    f"{conn.router} is a site; a {conn.via} link starts on a router in IBM "
                    "Cloud classic (`routers`): swap `router` and `peer`, or move it",
                    rule="VRC403",
                )
            )
            ok = False
        if isinstance(conn, CloudConnection | TransitGatewayConnection | MegaportLink):
            if conn.powervs not in plan.powervs:
                findings.append(
                    _unknown(base, "powervs", conn.powervs, plan.powervs, "powervs", "workspace")
                )
                ok = False
        else:
            if conn.peer not in devices:
                known = sorted(devices)
                findings.append(
                    Finding(
                        (*base, "peer"),
                        f"{conn.peer} is not in `routers` or `sites` (known: "
                        f"{', '.join(known) or 'none'}); fix the name or add it",
                        rule="VRC401",
                    )
                )
                ok = False
            elif conn.peer == conn.router:
                findings.append(
                    Finding(
                        (*base, "peer"),
                        f"the peer is {conn.router} itself; a tunnel needs two ends",
                        rule="VRC404",
                    )
                )
                ok = False
            else:
                ok = _endpoint_findings(plan, name, conn, findings) and ok
        if isinstance(conn, IpsecLink):
            findings += _ipsec_findings(name, conn)
        if ok:
            usable[name] = conn
    return usable, findings


def _unknown(
    base: PlanPath,
    key: str,
    value: str,
    known: Iterable[str],
    section: str,
    what: str | None = None,
) -> Finding:
    names = ", ".join(sorted(known)) or "none"
    label = f"{what or key} {value}"
    if what == "workspace":
        label = f"PowerVS workspace {value}"
    return Finding(
        (*base, key),
        f"{label} is not in `{section}` (known: {names}); fix the name or add the {what or key}",
        rule="VRC401",
    )


def _endpoint_findings(
    plan: Plan, name: str, conn: GreLink | IpsecLink, out: list[Finding]
) -> bool:
    """Both ends of a GRE or IPsec link need an address to run it from."""
    base: PlanPath = ("connections", name)
    ok = True
    router = plan.routers.get(conn.router)
    if isinstance(conn, IpsecLink) and router is not None:
        if router.public is None:
            out.append(
                Finding(
                    (*base, "router"),
                    f"router {conn.router} has no `public` interface; IPsec to {conn.peer} "
                    "runs from its public address: add `public: {address: ..., gateway: ...}`",
                    rule="VRC405",
                )
            )
            ok = False
        peer_router = plan.routers.get(conn.peer)
        if peer_router is not None and peer_router.public is None:
            out.append(
                Finding(
                    (*base, "peer"),
                    f"router {conn.peer} has no `public` interface for IPsec; add one",
                    rule="VRC405",
                )
            )
            ok = False
    site = plan.sites.get(conn.peer)
    if site is not None and site.address is None:
        out.append(
            Finding(
                (*base, "peer"),
                f"site {conn.peer} has no `address`: the {conn.via} endpoint there; add it",
                rule="VRC405",
            )
        )
        ok = False
    return ok


def _ipsec_findings(name: str, conn: IpsecLink) -> Iterable[Finding]:
    base: PlanPath = ("connections", name)
    weak: list[tuple[PlanPath, str]] = []
    for part, proposal in (("ike", conn.ike), ("esp", conn.esp)):
        if proposal.encryption in _WEAK_ENCRYPTION:
            weak.append(((*base, part, "encryption"), proposal.encryption))
        if proposal.integrity in _WEAK_INTEGRITY:
            weak.append(((*base, part, "integrity"), str(proposal.integrity)))
    if conn.ike.dh_group in _WEAK_DH:
        weak.append(((*base, "ike", "dh_group"), f"DH group {conn.ike.dh_group}"))
    if conn.esp.pfs in _WEAK_DH:
        weak.append(((*base, "esp", "pfs"), f"DH group {conn.esp.pfs}"))
    if conn.legacy is None:
        for path, what in weak:
            yield Finding(
                path,
                f"{what} is too weak for a new tunnel (DES, 3DES, MD5 and DH groups 1, 2, 5 "
                "are refused); choose aes256gcm / sha256 / DH 20, or, for a peer that can do "
                "no better, add `legacy: {reason: ...}`",
                rule="VRC601",
            )
    elif not weak:
        yield Finding(
            (*base, "legacy"),
            "`legacy` is set but every algorithm is current; remove it",
            severity="warning",
            rule="VRC602",
        )
    if conn.psk.kind == "literal":
        yield Finding(
            (*base, "psk"),
            "the pre-shared key is written in the plan, where every reader of the repository "
            "sees it; use {env: VARIABLE} or {file: PATH}",
            severity="warning",
            rule="VRC603",
        )
    if conn.mode == "policy" and "routing" in conn.model_fields_set:
        yield Finding(
            (*base, "routing"),
            "policy-based IPsec routes by its prefix pairs; remove `routing` (or use mode: vti)",
            rule="VRC604",
        )
    if conn.mode == "policy" and conn.vti is not None:
        yield Finding((*base, "vti"), "policy-based IPsec has no VTI; remove `vti`", rule="VRC604")


def asn_problem(asn: int) -> str | None:
    """Why no router may use `asn`, or None."""
    if asn in ibm.INVALID_ASNS:
        return ibm.INVALID_ASNS[asn]
    for low, high in ibm.DOCUMENTATION_ASNS:
        if low <= asn <= high:
            return f"ASN {asn} is reserved for documentation (RFC 5398, {low}-{high})"
    return None


def is_private_asn(asn: int) -> bool:
    return any(low <= asn <= high for low, high in ibm.PRIVATE_ASNS)


def _asn_findings(plan: Plan) -> Iterable[Finding]:
    for name, router in plan.routers.items():
        path: PlanPath = ("routers", name, "asn")
        problem = asn_problem(router.asn)
        if problem:
            yield Finding(path, f"{problem}; choose a private ASN such as 64880", rule="VRC301")
            continue
        if excluded := _ibm_excluded(router.asn):
            yield Finding(path, excluded, rule="VRC302")
    for name, site in plan.sites.items():
        if site.asn is None:
            continue
        if problem := asn_problem(site.asn):
            yield Finding(("sites", name, "asn"), f"{problem}; choose another", rule="VRC301")
        elif excluded := _ibm_excluded(site.asn):
            # IBM drops paths holding these ASNs, and a site's ASN rides in every path it
            # sends towards IBM (transit-gateway:helpful-tips.md).
            yield Finding(("sites", name, "asn"), excluded, rule="VRC302")
    for name, ws in plan.powervs.items():
        if ws.asn is not None and (problem := asn_problem(ws.asn)):
            yield Finding(
                ("powervs", name, "asn"), f"{problem}; use the ASN IBM assigned", rule="VRC301"
            )
    for name, conn in plan.connections.items():
        if isinstance(conn, TransitGatewayConnection) and (
            problem := asn_problem(conn.transit_gateway.asn)
        ):
            yield Finding(
                ("connections", name, "transit_gateway", "asn"),
                f"{problem}; use the Local BGP ASN IBM shows for the GRE connection",
                rule="VRC301",
            )


def _ibm_excluded(asn: int) -> str | None:
    for low, high in ibm.IBM_EXCLUDED_ASNS:
        if low <= asn <= high:
            span = str(low) if low == high else f"{low}-{high}"
            return (
                f"ASN {asn} is on IBM's excluded list ({span}; {ibm.IBM_EXCLUDED_ASNS_SOURCE}); "
                "choose another, such as 64880"
            )
    return None


def _device_asn(plan: Plan, name: str) -> int | None:
    if name in plan.routers:
        return plan.routers[name].asn
    return plan.sites[name].asn


def _peer_asns(
    plan: Plan, usable: dict[str, AnyConnection]
) -> tuple[dict[str, int | None], list[Finding]]:
    """The BGP ASN at the far end of each link (PowerVS, Transit Gateway, device)."""
    out: dict[str, int | None] = {}
    findings: list[Finding] = []
    reported: set[str] = set()
    for name, conn in usable.items():
        if isinstance(conn, TransitGatewayConnection):
            out[name] = conn.transit_gateway.asn
        elif isinstance(conn, MegaportLink):
            ws = plan.powervs[conn.powervs]
            table = ibm.MEGAPORT_POWERVS_ASN_BY_LOCATION
            if conn.powervs_asn is not None:
                out[name] = conn.powervs_asn
            elif ws.location in table:
                out[name] = table[ws.location]
            else:
                findings.append(
                    Finding(
                        ("connections", name, "powervs"),
                        f"IBM publishes the PowerVS ASN on Megaport only for "
                        f"{', '.join(sorted(table))} ({ibm.MEGAPORT_ASN_SOURCE}); set "
                        "`powervs_asn:` to the ASN IBM gave you for this VXC",
                        rule="VRC304",
                    )
                )
        elif isinstance(conn, CloudConnection):
            ws = plan.powervs[conn.powervs]
            if ws.asn is not None:
                out[name] = ws.asn
            elif ws.location in ibm.POWERVS_ASN_BY_LOCATION:
                out[name] = ibm.POWERVS_ASN_BY_LOCATION[ws.location]
            elif conn.powervs not in reported:
                reported.add(conn.powervs)
                known = ", ".join(sorted(ibm.POWERVS_ASN_BY_LOCATION))
                findings.append(
                    Finding(
                        ("powervs", conn.powervs, "location"),
                        f"{ws.location} is not in IBM's table of PowerVS ASNs ({known}; "
                        f"{ibm.POWERVS_ASN_SOURCE}); set `asn:` to the ASN IBM gave you",
                        rule="VRC303",
                    )
                )
        else:
            out[name] = _device_asn(plan, conn.peer)
    # A link whose own ASN or peer's ASN is missing cannot run BGP.
    for name, conn in usable.items():
        if name not in out or conn.via == "megaport" or getattr(conn, "routing", "bgp") != "bgp":
            continue
        if isinstance(conn, IpsecLink) and conn.mode == "policy":
            continue
        for end in (conn.router, *([_peer_name(conn)] if conn.via in ("gre", "ipsec") else [])):
            if _device_asn(plan, end) is None:
                findings.append(
                    Finding(
                        ("sites", end, "asn"),
                        f"site {end} has no `asn`, but connection {name} runs BGP with it; "
                        "add its ASN or use `routing: static`",
                        rule="VRC305",
                    )
                )
                out.pop(name, None)
    return out, findings


# --- prefixes ------------------------------------------------------------------------------


def _prefix_uses(plan: Plan) -> Iterable[PrefixUse]:
    for name, router in plan.routers.items():
        for side in ("private", "public"):
            iface = getattr(router, side)
            if iface is not None:
                yield PrefixUse(
                    iface.address.network, "interface", name, ("routers", name, side, "address")
                )
        for i, prefix in enumerate(router.advertise):
            yield PrefixUse(prefix, "advertise", name, ("routers", name, "advertise", i))
    for name, site in plan.sites.items():
        for i, prefix in enumerate(site.networks):
            yield PrefixUse(prefix, "site", name, ("sites", name, "networks", i))
        if site.address is not None:
            yield PrefixUse(IPv4Network(site.address), "underlay", name, ("sites", name, "address"))
        if site.direct_link is not None:
            yield PrefixUse(
                site.direct_link.bgp_subnet,
                "interface",
                name,
                ("sites", name, "direct_link", "bgp_subnet"),
            )
    for i, prefix in enumerate(plan.classic_subnets):
        yield PrefixUse(prefix, "interface", "classic", ("classic_subnets", i))
    for name, ws in plan.powervs.items():
        for i, prefix in enumerate(ws.subnets):
            yield PrefixUse(prefix, "powervs", name, ("powervs", name, "subnets", i))
    for i, prefix in enumerate(plan.pools.tunnels):
        yield PrefixUse(prefix, "pool", "tunnels", ("pools", "tunnels", i))
    for i, prefix in enumerate(plan.pools.vti):
        yield PrefixUse(prefix, "vti_pool", "vti", ("pools", "vti", i))
    for name, conn in plan.connections.items():
        for i, prefix in enumerate(conn.advertise or ()):
            yield PrefixUse(prefix, "advertise", name, ("connections", name, "advertise", i))
        pin = getattr(conn, _SUBNET_FIELD[conn.via], None)
        if pin is not None:
            yield PrefixUse(
                pin, _subnet_use(conn), name, ("connections", name, _SUBNET_FIELD[conn.via])
            )
        if isinstance(conn, TransitGatewayConnection):
            yield PrefixUse(
                IPv4Network(conn.transit_gateway.gateway_ip),
                "underlay",
                name,
                ("connections", name, "transit_gateway", "gateway_ip"),
            )


def _list_duplicates(plan: Plan) -> Iterable[Finding]:
    lists: list[tuple[PlanPath, Iterable[IPv4Network]]] = [
        (("pools", "tunnels"), plan.pools.tunnels),
        (("pools", "vti"), plan.pools.vti),
        (("classic_subnets",), plan.classic_subnets),
    ]
    lists += [(("routers", n, "advertise"), r.advertise) for n, r in plan.routers.items()]
    lists += [(("sites", n, "networks"), s.networks) for n, s in plan.sites.items()]
    lists += [(("powervs", n, "subnets"), w.subnets) for n, w in plan.powervs.items()]
    lists += [
        (("connections", n, "advertise"), c.advertise or ()) for n, c in plan.connections.items()
    ]
    for base, prefixes in lists:
        yield from duplicate_findings((p, (*base, i)) for i, p in enumerate(prefixes))


_SIZE_RULE = {
    "cloud-connection": "IBM's cloud-connection GRE uses a /29 split in two /30 halves "
    f"({rules.PVS_CLOUD_CONNECTIONS.url})",
    "transit-gateway": "a Transit Gateway GRE puts both tunnel IPs in one /30 "
    f"({rules.TGW_CLI.url})",
    "gre": "a GRE tunnel between two routers uses a /30",
    "ipsec": "a VTI between two routers uses a /30",
    "megaport": "a Megaport VXC peering uses a /30",
}


def _pin_findings(usable: dict[str, AnyConnection]) -> Iterable[Finding]:
    for name, conn in usable.items():
        size = PREFIXLEN[conn.via]
        pin = getattr(conn, _SUBNET_FIELD[conn.via], None)
        if pin is not None and pin.prefixlen != size:
            key = _SUBNET_FIELD[conn.via]
            yield Finding(
                ("connections", name, key),
                f"{pin} is a /{pin.prefixlen}, but {_SIZE_RULE[conn.via]}; give a /{size} or "
                f"remove `{key}` to have one allocated",
                rule="VRC501",
            )


# --- allocation ----------------------------------------------------------------------------


def _allocate_subnets(
    plan: Plan, usable: dict[str, AnyConnection], lock: Lock, uses: list[PrefixUse]
) -> tuple[dict[str, IPv4Network], dict[str, str], list[Finding]]:
    """Subnets: pins first, then the lock, then first-fit from the pools, by name."""
    findings: list[Finding] = []
    out: dict[str, IPv4Network] = {}
    origin: dict[str, str] = {}
    in_use = [
        u.prefix
        for u in uses
        if u.use in ("powervs", "interface", "underlay", "tunnel", "vti", "site", "running")
    ]
    taken = Occupied(in_use)
    reserved = {"tunnel": _reserved_for("tunnel"), "vti": _reserved_for("vti")}
    forbidden = {role: Occupied(nets) for role, nets in reserved.items()}
    wanted = {
        name: conn
        for name, conn in usable.items()
        if not (isinstance(conn, IpsecLink) and conn.mode == "policy")
    }

    for name, conn in wanted.items():
        pin = getattr(conn, _SUBNET_FIELD[conn.via], None)
        if pin is not None and pin.prefixlen == PREFIXLEN[conn.via]:
            out[name] = pin
            origin[name] = "pinned"

    for name, conn in wanted.items():
        entry = lock.connections.get(name)
        if name in out or getattr(conn, _SUBNET_FIELD[conn.via], None) is not None:
            continue
        if entry is None or entry.subnet is None:
            continue
        role = "vti" if conn.via == "ipsec" else "tunnel"
        why = _lock_misfit(entry, conn, taken, forbidden[role])
        if why:
            findings.append(
                Finding(
                    ("connections", name),
                    f"locked subnet {entry.subnet} can no longer be kept ({why}); a new one is "
                    "allocated, so this link's addresses change on both ends",
                    severity="warning",
                    rule="VRC503",
                )
            )
            continue
        out[name] = entry.subnet
        origin[name] = "locked"
        taken.add(entry.subnet)
        in_use.append(entry.subnet)
        outside = _outside_pools(plan, conn, entry.subnet)
        if outside:
            findings.append(
                Finding(
                    ("connections", name),
                    f"locked subnet {entry.subnet} ({lock.where(name)}) is outside every pool "
                    f"of the plan ({outside}); it is kept, so the link does not move: if that "
                    "is on purpose, acknowledge it with `accept`, otherwise restore the lock "
                    "from git or pin the subnet",
                    severity="warning",
                    rule="VRC506",
                )
            )

    tunnels = _free(plan.pools.tunnels, in_use, reserved["tunnel"])
    # Without a VTI pool, VTIs come from the tunnel pool: one free list, one address space.
    pools = {
        "tunnels": tunnels,
        "vti": _free(plan.pools.vti, in_use, reserved["vti"]) if plan.pools.vti else tunnels,
    }
    for name, conn in wanted.items():
        if name in out or getattr(conn, _SUBNET_FIELD[conn.via], None) is not None:
            continue
        size = PREFIXLEN[conn.via]
        pool = "vti" if conn.via == "ipsec" else "tunnels"
        block = pools[pool].take(size)
        if block is None:
            configured = (
                plan.pools.vti or plan.pools.tunnels if pool == "vti" else plan.pools.tunnels
            )
            where = f"`pools.{pool}` is empty" if not configured else "the pool is full"
            findings.append(
                Finding(
                    ("connections", name),
                    f"no /{size} subnet to allocate: {where}; add a range to `pools.{pool}` or "
                    f"pin one with `{_SUBNET_FIELD[conn.via]}:`",
                    rule="VRC502",
                )
            )
            continue
        out[name] = block
        origin[name] = "allocated"
    return out, origin, findings


def _outside_pools(plan: Plan, conn: AnyConnection, subnet: IPv4Network) -> str | None:
    """The pools a locked subnet should have come from, when it lies in none of them.

    A lock edited by hand, or a pool that shrank, keeps a link on addresses no pool allows;
    the allocation stands (moving it would renumber both ends), but the reviewer is told.
    """
    key = "vti" if conn.via == "ipsec" and plan.pools.vti else "tunnels"
    pools = plan.pools.vti if key == "vti" else plan.pools.tunnels
    if any(subnet.subnet_of(pool) for pool in pools):
        return None
    shown = ", ".join(str(p) for p in pools) or "none"
    return f"pools.{key}: {shown}"


def _free(
    pool: Iterable[IPv4Network], in_use: list[IPv4Network], reserved: list[IPv4Network]
) -> FreeList:
    """A pool less what is in use and what IBM reserves, built once."""
    return FreeList(pool, [*in_use, *reserved])


def _reserved_for(role: ibm.Role) -> list[IPv4Network]:
    """Everything IBM forbids for a role's subnets: never allocated, never kept from a lock."""
    return [r.prefix for r in ibm.RESERVED_RANGES if role in r.applies_to and r.severity == "error"]


def _lock_misfit(
    entry: LockEntry, conn: AnyConnection, taken: Occupied, reserved: Occupied
) -> str | None:
    if entry.via != conn.via:
        return f"the connection changed from {entry.via} to {conn.via}"
    assert entry.subnet is not None
    if entry.subnet.prefixlen != PREFIXLEN[conn.via]:
        return f"a {conn.via} needs a /{PREFIXLEN[conn.via]}"
    if reserved.overlaps(entry.subnet):
        return "it is in a range IBM reserves"
    if taken.overlaps(entry.subnet):
        return "it now overlaps another prefix of the plan"
    return None


def _running_uses(running: Mapping[str, InUse]) -> list[PrefixUse]:
    out = []
    for router, found in sorted(running.items()):
        for text, line in found.addresses:
            try:
                net = IPv4Interface(text).network
            except ValueError:
                continue
            where = f"line {line} of {found.file} (the running configuration of {router})"
            out.append(PrefixUse(net, "running", f"running:{router}", ("running", router), where))
    return out


def _allocate_numbers(
    plan: Plan,
    usable: dict[str, AnyConnection],
    lock: Lock,
    running: Mapping[str, InUse] | None = None,
) -> tuple[dict[str, int], dict[str, int], list[Finding]]:
    """Tunnel numbers per device and family: pins, then the lock, then the lowest free."""
    findings: list[Finding] = []
    mine: dict[str, int] = {}
    theirs: dict[str, int] = {}
    used: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for router, found in (running or {}).items():
        for family, numbers in found.numbers.items():
            for number, line in numbers.items():
                used[(router, family)][number] = f"line {line} of {found.file}"

    def ends(name: str, conn: AnyConnection) -> list[tuple[str, str, int | None, int | None]]:
        """(which, device, pin, locked) for each end that has a tunnel interface."""
        family = FAMILY[conn.via]
        if family is None:
            return []  # policy-based IPsec gets numbers too: the vSRX binds it to st0
        entry = lock.connections.get(name)
        fresh = entry is not None and entry.via == conn.via
        out = [
            (
                "tunnel",
                conn.router,
                getattr(conn, "tunnel", None),
                entry.tunnel if fresh and entry and entry.router == conn.router else None,
            )
        ]
        if isinstance(conn, GreLink | IpsecLink):
            out.append(
                (
                    "peer_tunnel",
                    conn.peer,
                    conn.peer_tunnel,
                    entry.peer_tunnel if fresh and entry and entry.peer == conn.peer else None,
                )
            )
        return out

    for step in ("pin", "lock", "free"):
        for name, conn in usable.items():
            family = FAMILY[conn.via] or ""
            for which, device, pin, locked in ends(name, conn):
                target = mine if which == "tunnel" else theirs
                if name in target:
                    continue
                taken = used[(device, family)]
                if step == "pin" and pin is not None:
                    if pin in taken:
                        findings.append(
                            Finding(
                                ("connections", name, which),
                                f"{_family_word(family)} {pin} on {device} is already taken by "
                                f"{_holder(taken[pin])}; pin another number",
                                rule="VRC505",
                            )
                        )
                        continue
                    taken[pin] = name
                    target[name] = pin
                elif step == "lock" and pin is None and locked is not None:
                    if locked in taken:
                        continue  # a pin took it: allocate afresh (a lock change)
                    taken[locked] = name
                    target[name] = locked
                elif step == "free" and pin is None:
                    number = 0
                    while number in taken:
                        number += 1
                    taken[number] = name
                    target[name] = number
    return mine, theirs, findings


def _holder(name: str) -> str:
    return name if name.startswith("line ") else f"connection {name}"


def _family_word(family: str) -> str:
    return "VTI" if family == "vti" else "tunnel"


def _lock_changes(old: Lock, new: Lock) -> Iterable[LockChange]:
    for name in sorted(set(old.connections) | set(new.connections)):
        before, after = old.connections.get(name), new.connections.get(name)
        if before == after:
            continue
        if before is None and after is not None:
            yield LockChange(name, f"new allocation {after.describe()}")
        elif after is None and before is not None:
            yield LockChange(name, f"released {before.describe()}")
        elif before is not None and after is not None:
            yield LockChange(name, f"{before.describe()} -> {after.describe()}")


# --- per link ------------------------------------------------------------------------------


def _tcp_mss(
    name: str, mss: int | str, mtu: int, always: bool = False
) -> tuple[int | None, list[Finding]]:
    """The MSS to clamp to; `always` for tunnels whose far end may send more than the
    underlay carries (a Transit Gateway runs 9000 bytes whatever the classic VLAN takes)."""
    fits = mtu - ibm.TCP_IP_HEADER_BYTES
    if mss == "auto":
        return (fits if mtu < ibm.HOST_MTU or always else None), []
    if mss == "off":
        if always:
            return None, [
                Finding(
                    ("connections", name, "tcp_mss"),
                    "a Transit Gateway GRE tunnel always needs a TCP MSS clamp: the gateway's "
                    "side runs a 9000-byte MTU, larger than the classic underlay carries "
                    f"({rules.TGW_GRE_TROUBLESHOOTING.url}); write auto or a number of bytes",
                    rule="VRC905",
                )
            ]
        return None, []
    if int(mss) > fits:
        return int(mss), [
            Finding(
                ("connections", name, "tcp_mss"),
                f"TCP MSS {mss} does not fit the tunnel MTU {mtu} (at most {fits}); lower it "
                "or write auto",
                rule="VRC510",
            )
        ]
    return int(mss), []


def _underlay_mtu(plan: Plan, conn: AnyConnection) -> tuple[int, str]:
    """The smallest underlay MTU a GRE link's outer packets cross, and whose it is."""
    ends = [conn.router]
    if isinstance(conn, GreLink):
        ends.append(conn.peer)
    found = []
    for name in ends:
        device = plan.routers.get(name) or plan.sites.get(name)
        if device is not None:
            found.append((device.underlay_mtu, name))
    return min(found) if found else (ibm.HOST_MTU, conn.router)


def _tunnel_mtu(
    plan: Plan,
    name: str,
    conn: CloudConnection | TransitGatewayConnection | GreLink | IpsecLink,
) -> tuple[int, list[Finding]]:
    """The tunnel MTU: the plan's, or the kind's default capped to what the underlay carries.

    A GRE packet is the inner packet plus 24 bytes; one larger than the underlay's MTU is
    fragmented or, with DF set, dropped, and the tunnel carries BGP but loses large packets.
    """
    default = ibm.DEFAULT_MTU[conn.via]
    if isinstance(conn, IpsecLink):
        return (conn.mtu if conn.mtu is not None else default), []
    underlay, owner = _underlay_mtu(plan, conn)
    fits = underlay - ibm.GRE_OVERHEAD_BYTES
    if conn.mtu is None:
        return min(default, fits), []
    if conn.mtu > fits:
        return conn.mtu, [
            Finding(
                ("connections", name, "mtu"),
                f"a GRE tunnel MTU of {conn.mtu} needs an underlay of {conn.mtu + 24} bytes, "
                f"but {owner}'s underlay_mtu is {underlay} (GRE adds 24 bytes, "
                f"{ibm.GRE_SOURCE}); lower mtu to {fits} or less, or set {owner}'s "
                "underlay_mtu if its network carries jumbo frames",
                rule="VRC904",
            )
        ]
    return conn.mtu, []


def _plan_link(
    plan: Plan,
    name: str,
    conn: AnyConnection,
    subnet: IPv4Network | None,
    tunnel: int | None,
    peer_tunnel: int | None,
    peer_asn: int | None,
    origin: str,
) -> tuple[PlannedLink, list[Finding]]:
    findings: list[Finding] = []
    router = plan.routers.get(conn.router)
    local_ip = router.private.address.ip if router else None
    router_gateway = router.private.gateway if router else None
    remote_ip: IPv4Address | None = None
    router_address: IPv4Interface | None = None
    peer_address: IPv4Interface | None = None
    peer_gateway: IPv4Address | None = None
    peer_kind = "powervs"
    powervs: str | None = None
    routing = getattr(conn, "routing", "bgp")
    mtu: int | None = None
    tcp_mss: int | None = None
    ipsec: IpsecParams | None = None
    interface: PerVendor | None = None
    vlan: int | None = None

    if isinstance(conn, CloudConnection):
        assert subnet is not None
        powervs = conn.powervs
        remote_ip, pv_tunnel, router_address = split_cloud_connection(subnet)
        peer_address = IPv4Interface(f"{pv_tunnel}/{router_address.network.prefixlen}")
    elif isinstance(conn, TransitGatewayConnection):
        assert subnet is not None
        powervs = conn.powervs
        remote_ip = conn.transit_gateway.gateway_ip
        tgw_tunnel, router_address = split_transit_gateway(subnet)
        peer_address = IPv4Interface(f"{tgw_tunnel}/{subnet.prefixlen}")
    elif isinstance(conn, MegaportLink):
        assert subnet is not None
        powervs = conn.powervs
        router_address, peer_address = split_point_to_point(subnet)
        local_ip = router_gateway = None
        interface, vlan = conn.interface, conn.vlan
    else:
        peer_kind = "router" if conn.peer in plan.routers else "site"
        peer_router = plan.routers.get(conn.peer)
        peer_site = plan.sites.get(conn.peer)
        if subnet is not None:
            router_address, peer_address = split_point_to_point(subnet)
        if isinstance(conn, GreLink):
            remote_ip = (
                peer_router.private.address.ip if peer_router else peer_site.address  # type: ignore[union-attr]
            )
            if peer_router is not None:
                peer_gateway = peer_router.private.gateway
            elif peer_site is not None and peer_site.direct_link is not None:
                # The site reaches the router's GRE endpoint over its Direct Link: IBM's end
                # of the BGP /30 is its first host. A host route there keeps the endpoint off
                # the tunnel whatever the tunnel advertises.
                peer_gateway = next(peer_site.direct_link.bgp_subnet.hosts())
        else:
            assert router is not None and router.public is not None
            local_ip = router.public.address.ip
            router_gateway = None
            if peer_router is not None:
                assert peer_router.public is not None
                remote_ip = peer_router.public.address.ip
            else:
                remote_ip = peer_site.address  # type: ignore[union-attr]
            ipsec = IpsecParams(conn.mode, conn.ike, conn.esp, conn.psk)
            if conn.mode == "policy":
                routing = "policy"

    if isinstance(conn, CloudConnection | TransitGatewayConnection | GreLink | IpsecLink) and not (
        isinstance(conn, IpsecLink) and conn.mode == "policy"
    ):
        mtu, mtu_findings = _tunnel_mtu(plan, name, conn)
        findings += mtu_findings
        always = isinstance(conn, TransitGatewayConnection)
        tcp_mss, mss_findings = _tcp_mss(name, conn.tcp_mss, mtu, always)
        findings += mss_findings

    link = PlannedLink(
        name=name,
        via=conn.via,
        router=conn.router,
        peer=_peer_name(conn),
        peer_kind=peer_kind,
        powervs=powervs,
        routing=routing,
        subnet=subnet,
        tunnel=tunnel,
        peer_tunnel=peer_tunnel,
        local_ip=local_ip,
        remote_ip=remote_ip,
        router_address=router_address,
        peer_address=peer_address,
        router_asn=_device_asn(plan, conn.router),
        peer_asn=peer_asn,
        router_gateway=router_gateway,
        peer_gateway=peer_gateway,
        mtu=mtu,
        tcp_mss=tcp_mss,
        advertise=tuple(sorted(set(conn.advertise))) if conn.advertise is not None else None,
        description=conn.description,
        origin=origin,
        ipsec=ipsec,
        interface=interface,
        vlan=vlan,
        router_public_gateway=router.public.gateway if router and router.public else None,
        zone=conn.zone,
        ebgp_multihop=conn.ebgp_multihop if isinstance(conn, TransitGatewayConnection) else None,
    )
    return link, findings


def _session_findings(link: PlannedLink) -> Iterable[Finding]:
    base: PlanPath = ("connections", link.name)
    if link.remote_ip is not None and link.remote_ip == link.local_ip:
        yield Finding(
            base,
            f"the tunnel's far endpoint {link.remote_ip} is the router's own address; check "
            "the addresses of both ends",
            rule="VRC406",
        )
    if link.routing == "bgp":
        if link.router_asn is not None and link.router_asn == link.peer_asn:
            yield Finding(
                (*base, "router"),
                f"{link.router} and its peer both use ASN {link.router_asn}, but this session "
                "is eBGP; give one of them another ASN",
                rule="VRC306",
            )
    elif link.routing == "static" and link.via in ("cloud-connection", "transit-gateway"):
        if link.via == "cloud-connection":
            peer, source = "PowerVS", rules.PVS_CLOUD_CONNECTIONS.url
        else:
            peer, source = "the Transit Gateway", rules.TGW_GRE_TROUBLESHOOTING.url
        yield Finding(
            (*base, "routing"),
            f"with static routing {peer} learns no route back to this router's networks, and "
            f"IBM runs BGP on every such GRE tunnel ({source}); remove `routing: static` "
            "(bgp is the default)",
            rule="VRC307",
        )
