"""One link's addresses from its subnet: both ends, MTU and TCP MSS, from one `/29` or `/30`.

Runs after allocation, once per usable link; the split follows IBM's rules (`records`).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.plan import rules
from vra_config.plan.findings import Finding
from vra_config.plan.model import (
    AnyConnection,
    CloudConnection,
    GreLink,
    IpsecLink,
    MegaportLink,
    Plan,
    TransitGatewayConnection,
)
from vra_config.plan.values import PerVendor
from vra_config.planner import ibm
from vra_config.planner.records import (
    IpsecParams,
    PlannedLink,
    device_asn,
    peer_name,
    split_cloud_connection,
    split_point_to_point,
    split_transit_gateway,
)


# --- per link ------------------------------------------------------------------------------
def _tcp_mss(
    name: str, mss: int | str, mtu: int, always: bool = False
) -> tuple[int | None, list[Finding]]:
    """The MSS to clamp to; `always` for tunnels whose far end may send more than the
    underlay carries (a Transit Gateway runs 9000 bytes whatever the classic VLAN takes)."""
    fits = mtu - ibm.TCP_IP_HEADER_BYTES
    if mss == "auto":
        return (fits if mtu < ibm.HOST_MTU or always else None), []
    if mss == "off":
        if always:
            return None, [
                Finding(
                    ("connections", name, "tcp_mss"),
                    "a Transit Gateway GRE tunnel always needs a TCP MSS clamp: the gateway's "
                    "side runs a 9000-byte MTU, larger than the classic underlay carries "
                    f"({rules.TGW_GRE_TROUBLESHOOTING.url}); write auto or a number of bytes",
                    rule="VRC905",
                )
            ]
        return None, []
    if int(mss) > fits:
        return int(mss), [
            Finding(
                ("connections", name, "tcp_mss"),
                f"TCP MSS {mss} does not fit the tunnel MTU {mtu} (at most {fits}); lower it "
                "or write auto",
                rule="VRC510",
            )
        ]
    return int(mss), []


def _underlay_mtu(plan: Plan, conn: AnyConnection) -> tuple[int, str]:
    """The smallest underlay MTU a GRE link's outer packets cross, and whose it is."""
    ends = [conn.router]
    if isinstance(conn, GreLink):
        ends.append(conn.peer)
    found = []
    for name in ends:
        device = plan.routers.get(name) or plan.sites.get(name)
        if device is not None:
            found.append((device.underlay_mtu, name))
    return min(found) if found else (ibm.HOST_MTU, conn.router)


def _tunnel_mtu(
    plan: Plan,
    name: str,
    conn: CloudConnection | TransitGatewayConnection | GreLink | IpsecLink,
) -> tuple[int, list[Finding]]:
    """The tunnel MTU: the plan's, or the kind's default capped to what the underlay carries.

    A GRE packet is the inner packet plus 24 bytes; one larger than the underlay's MTU is
    fragmented or, with DF set, dropped, and the tunnel carries BGP but loses large packets.
    """
    default = ibm.DEFAULT_MTU[conn.via]
    if isinstance(conn, IpsecLink):
        return (conn.mtu if conn.mtu is not None else default), []
    underlay, owner = _underlay_mtu(plan, conn)
    fits = underlay - ibm.GRE_OVERHEAD_BYTES
    if conn.mtu is None:
        return min(default, fits), []
    if conn.mtu > fits:
        return conn.mtu, [
            Finding(
                ("connections", name, "mtu"),
                f"a GRE tunnel MTU of {conn.mtu} needs an underlay of {conn.mtu + 24} bytes, "
                f"but {owner}'s underlay_mtu is {underlay} (GRE adds 24 bytes, "
                f"{ibm.GRE_SOURCE}); lower mtu to {fits} or less, or set {owner}'s "
                "underlay_mtu if its network carries jumbo frames",
                rule="VRC904",
            )
        ]
    return conn.mtu, []


def plan_link(
    plan: Plan,
    name: str,
    conn: AnyConnection,
    subnet: IPv4Network | None,
    tunnel: int | None,
    peer_tunnel: int | None,
    peer_asn: int | None,
    origin: str,
) -> tuple[PlannedLink, list[Finding]]:
    findings: list[Finding] = []
    router = plan.routers.get(conn.router)
    local_ip = router.private.address.ip if router else None
    router_gateway = router.private.gateway if router else None
    remote_ip: IPv4Address | None = None
    router_address: IPv4Interface | None = None
    peer_address: IPv4Interface | None = None
    peer_gateway: IPv4Address | None = None
    peer_kind = "powervs"
    powervs: str | None = None
    routing = getattr(conn, "routing", "bgp")
    mtu: int | None = None
    tcp_mss: int | None = None
    ipsec: IpsecParams | None = None
    interface: PerVendor | None = None
    vlan: int | None = None

    if isinstance(conn, CloudConnection):
        assert subnet is not None
        powervs = conn.powervs
        remote_ip, pv_tunnel, router_address = split_cloud_connection(subnet)
        peer_address = IPv4Interface(f"{pv_tunnel}/{router_address.network.prefixlen}")
    elif isinstance(conn, TransitGatewayConnection):
        assert subnet is not None
        powervs = conn.powervs
        remote_ip = conn.transit_gateway.gateway_ip
        tgw_tunnel, router_address = split_transit_gateway(subnet)
        peer_address = IPv4Interface(f"{tgw_tunnel}/{subnet.prefixlen}")
    elif isinstance(conn, MegaportLink):
        assert subnet is not None
        powervs = conn.powervs
        router_address, peer_address = split_point_to_point(subnet)
        local_ip = router_gateway = None
        interface, vlan = conn.interface, conn.vlan
    else:
        peer_kind = "router" if conn.peer in plan.routers else "site"
        peer_router = plan.routers.get(conn.peer)
        peer_site = plan.sites.get(conn.peer)
        if subnet is not None:
            router_address, peer_address = split_point_to_point(subnet)
        if isinstance(conn, GreLink):
            remote_ip = (
                peer_router.private.address.ip if peer_router else peer_site.address  # type: ignore[union-attr]
            )
            if peer_router is not None:
                peer_gateway = peer_router.private.gateway
            elif peer_site is not None and peer_site.direct_link is not None:
                # The site reaches the router's GRE endpoint over its Direct Link: IBM's end
                # of the BGP /30 is its first host. A host route there keeps the endpoint off
                # the tunnel whatever the tunnel advertises.
                peer_gateway = next(peer_site.direct_link.bgp_subnet.hosts())
        else:
            assert router is not None and router.public is not None
            local_ip = router.public.address.ip
            router_gateway = None
            if peer_router is not None:
                assert peer_router.public is not None
                remote_ip = peer_router.public.address.ip
            else:
                remote_ip = peer_site.address  # type: ignore[union-attr]
            ipsec = IpsecParams(conn.mode, conn.ike, conn.esp, conn.psk)
            if conn.mode == "policy":
                routing = "policy"

    if isinstance(conn, CloudConnection | TransitGatewayConnection | GreLink | IpsecLink) and not (
        isinstance(conn, IpsecLink) and conn.mode == "policy"
    ):
        mtu, mtu_findings = _tunnel_mtu(plan, name, conn)
        findings += mtu_findings
        always = isinstance(conn, TransitGatewayConnection)
        tcp_mss, mss_findings = _tcp_mss(name, conn.tcp_mss, mtu, always)
        findings += mss_findings

    link = PlannedLink(
        name=name,
        via=conn.via,
        router=conn.router,
        peer=peer_name(conn),
        peer_kind=peer_kind,
        powervs=powervs,
        routing=routing,
        subnet=subnet,
        tunnel=tunnel,
        peer_tunnel=peer_tunnel,
        local_ip=local_ip,
        remote_ip=remote_ip,
        router_address=router_address,
        peer_address=peer_address,
        router_asn=device_asn(plan, conn.router),
        peer_asn=peer_asn,
        router_gateway=router_gateway,
        peer_gateway=peer_gateway,
        mtu=mtu,
        tcp_mss=tcp_mss,
        advertise=tuple(sorted(set(conn.advertise))) if conn.advertise is not None else None,
        description=conn.description,
        origin=origin,
        ipsec=ipsec,
        interface=interface,
        vlan=vlan,
        router_public_gateway=router.public.gateway if router and router.public else None,
        zone=conn.zone,
        ebgp_multihop=conn.ebgp_multihop if isinstance(conn, TransitGatewayConnection) else None,
        workspace_asn=workspace_asn(plan, conn, peer_asn),
    )
    return link, findings


def workspace_asn(plan: Plan, conn: AnyConnection, peer_asn: int | None) -> int | None:
    """The ASN a PowerVS workspace's routes originate in, as seen over this link; None for a
    link to a device.

    Over a cloud connection or a Megaport VXC the workspace's router is the BGP peer, so it
    is the peer's ASN. Behind a Transit Gateway the peer is the gateway, and IBM's route
    reports show the origin ASN after the gateway's own segment (`ibm.TGW_ROUTE_REPORTS`):
    the workspace keeps its own, the plan's `asn:` when set, else IBM's for the location,
    else IBM's default (`ibm.POWERVS_DEFAULT_ASN`)."""
    if isinstance(conn, TransitGatewayConnection):
        ws = plan.powervs[conn.powervs]
        if ws.asn is not None:
            return ws.asn
        return ibm.POWERVS_ASN_BY_LOCATION.get(ws.location, ibm.POWERVS_DEFAULT_ASN)
    if isinstance(conn, CloudConnection | MegaportLink):
        return peer_asn
    return None
