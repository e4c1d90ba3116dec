"""The Vyatta pack's template data, as typed records: what each template under
`templates/vyatta/` reads, field by field.

`vyatta.context` builds one `VyattaContext` per device; Jinja reads a record's fields as it
read the namespaces that plain dicts were turned into before (`environment.records`), at
the same speed (an attribute lookup), and mypy now checks that the pack fills every field
a template prints. Values are already spelled and quoted for the 5600: the templates only
place them. Frozen, so the context built at the guard pass is the one rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from vra_config.targets.routers.bgp import RouterBlock


@dataclass(frozen=True, kw_only=True)
class TunnelLines:
    """A GRE tunnel (`gre.j2`) or, without endpoints, a VTI (`ipsec.j2`)."""

    name: str
    description: str
    address: str
    mtu: int
    tcp_mss: int | None
    local_ip: str | None = None
    remote_ip: str | None = None


@dataclass(frozen=True, kw_only=True)
class VifLines:
    """A VLAN sub-interface of a dataplane or bonding interface (`interfaces.j2`)."""

    kind: str
    interface: str
    vlan: int
    address: str
    description: str


@dataclass(frozen=True, kw_only=True)
class RouteLines:
    """A static route by next hop (`next_hop`) or through an interface (`interface`)."""

    prefix: str
    description: str
    next_hop: str | None = None
    interface: str | None = None


@dataclass(frozen=True, kw_only=True)
class NumberedRule:
    """A numbered rule matching one value: an ICMP type name, a source or a prefix."""

    number: int
    name: str | None = None
    source: str | None = None
    prefix: str | None = None


@dataclass(frozen=True, kw_only=True)
class FirewallLines:
    """An inbound filter on one link's interface (`firewall.j2`)."""

    name: str
    description: str
    attach: str
    icmp_errors: tuple[NumberedRule, ...]
    rules: tuple[NumberedRule, ...]


@dataclass(frozen=True, kw_only=True)
class VrrpGroup:
    """One VRRP group of a pair member (`vrrp.j2`, `vyatta_ha.vrrp`)."""

    interface: str
    group: int
    address: str
    notify: tuple[str, ...]
    member: str
    priority: int
    interval: int
    sync_group: str


@dataclass(frozen=True, kw_only=True)
class DeadPeerDetection:
    action: str
    interval: int
    timeout: int


@dataclass(frozen=True, kw_only=True)
class IkeGroup:
    name: str
    version: int
    lifetime: int
    encryption: str
    hash: str
    dh_group: int
    dpd: DeadPeerDetection


@dataclass(frozen=True, kw_only=True)
class EspGroup:
    name: str
    lifetime: int
    pfs: str
    encryption: str
    hash: str


@dataclass(frozen=True, kw_only=True)
class PolicyTunnel:
    """One local/remote prefix pair of a policy-based peer."""

    number: int
    local: str
    remote: str


@dataclass(frozen=True, kw_only=True)
class PeerLines:
    """A site-to-site peer (`ipsec.j2`); `psk_withheld` is the comment of a review copy."""

    address: str
    description: str
    local_address: str
    psk: str
    psk_withheld: str | None
    ike_group: str
    esp_group: str
    vti: str | None
    tunnels: tuple[PolicyTunnel, ...]


@dataclass(frozen=True, kw_only=True)
class PrefixListLines:
    name: str
    description: str
    rules: tuple[NumberedRule, ...]


@dataclass(frozen=True, kw_only=True)
class RouteMapLines:
    """Permit the prefix list (rule 10, with a backup link's preference or prepend), deny
    the rest at `deny_rule`."""

    name: str
    description: str
    prefix_list: str | None
    deny_rule: int
    local_preference: int | None
    prepend: str | None


@dataclass(frozen=True, kw_only=True)
class NeighborLines:
    address: str
    remote_as: int
    description: str
    keepalive: int
    holdtime: int
    connect: int | None
    import_map: str
    export_map: str
    multihop: int | None


#: The router block (`bgp.j2`), built as the lab's FRR builds it (`bgp.router_block`).
BgpLines = RouterBlock[NeighborLines]


@dataclass(frozen=True, kw_only=True)
class VyattaContext:
    """Everything `router.j2` and its includes read for one device (but the header)."""

    tunnels: tuple[TunnelLines, ...]
    vtis: tuple[TunnelLines, ...]
    vifs: tuple[VifLines, ...]
    routes: tuple[RouteLines, ...]
    interface_routes: tuple[RouteLines, ...]
    firewalls: tuple[FirewallLines, ...]
    vrrp: tuple[VrrpGroup, ...]
    failover: tuple[str, ...]
    make_before_break: bool
    ike_groups: tuple[IkeGroup, ...]
    esp_groups: tuple[EspGroup, ...]
    peers: tuple[PeerLines, ...]
    prefix_lists: tuple[PrefixListLines, ...]
    route_maps: tuple[RouteMapLines, ...]
    bgp: BgpLines | None
