"""Hand out what the plan does not pin: subnets from the pools, tunnel numbers per device.

Pins first, then the lock (so nothing moves between runs), then first fit, by name. What the
running configuration already uses (`InUse`) and what IBM reserves is never handed out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Interface, IPv4Network
from typing import Literal

from vra_config.plan.findings import Finding
from vra_config.plan.model import AnyConnection, GreLink, IpsecLink, Plan
from vra_config.planner import ibm
from vra_config.planner.kinds import kind_of
from vra_config.planner.lock import Lock, LockEntry
from vra_config.planner.prefixes import PrefixUse
from vra_config.planner.records import InUse, LockChange
from vra_config.planner.space import FreeList, Occupied


# --- subnets -------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Subnets:
    """Each link's subnet, where it came from, and what was found on the way.

    The steps of `allocate_subnets` fill the two maps in turn; once it returns, nothing
    changes them.
    """

    subnets: dict[str, IPv4Network] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # "pinned", "locked", "allocated"
    findings: list[Finding] = field(default_factory=list)


def allocate_subnets(
    plan: Plan, usable: dict[str, AnyConnection], lock: Lock, uses: list[PrefixUse]
) -> Subnets:
    """Subnets: pins first, then the lock, then first-fit from the pools, by name."""
    in_use = [
        u.prefix
        for u in uses
        if u.use in ("powervs", "interface", "underlay", "tunnel", "vti", "site", "running")
    ]
    reserved = {"tunnel": _reserved_for("tunnel"), "vti": _reserved_for("vti")}
    wanted = {
        name: conn
        for name, conn in usable.items()
        if not (isinstance(conn, IpsecLink) and conn.mode == "policy")
    }
    out = Subnets()
    for name, conn in wanted.items():
        kind = kind_of(conn)
        pin = getattr(conn, kind.subnet_key, None)
        if pin is not None and pin.prefixlen == kind.subnet_prefixlen:
            out.subnets[name] = pin
            out.origin[name] = "pinned"
    unpinned = {n: c for n, c in wanted.items() if getattr(c, kind_of(c).subnet_key, None) is None}
    _keep_locked(plan, unpinned, lock, in_use, reserved, out)
    _first_fit(plan, unpinned, in_use, reserved, out)
    return out


def _keep_locked(
    plan: Plan,
    unpinned: dict[str, AnyConnection],
    lock: Lock,
    in_use: list[IPv4Network],
    reserved: dict[str, list[IPv4Network]],
    out: Subnets,
) -> None:
    """Keep each locked subnet that still fits; what it keeps joins `in_use`."""
    taken = Occupied(in_use)
    forbidden = {role: Occupied(nets) for role, nets in reserved.items()}
    for name, conn in unpinned.items():
        entry = lock.connections.get(name)
        if name in out.subnets or entry is None or entry.subnet is None:
            continue
        why = _lock_misfit(entry, conn, taken, forbidden[kind_of(conn).subnet_use])
        if why:
            out.findings.append(
                Finding(
                    ("connections", name),
                    f"locked subnet {entry.subnet} can no longer be kept ({why}); a new one is "
                    "allocated, so this link's addresses change on both ends",
                    severity="warning",
                    rule="VRC503",
                )
            )
            continue
        out.subnets[name] = entry.subnet
        out.origin[name] = "locked"
        taken.add(entry.subnet)
        in_use.append(entry.subnet)
        outside = _outside_pools(plan, conn, entry.subnet)
        if outside:
            out.findings.append(
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


def _first_fit(
    plan: Plan,
    unpinned: dict[str, AnyConnection],
    in_use: list[IPv4Network],
    reserved: dict[str, list[IPv4Network]],
    out: Subnets,
) -> None:
    """The first free block of the kind's size in the kind's pool, by name."""
    tunnels = _free(plan.pools.tunnels, in_use, reserved["tunnel"])
    # Without a VTI pool, VTIs come from the tunnel pool: one free list, one address space.
    pools = {
        "tunnels": tunnels,
        "vti": _free(plan.pools.vti, in_use, reserved["vti"]) if plan.pools.vti else tunnels,
    }
    for name, conn in unpinned.items():
        if name in out.subnets:
            continue
        kind = kind_of(conn)
        size, pool = kind.subnet_prefixlen, kind.pool
        block = pools[pool].take(size)
        if block is None:
            configured = (
                plan.pools.vti or plan.pools.tunnels if pool == "vti" else plan.pools.tunnels
            )
            where = f"`pools.{pool}` is empty" if not configured else "the pool is full"
            out.findings.append(
                Finding(
                    ("connections", name),
                    f"no /{size} subnet to allocate: {where}; add a range to `pools.{pool}` or "
                    f"pin one with `{kind.subnet_key}:`",
                    rule="VRC502",
                )
            )
            continue
        out.subnets[name] = block
        out.origin[name] = "allocated"


def _outside_pools(plan: Plan, conn: AnyConnection, subnet: IPv4Network) -> str | None:
    """The pools a locked subnet should have come from, when it lies in none of them.

    A lock edited by hand, or a pool that shrank, keeps a link on addresses no pool allows;
    the allocation stands (moving it would renumber both ends), but the reviewer is told.
    """
    key = "vti" if kind_of(conn).pool == "vti" and plan.pools.vti else "tunnels"
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
    size = kind_of(conn).subnet_prefixlen
    if entry.subnet.prefixlen != size:
        return f"a {conn.via} needs a /{size}"
    if reserved.overlaps(entry.subnet):
        return "it is in a range IBM reserves"
    if taken.overlaps(entry.subnet):
        return "it now overlaps another prefix of the plan"
    return None


def running_uses(running: Mapping[str, InUse]) -> list[PrefixUse]:
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


@dataclass(frozen=True, kw_only=True)
class Numbers:
    """Tunnel numbers by connection, at the router end and at the peer device's end."""

    router: dict[str, int] = field(default_factory=dict)
    peer: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class _TunnelEnd:
    """One end of a link that has a tunnel interface, with what would fix its number."""

    which: Literal["tunnel", "peer_tunnel"]  # the plan's key, and which map it fills
    device: str
    pin: int | None
    locked: int | None


def allocate_numbers(
    plan: Plan,
    usable: dict[str, AnyConnection],
    lock: Lock,
    running: Mapping[str, InUse] | None = None,
) -> Numbers:
    """Tunnel numbers per device and family: pins, then the lock, then the lowest free.

    Each step runs over every link before the next starts, so a pin wins over a lock entry
    and a lock entry over a free number, whatever the order of the links.
    """
    out = Numbers()
    used: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for router, found in (running or {}).items():
        for family, numbers in found.numbers.items():
            for number, line in numbers.items():
                used[(router, family)][number] = f"line {line} of {found.file}"
    for step in ("pin", "lock", "free"):
        for name, conn in usable.items():
            family = kind_of(conn).interface_family or ""
            for end in _tunnel_ends(name, conn, lock):
                target = out.router if end.which == "tunnel" else out.peer
                if name in target:
                    continue
                taken = used[(end.device, family)]
                chosen = _choose(step, end, taken)
                if chosen is None:
                    continue
                if step == "pin" and chosen in taken:
                    out.findings.append(
                        Finding(
                            ("connections", name, end.which),
                            f"{_family_word(family)} {chosen} on {end.device} is already taken "
                            f"by {_holder(taken[chosen])}; pin another number",
                            rule="VRC505",
                        )
                    )
                    continue
                taken[chosen] = name
                target[name] = chosen
    return out


def _choose(step: str, end: _TunnelEnd, taken: Mapping[int, str]) -> int | None:
    """The number a step offers an end, or None when the step has none for it. A pin is
    offered even when taken (that is a finding); a locked number a pin took is not (the end
    is numbered afresh: a lock change)."""
    if step == "pin":
        return end.pin
    if end.pin is not None:
        return None
    if step == "lock":
        return end.locked if end.locked is not None and end.locked not in taken else None
    number = 0
    while number in taken:
        number += 1
    return number


def _tunnel_ends(name: str, conn: AnyConnection, lock: Lock) -> list[_TunnelEnd]:
    """Each end that has a tunnel interface: the router's, and a peer device's."""
    if kind_of(conn).interface_family is None:
        return []  # policy-based IPsec gets numbers too: the vSRX binds it to st0
    entry = lock.connections.get(name)
    fresh = entry if entry is not None and entry.via == conn.via else None
    out = [
        _TunnelEnd(
            which="tunnel",
            device=conn.router,
            pin=getattr(conn, "tunnel", None),
            locked=fresh.tunnel if fresh and fresh.router == conn.router else None,
        )
    ]
    if isinstance(conn, GreLink | IpsecLink):
        out.append(
            _TunnelEnd(
                which="peer_tunnel",
                device=conn.peer,
                pin=conn.peer_tunnel,
                locked=fresh.peer_tunnel if fresh and fresh.peer == conn.peer else None,
            )
        )
    return out


def _holder(name: str) -> str:
    return name if name.startswith("line ") else f"connection {name}"


def _family_word(family: str) -> str:
    return "VTI" if family == "vti" else "tunnel"


def lock_changes(old: Lock, new: Lock) -> Iterable[LockChange]:
    for name in sorted(set(old.connections) | set(new.connections)):
        before, after = old.connections.get(name), new.connections.get(name)
        if before == after:
            continue
        if before is None and after is not None:
            yield LockChange(connection=name, what=f"new allocation {after.describe()}")
        elif after is None and before is not None:
            yield LockChange(connection=name, what=f"released {before.describe()}")
        elif before is not None and after is not None:
            yield LockChange(connection=name, what=f"{before.describe()} -> {after.describe()}")
