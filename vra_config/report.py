"""The `plan` command's view of allocations: a table for people, JSON for machines.

Each row also says what to enter on IBM's side, so both ends of a tunnel are set from the
same numbers (IBM's field names: ibm-facts §2, §5).
"""

from __future__ import annotations

from typing import Any

from vra_config.planner import AddressPlan, PlannedConnection

_COLUMNS = (
    ("connection", "connection"),
    ("router", "router"),
    ("powervs", "powervs"),
    ("via", "via"),
    ("gre", "gre subnet"),
    ("tunnel", "tunnel"),
    ("router_tunnel", "router tunnel"),
    ("peer_tunnel", "peer tunnel"),
    ("remote_ip", "GRE remote"),
    ("peer_asn", "peer ASN"),
    ("routing", "routing"),
    ("origin", "origin"),
)


def _ibm_side(pc: PlannedConnection) -> dict[str, Any]:
    if pc.via == "cloud-connection":
        return {
            "gre_cidr": str(pc.gre),
            "gre_destination": str(pc.local_ip),
            "powervs_gre_source": str(pc.remote_ip),
            "cli": f'--gre-tunnel "{pc.gre} {pc.local_ip}"',
        }
    return {
        "remote_gateway_ip": str(pc.local_ip),
        "local_gateway_ip": str(pc.remote_ip),
        "remote_tunnel_ip": str(pc.router_tunnel.ip),
        "local_tunnel_ip": str(pc.peer_tunnel),
        "remote_bgp_asn": pc.router_asn,
    }


def allocations(address_plan: AddressPlan) -> list[dict[str, Any]]:
    """One row per connection, sorted by name."""
    rows = []
    for name, pc in sorted(address_plan.connections.items()):
        rows.append(
            {
                "connection": name,
                "router": pc.router,
                "powervs": pc.powervs,
                "via": pc.via,
                "gre": str(pc.gre),
                "tunnel": pc.tunnel,
                "router_tunnel": str(pc.router_tunnel),
                "peer_tunnel": str(pc.peer_tunnel),
                "remote_ip": str(pc.remote_ip),
                "router_asn": pc.router_asn,
                "peer_asn": pc.peer_asn,
                "routing": pc.routing,
                "mtu": pc.mtu,
                "tcp_mss": pc.tcp_mss,
                "origin": pc.origin,
                "ibm_side": _ibm_side(pc),
            }
        )
    return rows


def allocation_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table, then what to give IBM for each connection."""
    if not rows:
        return "no connections\n"
    header = [title for _, title in _COLUMNS]
    body = [[str(row[key]) for key, _ in _COLUMNS] for row in rows]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *body]
    ]
    lines.append("")
    lines.append("IBM side (enter these when creating the connection):")
    for row in rows:
        side = row["ibm_side"]
        text = side.get("cli") or ", ".join(f"{k} {v}" for k, v in side.items())
        lines.append(f"  {row['connection']}: {text}")
    return "\n".join(lines) + "\n"
