"""The records the planner takes and hands on, and the IBM rules that split a link's subnet.

In: `InUse`, what a router's running configuration already holds (plain data: the planner
never reads a configuration). Out: an `AddressPlan` of `PlannedLink`s, every address and
number each link needs, which intent, design checks and the IBM-side targets read.

The IBM rules the splits apply (IBM Cloud docs: power-iaas-cloud-connections, transit-gateway-cli):
- cloud connection: a /29 split in halves; PowerVS GRE source = first host of the first half;
  PowerVS tunnel IP = first host of the second half; router tunnel IP = second host of the
  second half, configured as a /30 so the source stays outside the overlay; a /32 route to
  the source via the router's private gateway.
- Transit Gateway: a /30 holding the TGW tunnel IP (first host) and the router's (second).
Links between devices of the plan (GRE, IPsec VTI) and Megaport peerings use a /30: the
first host for the `router` end, the second for the peer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.plan.findings import Finding
from vra_config.plan.model import AnyConnection, Esp, GreLink, Ike, IpsecLink, Plan
from vra_config.plan.values import PerVendor, Secret
from vra_config.planner import ibm
from vra_config.planner.lock import Lock
from vra_config.planner.prefixes import Use

#: Size of the subnet each kind of link takes.
PREFIXLEN: dict[str, int] = {
    "cloud-connection": ibm.CLOUD_CONNECTION_GRE_PREFIXLEN,
    "transit-gateway": ibm.TRANSIT_GATEWAY_GRE_PREFIXLEN,
    "gre": 30,
    "ipsec": 30,
    "megaport": 30,
}


#: Which interface family a link's tunnel number counts in (tunN / vtiN); None: no tunnel.
FAMILY: dict[str, str | None] = {
    "cloud-connection": "gre",
    "transit-gateway": "gre",
    "gre": "gre",
    "ipsec": "vti",
    "megaport": None,
}


#: The key that pins each kind's subnet in the plan (`gre:`, `vti:`, `peering:`).
SUBNET_FIELD = {
    "cloud-connection": "gre",
    "transit-gateway": "gre",
    "gre": "gre",
    "ipsec": "vti",
    "megaport": "peering",
}


@dataclass(frozen=True)
class InUse:
    """What a router's running configuration already uses that the plan does not own."""

    file: str
    vendor: str
    #: tunnel interface numbers by family ("gre": tunN / gr-0/0/0 units, "vti": vtiN / st0)
    numbers: dict[str, dict[int, int]]  # family -> number -> line
    addresses: tuple[tuple[str, int], ...]  # interface address (A/len) and its line


@dataclass(frozen=True)
class IpsecParams:
    """What both ends of an IPsec link share: proposals, key, mode."""

    mode: str
    ike: Ike
    esp: Esp
    psk: Secret


@dataclass(frozen=True)
class PlannedLink:
    """Every address and number one link needs, both ends derived from one subnet.

    `router` is the device the link starts on; `peer` is a device (`peer_kind` "router" or
    "site") or a PowerVS workspace ("powervs").
    """

    name: str
    via: str
    router: str
    peer: str
    peer_kind: str
    powervs: str | None
    routing: str  # "bgp", "static" or "policy"
    subnet: IPv4Network | None
    tunnel: int | None
    peer_tunnel: int | None
    local_ip: IPv4Address | None
    remote_ip: IPv4Address | None
    router_address: IPv4Interface | None
    peer_address: IPv4Interface | None
    router_asn: int | None
    peer_asn: int | None
    router_gateway: IPv4Address | None  # the router's private gateway, for endpoint routes
    peer_gateway: IPv4Address | None  # the peer's underlay next hop: its BCR, or its DL peer
    mtu: int | None
    tcp_mss: int | None
    advertise: tuple[IPv4Network, ...] | None  # explicit, from the plan; None: derived
    description: str | None
    origin: str  # "pinned", "locked", "allocated" or "" (no subnet)
    ipsec: IpsecParams | None = None
    router_public_gateway: IPv4Address | None = None
    zone: str | None = None  # the plan's security zone for the router end (vSRX)
    interface: PerVendor | None = None
    vlan: int | None = None
    ebgp_multihop: int | None = None  # Transit Gateway: the TTL IBM's troubleshooting suggests
    #: Among its router's BGP links to one workspace: 0 preferred, 1, 2, ... backups
    #: (`planner/redundant.py`); 0 for a link that has no sibling.
    backup: int = 0
    #: The redundant GRE connection this tunnel belongs to (its name is the tunnel's).
    group: str | None = None
    #: The ASN a PowerVS workspace's own routes start from (`workspace_asn`): the peer's on a
    #: cloud connection or VXC; behind a Transit Gateway the workspace's, after the gateway's.
    workspace_asn: int | None = None

    @functools.cached_property
    def far_asns(self) -> frozenset[int]:
        """Every ASN a route from the far end has crossed when it arrives: the peer's, and
        behind a Transit Gateway the workspace's too. The planner's routing, the packs' loop
        checks and the lab's stand-ins all read this one model. Worked out once per link
        (the design checks ask for it per prefix: 133,750 times at 10,000 connections)."""
        return frozenset(a for a in (self.peer_asn, self.workspace_asn) if a is not None)


@dataclass(frozen=True)
class LockChange:
    """One connection whose allocation the lock file would gain, lose or change."""

    connection: str
    what: str

    def __str__(self) -> str:
        return f"{self.connection}: {self.what}"


@dataclass(frozen=True)
class AddressPlan:
    """The planner's answer: addresses per link, the lock to keep, and findings."""

    plan: Plan
    connections: dict[str, PlannedLink]
    lock: Lock
    lock_changes: tuple[LockChange, ...]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)


def split_cloud_connection(gre: IPv4Network) -> tuple[IPv4Address, IPv4Address, IPv4Interface]:
    """IBM's /29 rule: (PowerVS GRE source, PowerVS tunnel IP, router tunnel address /30)."""
    first_half, second_half = gre.subnets(new_prefix=gre.prefixlen + 1)
    source = first_half.network_address + 1
    powervs_tunnel = second_half.network_address + 1
    router_tunnel = IPv4Interface(f"{second_half.network_address + 2}/{second_half.prefixlen}")
    return source, powervs_tunnel, router_tunnel


def split_transit_gateway(gre: IPv4Network) -> tuple[IPv4Address, IPv4Interface]:
    """A /30: (TGW tunnel IP = first host, router tunnel address = second host /30)."""
    return gre.network_address + 1, IPv4Interface(f"{gre.network_address + 2}/{gre.prefixlen}")


def split_point_to_point(net: IPv4Network) -> tuple[IPv4Interface, IPv4Interface]:
    """A /30 between two devices: (router end = first host, peer end = second host)."""
    return (
        IPv4Interface(f"{net.network_address + 1}/{net.prefixlen}"),
        IPv4Interface(f"{net.network_address + 2}/{net.prefixlen}"),
    )


def peer_name(conn: AnyConnection) -> str:
    if isinstance(conn, GreLink | IpsecLink):
        return conn.peer
    return conn.powervs


def subnet_use(conn: AnyConnection) -> Use:
    return "vti" if conn.via == "ipsec" else "tunnel"


def device_asn(plan: Plan, name: str) -> int | None:
    if name in plan.routers:
        return plan.routers[name].asn
    return plan.sites[name].asn
