"""Junos on the vSRX (IBM Cloud's other classic gateway): the facts every stage may read.

Names and spellings the vSRX pack (`targets/routers/vsrx.py`) prints and the running-
configuration reader (`running/`) reads back, in one place so the two cannot drift: IKE,
IPsec and BGP group names are the connection's own (at most 32 characters, junos-es
23.4R2), policies and prefix lists derive from it, GRE units live on `gr-0/0/0` and
route-based VPNs bind `st0` units. Data only: imports nothing of vra-config's but `common`.
"""

from __future__ import annotations

import re

from vra_config.vendors.common import CHASSIS_CLUSTER, Owned, Pattern

NAME = "vsrx"
TITLE = "Junos on vSRX"
#: `show configuration | display set` double-quotes values with spaces.
QUOTE = '"'
#: A vSRX pair is one chassis cluster with one configuration (IBM's vSRX HA profile).
PAIRS = CHASSIS_CLUSTER
#: Junos BGP has `as-override` (Juniper, "as-override", BGP configuration statements): it
#: replaces the peer's AS with the local one in what is sent, so no re-origination is
#: needed; it cannot rewrite a workspace's AS behind a Transit Gateway (VRC909).
AS_OVERRIDE = True

#: The GRE interface; its units are the tunnels.
GR = "gr-0/0/0"
#: The secure-tunnel interface route-based VPNs bind to.
ST0 = "st0"

UNQUOTABLE = re.compile(r'["\\\x00-\x1f\x7f]')


def quote(text: str) -> str:
    """Double-quote a value for Junos; the plan model already refuses `"` and backslashes."""
    if UNQUOTABLE.search(text):
        raise ValueError(f"cannot quote {text!r} for Junos")
    return f"{QUOTE}{text}{QUOTE}"


#: The roles of the objects a connection names (IKE, IPsec, BGP, policies, filters) and of
#: the loopback-filter terms that let its far end reach the box.
OBJECT_ROLES = frozenset(
    {
        "ike",
        "bgp_group",
        "import_policy",
        "export_policy",
        "prefix_list_in",
        "prefix_list_out",
        "firewall",
    }
)
TERM_ROLES = frozenset({"gre_term", "ike_term", "esp_term", "bgp_term"})


def object_names(connection: str) -> dict[str, str]:
    """The names the pack gives a connection's objects, by role."""
    return {
        "ike": connection,  # IKE proposal, policy, gateway; IPsec proposal, policy, VPN
        "bgp_group": connection,
        "import_policy": f"IMPORT-{connection}",
        "export_policy": f"EXPORT-{connection}",
        "prefix_list_in": f"{connection}-in",
        "prefix_list_out": f"{connection}-out",
        "firewall": f"FW-{connection}-IN",
        "gre_term": f"{connection}-gre",
        "ike_term": f"{connection}-ike",
        "esp_term": f"{connection}-esp",
        "bgp_term": f"{connection}-bgp",
    }


def tunnel_interface(family: str, number: int) -> str:
    """A GRE tunnel is unit N of gr-0/0/0, a route-based VPN's interface unit N of st0."""
    return f"{GR}.{number}" if family == "gre" else f"{ST0}.{number}"


def tunnel_in(words: tuple[str, ...]) -> tuple[str, str] | None:
    """(family, number text) of the tunnel unit a statement configures, else None."""
    if len(words) > 3 and words[0] == "interfaces" and words[1] in (GR, ST0):
        return ("gre" if words[1] == GR else "vti"), words[3]
    return None


#: Security policies are named `<from>_to_<to>`; plan names never hold "_", so the name is
#: unique and each side can be read back.
POLICY_JOIN = "_to_"


def policy_name(source: str, destination: str) -> str:
    return f"{source}{POLICY_JOIN}{destination}"


def address_name(prefix: str) -> str:
    """The address-book entry of one prefix."""
    return f"net-{prefix}"


ADDRESS_NAME = re.compile(r"net-\d+\.\d+\.\d+\.\d+/\d+")

# Object roots: a pattern of words (None: any word) and how many words name the object.
ROOTS: tuple[tuple[Pattern, int], ...] = (
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
)

OWNED: tuple[Owned, ...] = (
    Owned(("interfaces",), "unit"),
    Owned(("security", "ike"), "name", at=3, roles=OBJECT_ROLES),
    Owned(("security", "ipsec"), "name", at=3, roles=OBJECT_ROLES),
    Owned(("security", "policies"), "joined", separator=POLICY_JOIN),
    Owned(("security", "address-book", "global"), "address", pattern=ADDRESS_NAME),
    Owned(("security", "zones", "security-zone"), "zone"),
    Owned(("firewall",), "name", at=4, roles=TERM_ROLES, length=5),
    Owned(("firewall",), "name", at=2, roles=OBJECT_ROLES),
    Owned(("policy-options",), "name", roles=OBJECT_ROLES),
    Owned(("protocols", "bgp"), "name", roles=frozenset({"bgp_group"})),
    Owned(("routing-options", "static", "route"), "route"),
)

MULTI = frozenset(
    {
        "address",
        "source-address",
        "destination-address",
        "destination-port",
        "neighbor",
        "next-hop",
        "system-services",
        "protocols",
    }
)
#: A Junos prefix list's entries are values with no keyword before them.
MULTI_LISTS: tuple[Pattern, ...] = (("policy-options", "prefix-list", None, None),)
SECRETS: tuple[Pattern, ...] = (
    ("security", "ike", "policy", None, "pre-shared-key", "ascii-text", None),
)
