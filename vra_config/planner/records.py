"""The records the planner takes and hands on.

In: `InUse`, what a router's running configuration already holds (plain data: the planner
never reads a configuration). Out: an `AddressPlan` of `PlannedLink`s, every address and
number each link needs, which intent, design checks and the IBM-side targets read. Each
`PlannedLink` carries its `LinkKind` (`kinds.py`); how a kind splits its subnet is in `splits`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.plan.findings import Finding
from vra_config.plan.model import AnyConnection, GreLink, IpsecLink, Plan, Via
from vra_config.plan.values import PerVendor
from vra_config.planner.kinds import LinkKind
from vra_config.planner.lock import Lock

# Re-exported: tests/test_planner.py reads IBM's /29 rule from here, where it used to live.
from vra_config.planner.splits import IpsecParams, split_cloud_connection

__all__ = [
    "AddressPlan",
    "InUse",
    "IpsecParams",
    "LockChange",
    "PlannedLink",
    "device_asn",
    "peer_name",
    "split_cloud_connection",
]


@dataclass(frozen=True, kw_only=True)
class InUse:
    """What a router's running configuration already uses that the plan does not own."""

    file: str
    vendor: str
    #: tunnel interface numbers by family ("gre": tunN / gr-0/0/0 units, "vti": vtiN / st0)
    numbers: dict[str, dict[int, int]]  # family -> number -> line
    addresses: tuple[tuple[str, int], ...]  # interface address (A/len) and its line


@dataclass(frozen=True, kw_only=True)
class PlannedLink:
    """Every address and number one link needs, both ends derived from one subnet.

    `router` is the device the link starts on; `peer` is a device (`peer_kind` "router" or
    "site") or a PowerVS workspace ("powervs"). `kind` holds what its `via` means; read its
    attributes rather than testing `via`.
    """

    name: str
    kind: LinkKind
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

    @property
    def via(self) -> Via:
        """The plan's name for the link's kind; kept for readers not yet on `kind`."""
        return self.kind.via

    @functools.cached_property
    def far_asns(self) -> frozenset[int]:
        """Every ASN a route from the far end has crossed when it arrives: the peer's, and
        behind a Transit Gateway the workspace's too. The planner's routing, the packs' loop
        checks and the lab's stand-ins all read this one model. Worked out once per link
        (the design checks ask for it per prefix: 133,750 times at 10,000 connections)."""
        return frozenset(a for a in (self.peer_asn, self.workspace_asn) if a is not None)


@dataclass(frozen=True, kw_only=True)
class LockChange:
    """One connection whose allocation the lock file would gain, lose or change."""

    connection: str
    what: str

    def __str__(self) -> str:
        return f"{self.connection}: {self.what}"


@dataclass(frozen=True, kw_only=True)
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


def peer_name(conn: AnyConnection) -> str:
    if isinstance(conn, GreLink | IpsecLink):
        return conn.peer
    return conn.powervs


def device_asn(plan: Plan, name: str) -> int | None:
    if name in plan.routers:
        return plan.routers[name].asn
    return plan.sites[name].asn
