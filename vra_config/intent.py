"""Per-router intent: what each router must be told, in words no vendor owns.

The planner says where every address goes; this module says, router by router, which tunnels,
static routes and BGP sessions carry them. Both ends of a tunnel come from one
`PlannedConnection`, so a router's tunnel address and its BGP neighbour can never disagree.
Vendor packs turn a `RouterIntent` into their own names and syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config import ibm
from vra_config.planner import AddressPlan, PlannedConnection

_KIND = {"cloud-connection": "cloud connection", "transit-gateway": "Transit Gateway"}


@dataclass(frozen=True)
class GreTunnel:
    connection: str
    number: int
    description: str
    local_ip: IPv4Address
    remote_ip: IPv4Address
    address: IPv4Interface
    mtu: int
    tcp_mss: int | None


@dataclass(frozen=True)
class StaticRoute:
    """A route via a next-hop address, or (static routing) out of a tunnel."""

    prefix: IPv4Network
    description: str
    next_hop: IPv4Address | None = None
    tunnel: int | None = None


@dataclass(frozen=True)
class BgpNeighbor:
    connection: str
    address: IPv4Address
    remote_as: int
    description: str
    accept: tuple[IPv4Network, ...]
    advertise: tuple[IPv4Network, ...]
    keepalive: int
    holdtime: int


@dataclass(frozen=True)
class RouterIntent:
    """Everything one router needs, sorted so that rendering is byte-stable."""

    name: str
    asn: int
    router_id: IPv4Address | None
    tunnels: tuple[GreTunnel, ...]
    static_routes: tuple[StaticRoute, ...]
    bgp_neighbors: tuple[BgpNeighbor, ...]

    @property
    def bgp_networks(self) -> tuple[IPv4Network, ...]:
        """Prefixes the router originates into BGP: all it advertises to any neighbour."""
        return tuple(sorted({p for n in self.bgp_neighbors for p in n.advertise}))


def _descriptions(pc: PlannedConnection) -> tuple[str, str, str]:
    """(tunnel, BGP neighbour, endpoint route) descriptions; names only, never addresses."""
    if pc.description:
        return pc.description, pc.description, f"{pc.name}: GRE endpoint"
    if pc.via == "cloud-connection":
        return (
            f"PowerVS {pc.powervs} via {_KIND[pc.via]} {pc.name}",
            f"{pc.name}: PowerVS {pc.powervs}",
            f"{pc.name}: PowerVS {pc.powervs} GRE source",
        )
    return (
        f"PowerVS {pc.powervs} via {_KIND[pc.via]} {pc.name}",
        f"{pc.name}: TGW, PowerVS {pc.powervs}",
        f"{pc.name}: Transit Gateway GRE endpoint",
    )


def router_intents(address_plan: AddressPlan) -> dict[str, RouterIntent]:
    """One `RouterIntent` per router in the plan, by router name (sorted)."""
    plan = address_plan.plan
    by_router: dict[str, list[PlannedConnection]] = {name: [] for name in sorted(plan.routers)}
    for pc in address_plan.connections.values():
        by_router[pc.router].append(pc)
    return {
        name: _router_intent(name, sorted(pcs, key=lambda pc: pc.tunnel), address_plan)
        for name, pcs in by_router.items()
    }


def _router_intent(
    name: str, connections: list[PlannedConnection], address_plan: AddressPlan
) -> RouterIntent:
    router = address_plan.plan.routers[name]
    tunnels: list[GreTunnel] = []
    routes: list[StaticRoute] = []
    neighbors: list[BgpNeighbor] = []
    for pc in connections:
        tunnel_text, neighbor_text, route_text = _descriptions(pc)
        tunnels.append(
            GreTunnel(
                pc.name,
                pc.tunnel,
                tunnel_text,
                pc.local_ip,
                pc.remote_ip,
                pc.router_tunnel,
                pc.mtu,
                pc.tcp_mss,
            )
        )
        # The far GRE endpoint is reached over the private network, not the default (public)
        # route the appliance would otherwise use for 172.x and 192.168.x (ibm-facts §1).
        routes.append(
            StaticRoute(IPv4Network(pc.remote_ip), route_text, next_hop=pc.private_gateway)
        )
        if pc.routing == "static":
            routes.extend(
                StaticRoute(prefix, f"{pc.name}: PowerVS {pc.powervs}", tunnel=pc.tunnel)
                for prefix in pc.accept
            )
        else:
            neighbors.append(
                BgpNeighbor(
                    pc.name,
                    pc.peer_tunnel,
                    pc.peer_asn,
                    neighbor_text,
                    pc.accept,
                    pc.advertise,
                    ibm.BGP_KEEPALIVE,
                    ibm.BGP_HOLDTIME,
                )
            )
    return RouterIntent(
        name=name,
        asn=router.asn,
        router_id=router.router_id,
        tunnels=tuple(tunnels),
        static_routes=tuple(
            sorted(routes, key=lambda r: (r.prefix, r.tunnel is not None, r.tunnel or 0))
        ),
        bgp_neighbors=tuple(sorted(neighbors, key=lambda n: n.address)),
    )
