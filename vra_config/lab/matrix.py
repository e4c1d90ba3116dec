"""`vra-config lab --failures`: every failure the plan has an alternative for, one at a time.

The lab is built and FRR started once (with scaled timers, `timers.py`). After the baseline
passes, each failure is applied, its detection and convergence measured, every pair of the
plan probed and the path of each traced, then the failure is healed and the lab must come
back to its baseline (every session Established, every table holding its baseline prefixes)
before the next; if it does not, the matrix stops there and says so.

A VRA pair member powered off (every member is, one at a time): when it is the master, the
other member takes over (VRRP), and the failover is measured as `lab --power-off` measures
it (`runner.failover`: VIPs moved, the pair's sessions Established on the new master, every
pair reaching), the pairs judged against the taken-over topology (`take_over`). Healed, the
member is powered on; VRRP does not preempt, so the VIPs may stay on the other member: the
baseline counts as restored with the pair on either member, judged on whichever holds the
VIPs (`as_master`, the baseline tables of the two members swapped), once exactly one does.
The failures after it then start from that master.

Verdict: every pair with an alternative survives every failure (exit 0), else exit 1.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vra_config.lab import faults, settle, timers, vrrp
from vra_config.lab.failures import Candidate, Pair, candidates
from vra_config.lab.netns import LabError
from vra_config.lab.observe import ping_all, polled
from vra_config.lab.paths import shown, trace
from vra_config.lab.report import LabResult, not_run
from vra_config.lab.report import as_json as lab_json
from vra_config.lab.runner import Running, baseline, failover, running, successor
from vra_config.lab.topology import Network, Topology, Wire, as_master, build
from vra_config.planner.records import AddressPlan
from vra_config.targets.routers.vyatta_ha import failover_notes

#: Seconds a VRA pair member powered on gets to return to the baseline. Both members are
#: master for a moment (the silenced one never heard the other), VRRP resolves that by
#: priority, and the loser keeps its TCP sessions on the tunnel addresses it gave up: the
#: far ends' neighbour entries still point at it, confirmed by that traffic, until those
#: sessions die and reconnect to the holder. Measured 20-32 s on a loaded 2-core machine.
PAIR_RESTORE_WAIT = 60.0


@dataclass(frozen=True)
class Row:
    """What one failure did."""

    candidate: Candidate
    settled: bool
    detected: float
    converged: float
    #: (pair, path) of pairs that must survive and do
    survived: tuple[tuple[Pair, str], ...]
    #: (pair, what the table shows) of pairs that must survive and do not
    lost: tuple[tuple[Pair, str], ...]
    #: (pair, reaches) of pairs the plan has no alternative for
    no_alternative: tuple[tuple[Pair, bool], ...]
    restored: bool
    restore_seconds: float
    #: what the measured times mean with the rendered timers
    production: str
    #: a VRA pair member powered off: the failover measured (VIPs, sessions, reach)
    failover: vrrp.Failover | None = None

    @property
    def failed_over(self) -> bool:
        """No failover to measure, or every part of it happened within the wait."""
        f = self.failover
        return f is None or None not in (f.vip, f.bgp, f.reach)


@dataclass(frozen=True)
class Matrix:
    plan: str
    topology: Topology
    baseline: LabResult | None
    rows: tuple[Row, ...]
    #: emulated links the matrix does not fail: no pair crosses them with an alternative
    no_alternative_links: tuple[str, ...]
    timers: tuple[str, ...]
    #: failures not run because the lab did not return to its baseline before them
    not_run: tuple[str, ...] = ()
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        if self.baseline is None:  # nothing to fail: nothing failed
            return True
        return (
            self.baseline is not None
            and self.baseline.passed
            and all(r.settled and not r.lost and r.restored and r.failed_over for r in self.rows)
            and not self.not_run
        )


def plan_matrix(
    address_plan: AddressPlan, vendor: str | None = None
) -> tuple[Topology, list[Candidate], list[str]]:
    """The topology, the failures to run and the links with no alternative (pure)."""
    topology = build(address_plan, (), vendor)
    found, skipped = candidates(address_plan, topology)
    return topology, found, skipped


def _production(
    topology: Topology, candidate: Candidate, converged: float, carried: list[Pair]
) -> str:
    """What the failure means with the rendered timers, for the pairs it carried before."""
    failure = candidate.failure
    if failure.kind == "down":
        return "an interface that goes down is noticed at once: the measured time holds"
    member = topology.nodes.get(failure.target) if failure.kind == "power-off" else None
    if member is not None and member.pair is not None:
        others = [
            n for n, x in topology.nodes.items() if x.pair == member.pair and n != member.name
        ]
        peer = topology.nodes[others[0]] if others else None
        if not any(w.bgp and member.name in (w.a.node, w.b.node) for w in topology.wires):
            return (
                f"in production: {member.name} is the backup of {member.pair}: the master "
                "keeps the VIPs and the sessions, nothing is lost"
            )
        notes = failover_notes(peer.intent) if peer is not None and peer.intent else []
        return "in production (VRRP, rendered timers): " + " ".join(notes[:3])
    wires: list[Wire] = [
        w
        for w in topology.wires
        if w.bgp
        and (
            w.name == failure.target
            if failure.kind == "silent"
            else failure.target in (w.a.node, w.b.node)
        )
    ]
    rendered = [t for t in (timers.rendered(topology, w) for w in wires) if t is not None]
    if not rendered:
        return "no BGP session crosses it: static routes do not notice a silent far end"
    worst = max(rendered, key=lambda t: t.hold)
    what = "the far end goes silent" if failure.kind == "silent" else "it powers off"
    scale = f"hold {worst.hold} s, {timers.factor(worst):g}x the lab's"
    if not carried:
        return (
            f"in production ({scale}): it carried none of the plan's pairs (a backup), so "
            f"nothing is lost; its loss is noticed up to {worst.hold} s after {what}"
        )
    who = ", ".join(sorted({n.owner for pair in carried for n in pair}))
    return (
        f"in production ({scale}): traffic between {who} that it carried is lost for up to "
        f"{timers.production_seconds(worst, converged):.0f} s after {what}"
    )


def _carried(topology: Topology, base: settle.Tables, candidate: Candidate) -> list[Pair]:
    """The pairs whose baseline forward path (either way) crossed the failed link or node."""
    failure = candidate.failure
    out: list[Pair] = []
    for s, t in [*candidate.survive, *candidate.no_alternative]:
        for a, b in (
            (moved(topology, s), moved(topology, t)),
            (moved(topology, t), moved(topology, s)),
        ):
            path = trace(topology, base, a.owner, b.host) or []
            wires = [w for w in topology.wires if w.name in path]
            if failure.kind != "power-off" and failure.target in path:
                out.append((s, t))
                break
            if failure.kind == "power-off" and any(
                failure.target in (w.a.node, w.b.node) for w in wires
            ):
                out.append((s, t))
                break
    return out


def moved(topology: Topology, network: Network) -> Network:
    """`network` as `topology` has it: a VRA pair's network is on whichever member is master
    there (the same prefix and probe address, its owner the master)."""
    if network in topology.networks:
        return network
    return next(
        (n for n in topology.networks if (n.prefix, n.host) == (network.prefix, network.host)),
        network,
    )


def _moved(topology: Topology, pairs: tuple[Pair, ...]) -> tuple[Pair, ...]:
    return tuple((moved(topology, s), moved(topology, t)) for s, t in pairs)


def current(lab: Running, base: settle.Tables) -> tuple[Topology, settle.Tables] | None:
    """The lab's topology and baseline tables as they stand now: each VRA pair on the member
    that holds its VIPs (VRRP does not preempt: after a power-off and on, the pair may stay
    on the member that took over); None while a pair has two masters or none."""
    topology, tables = lab.topology, dict(base)
    for members in vrrp.pair_members(lab.topology).values():
        holders = [m for m in members if vrrp.holds(lab.names[m], _vip(lab.topology, m))]
        if len(holders) != 1:
            return None
        first, now = members[0], holders[0]  # members[0]: the master at the start
        if now != first:
            topology = as_master(topology, now)
            tables[first], tables[now] = base.get(now, []), base.get(first, [])
    return topology, tables


def _vip(topology: Topology, member: str) -> Any:
    intent = topology.nodes[member].intent
    assert intent is not None and intent.ha is not None
    return intent.ha.private_vip


def _run_one(lab: Running, candidate: Candidate, whole_base: settle.Tables) -> Row:
    now = current(lab, whole_base)
    if now is None:
        raise LabError("a VRA pair has two VRRP masters, or none, before a failure")
    topology, base = now
    failure = candidate.failure
    paired = failure.kind == "power-off" and topology.nodes[failure.target].pair is not None
    if paired:
        pair, new, _ = successor(lab, topology, failure.target)
    measured: vrrp.Failover | None = None
    judged = topology
    start = time.monotonic()
    faults.apply(failure, topology, lab.names)
    try:
        if paired:  # the pair's failover first, measured as `lab --power-off` measures it
            measured, judged = failover(lab, topology, pair, failure.target, new, start)
        noticed = measured.vip if measured is not None else None
        done = settle.after_failure(lab.query, topology, failure, start, detected_at=noticed)
        survive = _moved(judged, candidate.survive)
        no_alternative = _moved(judged, candidate.no_alternative)
        pairs = [*survive, *no_alternative]
        reach = ping_all(lab.where, judged, pairs) if pairs else {}
        # the tables the probes went through (a late update after settling shows here)
        nodes = sorted(judged.nodes)
        routes = settle.snapshot(polled(lab.query, nodes), nodes)
    finally:
        faults.heal(failure, topology, lab.names)
    survived: list[tuple[Pair, str]] = []
    lost: list[tuple[Pair, str]] = []
    for s, t in survive:
        path = shown(trace(judged, routes, s.owner, t.host))
        if reach.get((s.prefix, t.prefix), False):
            survived.append(((s, t), path))
        else:
            lost.append(((s, t), path))
    no_alt = tuple(((s, t), reach.get((s.prefix, t.prefix), False)) for s, t in no_alternative)
    wait = PAIR_RESTORE_WAIT if paired else settle.RESTORE_WAIT
    back, seconds = settle.restored(
        lab.query, topology, base, wait, current=lambda: current(lab, whole_base)
    )
    return Row(
        candidate,
        done.ok,
        done.detected,
        done.converged,
        tuple(survived),
        tuple(lost),
        no_alt,
        back,
        seconds,
        _production(topology, candidate, done.converged, _carried(topology, base, candidate)),
        measured,
    )


def run_matrix(
    address_plan: AddressPlan,
    plan_name: str,
    keep: bool = False,
    say: Callable[[str], None] = print,
    vendor: str | None = None,
) -> Matrix:
    """Run the failure matrix; raises `CannotRun` or `LabError` like `run_lab`. `vendor`
    (vyatta or vsrx): whose text every device runs, as `lab --vendor`."""
    began = time.monotonic()
    topology, found, skipped = plan_matrix(address_plan, vendor)
    lines = tuple(timers.describe(topology))
    if not found:
        return Matrix(plan_name, topology, None, (), tuple(skipped), lines)
    with running(address_plan, plan_name, keep, say, scaled=True, vendor=vendor) as lab:
        first = baseline(lab, plan_name, say)
        if not first.passed:
            say("lab: the baseline does not pass: no failure is run")
            names = tuple(str(c.failure) for c in found)
            return Matrix(plan_name, topology, first, (), tuple(skipped), lines, names)
        base = settle.snapshot(lab.query, sorted(topology.nodes))
        rows: list[Row] = []
        for i, candidate in enumerate(found, start=1):
            say(f"lab: failure {i}/{len(found)}: {candidate.failure}")
            row = _run_one(lab, candidate, base)
            rows.append(row)
            say(
                f"lab: {len(row.survived)} pairs survive, {len(row.lost)} lost; "
                f"converged in {row.converged:.1f} s; "
                + (f"healed in {row.restore_seconds:.1f} s" if row.restored else "NOT healed")
            )
            if not row.restored:
                rest = tuple(str(c.failure) for c in found[i:])
                return Matrix(
                    plan_name, topology, first, tuple(rows), tuple(skipped), lines, rest,
                    time.monotonic() - began,
                )  # fmt: skip
        return Matrix(
            plan_name, topology, first, tuple(rows), tuple(skipped), lines, (),
            time.monotonic() - began,
        )  # fmt: skip


def _seconds(value: float | None) -> str:
    return "NOT within the wait" if value is None else f"{value:.1f} s"


def failover_line(f: vrrp.Failover) -> str:
    """The measured failover of a pair member powered off, in one line."""
    if f.off == f.new_master or f.new_master is None:
        return f"failover of {f.pair}: no member to take over"
    return (
        f"failover of {f.pair}: VIPs on {f.new_master} in {_seconds(f.vip)}, its sessions "
        f"Established in {_seconds(f.bgp)}, every pair reaching in {_seconds(f.reach)}"
    )


def _failover_json(f: vrrp.Failover | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "pair": f.pair,
        "powered_off": f.off,
        "new_master": f.new_master,
        "vip_seconds": None if f.vip is None else round(f.vip, 1),
        "bgp_seconds": None if f.bgp is None else round(f.bgp, 1),
        "reach_seconds": None if f.reach is None else round(f.reach, 1),
    }


def _pair(pair: Pair) -> str:
    s, t = pair
    return f"{s.prefix} ({s.owner}) → {t.prefix} ({t.owner})"


def summary(m: Matrix) -> str:
    if not m.rows and m.baseline is None:
        return f"{m.plan}: nothing to fail: no link with an alternative and no HA member"
    lost = sum(len(r.lost) for r in m.rows)
    verdict = "PASS" if m.passed else "FAIL"
    return (
        f"{m.plan}: {verdict}: {len(m.rows)} failures, {lost} lost pairs, "
        f"in {m.seconds:.1f} s" + not_run(m.topology)
    )


def as_text(m: Matrix) -> str:
    lines = [f"vra-config lab --failures: {m.plan}"]
    lines += [f"note: {n}" for n in m.topology.notes]
    lines += [f"note: {t}" for t in m.timers]
    for link in m.no_alternative_links:
        lines.append(f"not failed: {link}: no pair of the plan has an alternative to it")
    if m.baseline is not None and not m.baseline.passed:
        lines.append("")
        lines.append("The baseline (no failure) does not pass, so no failure was run:")
        lines += [f"  - {f.message}" for f in m.baseline.findings]
    for row in m.rows:
        lines.append("")
        c = row.candidate
        head = (
            f"Failure: {c.failure}: noticed in {row.detected:.1f} s, "
            f"converged in {row.converged:.1f} s"
        )
        lines.append(head + ("" if row.settled else " (did NOT settle)"))
        lines.append(f"  {row.production}")
        if row.failover is not None:
            lines.append(f"  {failover_line(row.failover)}")
        for pair, path in row.survived:
            lines.append(f"  ok    {_pair(pair)}: reaches via {path}")
        for pair, path in row.lost:
            lines.append(f"  LOST  {_pair(pair)}: does not reach (table path: {path})")
        for pair, reaches in row.no_alternative:
            word = "reaches anyway" if reaches else "does not reach"
            lines.append(f"  n/a   {_pair(pair)}: no alternative in the plan ({word})")
        if not row.restored:
            lines.append(f"  the lab did NOT return to its baseline in {row.restore_seconds:.0f} s")
    for name in m.not_run:
        lines.append(f"not run: {name} (the lab did not return to its baseline before it)")
    lines.append("")
    lines.append(summary(m))
    return "\n".join(lines) + "\n"


def _pair_json(pair: Pair) -> dict[str, str]:
    s, t = pair
    return {
        "source": str(s.prefix),
        "source_device": s.owner,
        "destination": str(t.prefix),
        "destination_device": t.owner,
    }


def as_json(m: Matrix) -> dict[str, Any]:
    return {
        "plan": m.plan,
        "passed": m.passed,
        "nothing_to_fail": not m.rows and m.baseline is None,
        "seconds": round(m.seconds, 1),
        "timers": list(m.timers),
        "notes": list(m.topology.notes),
        "not_run": list(m.topology.skipped),
        "not_failed_no_alternative": list(m.no_alternative_links),
        "failures_not_run": list(m.not_run),
        "baseline": lab_json(m.baseline) if m.baseline is not None else None,
        "failures": [
            {
                "kind": r.candidate.failure.kind,
                "target": r.candidate.failure.target,
                "settled": r.settled,
                "detected_seconds": round(r.detected, 1),
                "converged_seconds": round(r.converged, 1),
                "production": r.production,
                "survived": [{**_pair_json(p), "path": path} for p, path in r.survived],
                "lost": [{**_pair_json(p), "path": path} for p, path in r.lost],
                "no_alternative": [{**_pair_json(p), "reaches": x} for p, x in r.no_alternative],
                "failover": _failover_json(r.failover),
                "restored": r.restored,
                "restore_seconds": round(r.restore_seconds, 1),
            }
            for r in m.rows
        ],
    }
