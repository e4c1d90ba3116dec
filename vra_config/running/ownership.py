"""What in a router's running configuration is the plan's, and what is not.

An object is the plan's when vra-config created it: recognised by the names and descriptions
the packs emit, tied to a connection the plan has now, or to one whose objects carry those
names (two marks, so a description of yours that merely looks like ours is never enough).
Which paths are objects, and how each is tied to a connection, is the vendor's data
(`vendors/<vendor>.py`: `ROOTS`, `OWNED`, `object_names`), in the spirit of annet's
rulebooks; the descriptions are read by `vendors/descriptions.py`, which writes them too.
Each kind of tie (`common.How`) is implemented once here, for every vendor.
`delta` deletes only what is owned; `in_use` tells the planner what is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vra_config.running.config import Statement, Words
from vra_config.vendors import facts
from vra_config.vendors.common import Owned, Pattern, VendorFacts
from vra_config.vendors.descriptions import connection_in


def matches(words: Words, pattern: Pattern) -> bool:
    return len(words) >= len(pattern) and all(
        p is None or p == w for p, w in zip(pattern, words, strict=False)
    )


def roots_of(words: Words, vendor: str) -> list[Words]:
    """The objects a statement belongs to, outermost first."""
    roots = facts(vendor).ROOTS
    found = {words[:depth] for pattern, depth in roots if matches(words, pattern)}
    return sorted(found, key=len)


def _described(statements: Iterable[Statement]) -> dict[Words, str]:
    """Objects whose description the packs wrote, with the connection it names."""
    out: dict[Words, str] = {}
    for s in statements:
        if "description" not in s.words:
            continue
        at = s.words.index("description")
        if at + 1 >= len(s.words):
            continue
        connection = connection_in(s.words[at + 1])
        if connection is not None:
            out[s.words[:at]] = connection
    return out


def _unit(root: Words) -> str | None:
    """`interfaces IFD unit N` as the unit's name, IFD.N (the "unit" tie)."""
    if len(root) == 4 and root[0] == "interfaces" and root[2] == "unit":
        return f"{root[1]}.{root[3]}"
    return None


@dataclass(frozen=True, kw_only=True)
class Ownership:
    """What in a running configuration the plan owns."""

    vendor: str
    connections: frozenset[str]
    described: dict[Words, str]
    units: frozenset[str]  # interface units owned (gr-0/0/0.0, st0.1, ge-0/0/2.101)
    destinations: frozenset[str]  # GRE endpoints of owned units (their /32 routes)
    names: Mapping[str, frozenset[str]]  # role -> object names of the owned connections
    route_hops: Mapping[Words, frozenset[str]]  # static route -> its next hops

    def owns(self, root: Words) -> bool:
        if root in self.described:
            return self.described[root] in self.connections
        rules = facts(self.vendor).OWNED
        return any(self._tied(root, rule) for rule in rules if _applies(rule, root))

    def _tied(self, root: Words, rule: Owned) -> bool:
        """Whether `root` is the plan's by one tie of the vendor's `OWNED`."""
        word = root[rule.at] if -len(root) <= rule.at < len(root) else ""
        if rule.how == "name":
            roles = self.names if rule.roles is None else rule.roles
            return any(word in self.names.get(role, frozenset()) for role in roles)
        if rule.how == "unit":
            return _unit(root) in self.units
        if rule.how == "zone":
            return word in self.units
        if rule.how == "joined":
            return any(part in self.connections for part in word.split(rule.separator))
        if rule.how == "address":
            return rule.pattern is not None and bool(rule.pattern.fullmatch(word))
        # "route": to an owned GRE unit's far end, or through an owned unit
        hops = self.route_hops.get(root, frozenset())
        return word.removesuffix("/32") in self.destinations or bool(hops & self.units)


def _applies(rule: Owned, root: Words) -> bool:
    return root[: len(rule.root)] == rule.root and (rule.length in (None, len(root)))


def ownership(
    running: Sequence[Statement], vendor: str, plan_connections: Iterable[str]
) -> Ownership:
    """The plan's connections, and any removed one whose objects are still on the router."""
    vendor_facts = facts(vendor)
    described = _described(running)
    present = {s.words[i] for s in running for i in range(len(s.words))}
    candidates = set(described.values())
    confirmed = {c for c in candidates if set(vendor_facts.object_names(c).values()) & present}
    connections = frozenset(set(plan_connections) | confirmed)
    units, destinations, hops = _units_and_routes(running, vendor_facts, described, connections)
    names: dict[str, set[str]] = {}
    for c in connections:
        for role, name in vendor_facts.object_names(c).items():
            names.setdefault(role, set()).add(name)
    return Ownership(
        vendor=vendor,
        connections=connections,
        described=described,
        units=frozenset(units),
        destinations=frozenset(destinations),
        names={role: frozenset(n) for role, n in names.items()},
        route_hops={root: frozenset(h) for root, h in hops.items()},
    )


def _units_and_routes(
    running: Sequence[Statement],
    vendor_facts: VendorFacts,
    described: Mapping[Words, str],
    connections: frozenset[str],
) -> tuple[set[str], set[str], dict[Words, set[str]]]:
    """For vendors whose ties include units and routes (Junos): the units the owned
    connections' descriptions mark, their GRE destinations, and each static route's hops."""
    units: set[str] = set()
    destinations: set[str] = set()
    hops: dict[Words, set[str]] = {}
    if not any(rule.how in ("unit", "zone", "route") for rule in vendor_facts.OWNED):
        return units, destinations, hops
    for s in running:
        if s.words[:3] == ("routing-options", "static", "route") and len(s.words) > 5:
            hops.setdefault(s.words[:4], set()).add(s.words[5])
    for root, conn in described.items():
        unit = _unit(root)
        if conn in connections and unit is not None:
            units.add(unit)
            for s in running:
                if s.words[:6] == (*root, "tunnel", "destination"):
                    destinations.add(s.words[6])
    return units, destinations, hops
