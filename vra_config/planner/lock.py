"""The lock file: allocations already handed out, so that they never move.

`<plan>.lock.yaml` sits beside the plan and is committed with it. The planner reads it to keep
every connection's GRE subnet and tunnel number, and hands back a new lock; this module only
reads and writes it (atomically, and only when its content changes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path

from vra_config.errors import VraConfigError
from vra_config.plan.findings import Finding, Mark, PlanError, escape
from vra_config.plan.model import TUNNEL_NUMBER_MAX
from vra_config.plan.source import read_source
from vra_config.writer import PLAN_BYTES_MAX, read_bytes_bounded, write_atomic

LOCK_VERSION = 1
_HEADER = (
    "# vra-config lock: addresses and tunnel numbers already allocated for {plan}.\n"
    "# Commit it with the plan. Edit only to release an allocation on purpose.\n"
    "# One connection a line, in JSON (which is YAML too): it diffs line by line and a\n"
    "# lock of 10,000 connections loads in milliseconds.\n"
)


@dataclass(frozen=True, kw_only=True)
class LockEntry:
    """What one connection was given: its subnet and tunnel numbers, and for which ends."""

    router: str
    via: str  # as the file says: a lock may name a kind no plan has (then it is not kept)
    subnet: IPv4Network | None
    tunnel: int | None
    peer_tunnel: int | None = None
    peer: str | None = None

    def describe(self) -> str:
        parts = [str(self.subnet)] if self.subnet else []
        if self.tunnel is not None:
            parts.append(f"tunnel {self.tunnel} on {self.router}")
        if self.peer_tunnel is not None:
            parts.append(f"tunnel {self.peer_tunnel} on {self.peer}")
        return ", ".join(parts) or "nothing"

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"router": self.router, "via": self.via}
        if self.peer is not None:
            data["peer"] = self.peer
        if self.subnet is not None:
            data["subnet"] = str(self.subnet)
        if self.tunnel is not None:
            data["tunnel"] = self.tunnel
        if self.peer_tunnel is not None:
            data["peer_tunnel"] = self.peer_tunnel
        return data


@dataclass(frozen=True, kw_only=True)
class Lock:
    """All allocations, by connection name."""

    connections: Mapping[str, LockEntry] = field(default_factory=dict)
    #: the lock file's name and the line of each entry, when read from one: findings about
    #: a locked allocation name the line a reviewer sees in the pull request
    file: str | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    def where(self, name: str) -> str:
        """`line 6 of plan.lock.yaml`, or `the lock file` when that is not known."""
        line = self.lines.get(name)
        if line is None or self.file is None:
            return "the lock file"
        return f"line {line} of {self.file}"

    def to_yaml(self, plan_name: str) -> str:
        rows = [
            f"{json.dumps(name)}: {json.dumps(e.to_data())}"
            for name, e in sorted(self.connections.items())
        ]
        body = ",\n".join(rows)
        inner = f"\n{body}\n" if rows else ""
        return (
            _HEADER.format(plan=escape(plan_name))
            + f'{{"version": {LOCK_VERSION}, "connections": {{{inner}}}}}\n'
        )


def lock_path(plan_path: Path) -> Path:
    """`samples/x.yaml` → `samples/x.lock.yaml`."""
    return plan_path.with_name(f"{plan_path.stem}.lock.yaml")


def read_lock(path: Path) -> Lock:
    """Read a lock file; a missing file is an empty lock, a broken one an error."""
    try:
        text = read_bytes_bounded(path, PLAN_BYTES_MAX).decode("utf-8")
    except FileNotFoundError:
        return Lock()
    except OSError as exc:
        raise PlanError(
            [
                Finding(
                    (),
                    f"cannot read the lock file: {exc.strerror or exc}",
                    file=str(path),
                    rule="VRC507",
                )
            ]
        ) from None
    except UnicodeDecodeError as exc:
        raise PlanError(
            [Finding((), f"cannot read the lock file: {exc}", file=str(path), rule="VRC507")]
        ) from None
    return parse_lock(text, str(path))


class _Damaged(Exception):
    """Why a lock file cannot be used, and the line where, when known."""

    def __init__(self, why: str, line: int | None = None, column: int = 1) -> None:
        super().__init__(why)
        self.why = why
        self.line = line
        self.column = column


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object's pairs: refuse a key given twice (json keeps the last one silently)."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _Damaged(f"{json.dumps(key)} appears twice; keep one of them")
        out[key] = value
    return out


def _json_int(text: str) -> int:
    """A JSON integer, refused past 12 digits (`int` itself refuses 4,300 with ValueError)."""
    if len(text.lstrip("-")) > 12:
        raise _Damaged(f"the number {text[:12]}... is {len(text)} digits long; no lock holds one")
    return int(text)


def _load_json(body: str) -> object:
    try:
        return json.loads(body, object_pairs_hook=_no_duplicates, parse_int=_json_int)
    except RecursionError:
        raise _Damaged("nested too deeply; a lock is three levels deep") from None


def _load_block_yaml(text: str, file: str) -> tuple[object, dict[str, int]]:
    """A lock edited by hand into block YAML, read as safely as a plan is (no alias bombs,
    no duplicate keys, bounded nesting); with the line of each connection."""
    try:
        source = read_source(text, file)
    except PlanError as exc:
        first = exc.findings[0]
        mark = first.mark
        raise _Damaged(first.message, *((mark.line, mark.column) if mark else (None, 1))) from None
    lines = {
        str(path[1]): mark.line
        for path, mark in source.marks.items()
        if len(path) == 2 and path[0] == "connections"
    }
    return source.data, lines


def _number(item: Mapping[str, object], key: str) -> int | None:
    """A tunnel number as the vendors accept it, or None when absent."""
    if key not in item:
        return None
    value = item[key]
    if type(value) is not int or not 0 <= value <= TUNNEL_NUMBER_MAX:
        shown = json.dumps(value) if isinstance(value, str | int | float) else type(value).__name__
        raise _Damaged(
            f"{key} {shown} is not a tunnel number; one is a whole number from 0 to "
            f"{TUNNEL_NUMBER_MAX}"
        )
    return value


def _text(item: Mapping[str, object], key: str, required: bool = True) -> str | None:
    if key not in item and not required:
        return None
    value = item.get(key)
    if not isinstance(value, str):
        raise _Damaged(f"{key} is missing or not text" if key not in item else f"{key} is not text")
    if not _printable(value):
        raise _Damaged(f"{key} holds a control character or a lone surrogate")
    return value


def _printable(text: str) -> bool:
    """Text that can be printed and written back: no control character, no lone surrogate
    (JSON's `\\ud800` decodes to one, and writing it to a terminal or file fails)."""
    return text.isprintable() and not any("\ud800" <= c <= "\udfff" for c in text)


def _entry(item: object) -> LockEntry:
    if not isinstance(item, dict):
        raise _Damaged("an entry is not a mapping")
    subnet = _text(item, "subnet", required=False)
    try:
        network = IPv4Network(subnet) if subnet is not None else None
    except ValueError as exc:
        raise _Damaged(f"subnet: {exc}") from None
    return LockEntry(
        router=str(_text(item, "router")),
        via=str(_text(item, "via")),
        subnet=network,
        tunnel=_number(item, "tunnel"),
        peer_tunnel=_number(item, "peer_tunnel"),
        peer=_text(item, "peer", required=False),
    )


def parse_lock(text: str, file: str) -> Lock:
    """The allocations in a lock file's text; a damaged lock is a located `PlanError`.

    Nothing in a lock is trusted: it is a file in a repository that anyone may edit. Every
    value is checked for its type and range (a tunnel number must be one both vendors accept),
    a connection given twice is refused rather than the last one silently winning, and the
    block-YAML form is read by the plan's own bounded reader.
    """
    lines = text.splitlines()

    def broken(why: str, line: int | None = None, column: int = 1) -> PlanError:
        return PlanError(
            [
                Finding(
                    (),
                    f"the lock file is damaged ({why}); restore it from git, or delete it to "
                    "allocate afresh (addresses may then change)",
                    file=file,
                    mark=Mark(line, column) if line is not None else None,
                    rule="VRC507",
                )
            ]
        )

    body = "\n".join("" if line.lstrip().startswith("#") else line for line in lines)
    where: dict[str, int] | None = None
    try:
        try:
            data = _load_json(body) if body.strip() else None
        except json.JSONDecodeError:
            data, where = _load_block_yaml(text, file)
        if data is None:
            return Lock()
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(data, dict) or type(version) is not int or version != LOCK_VERSION:
            raise _Damaged(f"expected a mapping with version: {LOCK_VERSION}")
        raw = data.get("connections") or {}
        if not isinstance(raw, dict):
            raise _Damaged("connections is not a mapping")
    except _Damaged as exc:
        line = exc.line
        if line is None and "appears twice" in exc.why:
            line = _second_line(lines, exc.why.split(" appears", 1)[0])
        raise broken(exc.why, line, exc.column) from None
    entries: dict[str, LockEntry] = {}
    if where is None:
        where = _entry_lines(text, raw)
    for name, item in raw.items():
        try:
            if not _printable(str(name)):
                raise _Damaged("the name holds a control character or a lone surrogate")
            entries[str(name)] = _entry(item)
        except _Damaged as exc:
            raise broken(f"entry {name}: {exc.why}", where.get(name)) from None
    return Lock(connections=entries, file=Path(file).name, lines=where)


def _second_line(lines: list[str], key: str) -> int | None:
    """The line where a JSON key given twice appears the second time (one entry a line)."""
    seen = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(key + ":"):
            if seen:
                return number
            seen = True
    return None


def _entry_lines(text: str, names: Iterable[str]) -> dict[str, int]:
    """The line of each entry in a lock as vra-config writes it (one connection a line)."""
    keys = {json.dumps(name) + ":": name for name in names}
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        key = line.lstrip().split(" ", 1)[0]
        if key in keys and keys[key] not in out:
            out[keys[key]] = number
    return out


def write_lock(path: Path, lock: Lock, plan_name: str) -> bool:
    """Write the lock if its content changed; return whether it was written.

    A plan with nothing to allocate gets no lock file, but an existing one is kept current.
    A lock that is a symbolic link is refused (`LockIsLink`), never replaced: an atomic
    rename would put a plain file where the user's link was, and writing through it would
    let a link committed to a repository make vra-config overwrite any file it points at.
    """
    if not lock.connections and not path.exists():
        return False
    text = lock.to_yaml(plan_name)
    try:
        if read_bytes_bounded(path, PLAN_BYTES_MAX).decode("utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    if path.is_symlink():
        raise LockIsLink(path)
    write_atomic(path, text)
    return True


class LockIsLink(VraConfigError, OSError):
    """The lock file is a symbolic link: vra-config neither replaces nor follows it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            0,
            "it is a symbolic link; vra-config does not replace or write through links: "
            "make it a regular file (copy the target over the link)",
            str(path),
        )
