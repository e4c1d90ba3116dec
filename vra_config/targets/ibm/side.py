"""IBM's end of every link, vendor-neutral: what a Transit Gateway GRE connection or a
PowerVS cloud connection must be told so that it mirrors the router's end.

Every value comes from the planner's `PlannedLink` (the object the router packs render), with
the two ends' roles swapped: IBM's *local* gateway and tunnel IP are the router's *remote*
ones and the other way round. `_SeenFromIbm` says that swap once, in IBM's words, and the
records are built from it. Names follow IBM's field names:
- Transit Gateway GRE: local/remote gateway IP, local/remote tunnel IP, zone, remote BGP ASN
  (https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-unbound-gre-connection);
- cloud connection: the GRE subnet (CIDR) and GRE destination (the router), from which IBM
  assigns the PowerVS GRE source, the first host of the /29
  (https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-cloud-connections).

What the plan does not know (gateway and workspace IDs, network IDs, a zone or speed it left
out) is named here once, as an identifier both targets use (a Terraform variable, a shell
variable), so the two targets ask for the same things.

A Transit Gateway link is a tuple of tunnels: one, an `unbound_gre_tunnel`; or a plan's
redundant GRE (`transit_gateway.tunnels`, planned tunnel by tunnel), a `redundant_gre` with
one `tunnels` entry per tunnel
(https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-redundant-gre-connection).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vra_config.plan.findings import Finding
from vra_config.plan.model import CloudConnection, Plan, TransitGatewayConnection
from vra_config.plan.rules import RULES, TGW_UNBOUND_GRE
from vra_config.planner.records import AddressPlan, PlannedLink
from vra_config.targets.base import TargetError

#: IBM's rule for Transit Gateway connection (and tunnel) names, as the provider validates
#: it: IBM-Cloud/terraform-provider-ibm, resource_ibm_tg_gateway_connection.go.
TGW_NAME_RE = re.compile(r"[a-zA-Z]|[a-zA-Z][-_a-zA-Z0-9]*[a-zA-Z0-9]")
TGW_NAME_MAX = 63

#: The variable every Transit Gateway connection of the plan attaches to: the plan names no
#: gateway, so one plan's links share one.
TRANSIT_GATEWAY_VAR = "transit_gateway_id"


def ident(name: str) -> str:
    """A plan name as a Terraform / shell identifier: `-` → `_`, and `_` before a leading
    digit (identifiers start with a letter or `_`). Injective: plan names have no `_`."""
    text = name.replace("-", "_")
    return f"_{text}" if text[:1].isdigit() else text


@dataclass(frozen=True, kw_only=True)
class GreTunnel:
    """One GRE tunnel of a Transit Gateway connection, in IBM's terms (IBM is *local*)."""

    name: str
    zone: str | None  # None: the plan left it out; `zone_var` asks for it
    zone_var: str
    local_gateway_ip: str  # the Transit Gateway's underlay IP = the router's remote-ip
    local_tunnel_ip: str  # the Transit Gateway's tunnel IP = the router's BGP neighbour
    remote_gateway_ip: str  # the router's private IP = its local-ip
    remote_tunnel_ip: str  # the router's tunnel address
    #: the Transit Gateway's ASN in this tunnel's zone; None until IBM assigns it
    local_bgp_asn: int | None = None


@dataclass(frozen=True, kw_only=True)
class TgwLink:
    """A Transit Gateway GRE connection to a classic router."""

    connection: str
    ident: str
    router: str
    powervs: str
    description: str | None
    remote_bgp_asn: int  # the router's ASN
    #: the Transit Gateway's, as IBM showed it (the router peers with it); None until IBM
    #: assigns it at creation (rule VRC980: IBM's side is applied first)
    local_bgp_asn: int | None
    tunnels: tuple[GreTunnel, ...]

    @property
    def local_asns_text(self) -> str:
        """`64490`, or per zone for a redundant GRE: `64490 (us-south-1), 64491 (us-south-2)`;
        what IBM has not assigned yet is said so."""

        def shown(asn: int | None) -> str:
            return str(asn) if asn is not None else "(assigned by IBM at creation)"

        if not self.redundant:
            return shown(self.local_bgp_asn)
        return ", ".join(f"{shown(t.local_bgp_asn)} ({t.zone})" for t in self.tunnels)

    @property
    def redundant(self) -> bool:
        """Several tunnels: IBM's `redundant_gre` network type."""
        return len(self.tunnels) > 1


@dataclass(frozen=True, kw_only=True)
class CloudLink:
    """A PowerVS cloud connection with classic enabled and a GRE tunnel to a router."""

    connection: str
    ident: str
    router: str
    powervs: str
    location: str
    description: str | None
    gre_cidr: str
    gre_destination: str  # the router's private IP = its local-ip
    gre_source: str  # what IBM assigns: the first host of the /29 = the router's remote-ip
    speed: int | None  # None: `speed_var` asks for it
    speed_var: str


@dataclass(frozen=True, kw_only=True)
class Workspace:
    """A PowerVS workspace with cloud connections: the IDs IBM's side needs for it."""

    name: str
    location: str
    subnets: tuple[str, ...]
    id_var: str  # Terraform: the workspace GUID (pi_cloud_instance_id)
    crn_var: str  # CLI: its CRN (`ibmcloud pi workspace target`)
    networks_var: str


@dataclass(frozen=True, kw_only=True)
class TgwWorkspace:
    """A PowerVS workspace a Transit Gateway GRE leads to: it reaches the gateway through its
    own connection, `network_type = "power_virtual_server"` with the workspace's CRN as
    `network_id` (IBM-Cloud/terraform-provider-ibm, resource_ibm_tg_gateway_connection.go;
    `ibmcloud tg connection-create --network-type power_virtual_server --network-id CRN`,
    https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-transit-gateway-cli)."""

    name: str
    connection: str  # the Transit Gateway connection's name
    ident: str
    crn_var: str
    attach_var: str  # Terraform: false when the workspace is attached already


@dataclass(frozen=True, kw_only=True)
class IbmSide:
    """IBM's end of every link of a plan, in connection-name order."""

    tgw: tuple[TgwLink, ...]
    cloud: tuple[CloudLink, ...]
    workspaces: tuple[Workspace, ...]
    tgw_workspaces: tuple[TgwWorkspace, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.tgw and not self.cloud

    @property
    def locations(self) -> tuple[str, ...]:
        """PowerVS locations with cloud connections, sorted: one provider zone each."""
        return tuple(sorted({link.location for link in self.cloud}))


@dataclass(frozen=True, kw_only=True)
class _SeenFromIbm:
    """One GRE link's underlay and tunnel addresses in IBM's words, where IBM is *local*.

    The planner writes a `PlannedLink` from the router's end (`local_ip` is the router's,
    `remote_ip` the far end's), and IBM names the same four addresses from its own end; the
    swap is said here once instead of at each record's fields. Private to `targets/ibm`:
    `intent/` builds a router-end view of a link, and the two can become one view of both
    ends once that one settles.
    """

    link: PlannedLink

    @property
    def local_gateway_ip(self) -> str:
        """IBM's underlay address: the router's remote-ip (a cloud connection's GRE source)."""
        assert self.link.remote_ip is not None
        return str(self.link.remote_ip)

    @property
    def local_tunnel_ip(self) -> str:
        """IBM's tunnel address: the router's BGP neighbour."""
        assert self.link.peer_address is not None
        return str(self.link.peer_address.ip)

    @property
    def remote_gateway_ip(self) -> str:
        """The router's private address, its local-ip (a cloud connection's GRE destination)."""
        assert self.link.local_ip is not None
        return str(self.link.local_ip)

    @property
    def remote_tunnel_ip(self) -> str:
        """The router's own tunnel address."""
        assert self.link.router_address is not None
        return str(self.link.router_address.ip)


def ibm_side(address_plan: AddressPlan) -> IbmSide:
    """IBM's end of every Transit Gateway and cloud-connection link (raises `TargetError`)."""
    plan = address_plan.plan
    problems: list[Finding] = []
    tgw: list[TgwLink] = []
    cloud: list[CloudLink] = []
    redundant: dict[str, list[TgwLink]] = {}
    for name, link in sorted(address_plan.connections.items()):
        conn = plan.connections[name]
        if isinstance(conn, TransitGatewayConnection):
            if link.group is not None:  # a tunnel of a redundant GRE, named after the tunnel
                redundant.setdefault(link.group, []).append(_tgw_link(link, conn, problems))
            else:
                tgw.append(_tgw_link(link, conn, problems))
        elif isinstance(conn, CloudConnection):
            cloud.append(_cloud_link(plan, link, conn))
    for group, parts in redundant.items():
        tgw.append(_redundant_gre(group, parts, address_plan, problems))
    tgw.sort(key=lambda link: link.connection)
    if problems:
        raise TargetError(problems)
    return IbmSide(
        tgw=tuple(tgw),
        cloud=tuple(cloud),
        workspaces=_cloud_workspaces(plan, cloud),
        tgw_workspaces=_tgw_workspaces(tgw),
    )


def _cloud_workspaces(plan: Plan, cloud: list[CloudLink]) -> tuple[Workspace, ...]:
    """The workspaces the cloud connections lead to, by name: the IDs each one needs."""
    return tuple(
        Workspace(
            name=ws,
            location=plan.powervs[ws].location,
            subnets=tuple(str(s) for s in plan.powervs[ws].subnets),
            id_var=f"{ident(ws)}_workspace_id",
            crn_var=f"{ident(ws)}_workspace_crn",
            networks_var=f"{ident(ws)}_network_ids",
        )
        for ws in sorted({link.powervs for link in cloud})
    )


def _tgw_workspaces(tgw: list[TgwLink]) -> tuple[TgwWorkspace, ...]:
    """The workspaces the Transit Gateway GREs lead to, by name: each its own connection."""
    return tuple(
        TgwWorkspace(
            name=ws,
            connection=f"{ws}-powervs",
            ident=f"{ident(ws)}_powervs",
            crn_var=f"{ident(ws)}_workspace_crn",
            attach_var=f"{ident(ws)}_attach",
        )
        for ws in sorted({link.powervs for link in tgw})
    )


def _name_problem(path: tuple[str | int, ...], name: str, what: str) -> Finding | None:
    if TGW_NAME_RE.fullmatch(name) and len(name) <= TGW_NAME_MAX:
        return None
    return Finding(
        path,
        f"IBM names a Transit Gateway {what} after it, and {name} does not start with a "
        f"letter as IBM requires; rename the {what} to start with a letter "
        f"({RULES['VRC705'].citing(TGW_UNBOUND_GRE)})",
        rule="VRC705",
    )


def _redundant_gre(
    group: str, parts: list[TgwLink], address_plan: AddressPlan, problems: list[Finding]
) -> TgwLink:
    """IBM's redundant GRE: one connection, a `tunnels` entry per tunnel, in plan order."""
    order = {name: rank for rank, name in enumerate(address_plan.connections)}
    parts.sort(key=lambda p: order[p.connection])
    first = parts[0]
    problem = _name_problem(("connections", group), group, "connection")
    if problem is not None:
        problems.append(problem)
    return TgwLink(
        connection=group,
        ident=ident(group),
        router=first.router,
        powervs=first.powervs,
        description=first.description,
        remote_bgp_asn=first.remote_bgp_asn,
        local_bgp_asn=first.local_bgp_asn,
        tunnels=tuple(t for p in parts for t in p.tunnels),
    )


def _tgw_link(
    link: PlannedLink, conn: TransitGatewayConnection, problems: list[Finding]
) -> TgwLink:
    path: tuple[str | int, ...] = ("connections", link.name)
    what = "connection"
    if link.group is not None:
        path, what = ("connections", link.group, "transit_gateway", "tunnels"), "tunnel"
    problem = _name_problem(path, link.name, what)
    if problem is not None:
        problems.append(problem)
    assert link.router_asn is not None
    ibm = _SeenFromIbm(link=link)
    tunnel = GreTunnel(
        name=link.name,
        zone=conn.transit_gateway.zone,
        zone_var=f"{ident(link.name)}_zone",
        local_gateway_ip=ibm.local_gateway_ip,
        local_tunnel_ip=ibm.local_tunnel_ip,
        remote_gateway_ip=ibm.remote_gateway_ip,
        remote_tunnel_ip=ibm.remote_tunnel_ip,
        local_bgp_asn=conn.transit_gateway.asn,
    )
    return TgwLink(
        connection=link.name,
        ident=ident(link.name),
        router=link.router,
        powervs=conn.powervs,
        description=link.description,
        remote_bgp_asn=link.router_asn,
        local_bgp_asn=conn.transit_gateway.asn,
        tunnels=(tunnel,),
    )


def _cloud_link(plan: Plan, link: PlannedLink, conn: CloudConnection) -> CloudLink:
    assert link.subnet is not None
    ibm = _SeenFromIbm(link=link)
    return CloudLink(
        connection=link.name,
        ident=ident(link.name),
        router=link.router,
        powervs=conn.powervs,
        location=plan.powervs[conn.powervs].location,
        description=link.description,
        gre_cidr=str(link.subnet),
        gre_destination=ibm.remote_gateway_ip,
        gre_source=ibm.local_gateway_ip,
        speed=conn.speed,
        speed_var=f"{ident(link.name)}_speed",
    )
