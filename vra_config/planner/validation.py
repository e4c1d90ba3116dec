"""What makes a plan unusable or unwise, found before and after allocation.

Devices and references that do not resolve, endpoints without an address, weak IPsec
proposals, ASNs IBM refuses, prefix lists with duplicates, pins of the wrong size, and BGP
sessions that cannot come up. Each check yields findings; `usable_links` and `peer_asns`
also hand allocation the links (and far-end ASNs) it can build on.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network

from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.model import (
    AnyConnection,
    CloudConnection,
    GreLink,
    IpsecLink,
    MegaportLink,
    Plan,
    TransitGatewayConnection,
)
from vra_config.plan.rules import RULES
from vra_config.planner import ibm
from vra_config.planner.kinds import kind_of
from vra_config.planner.prefixes import PrefixUse, duplicate_findings
from vra_config.planner.records import PlannedLink, device_asn, peer_name

_WEAK_ENCRYPTION = {"3des"}


_WEAK_INTEGRITY = {"md5"}


_WEAK_DH = {2, 5}


# --- devices, references and ASNs ----------------------------------------------------------
def device_findings(plan: Plan) -> Iterable[Finding]:
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
                f"or IPsec ({RULES['VRC121'].cite}); order the Direct Link with a manual "
                "BGP subnet (e.g. from 172.16.0.0/12)",
                rule="VRC121",
            )


def usable_links(plan: Plan) -> tuple[dict[str, AnyConnection], list[Finding]]:
    """Links whose references resolve to devices that can carry them, by name."""
    findings: list[Finding] = []
    usable: dict[str, AnyConnection] = {}
    devices = set(plan.routers) | set(plan.sites)
    for name, conn in sorted(plan.connections.items()):
        base: PlanPath = ("connections", name)
        ok = True
        classic_only = kind_of(conn).starts_on_classic
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
                    "runs from its public address: add `public: {address: ..., gateway: ...}`"
                    + (
                        " with reth1.0's address (`show interfaces reth1.0`), where a chassis "
                        "cluster's IKE binds"
                        if router.cluster is not None
                        else ""
                    ),
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


def asn_findings(plan: Plan) -> Iterable[Finding]:
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
        tgw_asn = conn.transit_gateway.asn if isinstance(conn, TransitGatewayConnection) else None
        if tgw_asn is not None and (problem := asn_problem(tgw_asn)):
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
                f"ASN {asn} is on IBM's excluded list ({span}; {RULES['VRC302'].cite}); "
                "choose another, such as 64880"
            )
    return None


def peer_asns(
    plan: Plan, usable: dict[str, AnyConnection]
) -> tuple[dict[str, int | None], list[Finding]]:
    """The BGP ASN at the far end of each link (PowerVS, Transit Gateway, device); a link
    whose far ASN is unknown, or that runs BGP with a site without one, has no entry."""
    out, findings = _far_asns(plan, usable)
    findings += _sessions_without_asn(plan, usable, out)
    return out, findings


def _far_asns(
    plan: Plan, usable: dict[str, AnyConnection]
) -> tuple[dict[str, int | None], list[Finding]]:
    """Where each kind of far end takes its ASN from: the plan, or IBM's tables."""
    out: dict[str, int | None] = {}
    findings: list[Finding] = []
    reported: set[str] = set()  # one VRC303 per workspace, however many links reach it
    for name, conn in usable.items():
        if isinstance(conn, TransitGatewayConnection):
            out[name] = conn.transit_gateway.asn
        elif isinstance(conn, MegaportLink):
            table = ibm.MEGAPORT_POWERVS_ASN_BY_LOCATION
            location = plan.powervs[conn.powervs].location
            asn = conn.powervs_asn if conn.powervs_asn is not None else table.get(location)
            if asn is not None:
                out[name] = asn
            else:
                findings.append(
                    Finding(
                        ("connections", name, "powervs"),
                        f"IBM publishes the PowerVS ASN on Megaport only for "
                        f"{', '.join(sorted(table))} ({RULES['VRC304'].cite}); set "
                        "`powervs_asn:` to the ASN IBM gave you for this VXC",
                        rule="VRC304",
                    )
                )
        elif isinstance(conn, CloudConnection):
            ws = plan.powervs[conn.powervs]
            asn = ws.asn if ws.asn is not None else ibm.POWERVS_ASN_BY_LOCATION.get(ws.location)
            if asn is not None:
                out[name] = asn
            elif conn.powervs not in reported:
                reported.add(conn.powervs)
                known = ", ".join(sorted(ibm.POWERVS_ASN_BY_LOCATION))
                findings.append(
                    Finding(
                        ("powervs", conn.powervs, "location"),
                        f"{ws.location} is not in IBM's table of PowerVS ASNs ({known}; "
                        f"{RULES['VRC303'].cite}); set `asn:` to the ASN IBM gave you",
                        rule="VRC303",
                    )
                )
        else:
            out[name] = device_asn(plan, conn.peer)
    return out, findings


def _sessions_without_asn(
    plan: Plan, usable: dict[str, AnyConnection], out: dict[str, int | None]
) -> list[Finding]:
    """A link whose own ASN or peer's ASN is missing cannot run BGP: VRC305, and the link
    leaves `out` so that nothing is planned on it."""
    findings: list[Finding] = []
    for name, conn in usable.items():
        if name not in out or getattr(conn, "routing", "bgp") != "bgp":
            continue
        if isinstance(conn, IpsecLink) and conn.mode == "policy":
            continue
        far_device = kind_of(conn).far_end == "device"
        for end in (conn.router, *([peer_name(conn)] if far_device else [])):
            if device_asn(plan, end) is None:
                # A Megaport VXC is always BGP with the PowerVS router (IBM's support case
                # asks for the customer ASN): there is no static alternative to offer.
                fix = (
                    "add its ASN (IBM's support case for the VXC asks for it)"
                    if isinstance(conn, MegaportLink)
                    else "add its ASN or use `routing: static`"
                )
                findings.append(
                    Finding(
                        ("sites", end, "asn"),
                        f"site {end} has no `asn`, but connection {name} runs BGP with it; " + fix,
                        rule="VRC305",
                    )
                )
                out.pop(name, None)
    return findings


# --- prefixes ------------------------------------------------------------------------------
def prefix_uses(plan: Plan) -> Iterable[PrefixUse]:
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
        kind = kind_of(conn)
        pin = getattr(conn, kind.subnet_key, None)
        if pin is not None:
            yield PrefixUse(pin, kind.subnet_use, name, ("connections", name, kind.subnet_key))
        if isinstance(conn, TransitGatewayConnection):
            yield PrefixUse(
                IPv4Network(conn.transit_gateway.gateway_ip),
                "underlay",
                name,
                ("connections", name, "transit_gateway", "gateway_ip"),
            )


def list_duplicates(plan: Plan) -> Iterable[Finding]:
    lists: list[tuple[PlanPath, Iterable[IPv4Network]]] = [
        (("pools", "tunnels"), plan.pools.tunnels),
        (("pools", "vti"), plan.pools.vti),
        (("classic_subnets",), plan.classic_subnets),
    ]
    lists += [(("routers", n, "advertise"), r.advertise) for n, r in plan.routers.items()]
    lists += [(("sites", n, "networks"), s.networks) for n, s in plan.sites.items()]
    lists += [(("routers", n, "connected"), r.connected) for n, r in plan.routers.items()]
    lists += [(("sites", n, "connected"), s.connected) for n, s in plan.sites.items()]
    lists += [(("powervs", n, "subnets"), w.subnets) for n, w in plan.powervs.items()]
    lists += [
        (("connections", n, "advertise"), c.advertise or ()) for n, c in plan.connections.items()
    ]
    for base, prefixes in lists:
        yield from duplicate_findings((p, (*base, i)) for i, p in enumerate(prefixes))


def pin_findings(usable: dict[str, AnyConnection]) -> Iterable[Finding]:
    for name, conn in usable.items():
        kind = kind_of(conn)
        size, key = kind.subnet_prefixlen, kind.subnet_key
        pin = getattr(conn, key, None)
        if pin is not None and pin.prefixlen != size:
            yield Finding(
                ("connections", name, key),
                f"{pin} is a /{pin.prefixlen}, but {kind.size_rule}; give a /{size} or "
                f"remove `{key}` to have one allocated",
                rule="VRC501",
            )


def session_findings(link: PlannedLink) -> Iterable[Finding]:
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
    elif link.routing == "static" and (refused := link.kind.static_refused) is not None:
        yield Finding(
            (*base, "routing"),
            f"with static routing {refused.peer} learns no route back to this router's "
            f"networks, and IBM runs BGP on every such GRE tunnel ({refused.source}); remove "
            "`routing: static` (bgp is the default)",
            rule="VRC307",
        )
