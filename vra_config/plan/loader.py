"""Turn a plan file into a `Plan`, or into located findings.

`source.read_source` reads the YAML into plain data with marks; `validate` checks it against
the model item by item (`model_errors` turns pydantic's errors into findings), so one broken
router or connection does not hide what the planner finds about the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from vra_config.plan.findings import Finding, Mark, PlanError, PlanPath, sorted_located
from vra_config.plan.model import CONNECTION_KINDS, CloudConnection, Plan, Router, Site, Workspace
from vra_config.plan.model_errors import model_findings
from vra_config.plan.source import PlanSource, read_source
from vra_config.plan.values import show_value
from vra_config.writer import PLAN_BYTES_MAX, read_bytes_bounded


@dataclass(frozen=True, kw_only=True)
class LoadedPlan:
    """A validated plan with where it came from (for locating planner findings)."""

    file: str
    path: Path | None
    plan: Plan
    marks: Mapping[PlanPath, Mark]
    #: Model errors of items left out of `plan`, so the planner can still check the rest.
    errors: tuple[Finding, ...] = ()
    #: (section, name) of the items left out: references to them are not "unknown".
    invalid: frozenset[tuple[str, str]] = frozenset()


_SECTIONS: dict[str, type[BaseModel]] = {
    "routers": Router,
    "sites": Site,
    "powervs": Workspace,
}


def _section_model(section: str, item: object) -> type[BaseModel] | str:
    """The model an item is validated with, or why none fits (a connection's `via`)."""
    if section != "connections":
        return _SECTIONS[section]
    if not isinstance(item, dict):
        return CloudConnection  # any kind reports "expected a mapping"
    kinds = ", ".join(CONNECTION_KINDS)
    via = item.get("via")
    if via is None:
        return f"`via` is required; say what the link is: one of {kinds}"
    if not isinstance(via, str):  # a list or mapping is not hashable: no dict lookup
        return f"{show_value(via)} is not a kind of connection; write one of {kinds}"
    if via not in CONNECTION_KINDS:
        close = difflib.get_close_matches(str(via), list(CONNECTION_KINDS), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        return f"{show_value(via)} is not a kind of connection; {hint}use one of {kinds}"
    return CONNECTION_KINDS[str(via)]


def validate(source: PlanSource, path: Path | None = None) -> LoadedPlan:
    """Validate plain data against the plan model; every model error becomes a finding.

    Routers, workspaces and connections are validated one by one, so one broken item does
    not hide the planner's findings about all the others: the plan handed on holds the valid
    items, and the errors of the rest travel with it.
    """
    data = source.data
    assert isinstance(data, dict)
    top = dict(data)
    errors: list[Finding] = []
    invalid: set[tuple[str, str]] = set()
    for section in (*_SECTIONS, "connections"):
        items = top.get(section)
        if not isinstance(items, dict):
            continue  # the whole-plan validation reports its type
        good: dict[str, object] = {}
        for name, item in items.items():
            model = _section_model(section, item)
            if isinstance(model, str):
                invalid.add((section, name))
                key = "via" if isinstance(item, dict) and "via" in item else None
                errors.append(
                    Finding((section, name, key) if key else (section, name), model, rule="VRC030")
                )
                continue
            try:
                good[name] = model.model_validate(item)
            except ValidationError as exc:
                invalid.add((section, name))
                errors += model_findings(exc, item, (section, name), model)
        top[section] = good
    try:
        plan = Plan.model_validate(top)
    except ValidationError as exc:
        errors += model_findings(exc, top, (), Plan)
        raise PlanError(sorted_located(errors, source.file, source.marks)) from None
    located = tuple(sorted_located(errors, source.file, source.marks))
    return LoadedPlan(
        file=source.file,
        path=path,
        plan=plan,
        marks=source.marks,
        errors=located,
        invalid=frozenset(invalid),
    )


def load_text(text: str, file: str = "<plan>") -> LoadedPlan:
    """Parse and validate plan text (used by the library API and tests)."""
    return validate(read_source(text, file))


def load_file(path: Path) -> LoadedPlan:
    """Read, parse and validate a plan file; unreadable files are `PlanError`s too."""
    file = str(path)
    try:
        raw = read_bytes_bounded(path, PLAN_BYTES_MAX)
    except IsADirectoryError:
        raise PlanError(
            [Finding((), "is a directory; give the plan file", file=file, rule="VRC007")]
        ) from None
    except FileNotFoundError:
        raise PlanError([Finding((), "no such file", file=file, rule="VRC007")]) from None
    except OSError as exc:  # NotRegular too: a device or FIFO would never end or hang
        raise PlanError(
            [Finding((), f"cannot read it: {exc.strerror}", file=file, rule="VRC007")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanError(
            [
                Finding(
                    (),
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the plan as UTF-8",
                    file=file,
                    mark=Mark(line, col),
                    rule="VRC001",
                )
            ]
        ) from None
    if "\x00" in text:
        raise PlanError(
            [Finding((), "contains NUL bytes; a plan is a text file", file=file, rule="VRC002")]
        )
    return validate(read_source(text, file), path)
