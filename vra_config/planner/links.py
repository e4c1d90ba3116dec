"""One link's addresses from its subnet: both ends, MTU and TCP MSS, from one `/29` or `/30`.

Runs after allocation, once per usable link; the split is the kind's (`kinds`, `splits`).
"""

from __future__ import annotations

from ipaddress import IPv4Network

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
from vra_config.planner import ibm
from vra_config.planner.kinds import LinkKind, kind_of
from vra_config.planner.records import PlannedLink, device_asn, peer_name


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
    default: int,
) -> tuple[int, list[Finding]]:
    """The tunnel MTU: the plan's, or the kind's default capped to what the underlay carries.

    A GRE packet is the inner packet plus 24 bytes; one larger than the underlay's MTU is
    fragmented or, with DF set, dropped, and the tunnel carries BGP but loses large packets.
    An IPsec VTI's own overhead depends on its proposals (`device_checks`, VRC920).
    """
    if kind_of(conn).interface_family != "gre":
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
                f"{rules.RULES['VRC904'].citing(address=True)}); lower mtu to {fits} or less, "
                f"or set {owner}'s "
                "underlay_mtu if its network carries jumbo frames",
                rule="VRC904",
            )
        ]
    return conn.mtu, []


def _mtu_and_mss(
    plan: Plan, name: str, conn: AnyConnection, kind: LinkKind
) -> tuple[int | None, int | None, list[Finding]]:
    """(tunnel MTU, TCP MSS clamp, findings); (None, None) for a link that is no tunnel: a
    VLAN, or policy-based IPsec, which has no interface to set them on."""
    if kind.default_mtu is None or isinstance(conn, MegaportLink):  # the isinstance: for mypy
        return None, None, []
    if isinstance(conn, IpsecLink) and conn.mode == "policy":
        return None, None, []
    mtu, findings = _tunnel_mtu(plan, name, conn, kind.default_mtu)
    tcp_mss, mss_findings = _tcp_mss(name, conn.tcp_mss, mtu, kind.always_clamp_mss)
    return mtu, tcp_mss, findings + mss_findings


def plan_link(
    *,
    plan: Plan,
    name: str,
    conn: AnyConnection,
    subnet: IPv4Network | None,
    tunnel: int | None,
    peer_tunnel: int | None,
    peer_asn: int | None,
    origin: str,
) -> tuple[PlannedLink, list[Finding]]:
    """One link's every address and number: its kind's split gives both ends, the rest is
    the same for every kind."""
    kind = kind_of(conn)
    ends = kind.split(plan, conn, subnet)
    mtu, tcp_mss, findings = _mtu_and_mss(plan, name, conn, kind)
    router = plan.routers.get(conn.router)
    routing: str = ends.routing if ends.routing is not None else getattr(conn, "routing", "bgp")
    link = PlannedLink(
        name=name,
        kind=kind,
        router=conn.router,
        peer=peer_name(conn),
        peer_kind=ends.peer_kind,
        powervs=ends.powervs,
        routing=routing,
        subnet=subnet,
        tunnel=tunnel,
        peer_tunnel=peer_tunnel,
        local_ip=ends.local_ip,
        remote_ip=ends.remote_ip,
        router_address=ends.router_address,
        peer_address=ends.peer_address,
        router_asn=device_asn(plan, conn.router),
        peer_asn=peer_asn,
        router_gateway=ends.router_gateway,
        peer_gateway=ends.peer_gateway,
        mtu=mtu,
        tcp_mss=tcp_mss,
        advertise=tuple(sorted(set(conn.advertise))) if conn.advertise is not None else None,
        description=conn.description,
        origin=origin,
        ipsec=ends.ipsec,
        interface=ends.interface,
        vlan=ends.vlan,
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
    reports show the origin ASN after the gateway's own segment, e.g. "(65201) 65233"
    (`rules.TGW_ROUTE_REPORTS`, VRC909):
    the workspace keeps its own, the plan's `asn:` when set, else IBM's for the location,
    else IBM's default (`ibm.POWERVS_DEFAULT_ASN`)."""
    kind = kind_of(conn)
    if kind.far_end == "device":
        return None
    if not kind.gateway_in_front:
        return peer_asn
    ws = plan.powervs[peer_name(conn)]
    if ws.asn is not None:
        return ws.asn
    return ibm.POWERVS_ASN_BY_LOCATION.get(ws.location, ibm.POWERVS_DEFAULT_ASN)
