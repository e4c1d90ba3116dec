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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from vra_config.lab import faults, settle, timers, vrrp
from vra_config.lab.failures import Candidate, Pair, candidates
from vra_config.lab.netns import LabError
from vra_config.lab.observe import ping_all, polled
from vra_config.lab.paths import plan_links, shown, trace
from vra_config.lab.production import Production, production
from vra_config.lab.report import LabResult, not_run
from vra_config.lab.report import as_json as lab_json
from vra_config.lab.runner import Running, baseline, failover, running, successor
from vra_config.lab.topology import Network, Topology, as_master, build
from vra_config.planner.records import AddressPlan

#: Seconds a VRA pair member powered on gets to return to the baseline. Both members are
#: master for a moment (the silenced one never heard the other), VRRP resolves that by
#: priority, and the loser keeps its TCP sessions on the tunnel addresses it gave up: the
#: far ends' neighbour entries still point at it, confirmed by that traffic, until those
#: sessions die and reconnect to the holder. Measured 20-32 s on a loaded 2-core machine.
PAIR_RESTORE_WAIT = 60.0

#: The wires a pair's forward path crosses, as the routers' tables send it; None: no path.
Traced = tuple[str, ...] | None


@dataclass(frozen=True, kw_only=True)
class Row:
    """What one failure did."""

    candidate: Candidate
    settled: bool
    detected: float
    converged: float
    #: (pair, path) of pairs that must survive and do: the wires the forward path crosses
    #: through the routers' tables (`paths.trace`; None: the tables hold no path)
    survived: tuple[tuple[Pair, Traced], ...]
    #: (pair, where the tables send it) of pairs that must survive and do not
    lost: tuple[tuple[Pair, Traced], ...]
    #: (pair, reaches) of pairs the plan has no alternative for
    no_alternative: tuple[tuple[Pair, bool], ...]
    restored: bool
    restore_seconds: float
    #: what the measured times mean with the rendered timers
    production: Production
    #: a VRA pair member powered off: the failover measured (VIPs, sessions, reach)
    failover: vrrp.Failover | None = None

    @property
    def passed(self) -> bool:
        """The failure's verdict: it settled, lost no pair with an alternative, failed over
        (a pair member) and healed back to the baseline."""
        return self.settled and not self.lost and self.restored and self.failed_over

    @property
    def failed_over(self) -> bool:
        """No failover to measure, or every part of it happened within the wait."""
        f = self.failover
        return f is None or None not in (f.vip, f.bgp, f.reach)


@dataclass(frozen=True, kw_only=True)
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
            and all(r.passed for r in self.rows)
            and not self.not_run
        )


def plan_matrix(
    address_plan: AddressPlan, vendor: str | None = None
) -> tuple[Topology, list[Candidate], list[str]]:
    """The topology, the failures to run and the links with no alternative (pure)."""
    topology = build(address_plan, (), vendor)
    found, skipped = candidates(address_plan, topology)
    return topology, found, skipped


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
    survived: list[tuple[Pair, Traced]] = []
    lost: list[tuple[Pair, Traced]] = []
    for s, t in survive:
        traced = trace(judged, routes, s.owner, t.host)
        path = tuple(traced) if traced is not None else None
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
        candidate=candidate,
        settled=done.ok,
        detected=done.detected,
        converged=done.converged,
        survived=tuple(survived),
        lost=tuple(lost),
        no_alternative=no_alt,
        restored=back,
        restore_seconds=seconds,
        production=production(
            topology, candidate, done.converged, _carried(topology, base, candidate)
        ),
        failover=measured,
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
    result = Matrix(
        plan=plan_name,
        topology=topology,
        baseline=None,
        rows=(),
        no_alternative_links=tuple(skipped),
        timers=tuple(timers.describe(topology)),
    )
    if not found:
        return result
    with running(address_plan, plan_name, keep, say, scaled=True, vendor=vendor) as lab:
        first = baseline(lab, plan_name, say)
        if not first.passed:
            say("lab: the baseline does not pass: no failure is run")
            return replace(result, baseline=first, not_run=tuple(str(c.failure) for c in found))
        rows, unrun = _run_failures(lab, found, topology, say)
        return replace(
            result,
            baseline=first,
            rows=rows,
            not_run=unrun,
            seconds=time.monotonic() - began,
        )


def _run_failures(
    lab: Running, found: Sequence[Candidate], topology: Topology, say: Callable[[str], None]
) -> tuple[tuple[Row, ...], tuple[str, ...]]:
    """Each failure in turn, from the settled baseline; a failure the lab does not heal from
    ends the run, and the failures after it are not run (named)."""
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
            return tuple(rows), tuple(str(c.failure) for c in found[i:])
    return tuple(rows), ()


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
        lines.append(f"  {row.production.message}")
        if row.failover is not None:
            lines.append(f"  {failover_line(row.failover)}")
        for pair, path in row.survived:
            lines.append(f"  ok    {_pair(pair)}: reaches via {shown(path)}")
        for pair, path in row.lost:
            lines.append(f"  LOST  {_pair(pair)}: does not reach (table path: {shown(path)})")
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


def _traced_json(pair: Pair, path: Traced) -> dict[str, Any]:
    """A pair and its path: `path` as the text report shows it, `links` the plan's links it
    crosses in order (null: the tables hold no path)."""
    links = plan_links(path)
    return {
        **_pair_json(pair),
        "path": shown(path),
        "links": None if links is None else list(links),
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
                "production": r.production.message,
                "in_production": r.production.as_row(),
                "passed": r.passed,
                "survived": [_traced_json(p, path) for p, path in r.survived],
                "lost": [_traced_json(p, path) for p, path in r.lost],
                "no_alternative": [{**_pair_json(p), "reaches": x} for p, x in r.no_alternative],
                "failover": _failover_json(r.failover),
                "restored": r.restored,
                "restore_seconds": round(r.restore_seconds, 1),
            }
            for r in m.rows
        ],
    }
