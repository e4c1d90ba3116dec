"""Bounded waits around a failure: until it is noticed and the tables settle, and until the
healed lab is back to its baseline. Each polls the routers; none is a fixed sleep.

Convergence time is measured from the moment the failure is applied to the last change seen
in any routing table (zebra's selected routes and their interfaces), after every session
that must drop has dropped; detection is when the last of those sessions left Established.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vra_config.lab.faults import Failure
from vra_config.lab.observe import (
    POLL,
    ROUTES,
    STABLE_POLLS,
    Key,
    Query,
    bgp_sessions,
    polled,
    session_states,
)
from vra_config.lab.paths import Tables, tables

__all__ = ["Settled", "Tables", "after_failure", "failed_sessions", "restored", "snapshot"]
from vra_config.lab.timers import LAB_HOLD
from vra_config.lab.topology import Topology

#: A silent failure is noticed after the lab's hold time; the tables then settle in seconds.
FAILURE_WAIT = LAB_HOLD + 20.0
RESTORE_WAIT = 25.0


@dataclass(frozen=True, kw_only=True)
class Settled:
    ok: bool  # everything expected happened within the wait
    detected: float  # seconds until the failed sessions left Established
    converged: float  # seconds until the last table change
    tables: Tables


def failed_sessions(topology: Topology, failure: Failure) -> tuple[list[Key], list[Key]]:
    """(sessions that must drop, sessions that must stay Established) under `failure`."""
    touched = {
        w.name
        for w in topology.wires
        if (failure.kind != "power-off" and w.name == failure.target)
        or (failure.kind == "power-off" and failure.target in (w.a.node, w.b.node))
    }
    gone: list[Key] = []
    for w in topology.wires:
        if w.bgp and w.name in touched:
            for end, other in ((w.a, w.b), (w.b, w.a)):
                if failure.kind != "power-off" or end.node != failure.target:
                    gone.append((end.node, str(other.address.ip)))
    kept = [
        k
        for k in bgp_sessions(topology)
        if k not in gone and not (failure.kind == "power-off" and k[0] == failure.target)
    ]
    kept = [k for k in kept if not _on(topology, k, touched)]
    return gone, kept


def _on(topology: Topology, key: Key, wires: set[str]) -> bool:
    node, peer = key
    return any(
        w.name in wires and str(w.other(node).address.ip) == peer
        for w in topology.wires
        if node in (w.a.node, w.b.node)
    )


#: each node's sessions and their states (one reading for settling and for observing)
states = session_states


def snapshot(query: Query, nodes: list[str]) -> Tables:
    raw: dict[str, Any] = {n: query(n, ROUTES) for n in nodes}
    return tables(raw)


def after_failure(
    query: Query,
    topology: Topology,
    failure: Failure,
    start: float,
    wait: float = FAILURE_WAIT,
    detected_at: float | None = None,
) -> Settled:
    """Wait until the failure is noticed and every table stopped changing; for an HA member
    powered off, also until its neighbours' sessions are Established again (with the other
    member, on the pair's addresses). `detected_at`: the failure was already noticed then
    (seconds from `start`; a VRA pair's failover measured first, by which time the sessions
    may be back on the other member, and their drop no longer visible)."""
    nodes = sorted(
        n for n in topology.nodes if not (failure.kind == "power-off" and n == failure.target)
    )
    gone, kept = failed_sessions(topology, failure)
    # an HA member powered off: its sessions (to the pair's VIPs) come back on the other one
    takeover = failure.kind == "power-off" and topology.nodes[failure.target].pair is not None
    detected: float | None = detected_at
    last: Tables | None = None
    changed = start
    stable = 0
    while True:
        now = time.monotonic()
        asked = polled(query, nodes)
        sessions = states(asked, nodes)
        seen = snapshot(asked, nodes)
        if detected is None and all(
            sessions.get(k) != "Established" for k in gone if k[0] in nodes
        ):
            detected = now - start
        if seen != last:
            changed, stable, last = now, 0, seen
        else:
            stable += 1
        up = all(sessions.get(k) == "Established" for k in kept)
        if detected is not None and takeover:  # the other member answers for the pair
            up = up and all(sessions.get(k) == "Established" for k in gone if k[0] in nodes)
        if detected is not None and up and stable >= STABLE_POLLS:
            return Settled(
                ok=True, detected=detected, converged=max(detected, changed - start), tables=seen
            )
        if now - start > wait:
            return Settled(
                ok=False,
                detected=detected if detected is not None else now - start,
                converged=now - start,
                tables=seen,
            )
        time.sleep(POLL)


def restored(
    query: Query,
    topology: Topology,
    baseline: Tables,
    wait: float = RESTORE_WAIT,
    current: Callable[[], tuple[Topology, Tables] | None] | None = None,
) -> tuple[bool, float]:
    """Wait until every session is Established again and every node holds the baseline's
    prefixes; (whether it happened, seconds). `current`, when given, is asked at every
    poll for the topology and baseline to judge by now (a VRA pair judged on whichever
    member is its master), None while that cannot be told (two masters, or none)."""
    start = time.monotonic()
    while True:
        now_view = current() if current is not None else (topology, baseline)
        judged, tables_now = now_view if now_view is not None else (topology, baseline)
        nodes = sorted(judged.nodes)
        wanted = bgp_sessions(judged)
        base = {n: {p for p, _ in rows} for n, rows in tables_now.items()}
        asked = polled(query, nodes)
        sessions = states(asked, nodes)
        seen = snapshot(asked, nodes)
        now = time.monotonic() - start
        if (
            now_view is not None
            and all(sessions.get(k) == "Established" for k in wanted)
            and {n: {p for p, _ in rows} for n, rows in seen.items()} == base
        ):
            return True, now
        if now > wait:
            return False, now
        time.sleep(POLL)
