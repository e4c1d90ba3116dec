"""What a failure the matrix measured means in production, as a row with fields.

The matrix runs BGP with scaled timers (`timers.py`), so a measured time is not what
production sees: detection scales to the rendered hold time, what follows detection is the
same code and keeps its measured time, an interface that goes down is noticed at once, and a
VRA pair member's failure is VRRP's, with the rendered advert interval. This module decides
which of those applies to one failure and keeps the numbers as fields (`hold`, `factor`,
`seconds`: the outage with the rendered timers), so `lab --failures --json` gives a CI job
the production outage as a number; the sentence of the text report is built from them.
Pure: it reads the topology and the failure, never the running lab.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from vra_config.lab import timers
from vra_config.lab.failures import Candidate, Pair
from vra_config.lab.rows import record_from, require, row_of, sentence
from vra_config.lab.topology import Topology, Wire
from vra_config.targets.routers.vyatta_ha import failover_notes

ProductionKind = Literal[
    "noticed-at-once", "backup-member", "vrrp", "static-only", "nothing-carried", "outage"
]

#: The sentence per kind. `{what}` reads the failure (`failure`: silent or power-off), and
#: `{notes_text}` the notes, which may be none (a member without an intent to read).
PRODUCTION_TEXT: dict[ProductionKind, str] = {
    "noticed-at-once": ("an interface that goes down is noticed at once: the measured time holds"),
    "backup-member": (
        "in production: {node} is the backup of {pair}: the master keeps the VIPs and the "
        "sessions, nothing is lost"
    ),
    "vrrp": "in production (VRRP, rendered timers): {notes_text}",
    "static-only": "no BGP session crosses it: static routes do not notice a silent far end",
    "nothing-carried": (
        "in production (hold {hold} s, {factor:g}x the lab's): it carried none of the plan's "
        "pairs (a backup), so nothing is lost; its loss is noticed up to {hold} s after {what}"
    ),
    "outage": (
        "in production (hold {hold} s, {factor:g}x the lab's): traffic between {devices} "
        "that it carried is lost for up to {seconds:.0f} s after {what}"
    ),
}

_WHAT = {"silent": "the far end goes silent", "power-off": "it powers off"}


@dataclass(frozen=True, kw_only=True)
class Production:
    """One failure's meaning with the rendered timers."""

    kind: ProductionKind
    #: the failure's kind (`silent`, `down`, `power-off`)
    failure: str
    #: a VRA pair member: the member powered off, and its pair
    node: str | None = None
    pair: str | None = None
    #: VRRP: what a failover to the other member takes (vyatta_ha.failover_notes)
    notes: tuple[str, ...] = ()
    #: the rendered hold time of the worst BGP session it kills, and how many times the
    #: lab's it is
    hold: int | None = None
    factor: float | None = None
    #: the devices whose traffic it carried, and for how long that is lost in production
    devices: tuple[str, ...] = ()
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in PRODUCTION_TEXT:
            raise ValueError(f"unknown production kind {self.kind!r}")
        require(self, PRODUCTION_TEXT[self.kind])

    @property
    def message(self) -> str:
        return sentence(
            self,
            PRODUCTION_TEXT[self.kind],
            notes_text=" ".join(self.notes),
            devices=", ".join(self.devices),
            what=_WHAT.get(self.failure, self.failure),
        )

    def as_row(self) -> dict[str, Any]:
        return row_of(self)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Production:
        production: Production = record_from(cls, row, {"notes": tuple, "devices": tuple})
        return production


def production(
    topology: Topology, candidate: Candidate, converged: float, carried: list[Pair]
) -> Production:
    """What the failure means with the rendered timers, for the pairs it carried before."""
    failure = candidate.failure
    if failure.kind == "down":
        return Production(kind="noticed-at-once", failure=failure.kind)
    member = topology.nodes.get(failure.target) if failure.kind == "power-off" else None
    if member is not None and member.pair is not None:
        return _pair_member(topology, member.name, member.pair)
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
        return Production(kind="static-only", failure=failure.kind)
    worst = max(rendered, key=lambda t: t.hold)
    hold, factor = worst.hold, timers.factor(worst)
    if not carried:
        return Production(kind="nothing-carried", failure=failure.kind, hold=hold, factor=factor)
    return Production(
        kind="outage",
        failure=failure.kind,
        hold=hold,
        factor=factor,
        devices=tuple(sorted({n.owner for pair in carried for n in pair})),
        seconds=timers.production_seconds(worst, converged),
    )


def _pair_member(topology: Topology, name: str, pair: str) -> Production:
    """A VRA pair member powered off: nothing moves for the backup; for the master, the
    other member's VRRP failover with the rendered timers."""
    if not any(w.bgp and name in (w.a.node, w.b.node) for w in topology.wires):
        return Production(kind="backup-member", failure="power-off", node=name, pair=pair)
    others = [n for n, x in topology.nodes.items() if x.pair == pair and n != name]
    peer = topology.nodes[others[0]] if others else None
    notes = failover_notes(peer.intent) if peer is not None and peer.intent else []
    return Production(
        kind="vrrp", failure="power-off", node=name, pair=pair, notes=tuple(notes[:3])
    )
