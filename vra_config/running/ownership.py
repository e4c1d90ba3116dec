"""What in a router's running configuration is the plan's, and what is not.

An object is the plan's when vra-config created it: recognised by the names and descriptions
the packs emit, tied to a connection the plan has now, or to one whose objects carry those
names (two marks, so a description of yours that merely looks like ours is never enough).
Which paths are objects is vendor data below (in the spirit of annet's rulebooks), not code.
`delta` deletes only what is owned; `in_use` tells the planner what is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vra_config.running.config import Statement, Words

# Object roots: a pattern of words (None: any word) and how many words name the object.
# Deeper patterns are objects inside objects (a prefix-list rule inside its prefix list).
ROOTS: dict[str, tuple[tuple[tuple[str | None, ...], int], ...]] = {
    "vyatta": (
        (("interfaces", "tunnel", None), 3),
        (("interfaces", "vti", None), 3),
        (("interfaces", None, None, "vif", None), 5),
        (("policy", "route", "prefix-list", None), 4),
        (("policy", "route", "prefix-list", None, "rule", None), 6),
        (("policy", "route", "route-map", None), 4),
        (("policy", "route", "route-map", None, "rule", None), 6),
        (("protocols", "static", "route", None), 4),
        (("protocols", "static", "interface-route", None), 4),
        (("protocols", "bgp", None, "neighbor", None), 5),
        (("security", "vpn", "ipsec", "ike-group", None), 5),
        (("security", "vpn", "ipsec", "esp-group", None), 5),
        (("security", "vpn", "ipsec", "site-to-site", "peer", None), 6),
        (("security", "vpn", "ipsec", "site-to-site", "peer", None, "tunnel", None), 8),
        (("security", "firewall", "name", None), 4),
        (("security", "firewall", "name", None, "rule", None), 6),
    ),
    "vsrx": (
        (("interfaces", None, "unit", None), 4),
        (("security", "ike", None, None), 4),
        (("security", "ipsec", None, None), 4),
        (("security", "ipsec", "vpn", None, "traffic-selector", None), 6),
        (("security", "policies", "from-zone", None, "to-zone", None, "policy", None), 8),
        (("security", "address-book", "global", "address", None), 5),
        (("security", "zones", "security-zone", None, "interfaces", None), 6),
        (("firewall", "filter", None, "term", None), 5),
        (("firewall", "filter", None), 3),
        (("policy-options", "prefix-list", None), 3),
        (("policy-options", "policy-statement", None), 3),
        (("protocols", "bgp", "group", None), 4),
        (("routing-options", "static", "route", None), 4),
    ),
}

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#: Descriptions the packs write, and the connection each names.
_DESCRIPTIONS = (
    re.compile(rf"^PowerVS {_NAME} via (?:cloud connection|Transit Gateway) (?P<c>{_NAME})$"),
    re.compile(rf"^(?:GRE|IPsec) (?P<c>{_NAME}) to {_NAME}$"),
    re.compile(rf"^(?P<c>{_NAME}): "),
)


def matches(words: Words, pattern: tuple[str | None, ...]) -> bool:
    return len(words) >= len(pattern) and all(
        p is None or p == w for p, w in zip(pattern, words, strict=False)
    )


def roots_of(words: Words, vendor: str) -> list[Words]:
    """The objects a statement belongs to, outermost first."""
    found = {words[:depth] for pattern, depth in ROOTS[vendor] if matches(words, pattern)}
    return sorted(found, key=len)


def _described(statements: Iterable[Statement], vendor: str) -> dict[Words, str]:
    """Objects whose description the packs wrote, with the connection it names."""
    out: dict[Words, str] = {}
    for s in statements:
        if "description" not in s.words:
            continue
        at = s.words.index("description")
        if at + 1 >= len(s.words):
            continue
        for pattern in _DESCRIPTIONS:
            match = pattern.match(s.words[at + 1])
            if match:
                out[s.words[:at]] = match.group("c")
                break
    return out


def _names_for(connection: str, vendor: str) -> set[str]:
    """Object names the packs derive from a connection name."""
    if vendor == "vyatta":
        return {
            f"PL-{connection}-IN",
            f"PL-{connection}-OUT",
            f"RM-{connection}-IN",
            f"RM-{connection}-OUT",
            f"IKE-{connection}",
            f"ESP-{connection}",
            f"FW-{connection}-IN",
        }
    return {
        connection,
        f"IMPORT-{connection}",
        f"EXPORT-{connection}",
        f"{connection}-in",
        f"{connection}-out",
        f"FW-{connection}-IN",
    }


@dataclass(frozen=True)
class Ownership:
    """What in a running configuration the plan owns."""

    vendor: str
    connections: frozenset[str]
    described: dict[Words, str]
    units: frozenset[str]  # vSRX interface units owned (gr-0/0/0.0, st0.1, ge-0/0/2.101)
    destinations: frozenset[str]  # GRE endpoints of owned units (their /32 routes)
    names: frozenset[str]  # object names derived from the owned connections
    route_hops: Mapping[Words, frozenset[str]]  # vSRX static route -> its next hops

    def owns(self, root: Words) -> bool:
        if root in self.described:
            return self.described[root] in self.connections
        last = root[-1]
        names = self.names
        if self.vendor == "vyatta":
            if root[:3] == ("policy", "route", "prefix-list") or root[:3] == (
                "policy",
                "route",
                "route-map",
            ):
                return root[3] in names
            if root[:4] in (
                ("security", "vpn", "ipsec", "ike-group"),
                ("security", "vpn", "ipsec", "esp-group"),
            ):
                return last in names
            if root[:3] == ("security", "firewall", "name"):
                return root[3] in names
            return False
        # vsrx
        if root[0] == "interfaces":
            return f"{root[1]}.{root[3]}" in self.units
        if root[:2] in (("security", "ike"), ("security", "ipsec")):
            return root[3] in names
        if root[:2] == ("security", "policies"):
            return any(part in self.connections for part in last.split("_to_"))
        if root[:3] == ("security", "address-book", "global"):
            return bool(re.fullmatch(r"net-\d+\.\d+\.\d+\.\d+/\d+", last))
        if root[:3] == ("security", "zones", "security-zone"):
            return last in self.units
        if root[0] == "firewall":
            if len(root) == 5:
                term = re.fullmatch(rf"(?P<c>{_NAME})-(?:gre|ike|esp|bgp)", last)
                return bool(term and term.group("c") in self.connections) or root[2] in names
            return root[2] in names
        if root[0] == "policy-options":
            return last in names
        if root[:2] == ("protocols", "bgp"):
            return last in self.connections
        if root[:3] == ("routing-options", "static", "route"):
            hops = self.route_hops.get(root, frozenset())
            return root[3].removesuffix("/32") in self.destinations or bool(hops & self.units)
        return False


def ownership(
    running: Sequence[Statement], vendor: str, plan_connections: Iterable[str]
) -> Ownership:
    """The plan's connections, and any removed one whose objects are still on the router."""
    described = _described(running, vendor)
    present = {s.words[i] for s in running for i in range(len(s.words))}
    candidates = set(described.values())
    confirmed = {c for c in candidates if _names_for(c, vendor) & present}
    connections = frozenset(set(plan_connections) | confirmed)
    units: set[str] = set()
    destinations: set[str] = set()
    hops: dict[Words, set[str]] = {}
    if vendor == "vsrx":
        for s in running:
            if s.words[:3] == ("routing-options", "static", "route") and len(s.words) > 5:
                hops.setdefault(s.words[:4], set()).add(s.words[5])
        for root, conn in described.items():
            if conn in connections and root[0] == "interfaces" and len(root) == 4:
                units.add(f"{root[1]}.{root[3]}")
                for s in running:
                    if s.words[:6] == (*root, "tunnel", "destination"):
                        destinations.add(s.words[6])
    names = frozenset(n for c in connections for n in _names_for(c, vendor))
    return Ownership(
        vendor,
        connections,
        described,
        frozenset(units),
        frozenset(destinations),
        names,
        {root: frozenset(h) for root, h in hops.items()},
    )
