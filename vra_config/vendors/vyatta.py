"""Vyatta 5600 (IBM Cloud Virtual Router Appliance): names, quoting and limits.

Every keyword the templates print is in the DANOS YANG for the 5600 (the public model of the
VRA's OS), checked by `../shared/tools/vendorcheck --vendor vyatta`:
- tunnel: vyatta-interfaces-tunnel-v1.yang (`interfaces tunnel tunN`, pattern `tun[0-9]+`,
  description 1..256), TCP MSS: vyatta-interfaces-tcp-mss-v1.yang (`ip tcp-mss limit`);
- static routes: vyatta-protocols-static-v1.yang (`route P next-hop A`, `interface-route P
  next-hop-interface IF`, `description`);
- BGP: vyatta-protocols-frr-bgp-v1.yang (neighbour description 1..80, `timers keepalive /
  holdtime`, `address-family ipv4-unicast route-map import|export`, `network`);
- filters: vyatta-policy-route-v1.yang (`policy route prefix-list|route-map NAME`, names
  `[-a-zA-Z0-9.]+`, rule numbers 1..65535).
IBM's own VRA examples of these lines: ibm-facts §7.
"""

from __future__ import annotations

import re
from typing import Any

from vra_config.findings import Finding
from vra_config.intent import BgpNeighbor, RouterIntent
from vra_config.vendors.base import VendorError

TITLE = "Vyatta 5600 (IBM Cloud VRA)"
SUFFIX = "vyatta.set"

POLICY_NAME_RE = re.compile(r"[-a-zA-Z0-9.]+")
TUNNEL_NAME_MAX = 15
TUNNEL_DESCRIPTION_MAX = 256
NEIGHBOR_DESCRIPTION_MAX = 80
RULE_STEP = 10
RULE_MAX = 65535
#: The catch-all deny sits after every permit rule a prefix list can have.
DENY_RULE = RULE_MAX


def quote(text: str) -> str:
    """Single-quote a value as `show configuration commands` prints it.

    The plan model already refuses quotes, backslashes and control characters in free text;
    this refuses them again so no caller can put an unquotable value into a line.
    """
    if "'" in text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise ValueError(f"cannot quote {text!r} for Vyatta")
    return f"'{text}'"


def comment(text: str) -> str:
    """A comment line: the VRA's configuration shell (vbash) ignores `#` lines."""
    return f"# {text}"


def tunnel_name(number: int) -> str:
    return f"tun{number}"


def _policy_names(neighbor: BgpNeighbor) -> dict[str, str]:
    base = neighbor.connection
    return {
        "pl_in": f"PL-{base}-IN",
        "pl_out": f"PL-{base}-OUT",
        "rm_in": f"RM-{base}-IN",
        "rm_out": f"RM-{base}-OUT",
    }


def context(intent: RouterIntent) -> dict[str, Any]:
    """Template data for one router; raises `VendorError` for what the 5600 cannot take."""
    problems: list[Finding] = []

    def limit(path: tuple[str, ...], text: str, most: int, what: str) -> str:
        if len(text) > most:
            problems.append(
                Finding(
                    path,
                    f"the {what} '{text}' is {len(text)} characters; the Vyatta 5600 takes at "
                    f"most {most}: set a shorter `description` or shorter names",
                )
            )
        return quote(text)

    tunnels = []
    for t in intent.tunnels:
        name = tunnel_name(t.number)
        if len(name) > TUNNEL_NAME_MAX:
            problems.append(
                Finding(("connections", t.connection, "tunnel"), f"{name} is longer than 15")
            )
        tunnels.append(
            {
                "name": name,
                "description": limit(
                    ("connections", t.connection, "description"),
                    t.description,
                    TUNNEL_DESCRIPTION_MAX,
                    "tunnel description",
                ),
                "local_ip": str(t.local_ip),
                "remote_ip": str(t.remote_ip),
                "address": str(t.address),
                "mtu": t.mtu,
                "tcp_mss": t.tcp_mss,
            }
        )

    routes = [
        {"prefix": str(r.prefix), "next_hop": str(r.next_hop), "description": quote(r.description)}
        for r in intent.static_routes
        if r.next_hop is not None
    ]
    interface_routes = [
        {
            "prefix": str(r.prefix),
            "interface": tunnel_name(r.tunnel),
            "description": quote(r.description),
        }
        for r in intent.static_routes
        if r.tunnel is not None
    ]

    prefix_lists: list[dict[str, Any]] = []
    route_maps: list[dict[str, Any]] = []
    neighbors: list[dict[str, Any]] = []
    for n in intent.bgp_neighbors:
        names = _policy_names(n)
        for direction, prefixes, verb in (
            ("in", n.accept, f"accept from {n.connection}"),
            ("out", n.advertise, f"advertise to {n.connection}"),
        ):
            if len(prefixes) * RULE_STEP >= DENY_RULE:
                problems.append(
                    Finding(
                        ("connections", n.connection),
                        f"{len(prefixes)} prefixes to {verb} exceed the "
                        f"{DENY_RULE // RULE_STEP - 1} a Vyatta prefix list can number; "
                        "summarise them",
                    )
                )
            pl, rm = names[f"pl_{direction}"], names[f"rm_{direction}"]
            if prefixes:
                prefix_lists.append(
                    {
                        "name": pl,
                        "description": quote(f"{verb}: exactly the planned prefixes"),
                        "rules": [
                            {"number": (i + 1) * RULE_STEP, "prefix": str(p)}
                            for i, p in enumerate(prefixes)
                        ],
                    }
                )
            route_maps.append(
                {
                    "name": rm,
                    "description": quote(f"{verb}: planned prefixes only"),
                    "prefix_list": pl if prefixes else None,
                    "deny_rule": DENY_RULE,
                }
            )
        neighbors.append(
            {
                "address": str(n.address),
                "remote_as": n.remote_as,
                "description": limit(
                    ("connections", n.connection, "description"),
                    n.description,
                    NEIGHBOR_DESCRIPTION_MAX,
                    "BGP neighbour description",
                ),
                "keepalive": n.keepalive,
                "holdtime": n.holdtime,
                "import_map": names["rm_in"],
                "export_map": names["rm_out"],
            }
        )
    for name in [p["name"] for p in prefix_lists] + [m["name"] for m in route_maps]:
        if not POLICY_NAME_RE.fullmatch(name):  # plan names are a subset; a guard, not a path
            raise ValueError(f"policy name {name!r} is not valid on Vyatta")
    if problems:
        raise VendorError(problems)

    bgp = None
    if neighbors:
        bgp = {
            "asn": intent.asn,
            "router_id": str(intent.router_id) if intent.router_id else None,
            "networks": [str(p) for p in intent.bgp_networks],
            "neighbors": neighbors,
        }
    return {
        "tunnels": tunnels,
        "routes": routes,
        "interface_routes": interface_routes,
        "prefix_lists": sorted(prefix_lists, key=lambda p: p["name"]),
        "route_maps": sorted(route_maps, key=lambda m: m["name"]),
        "bgp": bgp,
    }
