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
"""

from __future__ import annotations

import json
from typing import Any

from vra_config.targets.ibm.quoting import shell_word
from vra_config.targets.ibm.side import TRANSIT_GATEWAY_VAR, IbmSide, TgwLink

TITLE = "ibmcloud CLI commands, run with sh after ibmcloud login"
FILE = "ibm-side.sh"
TEMPLATE = "commands.sh.j2"


def comment(text: str) -> str:
    return f"# {text}"


def _required(name: str, what: str) -> str:
    """`: "${NAME:?what}"`: stop with `what` when NAME is unset or empty."""
    return f': "${{{name}:?set {name} to {what}}}"'


def _command(*words: str) -> str:
    return " ".join(words)


def context(side: IbmSide) -> dict[str, Any]:
    """Template data: every command already a line of safely quoted words."""
    required: list[str] = []
    steps: list[dict[str, Any]] = []
    if side.tgw:
        required.append(_required(TRANSIT_GATEWAY_VAR, "the Transit Gateway ID"))
    for link in side.tgw:
        if link.redundant:
            steps.append(_redundant_gre(link))
            continue
        (tunnel,) = link.tunnels
        if tunnel.zone is None:
            required.append(_required(tunnel.zone_var, f"the zone of {link.connection}"))
        zone = shell_word(tunnel.zone) if tunnel.zone else f'"${tunnel.zone_var}"'
        steps.append(
            {
                "comments": _comments(
                    f"{link.connection}: Transit Gateway GRE to router {link.router} "
                    f"(PowerVS {link.powervs}); the router peers with local ASN "
                    f"{link.local_asns_text}",
                    link.description,
                ),
                "commands": [
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
                    )
                ],
            }
        )
    if side.tgw:
        steps.append(
            {
                "comments": [
                    comment(
                        "IBM assigns each GRE's Local BGP ASN at creation: `ibmcloud tg "
                        f'connections "${TRANSIT_GATEWAY_VAR}" --output json` shows it '
                        "(local_bgp_asn); put it in the plan (transit_gateway.asn), then "
                        "render the router"
                    )
                ],
                "commands": [],
            }
        )
    for tws in side.tgw_workspaces:
        required.append(_required(tws.crn_var, f"the CRN of PowerVS workspace {tws.name}"))
        steps.append(
            {
                "comments": [
                    comment(
                        f"PowerVS workspace {tws.name} reaches the Transit Gateway through its "
                        f"own connection; set {tws.attach_var}=false if it is attached already"
                    )
                ],
                "commands": [
                    _command(
                        f'[ "${{{tws.attach_var}:-true}}" = false ] ||',
                        "ibmcloud tg connection-create",
                        f'"${TRANSIT_GATEWAY_VAR}"',
                        "--name",
                        shell_word(tws.connection),
                        "--network-type power_virtual_server --network-id",
                        f'"${tws.crn_var}"',
                    )
                ],
            }
        )
    workspaces = {ws.name: ws for ws in side.workspaces}
    for ws in side.workspaces:
        required.append(_required(ws.crn_var, f"the CRN of PowerVS workspace {ws.name}"))
        required.append(
            _required(
                ws.networks_var,
                f"the IDs of the PowerVS networks of {ws.name}, comma-separated (id1,id2)",
            )
        )
    for cc in side.cloud:
        ws = workspaces[cc.powervs]
        if cc.speed is None:
            required.append(_required(cc.speed_var, f"the speed of {cc.connection}"))
        speed = str(cc.speed) if cc.speed else f'"${cc.speed_var}"'
        gre = shell_word(f"{cc.gre_cidr} {cc.gre_destination}")
        steps.append(
            {
                "comments": _comments(
                    f"{cc.connection}: cloud connection GRE to router {cc.router} "
                    f"(PowerVS {cc.powervs}, {cc.location}); IBM's GRE source will be "
                    f"{cc.gre_source}",
                    cc.description,
                ),
                "commands": [
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
                ],
            }
        )
    # a workspace both behind a Transit Gateway and on a cloud connection asks once
    return {"required": list(dict.fromkeys(required)), "steps": steps}


def _redundant_gre(link: TgwLink) -> dict[str, Any]:
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
    return {
        "comments": _comments(
            f"{link.connection}: redundant Transit Gateway GRE to router {link.router} "
            f"(PowerVS {link.powervs}), tunnels {', '.join(t.name for t in link.tunnels)}; "
            f"the router peers with local ASN {link.local_asns_text}",
            link.description,
        ),
        "commands": [
            _command(
                "printf '%s%s%s\\n'",
                shell_word('{"gateway_id": "'),
                f'"${TRANSIT_GATEWAY_VAR}"',
                shell_word('", ' + body[1:]),
                ">",
                file,
            ),
            _command("ibmcloud tg connection-rgre-create --file", file),
        ],
    }


def _comments(what: str, description: str | None) -> list[str]:
    lines = [comment(what)]
    if description:
        lines.append(comment(description))
    return lines
