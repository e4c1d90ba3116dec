"""Vyatta 5600 (IBM Cloud's Virtual Router Appliance, DANOS): the facts every stage may read.

Names and spellings the Vyatta pack (`targets/routers/vyatta.py`) prints and the running-
configuration reader (`running/`) reads back, in one place so the two cannot drift: object
names from DANOS's policy and VPN YANG (vyatta-policy-route-v1, vyatta-security-vpn-ipsec-v1,
vyatta-security-firewall-v1), tunnel names from vyatta-interfaces-tunnel-v1 (`tunN`) and
vyatta-interfaces-vti-v1 (`vtiN`). Data only: imports nothing of vra-config's but `common`.
"""

from __future__ import annotations

import re

from vra_config.vendors.common import VRRP, Owned, Pattern

NAME = "vyatta"
TITLE = "Vyatta 5600"
#: `show configuration commands` single-quotes values with spaces.
QUOTE = "'"
#: A VRA pair is two routers sharing VIPs by VRRP (IBM's HA for the VRA).
PAIRS = VRRP
#: DANOS's BGP YANG (vyatta-protocols-bgp) has no `as-override`, and its
#: `remove-private-as` keeps the peer's own AS (FRR's plain form): a prefix whose path holds
#: the far end's AS is re-originated instead (VRC907/VRC908 in `intent/design.py`).
AS_OVERRIDE = False

UNQUOTABLE = re.compile(r"['\x00-\x1f\x7f]")


def quote(text: str) -> str:
    """Single-quote a value as `show configuration commands` prints it.

    The plan model already refuses quotes, backslashes and control characters in free text;
    this refuses them again so no caller can put an unquotable value into a line.
    """
    if UNQUOTABLE.search(text):
        raise ValueError(f"cannot quote {text!r} for Vyatta")
    return f"{QUOTE}{text}{QUOTE}"


def object_names(connection: str) -> dict[str, str]:
    """The names the pack gives a connection's objects, by role. FRR's BGP (the 5600's,
    and the lab's) uses the same policy names, so a lab report names the pasted objects."""
    return {
        "prefix_list_in": f"PL-{connection}-IN",
        "prefix_list_out": f"PL-{connection}-OUT",
        "route_map_in": f"RM-{connection}-IN",
        "route_map_out": f"RM-{connection}-OUT",
        "ike_group": f"IKE-{connection}",
        "esp_group": f"ESP-{connection}",
        "firewall": f"FW-{connection}-IN",
    }


def tunnel_interface(family: str, number: int) -> str:
    """A GRE tunnel is `tunN`, a VTI `vtiN`."""
    return f"tun{number}" if family == "gre" else f"vti{number}"


def tunnel_in(words: tuple[str, ...]) -> tuple[str, str] | None:
    """(family, number text) of the tunnel interface a statement configures, else None."""
    if len(words) > 2 and words[0] == "interfaces" and words[1] in ("tunnel", "vti"):
        return ("gre" if words[1] == "tunnel" else "vti"), words[2][3:]  # tun12 / vti12
    return None


# Object roots: a pattern of words (None: any word) and how many words name the object.
# Deeper patterns are objects inside objects (a prefix-list rule inside its prefix list).
ROOTS: tuple[tuple[Pattern, int], ...] = (
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
)

#: Interfaces, routes and BGP neighbours are owned through their descriptions; the named
#: objects through `object_names`.
OWNED: tuple[Owned, ...] = (
    Owned(("policy", "route", "prefix-list"), "name", at=3),
    Owned(("policy", "route", "route-map"), "name", at=3),
    Owned(("security", "vpn", "ipsec", "ike-group"), "name"),
    Owned(("security", "vpn", "ipsec", "esp-group"), "name"),
    Owned(("security", "firewall", "name"), "name", at=3),
)

MULTI = frozenset({"address", "in", "next-hop", "next-hop-interface", "network"})
MULTI_LISTS: tuple[Pattern, ...] = ()
_PEER_AUTHENTICATION = ("security", "vpn", "ipsec", "site-to-site", "peer", None, "authentication")
SECRETS: tuple[Pattern, ...] = ((*_PEER_AUTHENTICATION, "pre-shared-secret", None),)
