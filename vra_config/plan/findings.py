"""Findings: what is wrong (or doubtful) in a plan, located in the plan file.

Every stage of the pipeline (loader, model, planner) reports problems as `Finding`s rather
than raising on the first one, so a user sees every mistake of a run together. A finding
carries the plan path (`connections.cc-dal12.gre`) and, once the loader has mapped paths to
YAML marks, the file, line and column a user must edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from vra_config.errors import VraConfigError
from vra_config.plan.rules import RULES
from vra_config.plan.rules import Severity as Severity  # re-exported: the stages import it here

PathPart = str | int
PlanPath = tuple[PathPart, ...]


def escape(text: str) -> str:
    """`text` with every character a terminal or log would act on shown as an escape.

    Keys and values of a plan, file names and reasons are printed back to users; a control
    character (ESC, CR, a newline) or a bidirectional override in them could redraw a line,
    start a fake `ok` line, or hide text. Each such character becomes its Python escape
    (`\\x1b`, `\\n`, `\\u202e`); printable text, including non-ASCII letters, is unchanged,
    and escaping twice changes nothing more.
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


@dataclass(frozen=True, order=True)
class Mark:
    """A position in the plan file, 1-based as editors show it."""

    line: int
    column: int


@dataclass(frozen=True, init=False)
class Finding:
    """One problem with a plan: where it is, what is wrong and how to fix it.

    `rule` is the ID of its rule in `vra_config.plan.rules` (required, so a new finding cannot be
    added without one). `accepted` holds the reason when the plan acknowledged it with an
    `accept:` entry: it is then shown, with the reason, but no longer fails the run.

    The severity is the rule's, so `explain`, SARIF's `defaultConfiguration` and the message
    cannot disagree. A finding may be milder than its rule only where the same problem is
    not certain to break anything (VRC902 at a site vra-config does not render, which may
    already hold the route that prevents it); it then says why in `downgraded`, which is for
    readers of the code and is never printed. A severity above the rule's is refused: that
    is a different rule.
    """

    path: PlanPath
    message: str
    severity: Severity
    file: str | None
    mark: Mark | None
    rule: str
    accepted: str | None
    downgraded: str | None

    def __init__(
        self,
        path: PlanPath,
        message: str,
        severity: Severity | None = None,
        file: str | None = None,
        mark: Mark | None = None,
        *,
        rule: str,
        accepted: str | None = None,
        downgraded: str | None = None,
    ) -> None:
        """Written out (not generated) so that `severity` defaults to the rule's and the
        attribute is still typed `Severity`, never `None`."""
        chosen = _severity(rule, severity, downgraded)
        for name, value in (
            ("path", path),
            ("message", message),
            ("severity", chosen),
            ("file", file),
            ("mark", mark),
            ("rule", rule),
            ("accepted", accepted),
            ("downgraded", downgraded),
        ):
            object.__setattr__(self, name, value)

    @property
    def is_error(self) -> bool:
        return self.severity == "error" and self.accepted is None

    def located(self, file: str, marks: Mapping[PlanPath, Mark]) -> Finding:
        """Attach the file and the mark of the deepest plan node this finding's path reaches."""
        return replace(self, file=file, mark=mark_for(self.path, marks))

    def format(self) -> str:
        """`file:line:col: ID path: message` (the form editors and CI annotations understand).

        An acknowledged finding reads `acknowledged: message (reason: ...)`.
        """
        where = self.file or "<plan>"
        if self.mark is not None:
            where = f"{where}:{self.mark.line}:{self.mark.column}"
        dotted = format_path(self.path)
        prefix = f"{where}: {self.rule} {dotted}: " if dotted else f"{where}: {self.rule} "
        if self.accepted is not None:
            return escape(f"{prefix}acknowledged: {self.message} (reason: {self.accepted})")
        label = "warning: " if self.severity == "warning" else ""
        return escape(f"{prefix}{label}{self.message}")


def _severity(rule: str, given: Severity | None, downgraded: str | None) -> Severity:
    """The severity of a finding of `rule`: the rule's, or a warning with a reason.

    Raises `ValueError` (a bug in the caller, never a plan mistake) for an unregistered rule,
    for a severity above the rule's, for a downgrade without a reason and for a reason on a
    finding that is not downgraded (it would mislead the next reader).
    """
    registered = RULES.get(rule)
    if registered is None:
        raise ValueError(f"finding rule {rule!r} is not registered in vra_config.plan.rules")
    chosen = registered.severity if given is None else given
    if chosen == registered.severity:
        if downgraded is not None:
            raise ValueError(f"a {rule} finding has `downgraded=` but the rule's severity")
        return chosen
    if chosen != "warning" or not downgraded:
        raise ValueError(
            f"a {rule} finding has severity {chosen!r}, its rule {registered.severity!r}: only "
            "a warning with `downgraded=` (the reason) may differ; register a rule of its own"
        )
    return chosen


class PlanError(VraConfigError):
    """Raised at the edge of the pipeline when a plan has at least one error finding."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        super().__init__("\n".join(f.format() for f in self.findings))

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)


def format_path(path: PlanPath) -> str:
    """`('powervs', 'dal12', 'subnets', 1)` → `powervs.dal12.subnets[1]`."""
    out = ""
    for part in path:
        if part == "[key]":
            continue  # a marker for locating a mapping key, not part of the name
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def mark_for(path: PlanPath, marks: Mapping[PlanPath, Mark]) -> Mark | None:
    """The mark of `path`, or of its nearest ancestor the file has (a missing key)."""
    for end in range(len(path), -1, -1):
        mark = marks.get(path[:end])
        if mark is not None:
            return mark
    return None


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """File order first (what a user fixes top-down), then path and text for stability."""

    def key(f: Finding) -> tuple[int, int, str, str]:
        line = f.mark.line if f.mark else 0
        col = f.mark.column if f.mark else 0
        return (line, col, format_path(f.path), f.message)

    unique = {(f.path, f.message, f.severity, f.rule): f for f in findings}
    return sorted(unique.values(), key=key)


def sorted_located(
    findings: list[Finding], file: str, marks: Mapping[PlanPath, Mark]
) -> list[Finding]:
    """Give each finding the file and its mark (unless it has one), in file order."""
    return sort_findings(
        f.located(file, marks) if f.mark is None else replace(f, file=f.file or file)
        for f in findings
    )
