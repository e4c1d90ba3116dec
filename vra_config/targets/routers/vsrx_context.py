"""The vSRX pack's template data, as typed records: what each template under
`templates/vsrx/` reads, field by field.

`vsrx.context` builds one `VsrxContext` per device; Jinja reads the fields by attribute, as
it read `environment.records` namespaces before, and mypy checks that the pack fills every
field a template prints (and that `vsrx_cluster.check` reads fields that exist). Values
are spelled and quoted for Junos already. Two fields are renamed from the dict keys they
replace because Python reserves the words: a policy's `from_zone`/`to_zone`, a BGP group's
`import_policy`/`export_policy`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class GreUnit:
    """A `gr-0/0/0` unit (`interfaces.j2`)."""

    unit: int
    description: str
    source: str
    destination: str
    address: str
    mtu: int


@dataclass(frozen=True, kw_only=True)
class St0Unit:
    """An `st0` unit: numbered (a VTI) or unnumbered (traffic selectors)."""

    unit: int
    description: str
    address: str | None
    mtu: int | None


@dataclass(frozen=True, kw_only=True)
class VlanUnit:
    interface: str
    unit: int
    description: str
    address: str


@dataclass(frozen=True, kw_only=True)
class StaticRoute:
    prefix: str
    next_hop: str


@dataclass(frozen=True, kw_only=True)
class DeadPeerDetection:
    interval: int
    threshold: int


@dataclass(frozen=True, kw_only=True)
class TrafficSelector:
    name: str
    local: str
    remote: str


@dataclass(frozen=True, kw_only=True)
class Vpn:
    """IKE proposal, policy and gateway, IPsec proposal, policy and VPN of one peer
    (`ipsec.j2`); `psk_withheld` is the comment of a review copy."""

    name: str
    ike_encryption: str
    ike_hash: str | None
    dh_group: str
    ike_lifetime: int
    version: str
    main_mode: bool
    psk: str
    psk_withheld: str | None
    peer: str
    local: str
    external: str
    dpd: DeadPeerDetection
    esp_encryption: str
    esp_hash: str | None
    esp_lifetime: int
    pfs: str | None
    bind: str
    selectors: tuple[TrafficSelector, ...]


@dataclass(frozen=True, kw_only=True)
class ZoneInterface:
    """An interface in a zone with the host-inbound traffic it lets reach the box."""

    zone: str
    interface: str
    services: tuple[str, ...]
    protocols: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ZoneBinding:
    zone: str
    interface: str


@dataclass(frozen=True, kw_only=True)
class AddressEntry:
    name: str
    prefix: str


@dataclass(frozen=True, kw_only=True)
class SecurityPolicy:
    name: str
    from_zone: str
    to_zone: str
    sources: tuple[str, ...]
    destinations: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Zones:
    """What `vsrx._zones_and_policies` decides (`zones.j2`)."""

    own_zone: str | None
    zone_bindings: tuple[ZoneBinding, ...]
    zone_interfaces: tuple[ZoneInterface, ...]
    addresses: tuple[AddressEntry, ...]
    policies: tuple[SecurityPolicy, ...]


@dataclass(frozen=True, kw_only=True)
class ProtectTerm:
    """A loopback-filter term letting one planned peer reach the box (`firewall.j2`)."""

    name: str
    source: str
    protocol: str
    destination_ports: tuple[int, ...]
    port: str | None


@dataclass(frozen=True, kw_only=True)
class LinkFilter:
    name: str
    interface: str
    unit: str
    sources: tuple[str, ...]
    icmp_errors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class BgpGroup:
    name: str
    description: str
    peer_as: int
    local_address: str
    neighbor: str
    hold_time: int
    import_policy: str
    export_policy: str
    import_list: str | None
    export_list: str | None
    as_override: bool
    multihop: int | None
    local_preference: int | None
    prepend: str | None


@dataclass(frozen=True, kw_only=True)
class PrefixList:
    name: str
    prefixes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class VsrxContext:
    """Everything `router.j2` and its includes read for one vSRX (but the header)."""

    gre_units: tuple[GreUnit, ...]
    st0_units: tuple[St0Unit, ...]
    vlan_units: tuple[VlanUnit, ...]
    vlan_ports: tuple[str, ...]
    tcp_mss: Mapping[str, int]
    routes: tuple[StaticRoute, ...]
    vpns: tuple[Vpn, ...]
    own_zone: str | None
    zone_bindings: tuple[ZoneBinding, ...]
    zone_interfaces: tuple[ZoneInterface, ...]
    addresses: tuple[AddressEntry, ...]
    policies: tuple[SecurityPolicy, ...]
    protect_terms: tuple[ProtectTerm, ...]
    protect_filter: str | None
    firewalls: tuple[LinkFilter, ...]
    asn: int | None
    router_id: str | None
    bgp_groups: tuple[BgpGroup, ...]
    prefix_lists: tuple[PrefixList, ...]
    cluster_notes: tuple[str, ...]
