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

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from vra_config.plan.findings import Finding, PlanError
from vra_config.writer import write_atomic

LOCK_VERSION = 1
_HEADER = (
    "# vra-config lock: addresses and tunnel numbers already allocated for {plan}.\n"
    "# Commit it with the plan. Edit only to release an allocation on purpose.\n"
    "# One connection a line, in JSON (which is YAML too): it diffs line by line and a\n"
    "# lock of 10,000 connections loads in milliseconds.\n"
)


@dataclass(frozen=True)
class LockEntry:
    """What one connection was given: its subnet and tunnel numbers, and for which ends."""

    router: str
    via: str
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


@dataclass(frozen=True)
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
            _HEADER.format(plan=plan_name)
            + f'{{"version": {LOCK_VERSION}, "connections": {{{inner}}}}}\n'
        )


def lock_path(plan_path: Path) -> Path:
    """`samples/x.yaml` → `samples/x.lock.yaml`."""
    return plan_path.with_name(f"{plan_path.stem}.lock.yaml")


def read_lock(path: Path) -> Lock:
    """Read a lock file; a missing file is an empty lock, a broken one an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lock()
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(
            [Finding((), f"cannot read the lock file: {exc}", file=str(path), rule="VRC507")]
        ) from None
    return parse_lock(text, str(path))


def parse_lock(text: str, file: str) -> Lock:
    def broken(why: str) -> PlanError:
        return PlanError(
            [
                Finding(
                    (),
                    f"the lock file is damaged ({why}); restore it from git, or delete it to "
                    "allocate afresh (addresses may then change)",
                    file=file,
                    rule="VRC507",
                )
            ]
        )

    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    try:
        data = json.loads(body) if body.strip() else None
    except json.JSONDecodeError:
        try:  # a lock edited by hand into block YAML still reads
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            raise broken(f"not YAML: {exc}") from None
    if data is None:
        return Lock()
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
        raise broken(f"expected a mapping with version: {LOCK_VERSION}")
    raw = data.get("connections") or {}
    if not isinstance(raw, dict):
        raise broken("connections is not a mapping")
    entries: dict[str, LockEntry] = {}
    for name, item in raw.items():
        try:
            entries[str(name)] = LockEntry(
                router=str(item["router"]),
                via=str(item["via"]),
                subnet=IPv4Network(str(item["subnet"])) if "subnet" in item else None,
                tunnel=int(item["tunnel"]) if "tunnel" in item else None,
                peer_tunnel=int(item["peer_tunnel"]) if "peer_tunnel" in item else None,
                peer=str(item["peer"]) if "peer" in item else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise broken(f"entry {name}: {exc}") from None
    return Lock(entries, Path(file).name, _entry_lines(text, entries))


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
    """
    if not lock.connections and not path.exists():
        return False
    text = lock.to_yaml(plan_name)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True
