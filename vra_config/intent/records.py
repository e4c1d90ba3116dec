"""What a device must be told, in words no vendor owns: the records the packs read.

`router.router_intents` fills them from the address plan; a router pack turns one
`RouterIntent` into its own names and syntax, and never sees the plan or the planner.

Every record is keyword-only: most hold several fields of one type side by side (two
addresses, two numbers, two prefix lists), and a swapped pair passed by position would
type-check and render a wrong configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.plan.model import Esp, Ike
from vra_config.plan.values import PerVendor, Secret


@dataclass(frozen=True, kw_only=True)
class GreTunnel:
    connection: str
    number: int
    description: str
    local_ip: IPv4Address
    remote_ip: IPv4Address
    address: IPv4Interface
    mtu: int
    tcp_mss: int | None


@dataclass(frozen=True, kw_only=True)
class Vti:
    connection: str
    number: int
    description: str
    address: IPv4Interface
    mtu: int
    tcp_mss: int | None


@dataclass(frozen=True, kw_only=True)
class IpsecPeer:
    """One end of a site-to-site IPsec link: both ends share proposals and key."""

    connection: str
    description: str
    local_address: IPv4Address
    remote_address: IPv4Address
    ike: Ike
    esp: Esp
    psk: Secret
    vti: int | None  # route-based: the VTI number; policy-based: None
    policies: tuple[tuple[IPv4Network, IPv4Network], ...]  # (local, remote) prefix pairs
    number: int | None = None  # the tunnel interface number, policy-based links included


@dataclass(frozen=True, kw_only=True)
class VlanInterface:
    """A VLAN sub-interface carrying a Megaport VXC."""

    connection: str
    interface: PerVendor
    vlan: int
    address: IPv4Interface
    description: str


@dataclass(frozen=True, kw_only=True)
class StaticRoute:
    """A route via a next-hop address, or out of a tunnel (`family` "gre" or "vti")."""

    prefix: IPv4Network
    description: str
    next_hop: IPv4Address | None = None
    family: str | None = None
    number: int | None = None
    #: a route that only makes policy-based IPsec work on OSes that need one (Vyatta)
    for_ipsec_policy: bool = False
    #: a route that re-originates a prefix learned from a peer whose ASN a neighbour shares,
    #: for OSes that cannot override the AS path (the 5600's BGP has no `as-override`)
    reoriginate: bool = False
    #: a re-originating route: every link that brings its prefix, the one routed first (the
    #: preferred). More than one means the route pins the prefix to one link while the others
    #: could take over, which a static route never lets them do (rule VRC907).
    arrivals: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class BgpNeighbor:
    connection: str
    address: IPv4Address
    local_address: IPv4Address
    remote_as: int
    description: str
    accept: tuple[IPv4Network, ...]
    advertise: tuple[IPv4Network, ...]
    keepalive: int
    holdtime: int
    #: Prefixes sent to this neighbour that have crossed its own ASN (two PowerVS locations
    #: both use 64999): it drops them as a loop unless the path is rewritten (Junos
    #: `as-override`) or they are re-originated here (`StaticRoute.reoriginate`).
    own_as_in_path: tuple[IPv4Network, ...] = ()
    multihop: int | None = None
    #: seconds between attempts to open the session (`timers connect`); set on the members of
    #: a VRA pair (`intent/pairs.py`), None elsewhere (the OS default, 120 s in FRR)
    connect_retry: int | None = None
    #: ASNs behind the neighbour that see what it is sent: the PowerVS workspace behind a
    #: Transit Gateway (`PlannedLink.far_asns`). A route whose path holds one is dropped
    #: there as a loop, and `as-override`, which rewrites only the neighbour's AS, cannot help.
    behind: tuple[int, ...] = ()
    #: the prefixes of `own_as_in_path` that loop at an ASN in `behind`
    loops_behind: tuple[IPv4Network, ...] = ()
    #: 0: the preferred session (or the only one) to its workspace; n > 0: the n-th backup,
    #: learned routes at `local_preference`, own AS prepended `prepend` times on the way out.
    backup: int = 0

    @property
    def local_preference(self) -> int | None:
        """What a backup sets on what it learns: below the default 100 of every OS, one
        step lower per rank (RFC 4271 9.1.1: the higher degree of preference wins)."""
        return (
            DEFAULT_LOCAL_PREFERENCE - LOCAL_PREFERENCE_STEP * self.backup if self.backup else None
        )

    @property
    def prepend(self) -> int:
        """How many times a backup prepends its own AS to what it advertises, so the far
        end prefers the shorter path of the preferred link (RFC 4271 9.1.2.2 b)."""
        return self.backup


#: The local-preference a route has unless a policy sets one: 100 on Vyatta (DANOS), Junos
#: and FRR alike; a backup link's routes get 100 - 10 x its rank.
DEFAULT_LOCAL_PREFERENCE = 100
LOCAL_PREFERENCE_STEP = 10


@dataclass(frozen=True, kw_only=True)
class InboundFilter:
    """What may arrive on one link's interface: the far end's prefixes and the link subnet.

    The interface is a tunnel (`family` "gre" or "vti" and `number`) or a VLAN
    (`interface`, `vlan`)."""

    connection: str
    description: str
    sources: tuple[IPv4Network, ...]
    family: str | None = None
    number: int | None = None
    interface: PerVendor | None = None
    vlan: int | None = None


@dataclass(frozen=True, kw_only=True)
class LinkEnd:
    """One end of one link, as the device at that end sees it: for zones, policies and
    host-bound filters, which need every link of a device side by side."""

    connection: str
    via: str
    other: str  # the far device or PowerVS workspace
    other_kind: str  # "powervs", "router" or "site"
    family: str | None  # "gre", "vti" or None (a VLAN)
    number: int | None
    interface: PerVendor | None  # a VLAN's parent interface
    vlan: int | None
    imports: tuple[IPv4Network, ...]  # what arrives over it
    exports: tuple[IPv4Network, ...]  # what this end sends (and so the far end routes back)
    zone: str | None  # the plan's choice for this end, if any
    remote_ip: IPv4Address | None  # GRE endpoint or IPsec peer
    bgp_peer: IPv4Address | None


@dataclass(frozen=True, kw_only=True)
class HaMember:
    """What one member of a pair adds to the pair's intent: its VRRP role."""

    pair: str
    member: str
    priority: int
    private_group: int
    private_vip: IPv4Interface
    public_group: int | None
    public_vip: IPv4Interface | None
    sync_group: str
    advertise_interval: int
    #: the other member, and its own addresses (never a tunnel endpoint)
    peer: str
    own_addresses: tuple[IPv4Address, ...]
    peer_addresses: tuple[IPv4Address, ...]


@dataclass(frozen=True, kw_only=True)
class ClusterNodes:
    """What a vSRX chassis cluster adds to its one intent (see `intent/cluster.py`): its
    nodes, and the reth units its tunnels start on. A node's own (management) address never
    carries a tunnel."""

    node0: str
    node1: str
    private_interface: str
    public_interface: str
    node_addresses: tuple[IPv4Address, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RouterIntent:
    """Everything one device needs, sorted so that rendering is byte-stable."""

    name: str
    asn: int | None
    router_id: IPv4Address | None
    tunnels: tuple[GreTunnel, ...] = ()
    static_routes: tuple[StaticRoute, ...] = ()
    bgp_neighbors: tuple[BgpNeighbor, ...] = ()
    vtis: tuple[Vti, ...] = ()
    ipsec_peers: tuple[IpsecPeer, ...] = ()
    vlan_interfaces: tuple[VlanInterface, ...] = ()
    bgp_networks: tuple[IPv4Network, ...] = ()
    site: bool = False  # a gateway of yours outside IBM Cloud
    filters: tuple[InboundFilter, ...] = ()
    links: tuple[LinkEnd, ...] = ()
    own_prefixes: tuple[IPv4Network, ...] = ()
    own_zone: str | None = None
    loopback_filter: str | None = None
    public_interface: str | None = None
    #: a site's interface holding its `address`, its zone, and its LAN interface (vSRX)
    site_interface: str | None = None
    site_wan_zone: str | None = None
    site_lan_interface: str | None = None
    #: a site that reaches IBM Cloud over a Direct Link: its own BGP session with IBM runs on
    #: its WAN side, which a filter of ours there must keep
    site_direct_link: bool = False
    #: a member of a VRA high-availability pair: its VRRP role (see `intent/pairs.py`)
    ha: HaMember | None = None
    #: a vSRX chassis cluster: one configuration for both nodes (see `intent/cluster.py`)
    cluster: ClusterNodes | None = None

    @property
    def role(self) -> str:
        if self.ha is not None:
            return f"IBM Cloud classic, member of VRRP pair {self.ha.pair}"
        if self.cluster is not None:
            c = self.cluster
            return f"IBM Cloud classic, chassis cluster of {c.node0} and {c.node1}"
        return "site" if self.site else "IBM Cloud classic"

    @property
    def ike_v2(self) -> bool:
        return any(p.ike.version == 2 for p in self.ipsec_peers)
