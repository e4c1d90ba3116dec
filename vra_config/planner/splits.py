"""How each kind of link turns its subnet into both ends' addresses: one function per kind.

The link-kind table (`kinds.KINDS`) names one of these per `via`, so `links.plan_link` never
asks which kind it holds: adding a kind is a table entry and one function here.

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

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.plan.model import (
    AnyConnection,
    CloudConnection,
    Esp,
    GreLink,
    Ike,
    IpsecLink,
    MegaportLink,
    Plan,
    TransitGatewayConnection,
)
from vra_config.plan.values import PerVendor, Secret


@dataclass(frozen=True, kw_only=True)
class IpsecParams:
    """What both ends of an IPsec link share: proposals, key, mode."""

    mode: str
    ike: Ike
    esp: Esp
    psk: Secret


@dataclass(frozen=True, kw_only=True)
class LinkAddresses:
    """What a kind's split works out for one link; `plan_link` adds what every kind shares.

    A field a kind has no use for stays None (a Megaport VXC has no tunnel endpoints).
    """

    peer_kind: str = "powervs"  # "powervs", "router" or "site"
    powervs: str | None = None
    local_ip: IPv4Address | None = None
    remote_ip: IPv4Address | None = None
    router_address: IPv4Interface | None = None
    peer_address: IPv4Interface | None = None
    router_gateway: IPv4Address | None = None  # the router's private gateway
    peer_gateway: IPv4Address | None = None  # the peer's underlay next hop
    routing: str | None = None  # None: the connection's own `routing` (bgp when it has none)
    ipsec: IpsecParams | None = None
    interface: PerVendor | None = None
    vlan: int | None = None


#: The shape of a kind's split: the plan, the connection and its subnet (None only for
#: policy-based IPsec, which has no VTI) in; both ends' addresses out.
Split = Callable[[Plan, AnyConnection, IPv4Network | None], LinkAddresses]


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


def _private_underlay(plan: Plan, router: str) -> tuple[IPv4Address | None, IPv4Address | None]:
    """(GRE source, private gateway) of a classic router; (None, None) for a site."""
    found = plan.routers.get(router)
    if found is None:
        return None, None
    return found.private.address.ip, found.private.gateway


def cloud_connection_ends(
    plan: Plan, conn: AnyConnection, subnet: IPv4Network | None
) -> LinkAddresses:
    """IBM's /29: the PowerVS GRE source outside the tunnel's /30, both tunnel IPs inside."""
    assert isinstance(conn, CloudConnection) and subnet is not None
    local_ip, router_gateway = _private_underlay(plan, conn.router)
    source, powervs_tunnel, router_address = split_cloud_connection(subnet)
    return LinkAddresses(
        powervs=conn.powervs,
        local_ip=local_ip,
        router_gateway=router_gateway,
        remote_ip=source,
        router_address=router_address,
        peer_address=IPv4Interface(f"{powervs_tunnel}/{router_address.network.prefixlen}"),
    )


def transit_gateway_ends(
    plan: Plan, conn: AnyConnection, subnet: IPv4Network | None
) -> LinkAddresses:
    """A /30 for both tunnel IPs; the far endpoint is the gateway IP IBM gave the plan."""
    assert isinstance(conn, TransitGatewayConnection) and subnet is not None
    local_ip, router_gateway = _private_underlay(plan, conn.router)
    tgw_tunnel, router_address = split_transit_gateway(subnet)
    return LinkAddresses(
        powervs=conn.powervs,
        local_ip=local_ip,
        router_gateway=router_gateway,
        remote_ip=conn.transit_gateway.gateway_ip,
        router_address=router_address,
        peer_address=IPv4Interface(f"{tgw_tunnel}/{subnet.prefixlen}"),
    )


def megaport_ends(plan: Plan, conn: AnyConnection, subnet: IPv4Network | None) -> LinkAddresses:
    """A /30 on a VLAN sub-interface: no tunnel, so no endpoints and no underlay gateway."""
    assert isinstance(conn, MegaportLink) and subnet is not None
    router_address, peer_address = split_point_to_point(subnet)
    return LinkAddresses(
        powervs=conn.powervs,
        router_address=router_address,
        peer_address=peer_address,
        interface=conn.interface,
        vlan=conn.vlan,
    )


def _device_peer(plan: Plan, conn: GreLink | IpsecLink) -> str:
    return "router" if conn.peer in plan.routers else "site"


def _inner(subnet: IPv4Network | None) -> tuple[IPv4Interface | None, IPv4Interface | None]:
    return split_point_to_point(subnet) if subnet is not None else (None, None)


def gre_ends(plan: Plan, conn: AnyConnection, subnet: IPv4Network | None) -> LinkAddresses:
    """GRE between private addresses: a router peer's, or the site's `address`."""
    assert isinstance(conn, GreLink)
    local_ip, router_gateway = _private_underlay(plan, conn.router)
    peer_router = plan.routers.get(conn.peer)
    peer_site = plan.sites.get(conn.peer)
    peer_gateway: IPv4Address | None = None
    if peer_router is not None:
        remote_ip: IPv4Address | None = peer_router.private.address.ip
        peer_gateway = peer_router.private.gateway
    else:
        assert peer_site is not None
        remote_ip = peer_site.address
        if peer_site.direct_link is not None:
            # The site reaches the router's GRE endpoint over its Direct Link: IBM's end
            # of the BGP /30 is its first host. A host route there keeps the endpoint off
            # the tunnel whatever the tunnel advertises.
            peer_gateway = next(peer_site.direct_link.bgp_subnet.hosts())
    router_address, peer_address = _inner(subnet)
    return LinkAddresses(
        peer_kind=_device_peer(plan, conn),
        local_ip=local_ip,
        router_gateway=router_gateway,
        remote_ip=remote_ip,
        peer_gateway=peer_gateway,
        router_address=router_address,
        peer_address=peer_address,
    )


def ipsec_ends(plan: Plan, conn: AnyConnection, subnet: IPv4Network | None) -> LinkAddresses:
    """IPsec between public addresses; policy mode routes by its selectors, not BGP."""
    assert isinstance(conn, IpsecLink)
    router = plan.routers[conn.router]
    assert router.public is not None
    peer_router = plan.routers.get(conn.peer)
    if peer_router is not None:
        assert peer_router.public is not None
        remote_ip: IPv4Address | None = peer_router.public.address.ip
    else:
        remote_ip = plan.sites[conn.peer].address
    router_address, peer_address = _inner(subnet)
    return LinkAddresses(
        peer_kind=_device_peer(plan, conn),
        local_ip=router.public.address.ip,
        remote_ip=remote_ip,
        router_address=router_address,
        peer_address=peer_address,
        ipsec=IpsecParams(mode=conn.mode, ike=conn.ike, esp=conn.esp, psk=conn.psk),
        routing="policy" if conn.mode == "policy" else None,
    )
