"""IBM Cloud facts the planner relies on, as data, each with where it comes from.

Nothing here computes: the planner reads these tables. When IBM changes a rule, the change is
one row here (and its rule), not an `if` somewhere in the planner. Each row names its rule in
`vra_config.plan.rules`, which holds the public sources (IBM Cloud docs pages, RFCs) that messages
cite and `vra-config explain` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Literal

from vra_config.plan.rules import RULES, Severity

#: What a prefix is used for in a plan; reserved ranges apply per use.
#:  powervs   – a PowerVS workspace subnet (BYOIP or RFC 1918) reached over GRE
#:  advertise – a prefix a router advertises (or routes) towards PowerVS
#:  tunnel    – a GRE tunnel subnet, or a pool tunnel subnets are carved from
#:  underlay  – a tunnel endpoint address outside the router (TGW gateway IP, site address)
#:  vti       – the inner /30 of an IPsec VTI: never routed through IBM, so only IANA's
#:              special ranges apply (169.254.0.0/16 is a common choice there)
Role = Literal["powervs", "advertise", "tunnel", "underlay", "vti"]

ALL_ROLES: frozenset[Role] = frozenset({"powervs", "advertise", "tunnel", "underlay"})
ROUTED: frozenset[Role] = frozenset({"powervs", "advertise", "tunnel"})
IANA_ROLES: frozenset[Role] = ALL_ROLES | {"vti"}


@dataclass(frozen=True, kw_only=True)
class ReservedRange:
    """A range IBM Cloud (or IANA) reserves, filters or drops, and for which uses it matters."""

    prefix: IPv4Network
    what: str
    rule: str
    severity: Severity
    applies_to: frozenset[Role]
    hint: str


def _r(
    prefix: str,
    what: str,
    rule: str,
    severity: Severity,
    applies_to: frozenset[Role],
    hint: str = "choose a range outside it",
) -> ReservedRange:
    assert RULES[rule].severity == severity, rule
    return ReservedRange(
        prefix=IPv4Network(prefix),
        what=what,
        rule=rule,
        severity=severity,
        applies_to=applies_to,
        hint=hint,
    )


_SERVICE = (
    "an IBM Cloud classic service-network range that Direct Link, Transit Gateway and the "
    "classic BGP filter drop"
)

#: Sorted by prefix. `tunnel` covers pools too: nothing reserved is ever allocated.
RESERVED_RANGES: tuple[ReservedRange, ...] = (
    _r("0.0.0.0/8", "IANA 'this network' (RFC 1122)", "VRC107", "error", IANA_ROLES),
    _r(
        "10.0.0.0/8",
        "IBM Cloud classic private address space (customer VLANs and the service network)",
        "VRC110",
        "warning",
        frozenset({"powervs", "tunnel"}),
        "IBM advises against 10.x for PowerVS and tunnel subnets; make sure it clashes with "
        "no classic subnet of your account",
    ),
    _r("10.0.0.0/14", _SERVICE, "VRC101", "error", ROUTED),
    _r("10.198.0.0/15", _SERVICE, "VRC101", "error", ROUTED),
    _r("10.200.0.0/14", _SERVICE, "VRC101", "error", ROUTED),
    _r(
        "10.254.0.0/16",
        "a range Direct Link and Transit Gateway classic connections drop",
        "VRC102",
        "error",
        ROUTED,
    ),
    _r("127.0.0.0/8", "IANA loopback (RFC 1122)", "VRC107", "error", IANA_ROLES),
    _r(
        "161.26.0.0/16",
        "IBM Cloud IaaS service endpoints (DNS, NTP, mirrors) that classic routers route to "
        "the BCR",
        "VRC103",
        "error",
        ALL_ROLES,
    ),
    _r(
        "166.8.0.0/14",
        "IBM Cloud Service Endpoints (166.9.0.0/16 private endpoint service included) that "
        "classic routers route to the BCR",
        "VRC104",
        "error",
        ALL_ROLES,
    ),
    _r(
        "169.254.0.0/16",
        "link-local space that PowerVS, Direct Link and the classic BGP filter block",
        "VRC105",
        "error",
        ALL_ROLES,
    ),
    _r(
        "224.0.0.0/4",
        "multicast space that PowerVS, Direct Link and Transit Gateway block",
        "VRC106",
        "error",
        IANA_ROLES,
    ),
    _r("240.0.0.0/4", "IANA reserved space (RFC 1112)", "VRC107", "error", IANA_ROLES),
)

RFC1918: tuple[IPv4Network, ...] = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
)

# --- ASNs -------------------------------------------------------------------------------

ASN_MAX = 4_294_967_295

#: ASNs no router may use (reason, source).
INVALID_ASNS: dict[int, str] = {
    0: "ASN 0 is reserved (RFC 7607)",
    23456: "ASN 23456 is AS_TRANS, reserved for 4-byte ASN transition (RFC 6793)",
    65535: "ASN 65535 is reserved (RFC 7300)",
    ASN_MAX: "ASN 4294967295 is reserved (RFC 7300)",
}

#: Documentation ASN ranges (RFC 5398): never on a real router.
DOCUMENTATION_ASNS: tuple[tuple[int, int], ...] = ((64496, 64511), (65536, 65551))

#: ASNs IBM Direct Link and Transit Gateway refuse for the customer side (rule VRC302:
#: Transit Gateway planning page, which has the larger list; Direct Link ordering page).
IBM_EXCLUDED_ASNS: tuple[tuple[int, int], ...] = (
    (0, 0),
    (13884, 13884),
    (36351, 36351),
    (64512, 64513),
    (65100, 65100),
    (65200, 65234),
    (65402, 65433),
    (65500, 65500),
    (65516, 65516),
    (65519, 65519),
    (65521, 65521),
    (65531, 65531),
    (4201065000, 4201065999),
)

#: PowerVS router ASN for Direct Link Connect / cloud connections, by location
#: (rule VRC303: power-iaas-ordering-direct-link-connect). IBM assigns it; it cannot be changed.
POWERVS_ASN_BY_LOCATION: dict[str, int] = {
    "che01": 4206000092,
    "dal10": 4206000072,
    "dal12": 64999,
    "dal13": 64999,
    "fra04": 64999,
    "fra05": 64999,
    "lon06": 64999,
    "mon01": 64999,
    "sao04": 4206000076,
    "tor01": 64999,
    "wdc04": 64995,
    "wdc06": 64999,
    "wdc07": 4206000068,
}
#: IBM's default PowerVS ASN where its table has no entry for the location (the same page:
#: "64999 default"); a workspace behind a Transit Gateway whose plan gives no `asn:` and
#: whose location is not in the table is taken to originate its routes there.
POWERVS_DEFAULT_ASN = 64999

#: PowerVS network ASN on a Megaport VXC, by location (rule VRC304:
#: power-iaas-network-architecture-diagrams-former). Other locations: ask IBM, set `powervs_asn`.
MEGAPORT_POWERVS_ASN_BY_LOCATION: dict[str, int] = {"dal13": 64997, "wdc04": 64999}

#: Private ASN ranges (RFC 6996): `remove-private-as` can strip these from a path.
PRIVATE_ASNS: tuple[tuple[int, int], ...] = ((64512, 65534), (4200000000, 4294967294))

# --- GRE --------------------------------------------------------------------------------

#: Cloud-connection GRE: IBM documents only the /29 (power-iaas-cloud-connections).
CLOUD_CONNECTION_GRE_PREFIXLEN = 29
#: Transit Gateway GRE: local and remote tunnel IPs in one /30 (transit-gateway-cli).
TRANSIT_GATEWAY_GRE_PREFIXLEN = 30

#: Default tunnel MTUs IBM documents (the other kinds' are in `kinds.py`, with the reason).
#: cloud connection: IBM's VRA GRE example uses 1476 (1500 less the 24-byte GRE/IP header);
#:   IBM's VRA migration-issues page (TCP MSS).
CLOUD_CONNECTION_MTU = 1476
#: transit gateway: IBM says the device MTU must match the GRE gateway's, which the API
#:   reports as 9000; IBM's Transit Gateway GRE connection pages.
TRANSIT_GATEWAY_MTU = 9000

#: Direct Link BGP peering: "If you plan to use GRE or IPsec tunneling with your direct link,
#: you must select a BGP IP other than 169.254.0.0/16" (rule VRC121).
DL_LINK_LOCAL = IPv4Network("169.254.0.0/16")

#: GRE over IPv4 adds a 4-byte GRE header (RFC 2784, no key or checksum) and a 20-byte outer
#: IPv4 header: a tunnel's MTU can be at most the underlay's less 24 (1500 → IBM's 1476).
GRE_OVERHEAD_BYTES = 24

#: TCP header + IPv4 header: the MSS that fits a given MTU is MTU - 40 (IBM's 1476 → 1436).
TCP_IP_HEADER_BYTES = 40
#: Hosts behind the tunnels send 1500-byte packets; a smaller tunnel MTU needs MSS clamping.
HOST_MTU = 1500

#: BGP timers IBM uses on Direct Link and Transit Gateway GRE (IBM Cloud docs:
#: direct-link-configure-ibm-cloud-direct-link, Transit Gateway GRE troubleshooting).
BGP_KEEPALIVE = 30
BGP_HOLDTIME = 90
