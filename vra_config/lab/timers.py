"""BGP timers: what the rendered configuration says, and the scaled ones a failure run uses.

A silent far end is noticed only when the hold timer expires (RFC 4271 §6.5, §4.4): with
the rendered 30/90 s (IBM's, in the intent every pack renders) one failure costs 90 s, and
the matrix of a sample would take minutes. A failure run therefore runs every session with
keepalive `LAB_KEEPALIVE` / hold `LAB_HOLD` and reconnect (`timers connect`) `LAB_CONNECT`,
and reports the factor and what the measured times mean with the rendered timers: the scaled
part is detection (hold time); what follows detection (withdrawals, best-path, FIB) is the
same code and is reported as measured. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from vra_config.lab.topology import Topology, Wire

LAB_KEEPALIVE = 1
LAB_HOLD = 3
LAB_CONNECT = 1  # seconds between connection attempts (bgp.html: `timers connect`)


@dataclass(frozen=True)
class Timers:
    keepalive: int
    hold: int


def rendered(topology: Topology, wire: Wire) -> Timers | None:
    """The timers the packs render for a BGP wire: its device end's neighbour in the intent.

    A wire inside IBM's side (`<connection>-ibm`) takes its connection's; a wire with no
    rendered end has none (None)."""
    connection = wire.name.removesuffix("-ibm")
    for node in topology.nodes.values():
        if node.intent is None:
            continue
        for n in node.intent.bgp_neighbors:
            if n.connection == connection:
                return Timers(n.keepalive, n.holdtime)
    return None


def factor(timers: Timers) -> float:
    """How many times longer the rendered hold time is than the lab's."""
    return timers.hold / LAB_HOLD


def production_seconds(timers: Timers, measured: float) -> float:
    """A silent failure's outage with the rendered timers: the lab's hold time becomes the
    rendered one, the rest (measured after detection) stays as measured."""
    return timers.hold + max(0.0, measured - LAB_HOLD)


def overlay(node: str, topology: Topology) -> str:
    """frr.conf lines, appended after the node's configuration, that set the lab's timers
    on every BGP session of the node (a later `neighbor ... timers` replaces the earlier)."""
    asn = topology.nodes[node].asn
    peers = [
        str(w.other(node).address.ip)
        for w in topology.wires
        if w.bgp and node in (w.a.node, w.b.node)
    ]
    if not peers or asn is None:
        return ""
    lines = ["! vra-config lab: scaled BGP timers for failures (rendered ones in the report)"]
    lines.append(f"router bgp {asn}")
    for p in peers:
        lines.append(f" neighbor {p} timers {LAB_KEEPALIVE} {LAB_HOLD}")
        lines.append(f" neighbor {p} timers connect {LAB_CONNECT}")
    lines.append("exit")
    return "\n".join(lines) + "\n"


def describe(topology: Topology) -> list[str]:
    """One line per distinct rendered timer pair: the scale factor, printed with the result."""
    seen: dict[Timers, list[str]] = {}
    for w in topology.wires:
        if not w.bgp or w.name.endswith("-ibm"):
            continue
        t = rendered(topology, w)
        if t is not None:
            seen.setdefault(t, []).append(w.name)
    return [
        f"BGP timers scaled {factor(t):g}x down: rendered keepalive {t.keepalive} s / hold "
        f"{t.hold} s, lab {LAB_KEEPALIVE} s / {LAB_HOLD} s (connect {LAB_CONNECT} s) on "
        + ", ".join(links)
        for t, links in sorted(seen.items(), key=lambda x: (x[0].hold, x[0].keepalive))
    ]
