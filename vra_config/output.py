"""Write rendered files under `--out`: atomically, only when changed, never over a stranger's.

A file is ours when its first line is the header comment every pack prints; any other
existing file is left alone unless the user passes `--force`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from vra_config.errors import VraConfigError
from vra_config.targets.base import IBM_SIDE_MARK, ROUTER_MARK
from vra_config.writer import write_atomic


class OutputError(VraConfigError):
    """An output file could not be written, or would overwrite something not ours."""


def _is_ours(text: str, marks: tuple[str, ...] = (ROUTER_MARK, IBM_SIDE_MARK)) -> bool:
    first = text.split("\n", 1)[0]
    return first.lstrip("#/ ").startswith(marks)


def _narrow_mode(target: Path, mode: int, report: Callable[[str], None]) -> None:
    """An unchanged file keeps its content, but loses permission bits `mode` does not give:
    `--show-secrets --out` over an identical 0644 file must still leave it 0600 (the file
    holds the keys whether or not this run rewrote it)."""
    current = stat.S_IMODE(target.stat().st_mode)
    if current & ~mode:
        try:
            os.chmod(target, current & mode)
        except OSError as exc:
            raise OutputError(
                f"{target}: cannot restrict it to mode {current & mode:04o} ({exc.strerror})"
            ) from None
        report(f"{target}: mode {current:04o} narrowed to {current & mode:04o}")


def write_outputs(
    out: Path,
    files: Mapping[str, str],
    force: bool = False,
    report: Callable[[str], None] = lambda _: None,
    mode: int = 0o644,
) -> list[Path]:
    """Write each `{name: text}` under `out`; return the paths that changed."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory; give a directory for --out")
    pending: list[tuple[Path, str]] = []
    for name, text in files.items():
        target = out / name
        try:
            current = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        except (OSError, UnicodeDecodeError) as exc:
            raise OutputError(
                f"{target}: cannot read the existing file ({exc}); nothing written"
            ) from None
        if current == text:
            _narrow_mode(target, mode, report)
            report(f"{target}: unchanged")
            continue
        if current is not None and not force and not _is_ours(current):
            raise OutputError(
                f"{target}: exists and was not written by vra-config; move it away or pass "
                "--force to overwrite it (nothing written)"
            )
        pending.append((target, text))
    written: list[Path] = []
    for target, text in pending:
        try:
            write_atomic(target, text, mode)
        except OSError as exc:
            done = ", ".join(str(p) for p in written) or "none"
            raise OutputError(
                f"{target}: cannot write it ({exc.strerror}); it is unchanged. Written before "
                f"the failure: {done}"
            ) from None
        written.append(target)
        report(f"{target}: written")
    return written


def _is_temporary(name: str) -> bool:
    """A temporary file of `write_atomic` (`.NAME.XXXX.tmp`), left only if the process was
    killed outright (SIGKILL, power loss): never a rendered file, so never "left over"."""
    return name.startswith(".") and name.endswith(".tmp")


def stale_outputs(out: Path, files: Mapping[str, str], mark: str = ROUTER_MARK) -> list[str]:
    """What in `out` differs from a fresh render: changed, missing, or left over.

    A left-over file is one vra-config wrote, with the same header `mark` (router configs, or
    an IBM-side target's), that the plan no longer renders; files it did not write are none
    of its business.
    """
    problems: list[str] = []
    for name, text in sorted(files.items()):
        target = out / name
        try:
            current = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{target}: missing")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{target}: cannot read it ({exc})")
            continue
        if current != text:
            changed = sum(
                1 for a, b in zip(current.splitlines(), text.splitlines(), strict=False) if a != b
            ) + abs(current.count("\n") - text.count("\n"))
            problems.append(f"{target}: differs from a fresh render ({changed} lines)")
    if out.is_dir():
        for target in sorted(out.iterdir()):
            if target.name in files or not target.is_file() or _is_temporary(target.name):
                continue
            try:
                ours = _is_ours(target.read_text(encoding="utf-8"), (mark,))
            except (OSError, UnicodeDecodeError):
                continue
            if ours:
                problems.append(f"{target}: left over: the plan no longer renders it")
    return problems
