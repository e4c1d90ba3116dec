"""The lab's answer for people (text) and for machines (JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from vra_config.lab.compare import Cell, Mismatch
from vra_config.lab.faults import Failure
from vra_config.lab.observe import Observed
from vra_config.lab.topology import Topology
from vra_config.lab.vrrp import TIMER_SCALE, Failover
from vra_config.targets.routers.vyatta_ha import failover_notes


@dataclass(frozen=True, kw_only=True)
class LabResult:
    plan: str
    topology: Topology
    observed: Observed
    cells: list[Cell]
    findings: list[Mismatch]
    #: a VRA pair member powered off after this baseline (`lab --power-off`), and the lab
    #: after the failover
    failover: Failover | None = None
    after: LabResult | None = None
    #: the failures applied after the lab settled (`--fail`)
    failures: tuple[Failure, ...] = ()
    #: the BGP timers' scale factor, when the lab ran with scaled timers
    timers: tuple[str, ...] = ()
    #: after a failure, the links each reaching pair's forward path now crosses
    paths: dict[tuple[IPv4Network, IPv4Network], str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        failover_ok = self.failover is None or None not in (
            self.failover.vip,
            self.failover.bgp,
            self.failover.reach,
        )
        return not self.findings and failover_ok and (self.after is None or self.after.passed)


def _sessions(result: LabResult) -> list[dict[str, Any]]:
    rows = []
    t, seen = result.topology, result.observed
    for w in t.wires:
        if not w.bgp:
            continue
        states = {
            seen.sessions.get((w.a.node, str(w.b.address.ip)), "absent"),
            seen.sessions.get((w.b.node, str(w.a.address.ip)), "absent"),
        }
        how = {f.target: f.kind for f in result.failures}.get(w.name, "silent")
        what = "far end silent" if how == "silent" else "interface down"
        state = f"down (--fail: {what})" if w.name in t.failed else " / ".join(sorted(states))
        rows.append({"link": w.name, "a": w.a.node, "b": w.b.node, "state": state})
    return rows


def _choices(result: LabResult) -> list[dict[str, Any]]:
    """Where BGP had several paths to a prefix, the link its best path leaves by: which of
    a router's links to one workspace carries the traffic (`planner/redundant.py`)."""
    t = result.topology
    via: dict[tuple[str, str], str] = {}
    for w in t.wires:
        via[(w.a.node, str(w.b.address.ip))] = w.name
        via[(w.b.node, str(w.a.address.ip))] = w.name
    rows = []
    for node, chosen in sorted(result.observed.choices.items()):
        for prefix, (next_hop, count) in sorted(chosen.items()):
            rows.append(
                {
                    "node": node,
                    "prefix": str(prefix),
                    "via": via.get((node, next_hop), next_hop),
                    "paths": count,
                }
            )
    return rows


def _seconds(value: float | None) -> str:
    return f"{value:.1f} s" if value is not None else "not within the wait"


def _failover(result: LabResult) -> dict[str, Any] | None:
    f = result.failover
    if f is None:
        return None
    after = result.after
    node = after.topology.nodes.get(f.new_master or "") if after else None
    production = failover_notes(node.intent) if node and node.intent else []
    return {
        "pair": f.pair,
        "powered_off": f.off,
        "new_master": f.new_master,
        "vip_seconds": None if f.vip is None else round(f.vip, 1),
        "bgp_established_seconds": None if f.bgp is None else round(f.bgp, 1),
        "reachability_seconds": None if f.reach is None else round(f.reach, 1),
        "bgp_timer_scale": TIMER_SCALE,
        "production": production,
        "after": as_json(after) if after else None,
    }


def failover_text(result: LabResult) -> list[str]:
    """The failover part of the text report: what was measured, and what it means with the
    rendered (unscaled) timers."""
    data = _failover(result)
    f = result.failover
    if data is None or f is None:
        return []
    lines = [
        "",
        f"Power-off of {f.off} (VRA pair {f.pair}); lab BGP timers scaled 1/{TIMER_SCALE} "
        "(keepalive, hold and connect retry; VRRP advert interval as rendered):",
        f"  VIPs on {f.new_master}: {_seconds(f.vip)}",
        f"  every session of the pair Established on {f.new_master}: {_seconds(f.bgp)}",
        f"  every expected pair reaching again: {_seconds(f.reach)}",
        "  with the rendered timers, in production:",
        *(f"    {line}" for line in data["production"]),
    ]
    if result.after is not None:
        lines += ["", "After the failover:", *as_text(result.after).splitlines()[1:]]
    return lines


def as_json(result: LabResult) -> dict[str, Any]:
    return {
        "failover": _failover(result),
        "plan": result.plan,
        "passed": result.passed,
        "converged_seconds": round(result.observed.seconds, 1),
        "notes": list(result.topology.notes),
        "failed_links": list(result.topology.failed),
        "failures": [{"kind": f.kind, "target": f.target} for f in result.failures],
        "timers": list(result.timers),
        "not_run": list(result.topology.skipped),
        "sessions": _sessions(result),
        "matrix": [
            {
                "source": str(c.source.prefix),
                "source_device": c.source.owner,
                "destination": str(c.target.prefix),
                "destination_device": c.target.owner,
                "expected": c.expected,
                "reaches": c.reaches,
                "cause": c.cause.message if c.cause else None,
                "first_cause": c.cause.as_row() if c.cause else None,
                **(
                    {"path": result.paths[(c.source.prefix, c.target.prefix)]}
                    if (c.source.prefix, c.target.prefix) in result.paths
                    else {}
                ),
            }
            for c in result.cells
        ],
        "findings": [f.as_row() for f in result.findings],
        "chosen_paths": _choices(result),
    }


def summary(result: LabResult) -> str:
    verdict = "PASS" if result.passed else f"FAIL ({len(result.findings)} findings)"
    sessions = [s for s in _sessions(result) if s["link"] not in result.topology.failed]
    up = sum(1 for s in sessions if s["state"] == "Established")
    reach = sum(1 for c in result.cells if c.reaches)
    line = (
        f"{result.plan}: {verdict}: {up}/{len(sessions)} BGP sessions Established, "
        f"{reach}/{len(result.cells)} pairs reach, settled in {result.observed.seconds:.1f} s"
    )
    return line + not_run(result.topology)


def not_run(topology: Topology) -> str:
    """What the verdict does not cover, for the PASS/FAIL line: `; not run: ...`."""
    if not topology.skipped:
        return ""
    return "; not run: " + ", ".join(topology.skipped)


def as_text(result: LabResult) -> str:
    lines = [f"vra-config lab: {result.plan}"]
    lines += [f"note: {n}" for n in result.topology.notes]
    lines += [f"note: {t}" for t in result.timers]
    if result.failures:
        lines.append("failed after the lab settled: " + ", ".join(str(f) for f in result.failures))
    lines.append("")
    lines.append("BGP sessions:")
    for s in _sessions(result):
        lines.append(f"  {s['link']}: {s['a']} – {s['b']}: {s['state']}")
    if not _sessions(result):
        lines.append("  (none: every link routes statically)")
    lines.append("")
    lines.append("Reachability (source → destination):")
    for c in result.cells:
        word = "reaches" if c.reaches else "does not reach"
        mark = "ok" if c.reaches == c.expected else "WRONG"
        path = result.paths.get((c.source.prefix, c.target.prefix))
        lines.append(
            f"  {mark:5} {c.source.prefix} ({c.source.owner}) → {c.target.prefix} "
            f"({c.target.owner}): {word}"
            + (f" via {path}" if path else "")
            + (f" (plan: {'reaches' if c.expected else 'does not'})" if mark != "ok" else "")
        )
        if c.cause and mark != "ok":
            lines.append(f"        first cause: {c.cause.message}")
    if not result.cells:
        lines.append("  (no pair of networks on different devices)")
    choices = _choices(result)
    if choices:
        lines.append("")
        lines.append("Chosen paths (where BGP had several):")
        lines += [
            f"  {c['node']} → {c['prefix']}: via {c['via']} (of {c['paths']})" for c in choices
        ]
    if result.findings:
        lines.append("")
        lines.append("Findings:")
        lines += [f"  - {f.message}" for f in result.findings]
    lines += failover_text(result)
    lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
