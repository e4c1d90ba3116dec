"""The `plan` command's view of allocations: a table for people, JSON for machines.

Each row also says what to enter on IBM's side, so both ends of a tunnel are set from the
same numbers (IBM's field names: power-iaas-cloud-connections, transit-gateway-cli).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from vra_config.plan.findings import Finding, format_path
from vra_config.plan.model import Via
from vra_config.plan.rules import RULES
from vra_config.planner.records import AddressPlan, PlannedLink

_COLUMNS = (
    ("connection", "connection"),
    ("router", "router"),
    ("peer", "peer"),
    ("via", "via"),
    ("subnet", "subnet"),
    ("tunnel", "tunnel"),
    ("router_address", "router address"),
    ("peer_address", "peer address"),
    ("remote_ip", "remote endpoint"),
    ("peer_asn", "peer ASN"),
    ("routing", "routing"),
    ("origin", "origin"),
)


def _cloud_connection_side(link: PlannedLink, zone: str | None) -> dict[str, Any]:
    """IBM's cloud connection form: the /29 and the router's GRE endpoint."""
    return {
        "gre_cidr": str(link.subnet),
        "gre_destination": str(link.local_ip),
        "powervs_gre_source": str(link.remote_ip),
        "cli": f'--gre-tunnel "{link.subnet} {link.local_ip}"',
    }


def _transit_gateway_side(link: PlannedLink, zone: str | None) -> dict[str, Any]:
    """IBM's GRE connection on the gateway, in its own field names (remote = the router)."""
    assert link.router_address is not None and link.peer_address is not None
    # a tunnel of a redundant GRE: IBM's connection is the group, the tunnel this link
    side: dict[str, Any] = {"redundant_gre": link.group} if link.group else {}
    side |= {
        "remote_gateway_ip": str(link.local_ip),
        "local_gateway_ip": str(link.remote_ip),
        "remote_tunnel_ip": str(link.router_address.ip),
        "local_tunnel_ip": str(link.peer_address.ip),
        "remote_bgp_asn": link.router_asn,
    }
    if zone is not None:
        side["zone"] = zone
    return side


def _megaport_side(link: PlannedLink, zone: str | None) -> dict[str, Any]:
    """What IBM's support case for a Megaport VXC asks for."""
    assert link.router_address is not None and link.peer_address is not None
    return {
        "customer_network_subnet": str(link.subnet),
        "customer_router_ip": str(link.router_address.ip),
        "powervs_customer_network_ip": str(link.peer_address.ip),
        "powervs_asn": link.peer_asn,
        "customer_asn": link.router_asn,
        "vlan": link.vlan,
    }


#: What IBM needs to hear for each kind that involves IBM, in IBM's own field names. Every
#: such kind has its own form (this is the `plan` command's view, not a fact of the kind);
#: a kind missing here is a link of yours alone. tests/test_kinds.py keeps the keys in KINDS.
IBM_SIDE: Mapping[Via, Callable[[PlannedLink, str | None], dict[str, Any]]] = {
    "cloud-connection": _cloud_connection_side,
    "transit-gateway": _transit_gateway_side,
    "megaport": _megaport_side,
}


def _text(value: object) -> str:
    return "-" if value is None else str(value)


def allocations(address_plan: AddressPlan) -> list[dict[str, Any]]:
    """One row per connection, sorted by name."""
    rows = []
    for name, link in sorted(address_plan.connections.items()):
        row: dict[str, Any] = {
            "connection": name,
            "router": link.router,
            "peer": link.peer,
            "via": link.kind.via,
            "subnet": _text(link.subnet) if link.subnet else None,
            "tunnel": link.tunnel,
            "peer_tunnel": link.peer_tunnel,
            "router_address": str(link.router_address) if link.router_address else None,
            "peer_address": str(link.peer_address.ip) if link.peer_address else None,
            "remote_ip": str(link.remote_ip) if link.remote_ip else None,
            "router_asn": link.router_asn,
            "peer_asn": link.peer_asn,
            "routing": link.routing,
            "mtu": link.mtu,
            "tcp_mss": link.tcp_mss,
            "origin": link.origin or None,
        }
        conn = address_plan.plan.connections.get(name)
        tgw = getattr(conn, "transit_gateway", None)
        side = IBM_SIDE.get(link.kind.via)
        if side is not None:
            row["ibm_side"] = side(link, tgw.zone if tgw is not None else None)
        rows.append(row)
    return rows


def allocation_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table, then what to give IBM for each connection that involves IBM."""
    if not rows:
        return "no connections\n"
    header = [title for _, title in _COLUMNS]
    body = [[_text(row[key]) for key, _ in _COLUMNS] for row in rows]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *body]
    ]
    sides = [row for row in rows if "ibm_side" in row]
    if sides:
        lines.append("")
        lines.append("IBM side (enter these when creating the connection or support case):")
        for row in sides:
            side = row["ibm_side"]
            text = side.get("cli") or ", ".join(f"{k} {v}" for k, v in side.items())
            lines.append(f"  {row['connection']}: {text}")
    return "\n".join(lines) + "\n"


def acknowledged_rows(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """The findings the plan accepts on purpose, for `plan --json` and the table below."""
    return [
        {
            "id": f.rule,
            "at": format_path(f.path),
            "rule": RULES[f.rule].title,
            "reason": f.accepted or "",
            "finding": f.message,
        }
        for f in findings
        if f.accepted is not None
    ]


def acknowledged_table(rows: list[dict[str, str]]) -> str:
    """After the allocations: what the plan acknowledges, so the reviewer sees it with them."""
    if not rows:
        return ""
    lines = ["", "Acknowledged findings (accepted in the plan; vra-config explain ID):"]
    for row in rows:
        lines.append(f"  {row['id']} {row['at']}: {row['rule']}; reason: {row['reason']}")
        lines.append(f"    {row['finding']}")
    return "\n".join(lines) + "\n"


def header_notes(findings: Iterable[Finding]) -> list[str]:
    """One comment line per acknowledged finding, for the header of every rendered file.

    Built only from the rule's title, the plan path and the reason, all of which are
    checked text (no quote, backslash or control character).
    """
    lines = (
        f"acknowledged {row['id']} at {row['at']} ({row['rule']}): {row['reason']}"
        for row in acknowledged_rows(findings)
    )
    # one `accept:` entry can acknowledge several findings at its path: one line says it
    return list(dict.fromkeys(lines))
