"""Hand out what the plan does not pin: subnets from the pools, tunnel numbers per device.

Pins first, then the lock (so nothing moves between runs), then first fit, by name. What the
running configuration already uses (`InUse`) and what IBM reserves is never handed out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from ipaddress import IPv4Interface, IPv4Network

from vra_config.plan.findings import Finding
from vra_config.plan.model import AnyConnection, GreLink, IpsecLink, Plan
from vra_config.planner import ibm
from vra_config.planner.lock import Lock, LockEntry
from vra_config.planner.prefixes import PrefixUse
from vra_config.planner.records import FAMILY, PREFIXLEN, SUBNET_FIELD, InUse, LockChange
from vra_config.planner.space import FreeList, Occupied


# --- allocation ----------------------------------------------------------------------------
def allocate_subnets(
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
        pin = getattr(conn, SUBNET_FIELD[conn.via], None)
        if pin is not None and pin.prefixlen == PREFIXLEN[conn.via]:
            out[name] = pin
            origin[name] = "pinned"

    for name, conn in wanted.items():
        entry = lock.connections.get(name)
        if name in out or getattr(conn, SUBNET_FIELD[conn.via], None) is not None:
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
        if name in out or getattr(conn, SUBNET_FIELD[conn.via], None) is not None:
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
                    f"pin one with `{SUBNET_FIELD[conn.via]}:`",
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


def allocate_numbers(
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


def lock_changes(old: Lock, new: Lock) -> Iterable[LockChange]:
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
