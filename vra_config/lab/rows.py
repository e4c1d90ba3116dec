"""Lab results as rows: what differs is fields, and the sentence a person reads is built from them.

A CI job that asks "which link, which prefix" reads `link` and `prefix`, not English, and the
text report reads the same records through `message`, so the two cannot disagree (issue 23
item 7; pybatfish answers in rows with named columns for the same reason). Each kind's
sentence is one template in the tables below, and a record refuses to be built without a
field its template names: a row always carries every fact its sentence states.

`as_row` is the JSON form (`lab --json`: the fields that apply, then `message`), and
`from_row` reads it back, so the JSON is complete: the sentence can be rebuilt from it.
Pure: no topology here; `compare.py` and `verified.py` fill the fields.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from ipaddress import IPv4Address, IPv4Network
from typing import Any, Literal, get_args

from vra_config.plan.findings import PlanPath, format_path

MismatchKind = Literal["converge", "session", "unreachable", "reaches", "leak", "verify"]
CauseKind = Literal[
    "no-origin-route",
    "not-originated",
    "no-link",
    "no-static-route",
    "session-down",
    "no-transit",
    "export-filtered",
    "as-path-loop",
    "import-filtered",
    "not-installed",
    "passed-on-but-missing",
    "no-route-to-host",
    "forwarding",
    "not-routed",
]

#: The first cause's sentence per kind. `node` is always the device where the cause sits:
#: the one that lacks, filters or refuses the route (the origin when it never had it).
CAUSE_TEXT: dict[CauseKind, str] = {
    "no-origin-route": (
        "no route to the network {prefix} at {node} (BGP `network` needs one in the RIB)"
    ),
    "not-originated": "{node} does not originate {prefix}",
    "no-link": "no working link joins {peer} to {node}",
    "no-static-route": "no static route to {prefix} at {node} ({link})",
    "session-down": "BGP session {peer}–{node} ({link}) is {state}, not Established",
    "no-transit": "{node} does not pass {prefix} on: PowerVS carries no transit",
    "export-filtered": "{prefix} filtered at {node} by policy {policy} (towards {peer})",
    "as-path-loop": (
        "AS-path loop at {node}: {prefix} arrives with AS path {as_path}, which holds its own "
        "AS {asn}"
    ),
    "import-filtered": "{prefix} filtered at {node} by policy {policy} (from {peer})",
    "not-installed": "{prefix} is in the BGP table of {node} but not installed in its RIB",
    "passed-on-but-missing": "{node} has no route to {prefix} although every hop passed it on",
    "no-route-to-host": "{node} has no route to {host}",
    "forwarding": "every routing table holds the routes, but the ping got no answer (forwarding)",
    "not-routed": "the plan does not route this pair",
}

#: A mismatch's sentence per kind; a `verify` row whose capture could not be read at all
#: (`error` set) reads `VERIFY_CAPTURE_TEXT` instead.
MISMATCH_TEXT: dict[MismatchKind, str] = {
    "converge": "the routers did not settle within {seconds:.0f} s",
    "session": "BGP session {node}–{peer} ({link}) is {state} at {node}, not Established",
    "unreachable": "{source} ({source_device}) does not reach {target} ({target_device}): {cause}",
    "reaches": (
        "{source} ({source_device}) reaches {target} ({target_device}), which the plan does "
        "not route"
    ),
    "leak": "{node} has a route to {prefix}, which the plan does not send there",
    "verify": (
        "{node}: {subject}: {check} should be {expected}, the router shows {found} (what "
        "`vra-config verify` would report after pasting)"
    ),
}
VERIFY_CAPTURE_TEXT = "{node}: its BGP summary is not FRR's JSON ({error})"


def _named(template: str) -> set[str]:
    """The fields a template fills (`{seconds:.0f}` names `seconds`)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def sentence(record: Any, template: str, **derived: object) -> str:
    """`template` filled from `record`'s fields, and `derived` values for those a person
    reads in another form than the field holds (an AS path as its numbers)."""
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    return template.format_map({**values, **derived})


def require(record: Any, template: str) -> None:
    """Refuse a record that lacks a field its sentence names (it would print `None`)."""
    names = {f.name for f in fields(record)}
    missing = sorted(n for n in _named(template) & names if getattr(record, n) in (None, ()))
    if missing:
        raise ValueError(f"a {record.kind} row needs {', '.join(missing)}")


def _json_value(value: Any) -> Any:
    if isinstance(value, (IPv4Network, IPv4Address)):
        return str(value)
    if isinstance(value, Cause):
        return value.as_row()
    if isinstance(value, tuple):
        return list(value)
    return value


def row_of(record: Any) -> dict[str, Any]:
    """kind, every field that applies (set, not empty), then the sentence."""
    row: dict[str, Any] = {"kind": record.kind}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name != "kind" and value not in (None, ()):
            row[f.name] = _json_value(value)
    row["message"] = record.message
    return row


def record_from(cls: Any, row: Mapping[str, Any], parse: Mapping[str, Callable[[Any], Any]]) -> Any:
    """The record `row_of` wrote (`message` is derived, so it is not read); `parse` turns
    a JSON value back into its field's type, per field."""
    names = {f.name for f in fields(cls)}
    unknown = set(row) - names - {"message"}
    if unknown:
        raise ValueError(f"not a field of {cls.__name__}: {', '.join(sorted(unknown))}")
    return cls(**{k: parse.get(k, lambda v: v)(v) for k, v in row.items() if k != "message"})


@dataclass(frozen=True, kw_only=True)
class Cause:
    """The first broken hop on the way from a network's owner to a device that lacks it."""

    kind: CauseKind
    #: the device where the cause sits; `peer` the other end of the link it concerns
    node: str | None = None
    peer: str | None = None
    #: the lab's wire (a connection of the plan, or `<connection>-ibm` inside IBM's side)
    link: str | None = None
    prefix: IPv4Network | None = None
    policy: str | None = None
    #: the BGP session's state, when a session that is not Established is the cause
    state: str | None = None
    #: an AS-path loop: the path the prefix arrived with, and the receiver's own AS in it
    as_path: tuple[int, ...] = ()
    asn: int | None = None
    host: IPv4Address | None = None

    def __post_init__(self) -> None:
        if self.kind not in CAUSE_TEXT:
            raise ValueError(f"unknown cause kind {self.kind!r}")
        require(self, CAUSE_TEXT[self.kind])

    @property
    def message(self) -> str:
        path = " ".join(str(a) for a in self.as_path)
        return sentence(self, CAUSE_TEXT[self.kind], as_path=path)

    def as_row(self) -> dict[str, Any]:
        return row_of(self)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Cause:
        parse = {"prefix": IPv4Network, "host": IPv4Address, "as_path": tuple}
        cause: Cause = record_from(cls, row, parse)
        return cause


def _path(dotted: str) -> PlanPath:
    """A plan path from its dotted form (names hold no dot: `NAME_RE`)."""
    return tuple(dotted.split("."))


@dataclass(frozen=True, kw_only=True)
class Mismatch:
    """One difference between the plan and what the lab observed, as fields.

    For `unreachable`, `node`, `link` and `prefix` are those of the first cause (where to
    look); `path` is where in the plan it points, like a `Finding`'s
    (`connections.<link>` when a link is involved, else the device)."""

    kind: MismatchKind
    node: str | None = None
    peer: str | None = None
    link: str | None = None
    #: a pair of the reachability matrix: the source and target networks and their devices
    source: IPv4Network | None = None
    source_device: str | None = None
    target: IPv4Network | None = None
    target_device: str | None = None
    prefix: IPv4Network | None = None
    state: str | None = None
    #: `converge`: how long the lab waited
    seconds: float | None = None
    #: `verify`: verify's own row (what it checked, wanted and found), or why the capture
    #: could not be judged at all
    subject: str | None = None
    check: str | None = None
    expected: str | None = None
    found: str | None = None
    error: str | None = None
    cause: Cause | None = None
    path: PlanPath | None = None

    def __post_init__(self) -> None:
        if self.kind not in MISMATCH_TEXT:
            raise ValueError(f"unknown mismatch kind {self.kind!r}")
        require(self, self._template())

    def _template(self) -> str:
        if self.kind == "verify" and self.error is not None:
            return VERIFY_CAPTURE_TEXT
        return MISMATCH_TEXT[self.kind]

    @property
    def message(self) -> str:
        """The sentence the text report prints, built from the fields."""
        cause = self.cause.message if self.cause is not None else None
        return sentence(self, self._template(), cause=cause)

    def as_row(self) -> dict[str, Any]:
        """The JSON row: `kind`, the fields that apply, `path` dotted, then `message`."""
        row = row_of(self)
        if self.path is not None:
            row["path"] = format_path(self.path)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Mismatch:
        parse: dict[str, Callable[[Any], Any]] = {
            "source": IPv4Network,
            "target": IPv4Network,
            "prefix": IPv4Network,
            "cause": Cause.from_row,
            "path": _path,
        }
        mismatch: Mismatch = record_from(cls, row, parse)
        return mismatch


KINDS: tuple[MismatchKind, ...] = get_args(MismatchKind)
CAUSE_KINDS: tuple[CauseKind, ...] = get_args(CauseKind)
