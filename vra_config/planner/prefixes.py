"""Checks over every prefix of a plan: IBM's reserved ranges and overlaps between uses.

Pure functions over `PrefixUse`s (a prefix, what it is used for, who owns it, where the plan
says it). CIDR blocks either nest or are disjoint, so one sort plus a stack of enclosing
blocks finds every overlap in O(n log n); identical blocks of one use are grouped so that a
thousand connections advertising the same prefix cost no more than one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Literal

from vra_config.plan.findings import Finding, PlanPath, format_path
from vra_config.plan.rules import RULES
from vra_config.planner import ibm
from vra_config.planner.space import bounds

#: What a prefix is in the plan. `interface` is a classic subnet (a router's own, or one
#: listed in `classic_subnets`) or a Direct Link peering; `pool` a range subnets are carved
#: from; `site` a network behind a site; `vti` the inner subnet of an IPsec VTI; the rest as
#: in `ibm.Role`.
Use = Literal[
    "powervs",
    "advertise",
    "tunnel",
    "pool",
    "vti_pool",
    "interface",
    "underlay",
    "site",
    "vti",
    "running",
]

_IBM_ROLE: dict[Use, ibm.Role | None] = {
    "powervs": "powervs",
    "advertise": "advertise",
    "tunnel": "tunnel",
    "pool": "tunnel",
    "vti_pool": "vti",
    "interface": None,
    "underlay": "underlay",
    "site": "advertise",
    "vti": "vti",
    "running": None,
}

_WHAT: dict[Use, str] = {
    "powervs": "PowerVS subnet",
    "advertise": "advertised prefix",
    "tunnel": "tunnel subnet",
    "pool": "pool",
    "vti_pool": "VTI pool",
    "interface": "classic subnet",
    "underlay": "tunnel endpoint",
    "site": "site network",
    "vti": "VTI subnet",
    "running": "the router's subnet",
}


@dataclass(frozen=True)
class PrefixUse:
    """One prefix in one place of the plan."""

    prefix: IPv4Network
    use: Use
    owner: str
    path: PlanPath
    #: where it is when it is not in the plan (a line of a router's running configuration)
    where: str | None = None


#: IBM's ranges as integer bounds, per role: a plan checks every prefix against each.
_RANGES: dict[ibm.Role, list[tuple[int, int, ibm.ReservedRange]]] = {}
for _rng in ibm.RESERVED_RANGES:
    for _role in _rng.applies_to:
        _RANGES.setdefault(_role, []).append(
            (int(_rng.prefix.network_address), int(_rng.prefix.broadcast_address), _rng)
        )


def reserved_findings(uses: Iterable[PrefixUse]) -> Iterator[Finding]:
    """Every use that falls in (or, for most uses, covers) a range IBM reserves for it."""
    for item in uses:
        role = _IBM_ROLE[item.use]
        if role is None:
            continue
        first, last = bounds(item.prefix)
        hits: list[Finding] = []
        for low, high, rng in _RANGES.get(role, ()):
            inside = low <= first and last <= high
            # An advertised summary may cover a reserved range (10.0.0.0/8 towards PowerVS is
            # the normal design); only a prefix inside one is refused.
            covers = role != "advertise" and first <= low and high <= last
            if not (inside or covers):
                continue
            relation = "is inside" if inside else "covers"
            hits.append(
                Finding(
                    item.path,
                    f"{_shown(item)} {relation} {rng.prefix}, {rng.what} "
                    f"({RULES[rng.rule].cite}); {rng.hint}",
                    severity=rng.severity,
                    rule=rng.rule,
                )
            )
        # A warning (10.0.0.0/8) says nothing more once an error (10.200.0.0/14) has spoken.
        if any(h.is_error for h in hits):
            hits = [h for h in hits if h.is_error]
        yield from hits


def _shown(item: PrefixUse) -> str:
    """An endpoint address reads as an address, not as a /32."""
    if item.use == "underlay":
        return str(item.prefix.network_address)
    return str(item.prefix)


def _conflicts(inner: PrefixUse, outer: PrefixUse) -> bool:
    """Whether `inner` (inside or equal to `outer`) may not share address space with it."""
    a, b = inner.use, outer.use
    if b == "advertise":
        return False  # a summary or default advertised towards PowerVS may cover anything
    if a == "advertise":
        return b in ("powervs", "pool", "vti_pool", "tunnel", "underlay", "vti")
    if a in ("tunnel", "vti") and b in ("pool", "vti_pool"):
        return False  # carved from the pool: that is what a pool is for
    if a in ("pool", "vti_pool") and b in ("tunnel", "vti") and inner.prefix == outer.prefix:
        return False  # the one allocation that fills its pool exactly (a /29 pool, one link)
    if "running" in (a, b):
        # what the router already uses is avoided by the pools, and may be the router's own
        # interface; only a plan subnet placed on it is a conflict
        other = b if a == "running" else a
        return other in ("powervs", "tunnel", "vti", "underlay", "site")
    if a == "underlay" and b == "site":
        return False  # a site's own address may sit in one of its networks
    if a == "interface" and b == "interface":
        # Two routers on one classic VLAN share a subnet; one router's two interfaces may not.
        return inner.owner == outer.owner
    return True


def _may_conflict(a: Use, b: Use) -> bool:
    """Role-level shortcut: False where no two uses of these kinds ever conflict."""
    return not (b == "advertise" or (a == "advertise" and b in ("advertise", "interface", "site")))


def overlap_findings(uses: Iterable[PrefixUse]) -> Iterator[Finding]:
    """Every pair of uses whose address space may not overlap but does, in O(n log n)."""
    ordered = sorted(
        uses,
        key=lambda u: (int(u.prefix.network_address), u.prefix.prefixlen, u.use, u.path),
    )
    # The stack holds groups of identical (prefix, use), each enclosing everything above it.
    stack: list[tuple[IPv4Network, Use, list[PrefixUse], int]] = []
    for item in ordered:
        first, last = bounds(item.prefix)
        while stack and stack[-1][3] < first:
            stack.pop()
        for net, use, group, _ in stack:
            if not _may_conflict(item.use, use):
                continue
            other = next(
                (
                    g
                    for g in group
                    if _conflicts(item, g) or (net == item.prefix and _conflicts(g, item))
                ),
                None,
            )
            if other is not None:
                yield _overlap(item, other)
        if stack and stack[-1][0] == item.prefix and stack[-1][1] == item.use:
            stack[-1][2].append(item)
        else:
            stack.append((item.prefix, item.use, [item], last))


def _overlap(item: PrefixUse, other: PrefixUse) -> Finding:
    if item.where and not other.where:
        item, other = other, item  # report it at the plan's side, naming the router's line
    if item.prefix == other.prefix:
        relation = "is the same as"
    elif item.prefix.subnet_of(other.prefix):
        relation = "is inside"
    else:
        relation = "covers"
    return Finding(
        item.path,
        f"{_WHAT[item.use]} {_shown(item)} {relation} {_WHAT[other.use]} {_shown(other)} at "
        f"{other.where or format_path(other.path)}; give each its own address space",
        rule="VRC201",
    )


def duplicate_findings(items: Iterable[tuple[IPv4Network, PlanPath]]) -> Iterator[Finding]:
    """The same prefix listed twice in one list."""
    seen: dict[IPv4Network, PlanPath] = {}
    for prefix, path in items:
        if prefix in seen:
            yield Finding(
                path,
                f"{prefix} is listed twice (also at {format_path(seen[prefix])}); remove one",
                rule="VRC202",
            )
        else:
            seen[prefix] = path
