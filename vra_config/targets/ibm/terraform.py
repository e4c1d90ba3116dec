"""Terraform target: IBM's end of every link as HCL for the `IBM-Cloud/ibm` provider.

The file is a module: variables for what the plan does not know, one resource per link,
outputs and `check` blocks for what to look at after `apply`. Resources and arguments are
the provider's (IBM-Cloud/terraform-provider-ibm, checked offline by `tfcheck`):
- `ibm_tg_connection` (website/docs/r/tg_connection.html.markdown): `network_type =
  "unbound_gre_tunnel"`, `base_network_type = "classic"`, the four IPs, `zone`,
  `remote_bgp_asn`; several tunnels → `network_type = "redundant_gre"` with `tunnels`
  blocks (name, the four IPs, zone, remote_bgp_asn);
- `ibm_pi_cloud_connection` (website/docs/r/pi_cloud_connection.html.markdown):
  `pi_cloud_connection_classic_enabled`, `_gre_cidr`, `_gre_destination_address`,
  `_networks`, `_speed`; the computed `gre_source_address` is IBM's GRE source. Power
  resources run against a provider whose `zone` is the workspace's location, so each uses
  the provider alias `ibm.<location>` the caller passes in.

`>= 1.71.2`: the provider release IBM's Ansible collection generated its `ibm_tg_connection`
module from, with `base_network_type` and `tunnels` (IBM-Cloud/ansible-collection-ibm,
docs/ibm_tg_connection.rst). `check` blocks need Terraform 1.5.

`context` builds one record per resource kind, each by its own function (`_tg_connection`,
`_powervs_attachment`, `_pi_cloud_connection`), and the variables by part (`_variables`):
the template prints those records in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vra_config.plan.values import GRE_SPEEDS
from vra_config.targets.ibm.contract import IbmContext
from vra_config.targets.ibm.quoting import hcl_string
from vra_config.targets.ibm.side import (
    TRANSIT_GATEWAY_VAR,
    CloudLink,
    IbmSide,
    TgwLink,
    TgwWorkspace,
    Workspace,
)

TITLE = "Terraform for the IBM-Cloud/ibm provider, a module"
FILE = "ibm-side.tf"
TEMPLATE = "main.tf.j2"
PROVIDER_VERSION = ">= 1.71.2"
TERRAFORM_VERSION = ">= 1.5.0"
ZONE_PATTERN = "^[a-z]{2}-[a-z]{2,5}-[1-9]$"


@dataclass(frozen=True, kw_only=True)
class Validation:
    """A variable's `validation` block: an HCL condition, and its message as a literal."""

    condition: str
    message: str


@dataclass(frozen=True, kw_only=True)
class Variable:
    """A `variable` block: what the plan does not know, asked of whoever applies the module."""

    name: str
    type: str
    description: str  # an HCL string literal
    default: str | None = None  # an HCL value; None: the variable is required
    validation: Validation | None = None


@dataclass(frozen=True, kw_only=True)
class Tunnel:
    """One GRE tunnel's arguments, HCL values: top-level for an unbound GRE, a `tunnels`
    block of a redundant one."""

    name: str
    zone: str  # a literal, or `var.<zone_var>` when the plan left the zone out
    local_gateway_ip: str
    local_tunnel_ip: str
    remote_gateway_ip: str
    remote_tunnel_ip: str


@dataclass(frozen=True, kw_only=True)
class TgConnection:
    """An `ibm_tg_connection` GRE to a classic router, with its output."""

    label: str  # the resource's and the output's name
    comment: str
    name: str
    network_type: str
    redundant: bool
    remote_bgp_asn: int
    tunnels: tuple[Tunnel, ...]
    output_description: str
    asn_lookup: str  # an HCL string template: the command that shows IBM's Local BGP ASN


@dataclass(frozen=True, kw_only=True)
class PowervsAttachment:
    """An `ibm_tg_connection` of type `power_virtual_server`: a workspace's own connection
    to the gateway, counted out when the workspace is attached already."""

    label: str
    comment: str
    count: str
    name: str
    network_id: str


@dataclass(frozen=True, kw_only=True)
class PiCloudConnection:
    """An `ibm_pi_cloud_connection` with classic GRE, its output and its `check` block."""

    label: str
    comment: str
    provider: str  # the provider alias of the workspace's location
    workspace: str
    name: str
    speed: str
    networks: str
    gre_cidr: str
    gre_destination: str
    gre_source: str
    check_message: str
    output_description: str


@dataclass(frozen=True, kw_only=True)
class TerraformContext(IbmContext):
    """`main.tf.j2`'s data: every string already an HCL literal, every decision made."""

    terraform_version: str
    provider_version: str
    aliases: tuple[str, ...]
    variables: tuple[Variable, ...]
    tgw: tuple[TgConnection, ...]
    attachments: tuple[PowervsAttachment, ...]
    cloud: tuple[PiCloudConnection, ...]


def comment(text: str) -> str:
    return f"# {text}"


def context(side: IbmSide) -> TerraformContext:
    """Template data: every string already an HCL literal, every decision already made."""
    workspaces = {ws.name: ws for ws in side.workspaces}
    return TerraformContext(
        terraform_version=hcl_string(TERRAFORM_VERSION),
        provider_version=hcl_string(PROVIDER_VERSION),
        aliases=tuple(f"ibm.{loc}" for loc in side.locations),
        variables=tuple(_variables(side)),
        tgw=tuple(_tg_connection(link) for link in side.tgw),
        attachments=tuple(_powervs_attachment(tws) for tws in side.tgw_workspaces),
        cloud=tuple(_pi_cloud_connection(cc, workspaces[cc.powervs]) for cc in side.cloud),
    )


def _variables(side: IbmSide) -> Iterator[Variable]:
    """Every variable, in file order: the gateway, the zones the plan left out, each
    attached workspace's, each cloud-connection workspace's, the speeds left out."""
    if side.tgw:
        yield _variable(
            TRANSIT_GATEWAY_VAR,
            "string",
            "ID of the Transit Gateway every transit-gateway connection of the plan "
            "attaches to (ibm_tg_gateway.<name>.id, or `ibmcloud tg gateways`)",
        )
    for link in side.tgw:
        yield from _zone_variables(link)
    for tws in side.tgw_workspaces:
        yield from _attachment_variables(tws)
    for ws in side.workspaces:
        yield from _workspace_variables(ws)
    for cc in side.cloud:
        if cc.speed is None:
            yield _speed_variable(cc)


def _zone_variables(link: TgwLink) -> Iterator[Variable]:
    """A zone variable per tunnel whose zone the plan left out, checked for IBM's form."""
    for t in link.tunnels:
        if t.zone is None:
            yield _variable(
                t.zone_var,
                "string",
                f"Availability zone of the Transit Gateway GRE {t.name} (such as "
                "us-south-1); set transit_gateway.zone in the plan to fix it there",
                validation=(
                    f"can(regex({hcl_string(ZONE_PATTERN)}, var.{t.zone_var}))",
                    "An IBM Cloud availability zone such as us-south-1.",
                ),
            )


def _attachment_variables(tws: TgwWorkspace) -> Iterator[Variable]:
    """A workspace behind the gateway: its CRN, and whether to attach it here."""
    yield _variable(
        tws.crn_var,
        "string",
        f"CRN of PowerVS workspace {tws.name} (`ibmcloud pi workspace list`), for its "
        "own connection to the Transit Gateway",
    )
    yield _variable(
        tws.attach_var,
        "bool",
        f"Create the Transit Gateway's connection to PowerVS workspace {tws.name}; "
        "false when the workspace is attached to the gateway already (the GRE "
        "reaches it only through that attachment)",
        default="true",
    )


def _workspace_variables(ws: Workspace) -> Iterator[Variable]:
    """A workspace with cloud connections: its GUID and the networks GRE routes."""
    yield _variable(
        ws.id_var,
        "string",
        f"GUID of PowerVS workspace {ws.name} ({ws.location}): "
        "pi_cloud_instance_id, `ibmcloud pi workspace list`",
    )
    yield _variable(
        ws.networks_var,
        "list(string)",
        f"IDs of the PowerVS networks of {ws.name} to route over GRE (the plan's "
        f"subnets {', '.join(ws.subnets)}); IBM needs at least one for GRE",
        validation=(
            f"length(var.{ws.networks_var}) > 0",
            "A cloud connection with GRE needs at least one PowerVS network.",
        ),
    )


def _speed_variable(cc: CloudLink) -> Variable:
    """The speed of a cloud connection the plan left out, limited to GRE's speeds."""
    speeds = ", ".join(map(str, GRE_SPEEDS))
    return _variable(
        cc.speed_var,
        "number",
        f"Speed of cloud connection {cc.connection} in Mbps, at most 5000 "
        "with GRE; set speed in the plan to fix it there",
        validation=(
            f"contains([{speeds}], var.{cc.speed_var})",
            f"GRE runs at {speeds} Mbps (not 10000).",
        ),
    )


def _tg_connection(link: TgwLink) -> TgConnection:
    """A Transit Gateway GRE: unbound with one tunnel, `redundant_gre` with several."""
    return TgConnection(
        label=link.ident,
        comment=comment(
            f"{link.connection}: Transit Gateway GRE to router {link.router} "
            f"(PowerVS {link.powervs}); the router peers with local ASN "
            f"{link.local_asns_text}"
        ),
        name=hcl_string(link.connection),
        network_type=hcl_string("redundant_gre" if link.redundant else "unbound_gre_tunnel"),
        redundant=link.redundant,
        remote_bgp_asn=link.remote_bgp_asn,
        tunnels=tuple(
            Tunnel(
                name=hcl_string(t.name),
                zone=hcl_string(t.zone) if t.zone else f"var.{t.zone_var}",
                local_gateway_ip=hcl_string(t.local_gateway_ip),
                local_tunnel_ip=hcl_string(t.local_tunnel_ip),
                remote_gateway_ip=hcl_string(t.remote_gateway_ip),
                remote_tunnel_ip=hcl_string(t.remote_tunnel_ip),
            )
            for t in link.tunnels
        ),
        output_description=hcl_string(
            _described(f"Transit Gateway GRE {link.connection}", link.description)
        ),
        asn_lookup=_asn_lookup(link.ident, link.redundant),
    )


def _powervs_attachment(tws: TgwWorkspace) -> PowervsAttachment:
    """A workspace's own connection to the gateway, the GRE's way into the workspace."""
    return PowervsAttachment(
        label=tws.ident,
        comment=comment(
            f"PowerVS workspace {tws.name} reaches the Transit Gateway through its own "
            "connection; it must exist for the GRE to reach the workspace"
        ),
        count=f"var.{tws.attach_var} ? 1 : 0",
        name=hcl_string(tws.connection),
        network_id=f"var.{tws.crn_var}",
    )


def _pi_cloud_connection(cc: CloudLink, ws: Workspace) -> PiCloudConnection:
    """A cloud connection in its workspace, checked after `apply` for the GRE source the
    router was rendered with."""
    return PiCloudConnection(
        label=cc.ident,
        comment=comment(
            f"{cc.connection}: cloud connection GRE to router {cc.router} "
            f"(PowerVS {cc.powervs}, {cc.location})"
        ),
        provider=f"ibm.{cc.location}",
        workspace=f"var.{ws.id_var}",
        name=hcl_string(cc.connection),
        speed=str(cc.speed) if cc.speed else f"var.{cc.speed_var}",
        networks=f"var.{ws.networks_var}",
        gre_cidr=hcl_string(cc.gre_cidr),
        gre_destination=hcl_string(cc.gre_destination),
        gre_source=hcl_string(cc.gre_source),
        check_message=hcl_string(
            f"IBM assigned a GRE source other than {cc.gre_source}, the address "
            f"router {cc.router} sends the tunnel to; set the router's remote-ip "
            "to gre_source_address, or recreate the connection"
        ),
        output_description=hcl_string(
            _described(f"Cloud connection {cc.connection}", cc.description)
        ),
    )


def _asn_lookup(label: str, redundant: bool) -> str:
    """An HCL string template of the command that shows the Local BGP ASN IBM assigned.

    `ibmcloud tg connection GATEWAY_ID CONNECTION_ID --output json`, or `ibmcloud tg
    tunnels GATEWAY_ID REDUNDANT_GRE_ID --output json` for a redundant GRE's tunnels (IBM's
    Transit Gateway CLI reference; the API's field is `local_bgp_asn`). The provider's
    `ibm_tg_connection` does not export it for an unbound GRE, so the output is the
    command, not the number."""
    command = "tunnels" if redundant else "connection"
    return (
        f'"ibmcloud tg {command} ${{var.{TRANSIT_GATEWAY_VAR}}} '
        f'${{ibm_tg_connection.{label}.connection_id}} --output json"'
    )


def _described(what: str, description: str | None) -> str:
    return f"{what}: {description}" if description else what


def _variable(
    name: str,
    type_: str,
    description: str,
    *,
    validation: tuple[str, str] | None = None,
    default: str | None = None,
) -> Variable:
    """A variable with its description, and its validation's message, quoted as HCL."""
    return Variable(
        name=name,
        type=type_,
        default=default,
        description=hcl_string(description),
        validation=(
            Validation(condition=validation[0], message=hcl_string(validation[1]))
            if validation
            else None
        ),
    )
