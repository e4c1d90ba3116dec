"""`check --format json|sarif|github`: a run's findings for machines, not people.

Pure: findings and a summary in, text out. Every message goes through `escape` first (as the
text form does), so a control character typed in a plan reaches no terminal, log or UI raw.

- json: one object for scripts (`jq`), with the summary counts and every finding.
- sarif: SARIF 2.1.0 (OASIS Standard, https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the
  format code-scanning UIs read; each finding a `result` whose `ruleId` is its VRC ID, an
  acknowledged finding a result with an in-source `suppression` carrying its reason.
- github: GitHub Actions workflow commands, `::error file=F,line=L,col=C,title=T::MESSAGE`
  ("Workflow commands for GitHub Actions", docs.github.com), escaped as GitHub's own
  toolkit escapes them (actions/toolkit packages/core/src/command.ts): `%`, CR and LF in
  the message, and also `:` and `,` in property values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from vra_config import __version__
from vra_config.plan.findings import Finding, escape, format_path
from vra_config.plan.rules import RULES

FORMATS = ("text", "json", "sarif", "github")

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


@dataclass(frozen=True)
class Summary:
    """What a passing check counted (None when the plan has errors)."""

    routers: int
    connections: int
    lock_changes: int


def _level(f: Finding) -> str:
    if f.accepted is not None:
        return "note"
    return "error" if f.severity == "error" else "warning"


def as_json(plan: str, findings: Sequence[Finding], summary: Summary | None) -> str:
    """One JSON object: `ok`, the counts, and every finding with its location."""
    errors = sum(1 for f in findings if f.is_error)
    acknowledged = sum(1 for f in findings if f.accepted is not None)
    data: dict[str, object] = {
        "tool": "vra-config",
        "version": __version__,
        "plan": escape(plan),
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(findings) - errors - acknowledged,
        "acknowledged": acknowledged,
        "findings": [
            {
                "rule": f.rule,
                "title": RULES[f.rule].title,
                "severity": f.severity,
                "file": escape(f.file) if f.file else None,
                "line": f.mark.line if f.mark else None,
                "column": f.mark.column if f.mark else None,
                "path": escape(format_path(f.path)),
                "message": escape(f.message),
                "reason": escape(f.accepted) if f.accepted is not None else None,
            }
            for f in findings
        ],
    }
    if summary is not None:
        data["routers"] = summary.routers
        data["connections"] = summary.connections
        data["lock_changes"] = summary.lock_changes
    return json.dumps(data, indent=2) + "\n"


def _uri(file: str) -> str:
    """A file name as a SARIF `artifactLocation.uri` (RFC 3986: relative, percent-encoded)."""
    path = PurePath(file)
    text = path.as_posix()
    return ("file://" if path.is_absolute() else "") + quote(text)


def as_sarif(plan: str, findings: Sequence[Finding]) -> str:
    """A SARIF 2.1.0 log with one run: the rules that fired and one result per finding."""
    used = sorted({f.rule for f in findings})
    index = {rule: i for i, rule in enumerate(used)}
    rules = []
    for rule_id in used:
        rule = RULES[rule_id]
        entry: dict[str, object] = {
            "id": rule_id,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.rationale},
            "defaultConfiguration": {"level": rule.severity},
        }
        if rule.sources:
            entry["helpUri"] = rule.sources[0].url
        rules.append(entry)
    results = []
    for f in findings:
        location: dict[str, object] = {
            "physicalLocation": {"artifactLocation": {"uri": _uri(f.file or plan)}}
        }
        if f.mark is not None:
            location["physicalLocation"] = {
                "artifactLocation": {"uri": _uri(f.file or plan)},
                "region": {"startLine": f.mark.line, "startColumn": f.mark.column},
            }
        dotted = format_path(f.path)
        if dotted:
            location["logicalLocations"] = [{"fullyQualifiedName": escape(dotted)}]
        result: dict[str, object] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": "error" if f.severity == "error" else "warning",
            "message": {"text": escape(f.message)},
            "locations": [location],
        }
        if f.accepted is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": escape(f.accepted)}]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vra-config",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(plan: str, findings: Sequence[Finding]) -> str:
    """One workflow command a finding: `error`, `warning`, or `notice` when acknowledged."""
    lines = []
    for f in findings:
        command = {"error": "error", "warning": "warning", "note": "notice"}[_level(f)]
        props = [f"file={_gh_property(escape(f.file or plan))}"]
        if f.mark is not None:
            props += [f"line={f.mark.line}", f"col={f.mark.column}"]
        props.append(f"title={_gh_property(f'{f.rule} {RULES[f.rule].title}')}")
        dotted = format_path(f.path)
        text = f"{dotted}: {f.message}" if dotted else f.message
        if f.accepted is not None:
            text = f"acknowledged: {text} (reason: {f.accepted})"
        lines.append(f"::{command} {','.join(props)}::{_gh_data(escape(text))}")
    return "".join(line + "\n" for line in lines)
