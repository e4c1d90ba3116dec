"""The registry of finding rules: one stable ID per kind of problem, with why and where from.

Every `Finding` names one of these IDs, the way ruff, shellcheck and Aerleon name theirs, so
that a user can look a rule up (`vra-config explain VRC101`), a CI log can be grepped for
one, and an `accept:` entry in a plan can acknowledge exactly one finding on purpose.

IDs are stable: a rule that goes away leaves its number unused, never reused. The hundreds
say the family (see `FAMILIES`). Sources are public pages only (IBM Cloud docs, RFCs, vendor
references); a rule with no source is vra-config's own (the plan format, or a check that a
router would accept the line but the design would not work).

`acknowledgeable` says whether a plan may accept the finding with a reason: true only for
IBM recommendations and filters that a documented design can live with (a prefix carried
only inside GRE never meets the filter). What cannot work (overlaps, exhausted pools, a
wrong ASN on a link, text that could inject a command) can never be acknowledged.
"""

from __future__ import annotations

import textwrap
from dataclasses import KW_ONLY, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: The hundreds of an ID, and what the family covers.
FAMILIES: dict[int, str] = {
    0: "the plan file, YAML and the plan format",
    1: "IBM's reserved and filtered address ranges",
    2: "overlapping and duplicate prefixes",
    3: "ASNs and BGP sessions",
    4: "references between sections and the ends of a link",
    5: "allocation, pins, the lock file and a router's running configuration",
    6: "IPsec proposals and pre-shared keys",
    7: "what a vendor cannot express",
    8: "template overrides and acknowledgements",
    9: "designs that commit but do not work: routing, MTU, the underlay, high availability",
}


@dataclass(frozen=True)
class Source:
    """A public page a rule comes from: a title and its address."""

    title: str
    url: str

    def cited(self, *, address: bool = False) -> str:
        """How a message cites the page: its address, or `RFC 2784` for an RFC (with its
        address too when `address`: `RFC 2784, https://www.rfc-editor.org/rfc/rfc2784`)."""
        if not self.title.startswith("RFC "):
            return self.url
        return f"{self.title}, {self.url}" if address else self.title


@dataclass(frozen=True)
class Rule:
    """One kind of finding.

    The four fields every rule has go by position, so that `RULES` reads as a table (id,
    title, rationale, severity: two short strings, a paragraph, a checked `Severity`); what
    only some rules have is named (`sources=`, `acknowledgeable=`)."""

    id: str
    title: str
    rationale: str
    severity: Severity
    _: KW_ONLY
    sources: tuple[Source, ...] = ()
    acknowledgeable: bool = False

    @property
    def cite(self) -> str:
        """The short citation a message carries: the first source's address (or RFC)."""
        return self.citing() if self.sources else ""

    def citing(self, source: Source | None = None, *, address: bool = False) -> str:
        """The citation of `source` (the first source when `None`) for a message of this rule.

        Messages cite through here rather than pasting an address, so a message can only cite
        a page `explain` lists for its rule: a page the rule does not register raises
        `ValueError` (a bug, found by the first test that builds the message).
        """
        chosen = source or (self.sources[0] if self.sources else None)
        if chosen is None or chosen not in self.sources:
            raise ValueError(f"{self.id} does not register {chosen}; add it to its sources")
        return chosen.cited(address=address)


def _rfc(number: int) -> Source:
    return Source(f"RFC {number}", f"https://www.rfc-editor.org/rfc/rfc{number}")


# --- public sources ------------------------------------------------------------------------

VRA_VRRP = Source(
    "Working with High Availability and VRRP (Virtual Router Appliance)",
    "https://cloud.ibm.com/docs/virtual-router-appliance?"
    "topic=virtual-router-appliance-working-with-high-availability-and-vrrp",
)

VSRX_HA_DEFAULT = Source(
    "IBM's vSRX high-availability default configuration (ibm-cloud-docs/vsrx)",
    "https://github.com/ibm-cloud-docs/vsrx/blob/master/defaults/vsrx_ha_default.conf",
)
JUNIPER_CLUSTER_VPN = Source(
    "IPsec VPN Tunnels with Chassis Clusters (Juniper)",
    "https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/topic-map/"
    "security-ipsec-vpn-tunnels-with-chassis-clusters.html",
)
JUNIPER_RETH = Source(
    "Chassis Cluster Redundant Ethernet Interfaces (Juniper)",
    "https://www.juniper.net/documentation/us/en/software/junos/chassis-cluster-security-devices/"
    "topics/topic-map/security-chassis-cluster-redundant-ethernet-interfaces.html",
)
DL_CONFIGURE = Source(
    "Configure IBM Cloud Direct Link",
    "https://cloud.ibm.com/docs/direct-link?topic=direct-link-configure-ibm-cloud-direct-link",
)
DL_ORDER = Source(
    "Ordering Direct Link Connect",
    "https://cloud.ibm.com/docs/dl?topic=dl-how-to-order-ibm-cloud-dl-connect",
)
DL_FAQ = Source("FAQs for Direct Link", "https://cloud.ibm.com/docs/dl?topic=dl-faqs")
TGW_PLANNING = Source(
    "Planning for IBM Cloud Transit Gateway",
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-helpful-tips",
)
TGW_REDUNDANT_GRE = Source(
    "Creating a redundant GRE",
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-redundant-gre-connection",
)
TGW_UNBOUND_GRE = Source(
    "Creating an unbound GRE tunnel connection",
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-unbound-gre-connection",
)
TGW_GRE_TROUBLESHOOTING = Source(
    "GRE tunnel connectivity issues",
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-gre-tunnel-conn-issues",
)
FRR_IMPORT_CHECK = Source(
    "FRR BGP: bgp network import-check", "https://docs.frrouting.org/en/latest/bgp.html"
)
JUNIPER_PRF = Source(
    "Juniper: prf-algorithm (security ike proposal)",
    "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/"
    "statement/prf-algorithm-edit-security-ike-proposal.html",
)
TGW_CLI = Source(
    "Transit Gateway CLI",
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-transit-gateway-cli",
)
PVS_ARCHITECTURE = Source(
    "Network architecture diagrams for non-PER",
    "https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-network-architecture-diagrams-former",
)
PVS_DIRECT_LINK = Source(
    "Ordering Direct Link Connect for Power Virtual Server",
    "https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-ordering-direct-link-connect",
)
PVS_CLOUD_CONNECTIONS = Source(
    "Managing IBM Cloud connections",
    "https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-cloud-connections",
)
PVS_SUBNET = Source(
    "Configuring a private network subnet",
    "https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-configuring-subnet",
)
CLASSIC_IP_RANGES = Source(
    "IBM Cloud IP ranges (service network)",
    "https://cloud.ibm.com/docs/cloud-infrastructure?topic=cloud-infrastructure-ibm-cloud-ip-ranges",
)
VPC_ENDPOINTS = Source(
    "Endpoints available",
    "https://cloud.ibm.com/docs/vpc?topic=vpc-service-endpoints-for-vpc",
)
DANOS_IPSEC = Source(
    "DANOS vyatta-security-vpn-ipsec-v1.yang (the Vyatta 5600's public model)",
    "https://github.com/danos/vyatta-security-vpn",
)
JUNOS_YANG = Source("Juniper junos-es YANG, 23.4R2", "https://github.com/Juniper/yang")
TGW_ROUTE_REPORTS = Source(
    "Generating a route report (Transit Gateway)",
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-route-reports",
)
DANOS_BGP = Source(
    "DANOS vyatta-protocols-frr-bgp-v1.yang and its FRR command templates (the 5600's BGP)",
    "https://github.com/danos/vyatta-protocols-frr",
)
FRR_BGP = Source("FRR BGP (remove-private-AS, administrative distance)", FRR_IMPORT_CHECK.url)
DANOS_POLICY = Source(
    "DANOS vyatta-policy-route-v1.yang (route-map `set local-preference`, uint32)",
    "https://github.com/danos/vyatta-protocols-common",
)
JUNIPER_ZONES = Source(
    "Juniper: Security Zones and Interfaces Overview",
    "https://www.juniper.net/documentation/en_US/junos12.1x47/topics/concept/"
    "zone-and-interface-overview.html",
)


def _rules(*rules: Rule) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for rule in rules:
        assert rule.id not in out, rule.id
        out[rule.id] = rule
    return out


_OWN = "vra-config's own rule: "

RULES: dict[str, Rule] = _rules(
    # --- 0xx: the file, YAML and the plan format ----------------------------------------
    Rule("VRC001", "file is not UTF-8 text", _OWN + "a plan is UTF-8 YAML.", "error"),
    Rule("VRC002", "file holds NUL bytes", _OWN + "a plan is a text file.", "error"),
    Rule("VRC003", "plan is empty", _OWN + "a plan starts with `version: 1`.", "error"),
    Rule(
        "VRC004",
        "plan is not a mapping",
        _OWN + "the top of a plan is a mapping of sections.",
        "error",
    ),
    Rule("VRC005", "not valid YAML", "The YAML parser could not read the file.", "error"),
    Rule(
        "VRC006",
        "more than one YAML document",
        _OWN + "a plan is one document; a second `---` would be ignored by some readers.",
        "error",
    ),
    Rule("VRC007", "plan file cannot be read", "The file is missing or unreadable.", "error"),
    Rule(
        "VRC010",
        "YAML tag not allowed",
        _OWN + "tags such as !!python/object can run code in other YAML readers; a plan "
        "holds plain values only.",
        "error",
    ),
    Rule(
        "VRC011",
        "alias bomb",
        _OWN + "aliases that expand to millions of values exhaust memory.",
        "error",
    ),
    Rule("VRC012", "nesting too deep", _OWN + "no plan is nested 64 levels deep.", "error"),
    Rule(
        "VRC013",
        "duplicate key",
        _OWN + "YAML keeps only the last of two equal keys, silently dropping the first.",
        "error",
    ),
    Rule(
        "VRC014",
        "merge key",
        _OWN + "`<<` merge keys hide which values apply; write them out.",
        "error",
    ),
    Rule(
        "VRC015",
        "key is not a name",
        _OWN + "keys are plain names (a number, collection or alias as a key is a mistake).",
        "error",
    ),
    Rule("VRC016", "alias to nothing", "An alias must name an anchor defined before it.", "error"),
    Rule("VRC017", "value cannot be read", "The YAML value cannot be converted.", "error"),
    Rule(
        "VRC020",
        "unknown field",
        _OWN + "a misspelt key would otherwise be ignored and its default used.",
        "error",
    ),
    Rule("VRC021", "missing field", _OWN + "the field is required.", "error"),
    Rule(
        "VRC022",
        "wrong type",
        _OWN + 'values are typed strictly, so that `asn: "64880"` is not taken for a number '
        "by one tool and for text by another.",
        "error",
    ),
    Rule("VRC023", "value out of range", _OWN + "the value is outside its allowed range.", "error"),
    Rule(
        "VRC024", "value not allowed", _OWN + "the value is not one of the allowed ones.", "error"
    ),
    Rule("VRC025", "plan version", _OWN + "this vra-config reads plan version 1.", "error"),
    Rule(
        "VRC026",
        "malformed prefix or address",
        _OWN + "prefixes are strict: host bits, a missing length or a network address where "
        "a host is meant are refused with the value probably meant.",
        "error",
    ),
    Rule(
        "VRC027",
        "gateway or interface address",
        _OWN + "an interface is `address/len` of the router itself, and its gateway is on "
        "that subnet.",
        "error",
    ),
    Rule(
        "VRC028",
        "text cannot be quoted safely",
        _OWN + "free text (descriptions, names, reasons) reaches router configuration; a "
        "quote, backslash, backtick or control character could end a quoted string or start "
        "a new command, so it is refused. Never acknowledgeable.",
        "error",
    ),
    Rule(
        "VRC029",
        "invalid field value",
        _OWN + "a field's value does not fit the plan format (see `vra-config schema`).",
        "error",
    ),
    Rule(
        "VRC030",
        "kind of connection",
        _OWN + "`via` says which kind of link a connection is.",
        "error",
    ),
    Rule(
        "VRC031",
        "field no pack uses",
        _OWN + "a field that no vendor pack renders would be silently ignored.",
        "error",
    ),
    Rule(
        "VRC040",
        "duplicate acknowledgement",
        _OWN + "two `accept:` entries for one finding (same `id` and `at`) give it two "
        "reasons: a reviewer reads one while the run records the other. Keep one.",
        "error",
    ),
    # --- 1xx: IBM's reserved and filtered ranges -----------------------------------------
    Rule(
        "VRC101",
        "IBM Cloud classic service network",
        "10.0.0.0/14, 10.198.0.0/15 and 10.200.0.0/14 are IBM's classic service network. "
        "Direct Link and Transit Gateway filter these prefixes and the classic BGP filter drops "
        "them from what the PowerVS router advertises, so a prefix there is never routed "
        "natively. A prefix carried only inside the GRE tunnel (never advertised to IBM) "
        "does not meet those filters: acknowledge it with the reason.",
        "error",
        sources=(PVS_ARCHITECTURE, DL_CONFIGURE, DL_ORDER),
        acknowledgeable=True,
    ),
    Rule(
        "VRC102",
        "range Direct Link and Transit Gateway drop",
        "IBM says not to use 10.254.0.0/16 with classic connections of Direct Link and "
        "Transit Gateway: on-premises routes that overlap it are dropped. Inside a GRE "
        "tunnel only, it can be acknowledged.",
        "error",
        sources=(DL_ORDER, TGW_PLANNING),
        acknowledgeable=True,
    ),
    Rule(
        "VRC103",
        "IBM Cloud infrastructure service endpoints",
        "161.26.0.0/16 holds IBM's infrastructure services (DNS, NTP, mirrors); every classic "
        "server and gateway appliance has a static route for it to the BCR. IBM allows "
        "overlapping routes only with policy-based routing; acknowledge it if you have that.",
        "error",
        sources=(CLASSIC_IP_RANGES, VPC_ENDPOINTS),
        acknowledgeable=True,
    ),
    Rule(
        "VRC104",
        "IBM Cloud service endpoints",
        "166.8.0.0/14 holds IBM Cloud service endpoints; classic devices route it to the BCR. "
        "IBM allows overlapping routes only with policy-based routing; acknowledge it if you "
        "have that.",
        "error",
        sources=(CLASSIC_IP_RANGES, VPC_ENDPOINTS),
        acknowledgeable=True,
    ),
    Rule(
        "VRC105",
        "link-local space",
        "169.254.0.0/16 is blocked for PowerVS subnets and filtered by Direct Link and the "
        "classic BGP filter. IPsec VTIs, which never cross IBM's routers, may use it.",
        "error",
        sources=(PVS_ARCHITECTURE, DL_CONFIGURE),
    ),
    Rule(
        "VRC106",
        "multicast space",
        "224.0.0.0/4 is multicast: PowerVS, Direct Link and Transit Gateway block it.",
        "error",
        sources=(PVS_ARCHITECTURE, DL_CONFIGURE, TGW_PLANNING),
    ),
    Rule(
        "VRC107",
        "IANA special-purpose range",
        "0.0.0.0/8, 127.0.0.0/8 and 240.0.0.0/4 are not unicast space any router forwards.",
        "error",
        sources=(_rfc(6890),),
    ),
    Rule(
        "VRC110",
        "IBM Cloud classic private space",
        "IBM Cloud classic uses 10.0.0.0/8 for customer VLANs and its service network, and "
        "does not recommend 10.x for PowerVS networks: it works only when it clashes with no "
        "classic subnet of your account and no IBM back-end service.",
        "warning",
        sources=(PVS_ARCHITECTURE, DL_CONFIGURE),
        acknowledgeable=True,
    ),
    Rule(
        "VRC120",
        "Direct Link BGP subnet size",
        "A Direct Link BGP session uses an IPv4 /30 (or a /31 IBM assigns).",
        "error",
        sources=(DL_FAQ, DL_CONFIGURE),
    ),
    Rule(
        "VRC121",
        "Direct Link BGP in 169.254.0.0/16 under a tunnel",
        "IBM: if you plan to use GRE or IPsec tunneling with your direct link, you must select "
        "a BGP IP other than 169.254.0.0/16.",
        "error",
        sources=(DL_ORDER,),
    ),
    Rule(
        "VRC130",
        "static route that overrides PowerVS's or IBM's routes",
        "A static route is preferred over a BGP route of the same prefix and wins over a "
        "shorter one, so a route equal to or inside a PowerVS subnet sends the workspace's "
        "traffic to the route's next hop instead of the tunnel: a black hole. Classic routers "
        "carry IBM's static routes to the BCR (10.0.0.0/8, 161.26.0.0/16, 166.8.0.0/14) and "
        "a default route; the same prefix through another next hop replaces them and cuts "
        "the router off from IBM's service network or the Internet.",
        "error",
        sources=(CLASSIC_IP_RANGES,),
    ),
    Rule(
        "VRC131",
        "static route covering a tunnel's far endpoint",
        _OWN + "a route whose prefix holds the far end of one of the device's tunnels, "
        "through a next hop off the subnet the tunnel starts on, sends the tunnel's own "
        "outer packets into the LAN, and the tunnel never comes up.",
        "error",
        sources=(_rfc(2784), _rfc(4301)),
    ),
    Rule(
        "VRC132",
        "next hop or gateway that is not a host",
        _OWN + "a next hop or gateway that is the device's own address, or the network or "
        "broadcast address of its subnet, never resolves to a neighbour: the route never "
        "becomes active, or the router refuses it.",
        "error",
        sources=(_rfc(1812),),
    ),
    Rule(
        "VRC133",
        "two static routes for one prefix",
        _OWN + "the same route twice would print one `set` line twice; two next hops for one "
        "prefix (ECMP, or a floating route) are not rendered: vra-config renders one next "
        "hop per prefix.",
        "error",
    ),
    Rule(
        "VRC134",
        "BGP identifier 0.0.0.0 or 255.255.255.255",
        "RFC 6286 requires a non-zero BGP identifier and RFC 4271 (section 6.2) a valid "
        "unicast host address; a peer refuses the OPEN with 'Bad BGP Identifier'.",
        "error",
        sources=(_rfc(6286), _rfc(4271)),
    ),
    Rule(
        "VRC135",
        "pair member address off the pair's subnet",
        "VRRP holds the virtual address on an interface whose own address is on the same "
        "subnet; a member whose address is on another subnet cannot hold the pair's virtual "
        "address (IBM assigns both from the same VLAN's subnet).",
        "error",
        sources=(VRA_VRRP, _rfc(5798)),
    ),
    # --- 2xx: overlaps ----------------------------------------------------------------------
    Rule(
        "VRC201",
        "overlapping address space",
        "Two uses that may not share address space overlap: traffic would be routed to the "
        "wrong place. Never acknowledgeable.",
        "error",
        sources=(TGW_PLANNING, _rfc(4632)),
    ),
    Rule(
        "VRC202",
        "prefix listed twice",
        _OWN + "a prefix listed twice in one list is a copy-paste slip.",
        "error",
    ),
    # --- 3xx: ASNs and BGP ------------------------------------------------------------------
    Rule(
        "VRC301",
        "reserved or documentation ASN",
        "ASN 0 (RFC 7607), 23456 (AS_TRANS, RFC 6793), 65535 and 4294967295 (RFC 7300) are "
        "reserved, and 64496-64511 and 65536-65551 are for documentation (RFC 5398).",
        "error",
        sources=(_rfc(5398), _rfc(7607), _rfc(6793), _rfc(7300)),
    ),
    Rule(
        "VRC302",
        "ASN IBM excludes",
        "Direct Link and Transit Gateway GRE block these ASNs; an appliance using one puts it "
        "in the AS path of every route it advertises, and IBM drops those routes.",
        "error",
        sources=(TGW_PLANNING, DL_ORDER),
    ),
    Rule(
        "VRC303",
        "PowerVS ASN unknown for the location",
        "IBM assigns the PowerVS router's ASN per location and it cannot be changed; the table "
        "lists the known ones. Elsewhere, set the ASN IBM gave you.",
        "error",
        sources=(PVS_DIRECT_LINK,),
    ),
    Rule(
        "VRC304",
        "PowerVS ASN on Megaport unknown",
        "IBM publishes the PowerVS network ASN on a Megaport VXC only for some locations.",
        "error",
        sources=(PVS_ARCHITECTURE,),
    ),
    Rule(
        "VRC305",
        "BGP without an ASN",
        _OWN + "a BGP session needs the ASN of each end.",
        "error",
    ),
    Rule(
        "VRC306",
        "eBGP with one ASN",
        "An eBGP session joins two different autonomous systems (RFC 4271); with one ASN "
        "each end drops the other's routes as a loop.",
        "error",
        sources=(_rfc(4271),),
    ),
    Rule(
        "VRC307",
        "static routing where IBM runs BGP",
        'IBM runs BGP over cloud-connection and Transit Gateway GRE ("BGP is mandatory over '
        'the GRE tunnel for route advertisement"); with static routing PowerVS learns no '
        "route back to the router's networks, and nothing on IBM's side can be set by hand.",
        "error",
        sources=(PVS_CLOUD_CONNECTIONS, TGW_GRE_TROUBLESHOOTING),
    ),
    # --- 4xx: references and the ends of a link --------------------------------------------
    Rule("VRC401", "unknown reference", _OWN + "a link names something not in the plan.", "error"),
    Rule(
        "VRC402",
        "name is both a router and a site",
        _OWN + "a link could not tell which is meant.",
        "error",
    ),
    Rule(
        "VRC403",
        "link starts on a site",
        _OWN + "links to IBM start on a router in IBM Cloud classic.",
        "error",
    ),
    Rule("VRC404", "tunnel to itself", _OWN + "a tunnel needs two different ends.", "error"),
    Rule(
        "VRC405",
        "endpoint missing",
        _OWN + "a tunnel runs between two addresses; one end has none.",
        "error",
    ),
    Rule(
        "VRC406",
        "far endpoint is the router itself",
        _OWN + "a tunnel whose far end is the router's own address never comes up.",
        "error",
    ),
    Rule(
        "VRC410",
        "two devices the lab would give one name",
        _OWN + "the lab runs every router, site and PowerVS workspace as a network namespace "
        "named after it, and the Transit Gateway of a connection as `<connection>-tgw`; two "
        "of one name would be one namespace.",
        "error",
    ),
    # --- 5xx: allocation, the lock, the running configuration -------------------------------
    Rule(
        "VRC501",
        "pinned subnet of the wrong size",
        "IBM's cloud-connection GRE splits a /29 in two /30 halves; a Transit Gateway GRE puts "
        "both tunnel IPs in one /30; links between your routers use a /30.",
        "error",
        sources=(PVS_CLOUD_CONNECTIONS, TGW_CLI),
    ),
    Rule(
        "VRC502",
        "no subnet to allocate",
        _OWN + "the pool is empty or full. Never acknowledgeable.",
        "error",
    ),
    Rule(
        "VRC503",
        "locked subnet moves",
        _OWN + "a subnet in the lock file no longer fits the plan, so a new one is allocated "
        "and both ends of the link change.",
        "warning",
    ),
    Rule(
        "VRC504",
        "--locked and the lock would change",
        _OWN + "in CI the lock change must be in the pull request, where a reviewer sees it.",
        "error",
    ),
    Rule(
        "VRC505",
        "tunnel number taken",
        _OWN + "two links cannot share a tunnel interface.",
        "error",
    ),
    Rule(
        "VRC506",
        "locked subnet outside every pool",
        _OWN + "a lock entry edited by hand, or a pool that shrank, keeps a link on addresses "
        "no pool of the plan allows; the reviewer should see that. Acknowledge it to keep it.",
        "warning",
        acknowledgeable=True,
    ),
    Rule(
        "VRC507",
        "lock file damaged",
        _OWN + "the lock file cannot be read as vra-config wrote it.",
        "error",
    ),
    Rule(
        "VRC510",
        "TCP MSS over the MTU",
        "The clamped MSS must fit the tunnel MTU less 40 bytes of IPv4 and TCP headers (RFC 879).",
        "error",
        sources=(_rfc(879),),
    ),
    # --- 6xx: IPsec and keys ------------------------------------------------------------------
    Rule(
        "VRC601",
        "weak IPsec algorithm",
        "DES, 3DES, MD5 and DH groups 1, 2 and 5 must not be used for new tunnels (RFC 8247 "
        "for IKEv2, RFC 8221 for ESP); `legacy: {reason}` allows them for a peer that can do "
        "no better.",
        "error",
        sources=(_rfc(8247), _rfc(8221)),
    ),
    Rule(
        "VRC602",
        "`legacy` without a legacy algorithm",
        _OWN + "`legacy` should say why a weak suite is used; with none it is stale.",
        "warning",
    ),
    Rule(
        "VRC603",
        "key written in the plan",
        _OWN + "every reader of the repository sees a key written in the plan. Acknowledge it "
        "for a lab.",
        "warning",
        acknowledgeable=True,
    ),
    Rule(
        "VRC604",
        "policy-based IPsec with routing or a VTI",
        _OWN + "policy-based IPsec routes by its prefix pairs and has no tunnel interface.",
        "error",
    ),
    Rule(
        "VRC605",
        "GCM with an integrity algorithm",
        "AES-GCM authenticates itself (RFC 4106); an integrity algorithm beside it is refused.",
        "error",
        sources=(_rfc(4106),),
    ),
    Rule(
        "VRC606",
        "key not available",
        _OWN + "with --show-secrets every key must be readable: an environment variable that "
        "is set, or a UTF-8 text file that is not empty.",
        "error",
    ),
    # --- 7xx: vendor limits -------------------------------------------------------------------
    Rule(
        "VRC701",
        "Vyatta 5600 cannot express it",
        "The Vyatta 5600 refuses the value (its public DANOS model: key alphabet, lengths, "
        "one IPsec peer per address).",
        "error",
        sources=(DANOS_IPSEC,),
    ),
    Rule(
        "VRC702",
        "vSRX cannot express it",
        "Junos on the vSRX refuses the value (junos-es YANG: DH groups, names, interfaces).",
        "error",
        sources=(JUNOS_YANG,),
    ),
    Rule(
        "VRC704",
        "IKE AES-GCM PRF the vSRX does not offer",
        "With AES-GCM in IKEv2 Junos binds the PRF to the cipher (aes-256-gcm: SHA-384) and "
        "refuses `prf-algorithm` beside it; the other end offers the plan's ike.integrity as "
        "its PRF (the 5600's `hash` with GCM), so the two must be equal or IKE never "
        "negotiates. Juniper documents no pairing for aes-128-gcm, so it is refused.",
        "error",
        sources=(JUNIPER_PRF,),
    ),
    Rule(
        "VRC705",
        "a name IBM's side refuses",
        "IBM names a Transit Gateway connection after the plan's connection, and the "
        "provider and API accept only names that start with a letter and end with a letter "
        "or digit (at most 63 characters).",
        "error",
        sources=(TGW_CLI, TGW_UNBOUND_GRE),
    ),
    Rule(
        "VRC710",
        "vSRX interface in two zones, or a reserved unit",
        "Junos binds an interface (unit) to one security zone, and a configuration that "
        "lists it in two does not commit: a site's LAN unit that is its WAN unit or a tunnel "
        "unit does that. A WAN zone that is the LAN's zone puts the Internet side under the "
        "LAN's policies. Units of the tunnels (st0, gr-0/0/0), the loopback (lo0) and the "
        "management ports (fxp0, em0) are not a site's LAN or WAN port.",
        "error",
        sources=(JUNIPER_ZONES, JUNOS_YANG),
    ),
    Rule(
        "VRC711",
        "vSRX-only setting on a device rendered for another vendor",
        _OWN + "`lan_interface`, `wan_zone` and `zone` of a site are read only by the vSRX "
        "pack; on a Vyatta site they are silently ignored, so what the plan says is not "
        "what the router gets.",
        "warning",
    ),
    Rule(
        "VRC703",
        "no interface name for this vendor",
        _OWN + "a per-vendor interface name is missing for the vendor being rendered.",
        "error",
    ),
    # --- 8xx: templates and acknowledgements ----------------------------------------------
    Rule(
        "VRC801",
        "template override failed",
        _OWN + "a template given with --templates could not be read or rendered.",
        "error",
    ),
    Rule(
        "VRC810",
        "acknowledgement matches nothing",
        _OWN + "an `accept` entry that matches no finding is stale; remove it, so that "
        "acknowledgements do not pile up.",
        "error",
    ),
    Rule(
        "VRC811",
        "finding cannot be acknowledged",
        _OWN + "only IBM recommendations and filters that a documented design can live with "
        "may be acknowledged; what cannot work never can.",
        "error",
    ),
    Rule(
        "VRC812",
        "unknown rule ID",
        _OWN + "an `accept` entry names a rule that does not exist.",
        "error",
    ),
    # --- 9xx: designs that commit but do not work ------------------------------------
    Rule(
        "VRC901",
        "advertised prefix with no route",
        "BGP announces only prefixes in the routing table: the 5600's BGP (FRR) checks a "
        "`network` against the RIB (`bgp network import-check`), and Junos exports only "
        "active routes. A prefix the device has no route to is silently never sent. "
        "Acknowledge it when the router already has the route by other means.",
        "warning",
        sources=(FRR_IMPORT_CHECK,),
        acknowledgeable=True,
    ),
    Rule(
        "VRC902",
        "GRE recursion",
        _OWN + "a prefix advertised into a GRE tunnel that holds the tunnel's own far "
        "endpoint makes the far end route the tunnel's outer packets into the tunnel, and it "
        "flaps, unless the far end has a host route to the endpoint by its underlay. At a "
        "site vra-config does not render, whose own configuration may hold that route, the "
        "finding is a warning.",
        "error",
        sources=(_rfc(2784),),
    ),
    Rule(
        "VRC903",
        "asymmetric return path around a tunnel",
        _OWN + "hosts on the router's own private subnet use IBM's BCR as their gateway, so "
        "their replies to whatever sits across a link (PowerVS behind a cloud connection or "
        "Transit Gateway, a site over GRE or IPsec) leave by the BCR, not by that link: a "
        "Direct Link site's stateful firewall drops them, and elsewhere they are lost. The "
        "subnet also holds the router's own tunnel endpoint (or VIP), which the far end must "
        "keep reaching outside the tunnel. Advertise the subnets routed through the router "
        "instead.",
        "warning",
        sources=(PVS_ARCHITECTURE,),
        acknowledgeable=True,
    ),
    Rule(
        "VRC904",
        "tunnel MTU above what the underlay carries",
        "GRE adds 24 bytes (a 4-byte header and an outer IPv4 header); a tunnel MTU above the "
        "underlay's less 24 fragments or drops large packets while BGP stays up.",
        "error",
        sources=(_rfc(2784),),
    ),
    Rule(
        "VRC905",
        "Transit Gateway tunnel without a TCP MSS clamp",
        "IBM's side of a Transit Gateway GRE runs a 9000-byte MTU; TCP must be clamped to "
        "what the router's tunnel and underlay carry.",
        "error",
        sources=(TGW_GRE_TROUBLESHOOTING,),
    ),
    Rule(
        "VRC906",
        "route next hop on no subnet of the router",
        _OWN + "a static route whose next hop is on none of the router's subnets never "
        "becomes active, so the prefix it serves is never announced.",
        "error",
    ),
    Rule(
        "VRC920",
        "IPsec tunnel MTU above what the underlay carries",
        "ESP in tunnel mode adds an outer IPv4 header (20), NAT-T UDP (8), the ESP header "
        "(8), the cipher's IV, padding to its block, the trailer (2) and the ICV; a VTI MTU "
        "whose packets grow past the underlay's MTU fragments or drops large packets while "
        "IKE and BGP stay up.",
        "error",
        sources=(_rfc(4303), _rfc(3948), _rfc(3602), _rfc(4106), _rfc(4868)),
    ),
    Rule(
        "VRC907",
        "re-originated prefix pinned to one of several links",
        "Two PowerVS locations that share an ASN (64999) drop each other's routes as a loop "
        "(RFC 4271 9.1.2). The 5600's BGP cannot rewrite the path: its YANG has no "
        "`as-override`, and its only `remove-private-as` is FRR's plain `neighbor X "
        "remove-private-AS`, which keeps a private ASN that is the neighbour's own. So the "
        "Vyatta pack re-originates the far prefix: a static route to one link's BGP peer "
        "(distance 1) and `network`. A GRE tunnel stays up when its far end dies, so the "
        "static outlives the session and beats a backup link's eBGP route (distance 20): "
        "traffic goes into the dead tunnel, and the backup never takes over. DANOS's "
        "public YANG has no path monitor to withdraw the static, and FRR's `network` "
        "import-check does not count BGP's own routes. Where the prefix arrives over one "
        "link only, the static also stays (and is advertised) while that far end is "
        "silent, but there is no other path to fail over to. Use a vSRX (`as-override`), "
        "keep one link from this router to that workspace, or do not carry that "
        "workspace's prefixes to the other location over this router (`advertise:`).",
        "error",
        sources=(DANOS_BGP, FRR_BGP, _rfc(4271)),
    ),
    Rule(
        "VRC908",
        "re-originated prefix that outlives its source",
        "Where one link brings a prefix the Vyatta pack must re-originate (see VRC907), its "
        "static route stays as long as that link's tunnel or interface is up, not as long "
        "as the prefix is reachable behind it: when the far end goes silent (a VRA GRE "
        "tunnel stays up) or withdraws the prefix (it lost it further on), the router keeps "
        "advertising it and drops its traffic. On DANOS even a down tunnel may not remove "
        "it: `protocols next-hop resolve-via-default` is enabled by default (FRR `ip nht "
        "resolve-via-default`), so with a default route the next hop still resolves. No "
        "backup of this router is kept out, but "
        "any other path to the prefix loses to it. DANOS's public YANG has no path monitor "
        "that could withdraw the static, and FRR's `network` import-check ignores BGP's own "
        "routes. Acknowledge it where no other path exists; a vSRX (`as-override`) follows "
        "BGP.",
        "warning",
        sources=(DANOS_BGP, FRR_BGP, _rfc(4271)),
        acknowledgeable=True,
    ),
    Rule(
        "VRC909",
        "route a workspace behind a Transit Gateway drops as a loop",
        "A PowerVS workspace behind a Transit Gateway keeps its own ASN in the path: IBM's "
        "route reports show the origin ASN after the gateway's own segment. A route that "
        "already crossed that ASN (another location's 64999) is dropped there as a loop "
        "(RFC 4271 9.1.2). Junos `as-override` rewrites only the neighbour's AS, the "
        "gateway's, so the vSRX cannot deliver it; the Vyatta pack re-originates it "
        "instead (with VRC907 and VRC908's limits).",
        "error",
        sources=(TGW_ROUTE_REPORTS, _rfc(4271)),
    ),
    # --- 95x: high availability (gateway pairs) ---
    Rule(
        "VRC950",
        "gateway pair that does not describe two appliances",
        "An IBM VRA high-availability pair is two appliances clustered with VRRP; the pair's "
        "addresses are the VRRP virtual addresses IBM assigned, each member has its own real "
        "addresses, and a public virtual address needs the public VRRP group. A member "
        "written with a virtual address, or a group missing, renders a pair that fails over "
        "to nothing.",
        "error",
        sources=(VRA_VRRP,),
    ),
    Rule(
        "VRC951",
        "VRRP setting against IBM's rules",
        "IBM: the first device has priority 254 and the next one less, never 255 (the address "
        "owner takes over with whatever configuration it booted with); the advert interval is "
        "1, 2 on busy networks, never over 5; two pairs on one VLAN must not share a VRRP group.",
        "error",
        sources=(VRA_VRRP, _rfc(5798)),
    ),
    Rule(
        "VRC952",
        "vSRX chassis cluster described as a VRRP pair, or the other way round",
        "A vSRX high-availability pair is a Junos chassis cluster: one configuration for both "
        "nodes, its addresses on the redundant Ethernet interfaces reth0.0 (private) and "
        "reth1.0 (public), which fail over with their redundancy group. It has no VRRP "
        "groups, priorities or virtual addresses; a VRA pair has nothing else. A plan that "
        "mixes them renders a failover that neither appliance performs.",
        "error",
        sources=(VSRX_HA_DEFAULT, JUNIPER_RETH),
    ),
    Rule(
        "VRC953",
        "chassis cluster traffic on a node's own address or port",
        "In a chassis cluster only the reth interfaces move to the node that takes over; a "
        "node's own address (fxp0) and the node's ports that are children of a reth "
        "(ge-0/0/x on node0, ge-7/0/x on node1) stay on that node. A GRE source or IKE "
        "gateway there goes down with the node instead of following the cluster.",
        "error",
        sources=(VSRX_HA_DEFAULT, JUNIPER_RETH, JUNIPER_CLUSTER_VPN),
    ),
    # --- 96x: redundant links to one PowerVS workspace ---
    Rule(
        "VRC960",
        "redundant Transit Gateway GRE against IBM's rules",
        "IBM: a redundant GRE is a grouping of at least two GRE tunnels, never more than two "
        "per zone; every tunnel and connection on a transit gateway has a unique name; each "
        "tunnel has its own gateway IP and zone, and the Local BGP ASN of its zone. "
        "vra-config gives each tunnel its own /30, tunnel interface and BGP session.",
        "error",
        sources=(TGW_PLANNING, TGW_REDUNDANT_GRE),
    ),
    Rule(
        "VRC961",
        "more links to one workspace than can be ranked",
        "A router's backup links to one workspace learn at local-preference 100 - 10 x "
        "their rank (RFC 4271 9.1.1: the higher wins). Both OSes take only 0..4294967295 "
        "there (DANOS route-map `set local-preference` uint32; Junos `then "
        "local-preference`), so the ninth backup (10) is the last one that can be ranked: "
        "at most ten BGP links from one router to one workspace.",
        "error",
        sources=(_rfc(4271), DANOS_POLICY, JUNOS_YANG),
    ),
    # --- 97x: failover of a gateway pair ---
    Rule(
        "VRC970",
        "GRE on a chassis cluster with no documented failover",
        "Every GRE link of a vSRX chassis cluster is a gr-0/0/0 unit. Juniper documents how "
        "reths and IPsec (IKE on a reth, st0) follow their redundancy group, but no Juniper "
        "page we could find, nor the junos-es YANG, documents a redundancy-group anchor for "
        "gr-0/0/0 on SRX/vSRX: nothing shows those tunnels surviving the loss of node0. Test "
        "the failover (`request chassis cluster failover redundancy-group 1 node 1`) and "
        "acknowledge the finding with the test's result.",
        "warning",
        sources=(JUNIPER_RETH, JUNIPER_CLUSTER_VPN, JUNOS_YANG),
        acknowledgeable=True,
    ),
    # --- 98x: values IBM assigns at creation, and values it refuses at apply ---
    Rule(
        "VRC980",
        "a Transit Gateway GRE's Local BGP ASN is not in the plan yet",
        "IBM's Transit Gateway assigns the Local BGP ASN of a GRE connection (one per zone) "
        "when the connection is created and shows it only then. IBM's side needs only what "
        "you choose (gateway and tunnel IPs, zone), so it renders without the ASN and is "
        "applied first; the rendered Terraform outputs the assigned ASN. The router's BGP "
        "session needs it: an error for `check` and for rendering a router (neither can "
        "pass a plan whose router cannot be rendered), a warning for `render --target "
        "terraform|ibmcloud`, which is step one.",
        "error",
        sources=(TGW_UNBOUND_GRE, TGW_REDUNDANT_GRE),
    ),
    Rule(
        "VRC981",
        "a Transit Gateway GRE's Local gateway IP is not RFC 1918",
        "IBM's Transit Gateway CLI reference requires the Local gateway IP of a GRE to "
        "comply with RFC 1918, outside the multicast range and clear of every network on "
        "the gateway; it states this for a VPC base network, and every classic example IBM "
        "gives uses a private address. `terraform plan` accepts any address and the API "
        "decides at apply, so vra-config refuses a public one before.",
        "error",
        sources=(TGW_CLI, TGW_UNBOUND_GRE, _rfc(1918)),
    ),
)


def family(rule_id: str) -> str:
    """The family a rule belongs to, from its hundreds."""
    return FAMILIES[int(rule_id[3:]) // 100]


def explain(rule_id: str) -> str:
    """What `vra-config explain ID` prints: the rule, its rationale and its sources."""
    rule = RULES[rule_id]
    lines = [
        f"{rule.id}: {rule.title}",
        f"family: {family(rule.id)}",
        f"severity: {rule.severity}",
        f"acknowledgeable: {'yes, with `accept:` in the plan' if rule.acknowledgeable else 'no'}",
        "",
        *textwrap.wrap(rule.rationale, width=88),
    ]
    if rule.sources:
        lines += ["", "sources:"]
        lines += [f"  {s.title}: {s.url}" for s in rule.sources]
    return "\n".join(lines) + "\n"
