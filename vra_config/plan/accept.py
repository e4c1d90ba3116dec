"""Acknowledged findings: the plan's `accept:` entries applied to a run's findings.

Some findings are IBM recommendations or filters, not impossibilities: a PowerVS subnet in
IBM's service network works when it is carried only inside the GRE tunnel. A plan says so
with `accept: [{id: VRC101, at: powervs.ws1.subnets[0], reason: "..."}]`; the finding is
then shown as acknowledged, with the reason, wherever reviewers look (check, plan, the
rendered header, the pull-request markdown), and it no longer fails the run.

Three things keep acknowledgements honest:
- a rule that marks something that cannot work (overlaps, exhausted pools, a wrong ASN on a
  link, unsafe text) is never acknowledgeable: an entry naming one is an error (VRC811);
- an entry naming no known rule is an error (VRC812);
- an entry that matches no finding is an error (VRC810), so stale ones do not pile up. It
  is reported only when the run has no other error: a plan that fails elsewhere may not
  have produced the finding the entry is for.

Pure: findings and entries in, findings out.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace

from vra_config.plan.findings import Finding, format_path
from vra_config.plan.model import Accept
from vra_config.plan.rules import RULES


def acknowledge(findings: Sequence[Finding], entries: Sequence[Accept]) -> list[Finding]:
    """`findings` with the accepted ones marked, plus a finding for every bad entry."""
    wanted, problems = _valid_entries(entries)
    out, used = _marked(findings, wanted)
    if not any(f.is_error for f in out + problems):
        for index, entry in enumerate(entries):
            key = (entry.id, entry.at)
            if key in wanted and key not in used:
                problems.append(_stale(index, entry, out))
    return out + problems


_Key = tuple[str, str]  # (rule ID, plan path as written)


def _valid_entries(entries: Sequence[Accept]) -> tuple[dict[_Key, str], list[Finding]]:
    """The reason of each entry that may acknowledge something, by (rule, path); a finding
    for each entry that may not (a repeat, an unknown ID, a rule never acknowledged)."""
    wanted: dict[_Key, str] = {}
    first: dict[_Key, int] = {}
    problems: list[Finding] = []
    for index, entry in enumerate(entries):
        seen = first.setdefault((entry.id, entry.at), index)
        problem = _repeated(index, entry, seen) if seen != index else _refused(index, entry)
        if problem is None:
            wanted.setdefault((entry.id, entry.at), entry.reason)
        else:
            problems.append(problem)
    return wanted, problems


def _repeated(index: int, entry: Accept, seen: int) -> Finding:
    """Two reasons for one finding: a reviewer would see one, the run would use the other."""
    return Finding(
        ("accept", index),
        f"acknowledges {entry.id} at {entry.at} again (first at accept[{seen}]); "
        "keep one entry with one reason",
        rule="VRC040",
    )


def _refused(index: int, entry: Accept) -> Finding | None:
    """An ID that is no rule (with the nearest one), or a rule that can never be accepted."""
    rule = RULES.get(entry.id)
    if rule is None:
        # O for 0 and I or l for 1 are the usual slips; otherwise the nearest ID
        typed = entry.id.upper().translate(str.maketrans("OIL", "011"))
        close = [typed] if typed in RULES else difflib.get_close_matches(typed, list(RULES), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        return Finding(
            ("accept", index, "id"),
            f"{entry.id} is not a rule ID{hint} (`vra-config explain ID` describes "
            "one; docs/errors.md lists them all)",
            rule="VRC812",
        )
    if not rule.acknowledgeable:
        return Finding(
            ("accept", index, "id"),
            f"{entry.id} ({rule.title}) cannot be acknowledged: what it reports cannot "
            f"work, so fix the plan instead (vra-config explain {entry.id})",
            rule="VRC811",
        )
    return None


def _marked(
    findings: Sequence[Finding], wanted: dict[_Key, str]
) -> tuple[list[Finding], set[_Key]]:
    """Each finding an entry names, not already accepted, marked with the entry's reason;
    with the entries that marked one."""
    used: set[_Key] = set()
    out: list[Finding] = []
    for finding in findings:
        key = (finding.rule, format_path(finding.path))
        reason = wanted.get(key)
        if reason is not None and finding.accepted is None:
            used.add(key)
            finding = replace(finding, accepted=reason)
        out.append(finding)
    return out, used


def _stale(index: int, entry: Accept, findings: Sequence[Finding]) -> Finding:
    elsewhere = sorted({format_path(f.path) for f in findings if f.rule == entry.id})
    hint = f" ({entry.id} is found at {', '.join(elsewhere[:5])})" if elsewhere else ""
    return Finding(
        ("accept", index),
        f"{entry.id} at {entry.at} matches no finding{hint}; remove this entry, or correct "
        "`at` to the path the finding names",
        rule="VRC810",
    )
