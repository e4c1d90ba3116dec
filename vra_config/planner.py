"""The address planner: from a plan and its lock to every address each router needs.

Pure functions: a `Plan` and a `Lock` in, an `AddressPlan` (per-connection addresses, the new
lock, findings) out. No I/O, no global state, so the property tests can drive it directly.

The IBM rules it applies (ibm-facts §1, §5):
- cloud connection: a /29 split in halves; PowerVS GRE source = first host of the first half;
  PowerVS tunnel IP = first host of the second half; router tunnel IP = second host of the
  second half, configured as a /30 so the source stays outside the overlay; a /32 route to
  the source via the router's private gateway.
- Transit Gateway: a /30 holding the TGW tunnel IP (first host) and the router's (second).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

import netaddr

from vra_config import ibm
from vra_config.findings import Finding, PlanPath
from vra_config.lock import Lock, LockEntry
from vra_config.model import Connection, Plan
from vra_config.prefixes import (
    PrefixUse,
    duplicate_findings,
    overlap_findings,
    reserved_findings,
)

GRE_PREFIXLEN = {
    "cloud-connection": ibm.CLOUD_CONNECTION_GRE_PREFIXLEN,
    "transit-gateway": ibm.TRANSIT_GATEWAY_GRE_PREFIXLEN,
}


@dataclass(frozen=True)
class PlannedConnection:
    """Every address and number one GRE connection needs, both ends derived from one subnet."""

    name: str
    router: str
    powervs: str
    via: str
    routing: str
    gre: IPv4Network
    tunnel: int
    local_ip: IPv4Address
    remote_ip: IPv4Address
    router_tunnel: IPv4Interface
    peer_tunnel: IPv4Address
    router_asn: int
    peer_asn: int
    private_gateway: IPv4Address
    mtu: int
    tcp_mss: int | None
    advertise: tuple[IPv4Network, ...]
    accept: tuple[IPv4Network, ...]
    description: str | None
    origin: str  # "pinned", "locked" or "allocated"


@dataclass(frozen=True)
class LockChange:
    """One connection whose allocation the lock file would gain, lose or change."""

    connection: str
    what: str

    def __str__(self) -> str:
        return f"{self.connection}: {self.what}"


@dataclass(frozen=True)
class AddressPlan:
    """The planner's answer: addresses per connection, the lock to keep, and findings."""

    plan: Plan
    connections: dict[str, PlannedConnection]
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


def plan_addresses(plan: Plan, lock: Lock | None = None) -> AddressPlan:
    """Check every prefix and ASN, allocate what is not pinned or locked, derive addresses."""
    lock = lock or Lock()
    findings: list[Finding] = []
    findings += _reference_findings(plan)
    findings += _asn_findings(plan)
    peer_asns, asn_findings = _peer_asns(plan)
    findings += asn_findings

    uses = list(_prefix_uses(plan))
    findings += _list_duplicates(plan)
    findings += reserved_findings(uses)

    wanted = {
        name: conn
        for name, conn in sorted(plan.connections.items())
        if conn.router in plan.routers and conn.powervs in plan.powervs
    }
    pins = _pin_findings(wanted)
    findings += pins
    gre, tunnels, alloc_findings, origin = _allocate(plan, wanted, lock, uses)
    findings += alloc_findings
    uses += [
        PrefixUse(net, "tunnel", name, ("connections", name, "gre"))
        for name, net in gre.items()
        if origin[name] != "pinned"  # pins are already in `uses`
    ]
    findings += overlap_findings(uses)

    connections: dict[str, PlannedConnection] = {}
    for name, conn in wanted.items():
        if name not in gre or name not in tunnels or name not in peer_asns:
            continue
        planned, conn_findings = _plan_connection(
            plan, name, conn, gre[name], tunnels[name], peer_asns[name], origin[name]
        )
        findings += conn_findings
        findings += _session_findings(planned)
        connections[name] = planned

    new_lock = Lock(
        {
            name: LockEntry(conn.router, conn.via, gre[name], tunnels[name])
            for name, conn in wanted.items()
            if name in gre and name in tunnels
        }
    )
    changes = tuple(_lock_changes(lock, new_lock))
    return AddressPlan(plan, connections, new_lock, changes, tuple(findings))


# --- references and ASNs ---------------------------------------------------------------


def _reference_findings(plan: Plan) -> Iterable[Finding]:
    for name, conn in plan.connections.items():
        if conn.router not in plan.routers:
            known = ", ".join(sorted(plan.routers)) or "none"
            yield Finding(
                ("connections", name, "router"),
                f"router {conn.router} is not in `routers` (known: {known}); fix the name or "
                "add the router",
            )
        if conn.powervs not in plan.powervs:
            known = ", ".join(sorted(plan.powervs)) or "none"
            yield Finding(
                ("connections", name, "powervs"),
                f"PowerVS workspace {conn.powervs} is not in `powervs` (known: {known}); fix "
                "the name or add the workspace",
            )


def asn_problem(asn: int) -> str | None:
    """Why no router may use `asn`, or None."""
    if asn in ibm.INVALID_ASNS:
        return ibm.INVALID_ASNS[asn]
    for low, high in ibm.DOCUMENTATION_ASNS:
        if low <= asn <= high:
            return f"ASN {asn} is reserved for documentation (RFC 5398, {low}-{high})"
    return None


def _asn_findings(plan: Plan) -> Iterable[Finding]:
    for name, router in plan.routers.items():
        path: PlanPath = ("routers", name, "asn")
        problem = asn_problem(router.asn)
        if problem:
            yield Finding(path, f"{problem}; choose a private ASN such as 64880")
            continue
        for low, high in ibm.IBM_EXCLUDED_ASNS:
            if low <= router.asn <= high:
                span = str(low) if low == high else f"{low}-{high}"
                yield Finding(
                    path,
                    f"ASN {router.asn} is on IBM's excluded list ({span}; "
                    f"{ibm.IBM_EXCLUDED_ASNS_SOURCE}); choose another, such as 64880",
                )
    for name, ws in plan.powervs.items():
        if ws.asn is not None and (problem := asn_problem(ws.asn)):
            yield Finding(("powervs", name, "asn"), f"{problem}; use the ASN IBM assigned")
    for name, conn in plan.connections.items():
        tgw = conn.transit_gateway
        if tgw is not None and (problem := asn_problem(tgw.asn)):
            yield Finding(
                ("connections", name, "transit_gateway", "asn"),
                f"{problem}; use the Local BGP ASN IBM shows for the GRE connection",
            )


def _peer_asns(plan: Plan) -> tuple[dict[str, int], list[Finding]]:
    """The BGP ASN at the far end of each connection (PowerVS router or Transit Gateway)."""
    out: dict[str, int] = {}
    findings: list[Finding] = []
    reported: set[str] = set()
    for name, conn in plan.connections.items():
        if conn.transit_gateway is not None:
            out[name] = conn.transit_gateway.asn
            continue
        ws = plan.powervs.get(conn.powervs)
        if ws is None:
            continue
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
                )
            )
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
    for name, ws in plan.powervs.items():
        for i, prefix in enumerate(ws.subnets):
            yield PrefixUse(prefix, "powervs", name, ("powervs", name, "subnets", i))
    for i, prefix in enumerate(plan.pools.tunnels):
        yield PrefixUse(prefix, "pool", "pools", ("pools", "tunnels", i))
    for name, conn in plan.connections.items():
        for i, prefix in enumerate(conn.advertise or ()):
            yield PrefixUse(prefix, "advertise", name, ("connections", name, "advertise", i))
        if conn.gre is not None:
            yield PrefixUse(conn.gre, "tunnel", name, ("connections", name, "gre"))
        if conn.transit_gateway is not None:
            yield PrefixUse(
                IPv4Network(conn.transit_gateway.gateway_ip),
                "underlay",
                name,
                ("connections", name, "transit_gateway", "gateway_ip"),
            )


def _list_duplicates(plan: Plan) -> Iterable[Finding]:
    lists: list[tuple[PlanPath, Iterable[IPv4Network]]] = [
        (("pools", "tunnels"), plan.pools.tunnels)
    ]
    lists += [(("routers", n, "advertise"), r.advertise) for n, r in plan.routers.items()]
    lists += [(("powervs", n, "subnets"), w.subnets) for n, w in plan.powervs.items()]
    lists += [
        (("connections", n, "advertise"), c.advertise or ()) for n, c in plan.connections.items()
    ]
    for base, prefixes in lists:
        yield from duplicate_findings((p, (*base, i)) for i, p in enumerate(prefixes))


def _pin_findings(wanted: dict[str, Connection]) -> Iterable[Finding]:
    for name, conn in wanted.items():
        size = GRE_PREFIXLEN[conn.via]
        if conn.gre is not None and conn.gre.prefixlen != size:
            rule = (
                "IBM's cloud-connection GRE uses a /29 split in two /30 halves"
                if conn.via == "cloud-connection"
                else "a Transit Gateway GRE puts both tunnel IPs in one /30"
            )
            yield Finding(
                ("connections", name, "gre"),
                f"{conn.gre} is a /{conn.gre.prefixlen}, but {rule} (ibm-facts §1, §5); give a "
                f"/{size} or remove `gre` to have one allocated",
            )


# --- allocation ----------------------------------------------------------------------------


def _allocate(
    plan: Plan, wanted: dict[str, Connection], lock: Lock, uses: list[PrefixUse]
) -> tuple[dict[str, IPv4Network], dict[str, int], list[Finding], dict[str, str]]:
    """GRE subnets and tunnel numbers: pins first, then the lock, then first-fit, by name."""
    findings: list[Finding] = []
    gre: dict[str, IPv4Network] = {}
    origin: dict[str, str] = {}
    taken = netaddr.IPSet()
    for u in uses:
        if u.use in ("powervs", "interface", "underlay", "tunnel"):
            taken.add(netaddr.IPNetwork(str(u.prefix)))
    reserved = _reserved_for_tunnels()

    # 1. pins (their overlaps with each other and the plan are overlap findings)
    for name, conn in wanted.items():
        if conn.gre is not None and conn.gre.prefixlen == GRE_PREFIXLEN[conn.via]:
            gre[name] = conn.gre
            origin[name] = "pinned"

    # 2. the lock, where it still fits
    for name, conn in wanted.items():
        entry = lock.connections.get(name)
        if name in gre or conn.gre is not None or entry is None:
            continue
        why = _lock_misfit(entry, conn, taken, reserved)
        if why:
            findings.append(
                Finding(
                    ("connections", name),
                    f"locked GRE subnet {entry.gre} can no longer be kept ({why}); a new one is "
                    "allocated, so this tunnel's addresses change on both ends",
                    severity="warning",
                )
            )
            continue
        gre[name] = entry.gre
        origin[name] = "locked"
        taken.add(netaddr.IPNetwork(str(entry.gre)))

    # 3. first-fit from the pools, skipping everything in use and everything IBM reserves
    free = netaddr.IPSet(netaddr.IPNetwork(str(p)) for p in plan.pools.tunnels)
    free -= taken
    free -= reserved
    for name, conn in wanted.items():
        if name in gre or conn.gre is not None:
            continue
        size = GRE_PREFIXLEN[conn.via]
        block = _first_fit(free, size)
        if block is None:
            where = (
                "`pools.tunnels` is empty"
                if not plan.pools.tunnels
                else "the tunnel pools are full"
            )
            findings.append(
                Finding(
                    ("connections", name),
                    f"no /{size} GRE subnet to allocate: {where}; add a range to `pools.tunnels` "
                    "or pin one with `gre:`",
                )
            )
            continue
        gre[name] = IPv4Network(str(block))
        origin[name] = "allocated"

    tunnels, tunnel_findings = _allocate_tunnels(wanted, lock)
    findings += tunnel_findings
    return gre, tunnels, findings, origin


def _reserved_for_tunnels() -> netaddr.IPSet:
    """Everything IBM forbids for tunnel subnets: never allocated, never kept from a lock."""
    return netaddr.IPSet(
        netaddr.IPNetwork(str(r.prefix))
        for r in ibm.RESERVED_RANGES
        if "tunnel" in r.applies_to and r.severity == "error"
    )


def _lock_misfit(
    entry: LockEntry, conn: Connection, taken: netaddr.IPSet, reserved: netaddr.IPSet
) -> str | None:
    if entry.via != conn.via:
        return f"the connection changed from {entry.via} to {conn.via}"
    if entry.gre.prefixlen != GRE_PREFIXLEN[conn.via]:
        return f"a {conn.via} needs a /{GRE_PREFIXLEN[conn.via]}"
    net = netaddr.IPSet([netaddr.IPNetwork(str(entry.gre))])
    if not reserved.isdisjoint(net):
        return "it is in a range IBM reserves"
    if not taken.isdisjoint(net):
        return "it now overlaps another prefix of the plan"
    return None


def _first_fit(free: netaddr.IPSet, prefixlen: int) -> netaddr.IPNetwork | None:
    """The lowest free aligned block of `prefixlen`; removed from `free`."""
    for cidr in free.iter_cidrs():
        if cidr.prefixlen <= prefixlen:
            block = next(cidr.subnet(prefixlen, count=1))
            free.remove(block)
            return block
    return None


def _allocate_tunnels(
    wanted: dict[str, Connection], lock: Lock
) -> tuple[dict[str, int], list[Finding]]:
    """Tunnel numbers per router: pins, then the lock, then the lowest free number."""
    findings: list[Finding] = []
    out: dict[str, int] = {}
    used: dict[str, dict[int, str]] = defaultdict(dict)
    for name, conn in wanted.items():
        if conn.tunnel is None:
            continue
        other = used[conn.router].get(conn.tunnel)
        if other is not None:
            findings.append(
                Finding(
                    ("connections", name, "tunnel"),
                    f"tunnel {conn.tunnel} on router {conn.router} is already pinned by "
                    f"connection {other}; pin another number",
                )
            )
            continue
        used[conn.router][conn.tunnel] = name
        out[name] = conn.tunnel
    for name, conn in wanted.items():
        entry = lock.connections.get(name)
        if name in out or conn.tunnel is not None or entry is None or entry.router != conn.router:
            continue
        other = used[conn.router].get(entry.tunnel)
        if other is not None:
            findings.append(
                Finding(
                    ("connections", other, "tunnel"),
                    f"tunnel {entry.tunnel} on router {conn.router} is locked for connection "
                    f"{name}, which already uses it; pin another number",
                )
            )
            continue
        used[conn.router][entry.tunnel] = name
        out[name] = entry.tunnel
    for name, conn in wanted.items():
        if name in out or conn.tunnel is not None:
            continue
        number = 0
        while number in used[conn.router]:
            number += 1
        used[conn.router][number] = name
        out[name] = number
    return out, findings


def _lock_changes(old: Lock, new: Lock) -> Iterable[LockChange]:
    for name in sorted(set(old.connections) | set(new.connections)):
        before, after = old.connections.get(name), new.connections.get(name)
        if before == after:
            continue
        if before is None and after is not None:
            yield LockChange(name, f"new allocation {after.gre}, tunnel {after.tunnel}")
        elif after is None and before is not None:
            yield LockChange(name, f"released {before.gre}, tunnel {before.tunnel}")
        elif before is not None and after is not None:
            yield LockChange(
                name,
                f"{before.gre} tunnel {before.tunnel} (router {before.router}) -> "
                f"{after.gre} tunnel {after.tunnel} (router {after.router})",
            )


# --- per connection ------------------------------------------------------------------------


def _plan_connection(
    plan: Plan,
    name: str,
    conn: Connection,
    gre: IPv4Network,
    tunnel: int,
    peer_asn: int,
    origin: str,
) -> tuple[PlannedConnection, list[Finding]]:
    findings: list[Finding] = []
    router = plan.routers[conn.router]
    ws = plan.powervs[conn.powervs]
    if conn.via == "cloud-connection":
        remote_ip, peer_tunnel, router_tunnel = split_cloud_connection(gre)
    else:
        assert conn.transit_gateway is not None  # the model guarantees it
        remote_ip = conn.transit_gateway.gateway_ip
        peer_tunnel, router_tunnel = split_transit_gateway(gre)
    mtu = conn.mtu if conn.mtu is not None else ibm.DEFAULT_MTU[conn.via]
    fits = mtu - ibm.TCP_IP_HEADER_BYTES
    if conn.tcp_mss == "auto":
        tcp_mss: int | None = fits if mtu < ibm.HOST_MTU else None
    elif conn.tcp_mss == "off":
        tcp_mss = None
    else:
        tcp_mss = int(conn.tcp_mss)
        if tcp_mss > fits:
            findings.append(
                Finding(
                    ("connections", name, "tcp_mss"),
                    f"TCP MSS {tcp_mss} does not fit the tunnel MTU {mtu} (at most {fits}); "
                    f"lower it or write auto",
                )
            )
    advertise = conn.advertise if conn.advertise is not None else router.advertise
    planned = PlannedConnection(
        name=name,
        router=conn.router,
        powervs=conn.powervs,
        via=conn.via,
        routing=conn.routing,
        gre=gre,
        tunnel=tunnel,
        local_ip=router.private.address.ip,
        remote_ip=remote_ip,
        router_tunnel=router_tunnel,
        peer_tunnel=peer_tunnel,
        router_asn=router.asn,
        peer_asn=peer_asn,
        private_gateway=router.private.gateway,
        mtu=mtu,
        tcp_mss=tcp_mss,
        advertise=tuple(sorted(set(advertise))),
        accept=tuple(sorted(set(ws.subnets))),
        description=conn.description,
        origin=origin,
    )
    return planned, findings


def _session_findings(pc: PlannedConnection) -> Iterable[Finding]:
    base: PlanPath = ("connections", pc.name)
    if pc.remote_ip == pc.local_ip:
        yield Finding(
            (*base, "transit_gateway", "gateway_ip"),
            f"the GRE endpoint {pc.remote_ip} is the router's own address; use the Transit "
            "Gateway's Local gateway IP",
        )
    if pc.routing == "bgp":
        if pc.router_asn == pc.peer_asn:
            yield Finding(
                (*base, "router"),
                f"router {pc.router} and its peer both use ASN {pc.router_asn}, but this session "
                "is eBGP; give the router another ASN",
            )
        if not pc.advertise:
            yield Finding(
                (*base, "advertise"),
                "nothing is advertised to PowerVS over this tunnel, so PowerVS cannot reach "
                "anything behind the router; list prefixes under `advertise` (here or on the "
                "router)",
                severity="warning",
            )
    else:
        peer = "PowerVS" if pc.via == "cloud-connection" else "the Transit Gateway"
        yield Finding(
            (*base, "routing"),
            f"with static routing this router advertises nothing and {peer} learns no route "
            "back; IBM runs BGP over this GRE (ibm-facts §1, §5), so make sure the far end "
            "has static routes, or use bgp",
            severity="warning",
        )
