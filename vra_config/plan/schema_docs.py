"""What each plan field means, with an example: the JSON Schema's `description` and
`examples`, so that an editor explains a key while it is typed and offers a value.

One row per field name; a field whose meaning differs by where it sits has a row per
`Definition.field` as well (looked up first). The texts follow the README's plan reference;
`tests/test_cli.py` checks that every property of the schema has both.
"""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, tuple[str, Any]] = {
    "accept": (
        "Findings the plan acknowledges on purpose, each with the reason reviewers read "
        "(only rules that are IBM recommendations or filters).",
        [{"id": "VRC101", "at": "powervs.ws1.subnets[1]", "reason": "carried only in GRE"}],
    ),
    "address": ("An IPv4 address with its prefix length on an interface.", "10.148.252.83/26"),
    "Site.address": (
        "The site's public IPsec address, or its GRE endpoint over a Direct Link.",
        "198.51.100.10",
    ),
    "advertise": (
        "Prefixes this end sends; on a router, what sits behind it (sent over every link "
        "unless a link says otherwise); on a link, overrides what the router end sends.",
        ["10.148.252.64/26", "10.20.0.0/16"],
    ),
    "advertise_interval": ("VRRP advertisement interval in seconds.", 1),
    "asn": ("A BGP autonomous system number.", 64880),
    "TgwTunnel.asn": (
        "The Local BGP ASN IBM assigns to this tunnel's zone when the connection is created; "
        "leave it out until then (IBM's side renders without it, the router waits for it).",
        64490,
    ),
    "TransitGatewayEnd.asn": (
        "The Local BGP ASN IBM assigns when the GRE connection is created; leave it out until "
        "then (IBM's side renders without it, the router waits for it).",
        64490,
    ),
    "Workspace.asn": (
        "The PowerVS router's ASN; by default from IBM's Direct Link Connect table for the "
        "location.",
        64999,
    ),
    "at": ("The plan path of the acknowledged finding.", "powervs.ws1.subnets[1]"),
    "bgp_subnet": (
        "The site's Direct Link BGP /30 (outside 169.254.0.0/16 when tunnels run over it).",
        "172.17.1.0/30",
    ),
    "classic_subnets": (
        "Your IBM Cloud classic VLAN subnets, checked against everything else.",
        ["10.148.252.64/26"],
    ),
    "cluster": (
        "A vSRX chassis cluster: its two nodes; rendered as one configuration.",
        {"node0": {"host_name": "vsrx-0"}, "node1": {"host_name": "vsrx-1"}},
    ),
    "connected": (
        "Subnets this device is the gateway of (connected routes BGP can announce).",
        ["10.148.252.64/26"],
    ),
    "connections": (
        "The links, by name; `via` says which kind.",
        {"cc-dal12": {"router": "vra-dal12", "powervs": "dal12-prod", "via": "cloud-connection"}},
    ),
    "description": (
        "Up to 80 printable ASCII characters (no quotes, backslashes or backticks), printed "
        "on the interfaces and sessions of the link.",
        "PowerVS dal12 production",
    ),
    "dh_group": ("Diffie-Hellman group of the IKE proposal.", 20),
    "direct_link": ("The site's Direct Link BGP subnet.", {"bgp_subnet": "172.17.1.0/30"}),
    "ebgp_multihop": (
        "eBGP TTL for the session, when IBM's Transit Gateway troubleshooting asks for it.",
        16,
    ),
    "encryption": ("The encryption algorithm of the proposal.", "aes256"),
    "Esp.encryption": ("ESP encryption (GCM authenticates itself).", "aes256gcm"),
    "esp": (
        "The ESP (phase 2) proposal.",
        {"encryption": "aes256gcm", "pfs": 20, "lifetime": 3600},
    ),
    "firewall": (
        "true: each link's interface accepts only what its far end may send, and drops the rest.",
        False,
    ),
    "gateway": ("The interface's gateway (for the private interface, the BCR).", "10.148.252.65"),
    "gateway_ip": (
        "The Transit Gateway's Local gateway IP you choose: RFC 1918, used by no network on "
        "the gateway.",
        "192.168.255.1",
    ),
    "gre": ("Pin the GRE subnet of this link (a /29 for a cloud connection, else a /30).", None),
    "CloudConnection.gre": ("Pin the cloud connection's GRE /29.", "172.16.3.0/29"),
    "GreLink.gre": ("Pin the tunnel's /30.", "172.16.4.0/30"),
    "TgwTunnel.gre": ("Pin this tunnel's /30.", "172.16.10.0/30"),
    "TransitGatewayConnection.gre": ("Pin the tunnel's /30.", "172.16.10.0/30"),
    "ha": (
        "A VRA VRRP pair: its members and the groups IBM provisioned.",
        {
            "private_group": 2,
            "sync_group": "vgroup1",
            "members": {
                "vra-a": {
                    "priority": 254,
                    "private": {"address": "10.186.22.11/26", "gateway": "10.186.22.1"},
                },
                "vra-b": {
                    "priority": 253,
                    "private": {"address": "10.186.22.12/26", "gateway": "10.186.22.1"},
                },
            },
        },
    ),
    "host_name": ("The node's host name.", "vsrx-0"),
    "id": ("The rule ID of the acknowledged finding.", "VRC101"),
    "ike": (
        "The IKE (phase 1) proposal.",
        {"version": 2, "encryption": "aes256", "integrity": "sha256", "dh_group": 20},
    ),
    "integrity": ("The integrity (hash) algorithm; for IKE also the PRF.", "sha256"),
    "interface": ("An interface (unit) name.", "ge-0/0/0.0"),
    "MegaportLink.interface": (
        "The port carrying the VXC VLAN: a name, or one per vendor.",
        {"vyatta": "dp0p192p1", "vsrx": "ge-0/0/2"},
    ),
    "Interface.interface": (
        "The interface holding the address (vSRX: IKE binds to it).",
        "ge-0/0/1.0",
    ),
    "lan_interface": ("vSRX: the unit towards the site's networks.", "ge-0/0/1.0"),
    "legacy": (
        "Consent to weak IPsec algorithms, with the reason a reviewer will read.",
        {"reason": "the far end cannot do better until its upgrade"},
    ),
    "lifetime": ("Lifetime in seconds.", 28800),
    "Esp.lifetime": ("ESP SA lifetime in seconds.", 3600),
    "location": ("The IBM location of the workspace.", "dal12"),
    "loopback_filter": (
        "vSRX: the loopback filter to open for the planned peers (null for none).",
        "PROTECT-IN",
    ),
    "management": ("The node's own (fxp0) address.", "10.186.22.5/26"),
    "members": (
        "The pair's members by host name, each with its VRRP priority and addresses.",
        {
            "vra-a": {
                "priority": 254,
                "private": {"address": "10.186.22.11/26", "gateway": "10.186.22.1"},
            }
        },
    ),
    "mode": ("IPsec mode: `vti` (route-based, default) or `policy`.", "vti"),
    "mtu": ("The tunnel interface's MTU (1280-9000).", 1476),
    "name": ("The tunnel's name, unique on the Transit Gateway.", "tgw-dal-1"),
    "networks": ("The networks behind the site.", ["10.100.0.0/16"]),
    "next_hop": ("The next hop of the route, on the private or public subnet.", "10.148.252.90"),
    "node0": ("The cluster's node 0.", {"host_name": "vsrx-0"}),
    "node1": ("The cluster's node 1.", {"host_name": "vsrx-1"}),
    "peer": ("The router or site at the far end of the link.", "dc-east"),
    "peer_tunnel": ("Pin the far end's tunnel number.", 0),
    "peering": ("Pin the Megaport VXC's /30.", "172.18.0.0/30"),
    "pfs": ("ESP perfect forward secrecy: a DH group, or `off`.", 20),
    "pools": (
        "Address pools vra-config allocates tunnel subnets from.",
        {"tunnels": ["172.16.3.0/24"], "vti": ["169.254.100.0/24"]},
    ),
    "powervs": ("The PowerVS workspace this link leads to.", "dal12-prod"),
    "Plan.powervs": (
        "PowerVS workspaces, by name.",
        {"dal12-prod": {"location": "dal12", "subnets": ["192.168.50.0/24"]}},
    ),
    "powervs_asn": ("The PowerVS ASN IBM gave you for this VXC.", 64997),
    "prefix": ("The route's prefix.", "10.20.0.0/16"),
    "priority": ("The member's VRRP priority (the higher is master).", 254),
    "private": (
        "The classic private interface: its address and gateway (the BCR).",
        {"address": "10.148.252.83/26", "gateway": "10.148.252.65"},
    ),
    "private_group": ("The VRRP group on the private interface.", 2),
    "psk": (
        "Where the pre-shared key is: `{env: NAME}` or `{file: PATH}` (a literal is warned).",
        {"env": "VRA_PSK_DC_EAST"},
    ),
    "public": (
        "The classic public interface: its address and gateway (needed for IPsec).",
        {"address": "169.55.223.76/29", "gateway": "169.55.223.73"},
    ),
    "public_group": ("The VRRP group on the public interface.", 1),
    "reason": ("Why, in words a reviewer reads.", "carried only inside the GRE tunnel"),
    "router": ("The router this link starts on.", "vra-dal12"),
    "router_id": ("The BGP router ID; emitted only when set.", "10.148.252.83"),
    "routers": (
        "Edge routers in IBM Cloud classic, by name (every router is rendered).",
        {
            "vra-dal12": {
                "vendor": "vyatta",
                "asn": 64880,
                "private": {"address": "10.148.252.83/26", "gateway": "10.148.252.65"},
            }
        },
    ),
    "routes": (
        "Static routes that put advertised prefixes in the routing table.",
        [{"prefix": "10.20.0.0/16", "next_hop": "10.148.252.90"}],
    ),
    "routing": (
        "`bgp` (default) or `static`; IBM runs BGP on cloud connections and Transit Gateways.",
        "bgp",
    ),
    "sites": (
        "Gateways of yours outside IBM Cloud, by name; rendered when they name a vendor.",
        {"dc-east": {"address": "198.51.100.10", "asn": 65010}},
    ),
    "speed": (
        "Mbps, for IBM's side only (50-5000: GRE cannot run at 10000).",
        1000,
    ),
    "subnets": (
        "The workspace's subnets (RFC 1918 or BYOIP).",
        ["192.168.50.0/24", "203.0.113.0/24"],
    ),
    "sync_group": ("The VRRP sync group name IBM provisioned.", "vgroup1"),
    "tcp_mss": ("`auto` (MTU - 40 when under 1500), `off`, or bytes.", "auto"),
    "transit_gateway": (
        "The Transit Gateway side: `gateway_ip`, `asn` (once IBM assigned it) and `zone`, or "
        "a redundant GRE's `tunnels`.",
        {"gateway_ip": "192.168.255.1", "zone": "us-south-1"},
    ),
    "tunnel": ("Pin the router's tunnel interface number.", 0),
    "tunnels": ("Tunnel subnet pools.", ["172.16.3.0/24"]),
    "TransitGatewayEnd.tunnels": (
        "A redundant GRE: at least two tunnels, at most two per zone.",
        [
            {"name": "tgw-dal-1", "gateway_ip": "192.168.255.1", "zone": "us-south-1"},
            {"name": "tgw-dal-2", "gateway_ip": "192.168.255.5", "zone": "us-south-2"},
        ],
    ),
    "underlay_mtu": (
        "The MTU the tunnels' outer packets cross (default 1500).",
        1500,
    ),
    "vendor": ("The router OS to render: `vyatta` or `vsrx`.", "vyatta"),
    "version": ("The plan format version.", 1),
    "Ike.version": ("The IKE version.", 2),
    "via": ("The kind of link.", "cloud-connection"),
    "vlan": ("The VXC's VLAN ID.", 100),
    "vti": ("Pin the VTI's /30 (from `pools.vti`).", "169.254.100.0/30"),
    "Pools.vti": ("VTI subnet pools.", ["169.254.100.0/24"]),
    "wan_zone": ("vSRX: the security zone of the site's WAN interface.", "untrust"),
    "zone": ("vSRX: the security zone of this end's interface.", "SL-PRIVATE"),
    "TgwTunnel.zone": ("The availability zone this tunnel is bound to.", "us-south-1"),
    "TransitGatewayEnd.zone": (
        "The availability zone the GRE is bound to (IBM's side only).",
        "us-south-1",
    ),
}


def annotate(schema: dict[str, Any]) -> dict[str, Any]:
    """Add `description` and `examples` to every property of the plan's schema."""
    parts: list[tuple[str, dict[str, Any]]] = [("Plan", schema)]
    parts += list(schema.get("$defs", {}).items())
    for definition, node in parts:
        for field, prop in node.get("properties", {}).items():
            found = FIELDS.get(f"{definition}.{field}") or FIELDS.get(field)
            if found is None:
                continue
            description, example = found
            prop.setdefault("description", description)
            if example is not None:
                prop.setdefault("examples", [example])
    return schema
