"""Values IBM assigns, and values IBM refuses, for a Transit Gateway GRE, before `apply`.

A Transit Gateway GRE is created in two steps. IBM's side (Terraform or `ibmcloud`) needs
only what you choose: the gateway IP, the tunnel IPs and the zone. The Transit Gateway then
assigns its Local BGP ASN, one per zone, and shows it only once the connection exists; the
router's BGP session needs it. So a plan without `transit_gateway.asn` is sound for IBM's
side (a warning, VRC980) and cannot render the router yet (an error, VRC980 again, raised
where routers are rendered).

Before apply, `check` also refuses what IBM's API would refuse after `terraform plan`
passes: a Local gateway IP outside RFC 1918 (VRC981; IBM Transit Gateway CLI reference,
`--local-gateway-ip`, and "Creating an unbound GRE tunnel connection").
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address

from vra_config.plan.findings import Finding, PlanPath, Severity
from vra_config.plan.model import Plan, TransitGatewayConnection
from vra_config.plan.rules import RULES
from vra_config.planner.ibm import RFC1918

#: Where a user finds the assigned ASN after apply (the rendered Terraform's output, or the
#: CLI), said in every VRC980 finding.
WHERE_TO_FIND = (
    "apply IBM's side first (`vra-config render --target terraform|ibmcloud`), then "
    "`ibmcloud tg connection GATEWAY_ID CONNECTION_ID --output json` shows it as "
    "local_bgp_asn (the Terraform output's `read_local_bgp_asn` is that command)"
)


def _tgw_ends(plan: Plan) -> Iterator[tuple[str, PlanPath, IPv4Address | None, int | None]]:
    """(connection, plan path, gateway IP, ASN) for every Transit Gateway tunnel."""
    for name, conn in plan.connections.items():
        if not isinstance(conn, TransitGatewayConnection):
            continue
        end = conn.transit_gateway
        base: PlanPath = ("connections", name, "transit_gateway")
        if end.tunnels:
            for i, t in enumerate(end.tunnels):
                yield name, (*base, "tunnels", i), t.gateway_ip, t.asn
        else:
            yield name, base, end.gateway_ip, end.asn


def missing_asns(plan: Plan, severity: Severity) -> list[Finding]:
    """A finding per BGP Transit Gateway tunnel whose assigned ASN is not in the plan yet."""
    out = []
    for name, path, _, asn in _tgw_ends(plan):
        conn = plan.connections[name]
        if asn is not None or getattr(conn, "routing", "bgp") != "bgp":
            continue
        now = (
            "IBM's side can be rendered and applied now; the router cannot be rendered until then"
            if severity == "warning"
            else "the router's BGP session needs it, so the router cannot be rendered yet"
        )
        out.append(
            Finding(
                (*path, "asn"),
                f"the Transit Gateway assigns this Local BGP ASN when the connection is "
                f"created; {now}: {WHERE_TO_FIND}; then set `asn:` here",
                severity,
                rule="VRC980",
                downgraded="only IBM's side is rendered" if severity == "warning" else None,
            )
        )
    return out


def public_gateway_ips(plan: Plan) -> list[Finding]:
    """A Local gateway IP outside RFC 1918, which IBM's API refuses at apply."""
    out = []
    for _, path, ip, _ in _tgw_ends(plan):
        if ip is None or any(ip in net for net in RFC1918):
            continue
        out.append(
            Finding(
                (*path, "gateway_ip"),
                f"{ip} is not an RFC 1918 address; IBM requires a GRE's Local gateway IP to "
                "be one (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16), which `terraform "
                "plan` does not check and the API does at apply; choose one that no network "
                f"on the gateway uses ({RULES['VRC981'].cite})",
                rule="VRC981",
            )
        )
    return out
