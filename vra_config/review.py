"""Plan-to-plan review: what a change to a plan changes on each router, for a pull request.

Both revisions are checked and rendered the same way (keys redacted, as everything meant for
review is); the result says, per router file, which lines are added and removed, which
allocations moved (there should be none unless the change asked for it), and what the new
plan warns about. `--format markdown` turns it into a comment fit for a pull request.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from vra_config.pipeline import (
    Checked,
    UsageError,
    check_file,
    render_checked,
    render_ibm_side,
)
from vra_config.plan.findings import Finding, PlanError, escape, format_path
from vra_config.plan.rules import RULES
from vra_config.planner.lock import Lock, lock_path


@dataclass(frozen=True, kw_only=True)
class FileChange:
    name: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    status: str  # "changed", "new" or "gone"


@dataclass(frozen=True, kw_only=True)
class Review:
    old_label: str
    new_label: str
    files: tuple[FileChange, ...]
    moved: tuple[str, ...]
    findings: tuple[Finding, ...]
    #: (rule, path) of what the old revision already acknowledged: the rest are new
    old_acknowledged: frozenset[tuple[str, str]] = frozenset()
    #: IBM's side (the Terraform target, one line per value): what changes there too
    ibm: FileChange | None = None
    #: connections the new revision allocates that the old did not have
    allocated: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[FileChange, ...]:
        """The router files that change, then IBM's side if it does."""
        return self.files if self.ibm is None else (*self.files, self.ibm)

    @property
    def empty(self) -> bool:
        return not self.files and not self.moved and self.ibm is None and not self.allocated


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("set ", "delete "))]


def compare(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[FileChange, ...]:
    """Per file, the set lines only one side has (each side's own order kept)."""
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = _lines(old.get(name, "")), _lines(new.get(name, ""))
        gone, came = set(before) - set(after), set(after) - set(before)
        if not gone and not came:
            continue
        status = "new" if name not in old else "gone" if name not in new else "changed"
        changes.append(
            FileChange(
                name=name,
                added=tuple(line for line in after if line in came),
                removed=tuple(line for line in before if line in gone),
                status=status,
            )
        )
    return tuple(changes)


def moved_allocations(old: Lock, new: Lock) -> tuple[str, ...]:
    """Connections in both revisions whose subnet or tunnel numbers changed."""
    out = []
    for name in sorted(set(old.connections) & set(new.connections)):
        a, b = old.connections[name], new.connections[name]
        if (a.subnet, a.tunnel, a.peer_tunnel) != (b.subnet, b.tunnel, b.peer_tunnel):
            out.append(f"{name}: {a.describe()} -> {b.describe()}")
    return tuple(out)


def new_allocations(old: Lock, new: Lock) -> tuple[str, ...]:
    """Connections the new lock allocates for that the old one did not have."""
    return tuple(
        f"{name}: {new.connections[name].describe()}"
        for name in sorted(set(new.connections) - set(old.connections))
    )


def ibm_change(old: Checked, new: Checked) -> FileChange | None:
    """IBM's side of both revisions (Terraform), compared value by value."""
    from vra_config.targets.ibm import terraform
    from vra_config.targets.ibm.facts import hcl_facts

    def facts(checked: Checked) -> list[str]:
        return [
            fact
            for text in render_ibm_side(checked, "terraform").values()
            for fact in hcl_facts(text)
        ]

    before, after = facts(old), facts(new)
    gone, came = set(before) - set(after), set(after) - set(before)
    if not gone and not came:
        return None
    status = "new" if not before else "gone" if not after else "changed"
    added = tuple(f for f in after if f in came)
    return FileChange(
        name=terraform.FILE,
        added=added,
        removed=tuple(f for f in before if f in gone),
        status=status,
    )


def review(old: Checked, new: Checked, vendor: str | None) -> Review:
    """Render both revisions, routers and IBM's side, and compare them."""
    return Review(
        old_label=old.file,
        new_label=new.file,
        files=compare(render_checked(old, vendor), render_checked(new, vendor)),
        moved=moved_allocations(old.address_plan.lock, new.address_plan.lock),
        findings=tuple(f for f in new.warnings if not f.is_error),
        old_acknowledged=frozenset(_key(f) for f in old.acknowledged),
        ibm=ibm_change(old, new),
        allocated=new_allocations(old.address_plan.lock, new.address_plan.lock),
    )


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.rule, format_path(finding.path))


def check_at_revision(plan: Path, revision: str) -> Checked:
    """The plan (and its lock) as committed at a git revision, checked.

    The revision is user input passed to git: `--base=--output=PATH` would otherwise be read
    by `git show` as an option and write files. So it is first resolved to a commit with
    `git rev-parse --verify --end-of-options REV^{commit}` (git-rev-parse(1)), and only the
    commit's hexadecimal name, which cannot be an option, reaches `git show`.
    """
    directory = plan.resolve().parent
    commit = _resolve_commit(revision, directory)

    def show(path: Path) -> str | None:
        try:
            top = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=directory,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            relative = path.resolve().relative_to(top).as_posix()
            done = subprocess.run(
                ["git", "show", f"{commit}:{relative}", "--"],
                cwd=directory,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError, ValueError) as exc:
            raise UsageError(f"--base {revision}: git cannot show {path} ({exc})") from None
        return done.stdout if done.returncode == 0 else None

    text = show(plan)
    if text is None:
        raise UsageError(f"--base {revision}: {plan} does not exist at that revision")
    lock_text = show(lock_path(plan))
    with tempfile.TemporaryDirectory() as tmp:
        old_plan = Path(tmp) / plan.name
        old_plan.write_text(text, encoding="utf-8")
        if lock_text is not None:
            lock_path(old_plan).write_text(lock_text, encoding="utf-8")
        try:
            checked = check_file(old_plan, locked=lock_text is not None)
        except PlanError as exc:
            raise PlanError(
                [replace(f, message=f"(at {revision}) {f.message}") for f in exc.findings]
            ) from None
    return replace(checked, file=f"{plan}@{revision}", lock_file=None)


def _resolve_commit(revision: str, directory: Path) -> str:
    """The full commit name `revision` resolves to in the repository at `directory`."""
    shown = escape(revision)
    if not revision:
        raise UsageError("--base: give a git revision such as HEAD or main")
    if revision.startswith("-"):
        raise UsageError(f"--base {shown}: not a git revision (it starts with -)")
    try:
        done = subprocess.run(
            [
                "git",
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{revision}^{{commit}}",
            ],
            cwd=directory,
            capture_output=True,
            text=True,
        )
    except OSError as exc:
        raise UsageError(f"--base {shown}: cannot run git ({exc.strerror})") from None
    commit = done.stdout.strip()
    if "not a git repository" in done.stderr:
        raise UsageError(f"--base {shown}: {directory} is not in a git repository")
    if done.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise UsageError(f"--base {shown}: no such commit in the repository of the plan")
    return commit


def _md(text: str) -> str:
    """Plain text for a Markdown comment: the characters that start emphasis, code, a link or
    image, a table cell, an HTML tag or entity, or strike-through are backslash-escaped
    (CommonMark 0.31, "Backslash escapes": any ASCII punctuation may be), so an
    acknowledgement reason cannot add a link, an image, a cell or markup. Commas, periods and
    hyphens inside a line start nothing and are left as written."""
    return re.sub(r"([\\`*_\[\]()<>|!~#&{}])", r"\\\1", escape(text))


def as_text(r: Review) -> str:
    if r.empty:
        return f"no change to any router or to IBM's side between {r.old_label} and {r.new_label}\n"
    lines = []
    if not r.files:
        lines.append("no change to any router")
    for f in r.shown:
        what = f"IBM side, {f.name}" if f is r.ibm else f.name
        lines.append(f"{what} ({f.status}): +{len(f.added)} -{len(f.removed)}")
        lines += [f"- {line}" for line in f.removed]
        lines += [f"+ {line}" for line in f.added]
    if r.allocated:
        lines.append("new allocations:")
        lines += [f"  {a}" for a in r.allocated]
    if r.moved:
        lines.append("allocations moved:")
        lines += [f"  {m}" for m in r.moved]
    return "\n".join(lines) + "\n"


def as_markdown(r: Review) -> str:
    """A pull-request comment: summary table, moved allocations, findings, then the lines."""
    out = [f"### vra-config: {r.old_label} → {r.new_label}", ""]
    shown = r.shown
    if not shown:
        out.append("No change to any router or to IBM's side.")
    else:
        if not r.files:
            out += ["No change to any router; IBM's side changes.", ""]
        out += [
            "| file | change | lines added | lines removed |",
            "| --- | --- | ---: | ---: |",
        ]
        out += [
            f"| {'IBM side, ' if f is r.ibm else ''}`{f.name}` | {f.status} | {len(f.added)} "
            f"| {len(f.removed)} |"
            for f in shown
        ]
    out += ["", "**New allocations:** " + ("none" if not r.allocated else "")]
    out += [f"- `{a}`" for a in r.allocated]
    out += ["", "**Allocations moved:** " + ("none" if not r.moved else "")]
    out += [f"- ⚠️ `{m}`" for m in r.moved]
    accepted = [f for f in r.findings if f.accepted is not None]
    others = [f for f in r.findings if f.accepted is None]
    if accepted:
        out += ["", "**Acknowledged findings** (accepted in the plan, with the reason):"]
        out += [
            f"- {'🆕 ' if _key(f) not in r.old_acknowledged else ''}`{f.rule}` "
            f"`{format_path(f.path)}`: {RULES[f.rule].title}; reason: {_md(f.accepted or '')}"
            for f in accepted
        ]
    if others:
        out += ["", "**Findings:**"]
        out += [f"- {f.format()}" for f in others]
    for f in shown:
        out += ["", f"<details><summary><code>{f.name}</code></summary>", "", "```diff"]
        out += [f"-{line}" for line in f.removed]
        out += [f"+{line}" for line in f.added]
        out += ["```", "", "</details>"]
    out.append("")
    out.append("Pre-shared keys are redacted in this comment.")
    return "\n".join(out) + "\n"
