"""The plan, as typed data: what a network engineer writes and reviews in a pull request.

Models are strict (no `"64880"` silently becoming an int), frozen (the pipeline never edits
a plan) and reject unknown keys (a typo is an error, not an ignored line). Value types that
reach router config (prefixes, addresses, names, free text) are parsed in `values.py` with
messages that say what was meant, so every later stage can trust them.

Cross-references (a connection naming a router) and address rules (overlaps, IBM ranges)
belong to the planner, which sees the whole plan at once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from vra_config.plan.rules import RULES, TGW_REDUNDANT_GRE
from vra_config.plan.values import (
    Address,
    Asn,
    InterfaceAddress,
    InterfaceName,
    Name,
    PerVendorInterface,
    Prefix,
    Prefixes,
    Reason,
    Routing,
    SecretRef,
    Speed,
    TcpMss,
    Text,
    TgwZone,
    Vendor,
    ZoneName,
)


class Model(BaseModel):
    """Base of every plan model: strict, frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Interface(Model):
    """A router interface in IBM Cloud classic: its address with subnet, and the gateway."""

    address: InterfaceAddress
    gateway: Address
    #: The interface (unit) holding the address, as the router names it. Only the public one
    #: is used (the vSRX binds IKE to it; IBM's default is ge-0/0/1.0).
    interface: InterfaceName | None = None

    @model_validator(mode="after")
    def _gateway_on_subnet(self) -> Interface:
        net = self.address.network
        if self.gateway not in net:
            raise PydanticCustomError(
                "vra_gateway",
                "gateway {gw} is not on {net}, the subnet of {addr}; use the gateway IBM shows "
                "for that subnet",
                {"gw": str(self.gateway), "net": str(net), "addr": str(self.address)},
            )
        if self.gateway == self.address.ip:
            raise PydanticCustomError(
                "vra_gateway",
                "gateway {gw} is the router's own address; use the subnet's gateway (the BCR "
                "or FCR address IBM shows)",
                {"gw": str(self.gateway)},
            )
        return self


class Route(Model):
    """A static route the device needs so that an advertised prefix is in its routing table:
    BGP announces only what the RIB holds (DANOS `network` import-check, Junos active
    routes), so a prefix with no route is silently never sent."""

    prefix: Prefix
    next_hop: Address


Routes = Annotated[tuple[Route, ...], Field(strict=False)]
#: The IP MTU of the network a tunnel's outer packets cross: a classic private VLAN, a
#: Direct Link, the Internet. 1500 unless the path is known to carry jumbo frames.
UnderlayMtu = Annotated[int, Field(ge=1280, le=9216)]


#: A VRRP group ID (vyatta-vrrp-v1.yang: 1..255); IBM assigns it on every VRA.
VrrpGroupId = Annotated[int, Field(ge=1, le=255)]


class PairMember(Model):
    """One appliance of a high-availability pair, with the addresses IBM gave it: its own
    (real) private and public addresses, and its VRRP priority. Tunnels never use these:
    they use the pair's virtual addresses (`private.address`, `public.address`)."""

    private: InterfaceAddress
    public: InterfaceAddress | None = None
    #: IBM: the first device 254, the next one lower, never 255 (checked, rule VRC951).
    priority: Annotated[int, Field(ge=1, le=255)]


class Ha(Model):
    """A gateway pair: a VRA high-availability pair (two appliances clustered with VRRP,
    active-passive) or, rendered for the vSRX, a chassis cluster. The router's `private`
    and `public` addresses are then the pair's virtual addresses (VRRP VIPs on the VRA),
    which IBM assigns with the VRRP groups: the plan states them, vra-config never
    invents them."""

    #: The VRRP group of the private virtual address (dp0bond0), as IBM set it.
    private_group: VrrpGroupId
    #: The VRRP group of the public virtual address (dp0bond1); required with `public`.
    public_group: VrrpGroupId | None = None
    #: The one sync group every VRRP group of the pair is in (IBM: one sync-group).
    sync_group: ZoneName
    #: Seconds between VRRP adverts; IBM: 1, 2 on busy networks, never over 5.
    advertise_interval: Annotated[int, Field(ge=1, le=255)] = 1
    #: The two appliances, by host name.
    members: dict[Name, PairMember]


class ClusterNode(Model):
    """One vSRX of a chassis cluster: its host name (IBM's `groups nodeN system host-name`)
    and, optionally, its own management address (fxp0.0). A node's own address never carries
    a tunnel: the cluster's tunnels start on the redundant Ethernet interfaces (reths)."""

    host_name: Name
    management: Address | None = None


class Cluster(Model):
    """A vSRX high-availability pair: a Junos chassis cluster, one configuration for both
    nodes. The router's `private.address` is the address of `reth0.0` (zone SL-PRIVATE) and
    `public.address` that of `reth1.0` (zone SL-PUBLIC), as IBM's HA profile provisions
    them; both move with redundancy group 1. No VRRP: no groups, priorities or VIPs (those
    are `ha:`, the VRA pair). Checked by `vra_config.planner.cluster`."""

    node0: ClusterNode
    node1: ClusterNode


class Router(Model):
    """An edge router in IBM Cloud classic (VRA / Vyatta 5600, or a vSRX)."""

    vendor: Vendor | None = None
    asn: Asn
    router_id: Address | None = None
    private: Interface
    public: Interface | None = None
    advertise: Prefixes = ()
    #: How the prefixes in `advertise` that are not the router's own subnets are reached.
    routes: Routes = ()
    #: Subnets the router is the gateway of (classic VLANs routed through it): already in its
    #: routing table as connected routes, so nothing is rendered for them.
    connected: Prefixes = ()
    underlay_mtu: UnderlayMtu = 1500
    firewall: bool = False
    #: A high-availability pair (see `Ha`); checked by `vra_config.planner.ha`.
    ha: Ha | None = None
    #: A vSRX chassis cluster (see `Cluster`); a VRA pair is `ha:` instead.
    cluster: Cluster | None = None

    @model_validator(mode="after")
    def _private_interface_unused(self) -> Router:
        if self.private.interface is not None:
            raise PydanticCustomError(
                "vra_unused",
                "`private.interface` is not used by any pack (only the public interface is "
                "named, for IKE); remove it",
                {},
            )
        return self

    #: vSRX: the security zone of the networks behind the router (IBM: SL-PRIVATE).
    zone: ZoneName | None = None
    #: vSRX: the loopback filter IBM provisions, which drops host-bound IKE, ESP, GRE and BGP
    #: unless terms for the planned peers are added; `null` when the router has none.
    loopback_filter: ZoneName | None = "PROTECT-IN"


class DirectLink(Model):
    """The Direct Link a site reaches IBM Cloud over: its BGP peering subnet."""

    bgp_subnet: Prefix


class Site(Model):
    """A gateway of yours outside IBM Cloud: an enterprise data centre, or a router at
    Megaport. vra-config renders its end of each link too when it names a `vendor`."""

    vendor: Vendor | None = None
    asn: Asn | None = None
    router_id: Address | None = None
    address: Address | None = None
    networks: Prefixes = ()
    #: How `networks` are reached from the site's gateway (its LAN next hops).
    routes: Routes = ()
    #: Networks on the site gateway's own interfaces (connected routes).
    connected: Prefixes = ()
    underlay_mtu: UnderlayMtu = 1500
    direct_link: DirectLink | None = None
    firewall: bool = False
    #: The interface (unit) holding `address`: the vSRX binds IKE to it.
    interface: InterfaceName | None = None
    #: vSRX: the zone of `interface`, the WAN or Direct Link side (Juniper's factory
    #: default puts ge-0/0/0.0 in untrust).
    wan_zone: ZoneName | None = None
    #: vSRX: the interface (unit) towards `networks` (Juniper's factory default: ge-0/0/1.0).
    lan_interface: InterfaceName | None = None
    #: vSRX: the security zone of `networks` (default trust).
    zone: ZoneName | None = None
    #: vSRX: a loopback filter to open for the planned peers, if the site has one.
    loopback_filter: ZoneName | None = None


class Workspace(Model):
    """A PowerVS workspace: where it is, its ASN (IBM-assigned) and the subnets it holds."""

    location: Annotated[str, Field(pattern=r"^[a-z]{3}[0-9]{2}$")]
    asn: Asn | None = None
    subnets: Annotated[Prefixes, Field(min_length=1)]


#: The highest tunnel number vra-config pins, allocates or reads from a lock. Both vendors
#: accept more: Vyatta's `tunN`/`vtiN` names are `tun[0-9]+` of at most 15 characters
#: (DANOS vyatta-interfaces-tunnel-v1.yang, vyatta-interfaces-vti-v1.yang), and a Junos
#: logical unit (gr-0/0/0.N, st0.N) is 0 through 16,385 ("Specifying the Logical Interface
#: Number", Junos OS Network Interfaces). 9999 keeps one range valid on both.
TUNNEL_NUMBER_MAX = 9999
TunnelNumber = Annotated[int, Field(ge=0, le=TUNNEL_NUMBER_MAX)]


class TgwTunnel(Model):
    """One GRE tunnel of a redundant GRE (IBM's `redundant_gre`): its name, zone, the
    Transit Gateway's underlay IP and the Local BGP ASN IBM shows for it (one per zone)."""

    #: IBM: "All connections and tunnels on the transit gateway must have unique names";
    #: the router's interface, BGP session and lock entry are named after it too.
    name: Name
    gateway_ip: Address
    #: IBM assigns it when the tunnel is created: the IBM side renders without it, the
    #: router needs it (rule VRC980).
    asn: Asn | None = None
    zone: TgwZone
    #: Pins, as on a single-tunnel connection: the tunnel's /30 and tunnel number.
    gre: Prefix | None = None
    tunnel: TunnelNumber | None = None


class TransitGatewayEnd(Model):
    """The Transit Gateway side of a TGW GRE connection, as IBM shows it after creation:
    one tunnel (`gateway_ip`, `asn`, `zone`), or a redundant GRE's `tunnels`."""

    gateway_ip: Address | None = None
    asn: Asn | None = None
    #: The availability zone the GRE is bound to. The router does not need it; IBM's side
    #: does (`--zone`, Terraform `zone`), so `render --target terraform|ibmcloud` asks for
    #: it as a variable when the plan leaves it out.
    zone: TgwZone | None = None
    #: A redundant GRE: at least two tunnels, at most two per zone (IBM, checked by the
    #: planner, rule VRC960). The router gets one tunnel and one BGP session per tunnel.
    tunnels: Annotated[tuple[TgwTunnel, ...], Field(strict=False)] = ()

    @model_validator(mode="after")
    def _one_form(self) -> TransitGatewayEnd:
        single = [k for k in ("gateway_ip", "asn", "zone") if getattr(self, k) is not None]
        if self.tunnels and single:
            raise PydanticCustomError(
                "vra_tgw_tunnels",
                "with `tunnels`, write {keys} in each tunnel, not here: each tunnel has its "
                "own gateway IP and zone, and IBM assigns one Local BGP ASN per zone "
                f"({RULES['VRC960'].citing(TGW_REDUNDANT_GRE)})",
                {"keys": " and ".join(f"`{k}`" for k in single)},
            )
        # `asn` may wait: IBM assigns the Local BGP ASN when the connection is created, so
        # the IBM side is rendered and applied first (rule VRC980).
        if not self.tunnels and self.gateway_ip is None:
            raise PydanticCustomError(
                "vra_missing",
                "`gateway_ip` is required: the Local gateway IP you choose for the GRE "
                "connection (or `tunnels:` for a redundant GRE)",
            )
        return self


Mtu = Annotated[int, Field(ge=1280, le=9000)]


class _Link(Model):
    """What every connection has: the device it starts on, and how it is described."""

    router: Name
    description: Text | None = None
    advertise: Prefixes | None = None
    #: vSRX: the security zone of this link's interface on the `router` end.
    zone: ZoneName | None = None


class _TunnelLink(_Link):
    """A connection that is a tunnel interface on the router."""

    tunnel: TunnelNumber | None = None
    mtu: Mtu | None = None
    tcp_mss: TcpMss = "auto"
    routing: Routing = "bgp"


class CloudConnection(_TunnelLink):
    """GRE to a PowerVS workspace over a Direct Link Connect cloud connection (/29 split)."""

    via: Literal["cloud-connection"]
    powervs: Name
    gre: Prefix | None = None
    #: Mbps, for IBM's side only (Terraform `pi_cloud_connection_speed`, CLI `--speed`);
    #: a variable of the rendered Terraform when left out.
    speed: Speed | None = None


class TransitGatewayConnection(_TunnelLink):
    """GRE to a Transit Gateway that a PowerVS (PER) workspace is attached to (/30)."""

    via: Literal["transit-gateway"]
    powervs: Name
    gre: Prefix | None = None
    transit_gateway: TransitGatewayEnd
    #: eBGP TTL for the session; IBM's Transit Gateway GRE troubleshooting suggests raising
    #: it when sessions stay in OpenSent/OpenConfirm.
    ebgp_multihop: Annotated[int, Field(ge=2, le=255)] | None = None


class GreLink(_TunnelLink):
    """GRE to another router of the plan or to a site (over the IBM backbone or a Direct
    Link); both ends are rendered from this one object."""

    via: Literal["gre"]
    peer: Name
    gre: Prefix | None = None
    peer_tunnel: TunnelNumber | None = None


Encryption = Literal["aes128", "aes256", "aes128gcm", "aes256gcm", "3des"]
Integrity = Literal["sha1", "sha256", "sha384", "sha512", "md5"]
DhGroup = Literal[2, 5, 14, 15, 16, 17, 18, 19, 20]


class Ike(Model):
    """IKE (phase 1) proposal, vendor-neutral. Defaults follow IBM's route-based VRA example."""

    version: Literal[1, 2] = 2
    encryption: Encryption = "aes256"
    integrity: Integrity = "sha256"
    dh_group: DhGroup = 20
    lifetime: Annotated[int, Field(ge=300, le=86400)] = 28800


class Esp(Model):
    """ESP (phase 2) proposal, vendor-neutral. GCM carries its own integrity."""

    encryption: Encryption = "aes256gcm"
    integrity: Integrity | None = None
    pfs: DhGroup | Literal["off"] = 20
    lifetime: Annotated[int, Field(ge=300, le=86400)] = 3600

    @model_validator(mode="after")
    def _integrity_fits_encryption(self) -> Esp:
        gcm = self.encryption.endswith("gcm")
        if gcm and self.integrity is not None:
            raise PydanticCustomError(
                "vra_esp",
                "{enc} authenticates itself; remove `integrity` (or choose a CBC cipher)",
                {"enc": self.encryption},
            )
        if not gcm and self.integrity is None:
            raise PydanticCustomError(
                "vra_esp",
                "{enc} needs an `integrity` algorithm such as sha256 (or use aes256gcm)",
                {"enc": self.encryption},
            )
        return self


class Legacy(Model):
    """Consent to weak IPsec algorithms, with the reason a reviewer will read."""

    reason: Text


class IpsecLink(_TunnelLink):
    """Site-to-site IPsec from a router to a site (or another router): route-based on a VTI
    (as IBM recommends) or policy-based for peers that cannot do VTI."""

    via: Literal["ipsec"]
    peer: Name
    mode: Literal["vti", "policy"] = "vti"
    vti: Prefix | None = None
    peer_tunnel: TunnelNumber | None = None
    ike: Ike = Field(default_factory=Ike)
    esp: Esp = Field(default_factory=Esp)
    psk: SecretRef
    legacy: Legacy | None = None


class MegaportLink(_Link):
    """BGP from a router (usually a site at Megaport) to a PowerVS workspace over a Megaport
    VXC: no GRE, a /30 on a VLAN sub-interface."""

    via: Literal["megaport"]
    powervs: Name
    interface: PerVendorInterface
    vlan: Annotated[int, Field(ge=1, le=4094)]
    peering: Prefix | None = None
    powervs_asn: Asn | None = None


Connection = Annotated[
    CloudConnection | TransitGatewayConnection | GreLink | IpsecLink | MegaportLink,
    Field(discriminator="via"),
]
#: Every `via` a connection may have: the discriminator of `Connection` (each kind's facts are
#: a row of `planner/kinds.py`, which a test holds to this list and to the classes below).
Via = Literal["cloud-connection", "transit-gateway", "gre", "ipsec", "megaport"]
CONNECTION_KINDS: dict[str, type[Model]] = {
    "cloud-connection": CloudConnection,
    "transit-gateway": TransitGatewayConnection,
    "gre": GreLink,
    "ipsec": IpsecLink,
    "megaport": MegaportLink,
}
AnyConnection = CloudConnection | TransitGatewayConnection | GreLink | IpsecLink | MegaportLink


class Pools(Model):
    """Address pools the planner allocates from."""

    tunnels: Prefixes = ()
    vti: Prefixes = ()


class Accept(Model):
    """A finding acknowledged on purpose: its rule, the plan path it names, and why.

    Shown, with the reason, in check and plan output, in every rendered header and in the
    pull-request markdown. Only rules marked acknowledgeable may be accepted (see
    `vra_config.plan.accept`).
    """

    id: Text
    at: Text
    reason: Reason


class Plan(Model):
    """A whole plan: routers, sites, PowerVS workspaces, the links between them, pools."""

    version: Literal[1]
    routers: dict[Name, Router] = Field(default_factory=dict)
    sites: dict[Name, Site] = Field(default_factory=dict)
    powervs: dict[Name, Workspace] = Field(default_factory=dict)
    classic_subnets: Prefixes = ()
    connections: dict[Name, Connection] = Field(default_factory=dict)
    pools: Pools = Field(default_factory=Pools)
    accept: Annotated[tuple[Accept, ...], Field(strict=False)] = ()

    def link_names(self) -> list[str]:
        """Every name a router's objects of this plan carry: each connection's, and each
        tunnel's of a redundant GRE (planned as a connection of that name)."""
        names = list(self.connections)
        for conn in self.connections.values():
            if isinstance(conn, TransitGatewayConnection):
                names += [t.name for t in conn.transit_gateway.tunnels]
        return names


def json_schema() -> dict[str, Any]:
    """The plan's JSON Schema, for editors that validate YAML while typing."""
    from vra_config.plan.schema_docs import annotate

    schema = annotate(Plan.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "vra-config plan v1"
    return schema
