"""ibmcloud target: IBM's end of every link as the IBM Cloud CLI commands that create it.

A POSIX shell script, one command per link, with the flags IBM's CLI references document:
- `ibmcloud tg connection-gre-create GATEWAY_ID --name --zone --local-gateway-ip
  --local-tunnel-ip --remote-gateway-ip --remote-tunnel-ip --network-type
  unbound_gre_tunnel --base-network-type classic --remote-bgp-asn` (IBM marks the older
  `connection-create-gre` deprecated;
  https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-transit-gateway-cli);
- the PowerVS workspace's own connection to the gateway, `ibmcloud tg connection-create
  GATEWAY_ID --name --network-type power_virtual_server --network-id CRN` (same page),
  skipped when `<workspace>_attach=false` says it exists;
- a redundant GRE: its JSON file, then `ibmcloud tg connection-rgre-create --file FILE`
  (https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-redundant-gre-connection);
- `ibmcloud pi workspace target CRN`, then `ibmcloud pi cloud-connection create NAME --speed
  --classic --subnets "ID1,..,IDn" --gre-tunnel "CIDR DEST-IP"` (`--subnets` takes
  comma-separated network IDs) (PowerVS CLI 1.x, which
  renamed 0.7's `connection-create ... --networks`;
  https://cloud.ibm.com/docs/power-iaas-cli-plugin?topic=power-iaas-cli-plugin-power-iaas-cli-reference).

What the plan does not know is a shell variable of the same name as the Terraform target's
variable; the script stops (`${NAME:?...}`) before the first command if one is unset.

`context` builds one `Step` per link or workspace, each by the function named for what it
creates (`_unbound_gre`, `_redundant_gre`, `_attachment`, `_cloud_connection`), and the
variables the steps need by part (`_required_lines`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from vra_config.targets.ibm.contract import IbmContext
from vra_config.targets.ibm.quoting import shell_word
from vra_config.targets.ibm.side import (
    TRANSIT_GATEWAY_VAR,
    CloudLink,
    IbmSide,
    TgwLink,
    TgwWorkspace,
    Workspace,
)

TITLE = "ibmcloud CLI commands, run with sh after ibmcloud login"
FILE = "ibm-side.sh"
TEMPLATE = "commands.sh.j2"


@dataclass(frozen=True, kw_only=True)
class Step:
    """One paragraph of the script: comment lines, then command lines, all quoted."""

    comments: tuple[str, ...]
    commands: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class IbmcloudContext(IbmContext):
    """`commands.sh.j2`'s data: the variable checks first, then the steps in order."""

    required: tuple[str, ...]
    steps: tuple[Step, ...]


def comment(text: str) -> str:
    return f"# {text}"


def context(side: IbmSide) -> IbmcloudContext:
    """Template data: every command already a line of safely quoted words."""
    workspaces = {ws.name: ws for ws in side.workspaces}
    steps = (
        *(_redundant_gre(link) if link.redundant else _unbound_gre(link) for link in side.tgw),
        *([_asn_note()] if side.tgw else []),
        *(_attachment(tws) for tws in side.tgw_workspaces),
        *(_cloud_connection(cc, workspaces[cc.powervs]) for cc in side.cloud),
    )
    # a workspace both behind a Transit Gateway and on a cloud connection asks once
    required = tuple(dict.fromkeys(_required_lines(side)))
    return IbmcloudContext(required=required, steps=steps)


def _required_lines(side: IbmSide) -> Iterator[str]:
    """A check per variable the steps read, in the steps' order: the gateway, the zones the
    plan left out, the workspaces' CRNs and network IDs, the speeds left out."""
    if side.tgw:
        yield _required(TRANSIT_GATEWAY_VAR, "the Transit Gateway ID")
    for link in side.tgw:
        # a redundant GRE's tunnels always name their zone (`_redundant_gre`)
        if not link.redundant and link.tunnels[0].zone is None:
            yield _required(link.tunnels[0].zone_var, f"the zone of {link.connection}")
    for tws in side.tgw_workspaces:
        yield _required(tws.crn_var, f"the CRN of PowerVS workspace {tws.name}")
    for ws in side.workspaces:
        yield _required(ws.crn_var, f"the CRN of PowerVS workspace {ws.name}")
        yield _required(
            ws.networks_var,
            f"the IDs of the PowerVS networks of {ws.name}, comma-separated (id1,id2)",
        )
    for cc in side.cloud:
        if cc.speed is None:
            yield _required(cc.speed_var, f"the speed of {cc.connection}")


def _required(name: str, what: str) -> str:
    """`: "${NAME:?what}"`: stop with `what` when NAME is unset or empty."""
    return f': "${{{name}:?set {name} to {what}}}"'


def _command(*words: str) -> str:
    return " ".join(words)


def _unbound_gre(link: TgwLink) -> Step:
    """A Transit Gateway GRE of one tunnel: one `connection-gre-create`."""
    (tunnel,) = link.tunnels
    zone = shell_word(tunnel.zone) if tunnel.zone else f'"${tunnel.zone_var}"'
    return Step(
        comments=_comments(
            f"{link.connection}: Transit Gateway GRE to router {link.router} "
            f"(PowerVS {link.powervs}); the router peers with local ASN "
            f"{link.local_asns_text}",
            link.description,
        ),
        commands=(
            _command(
                "ibmcloud tg connection-gre-create",
                f'"${TRANSIT_GATEWAY_VAR}"',
                "--name",
                shell_word(link.connection),
                "--network-type unbound_gre_tunnel --base-network-type classic",
                "--zone",
                zone,
                "--local-gateway-ip",
                shell_word(tunnel.local_gateway_ip),
                "--local-tunnel-ip",
                shell_word(tunnel.local_tunnel_ip),
                "--remote-gateway-ip",
                shell_word(tunnel.remote_gateway_ip),
                "--remote-tunnel-ip",
                shell_word(tunnel.remote_tunnel_ip),
                "--remote-bgp-asn",
                str(link.remote_bgp_asn),
            ),
        ),
    )


def _asn_note() -> Step:
    """After the GREs: where to read the Local BGP ASN IBM assigned, which the router needs."""
    return Step(
        comments=(
            comment(
                "IBM assigns each GRE's Local BGP ASN at creation: `ibmcloud tg "
                f'connections "${TRANSIT_GATEWAY_VAR}" --output json` shows it '
                "(local_bgp_asn); put it in the plan (transit_gateway.asn), then "
                "render the router"
            ),
        ),
        commands=(),
    )


def _attachment(tws: TgwWorkspace) -> Step:
    """A workspace's own connection to the gateway, skipped when it is attached already."""
    return Step(
        comments=(
            comment(
                f"PowerVS workspace {tws.name} reaches the Transit Gateway through its "
                f"own connection; set {tws.attach_var}=false if it is attached already"
            ),
        ),
        commands=(
            _command(
                f'[ "${{{tws.attach_var}:-true}}" = false ] ||',
                "ibmcloud tg connection-create",
                f'"${TRANSIT_GATEWAY_VAR}"',
                "--name",
                shell_word(tws.connection),
                "--network-type power_virtual_server --network-id",
                f'"${tws.crn_var}"',
            ),
        ),
    )


def _cloud_connection(cc: CloudLink, ws: Workspace) -> Step:
    """A cloud connection with GRE, created in its workspace (targeted first)."""
    speed = str(cc.speed) if cc.speed else f'"${cc.speed_var}"'
    gre = shell_word(f"{cc.gre_cidr} {cc.gre_destination}")
    return Step(
        comments=_comments(
            f"{cc.connection}: cloud connection GRE to router {cc.router} "
            f"(PowerVS {cc.powervs}, {cc.location}); IBM's GRE source will be "
            f"{cc.gre_source}",
            cc.description,
        ),
        commands=(
            _command("ibmcloud pi workspace target", f'"${ws.crn_var}"'),
            _command(
                "ibmcloud pi cloud-connection create",
                shell_word(cc.connection),
                "--speed",
                speed,
                "--classic --subnets",
                f'"${ws.networks_var}"',
                "--gre-tunnel",
                gre,
            ),
        ),
    )


def _redundant_gre(link: TgwLink) -> Step:
    """IBM's CLI creates a redundant GRE from a JSON file only (`ibmcloud tg
    connection-rgre-create --file`, with the fields of IBM's example): the script writes
    it, the gateway ID from its variable, and runs the command."""
    assert all(t.zone for t in link.tunnels)  # a redundant GRE's tunnels name their zone
    tunnels = [
        {
            "local_gateway_ip": t.local_gateway_ip,
            "local_tunnel_ip": t.local_tunnel_ip,
            "name": t.name,
            "remote_bgp_asn": link.remote_bgp_asn,  # a number, as in IBM's example
            "remote_gateway_ip": t.remote_gateway_ip,
            "remote_tunnel_ip": t.remote_tunnel_ip,
            "zone": {"name": t.zone},
        }
        for t in link.tunnels
    ]
    body = json.dumps(
        {
            "name": link.connection,
            "network_type": "redundant_gre",
            "base_network_type": "classic",
            "tunnels": tunnels,
        }
    )
    file = shell_word(f"{link.ident}.rgre.json")
    return Step(
        comments=_comments(
            f"{link.connection}: redundant Transit Gateway GRE to router {link.router} "
            f"(PowerVS {link.powervs}), tunnels {', '.join(t.name for t in link.tunnels)}; "
            f"the router peers with local ASN {link.local_asns_text}",
            link.description,
        ),
        commands=(
            _command(
                "printf '%s%s%s\\n'",
                shell_word('{"gateway_id": "'),
                f'"${TRANSIT_GATEWAY_VAR}"',
                shell_word('", ' + body[1:]),
                ">",
                file,
            ),
            _command("ibmcloud tg connection-rgre-create --file", file),
        ),
    )


def _comments(what: str, description: str | None) -> tuple[str, ...]:
    """The step's comment, and the plan's description of the link when it has one."""
    if description:
        return (comment(what), comment(description))
    return (comment(what),)
