"""Read a plan file safely and turn it into a `Plan`, or into located findings.

Why not `yaml.safe_load`: it forgets where each value came from (we must point at
`file:line:col`), silently keeps the last of two duplicate keys (a reviewer sees one value,
the tool uses the other), and expands alias bombs without bound. So the file is composed into
YAML nodes by libyaml (`CSafeLoader`, 3x faster than pure Python on large plans), and this
module builds plain data from the nodes itself, recording every node's mark, rejecting
duplicate keys, non-safe tags and merge keys, and bounding alias expansion and depth.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from vra_config.plan.findings import Finding, Mark, PlanError, PlanPath, sort_findings
from vra_config.plan.model import CONNECTION_KINDS, CloudConnection, Plan, Router, Site, Workspace
from vra_config.plan.values import show_value

try:  # libyaml is the fast path; pure Python is the fallback on platforms without it.
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

#: Expanded nodes a plan may have (aliases counted each time they are used).
MAX_NODES = 1_000_000
#: Nesting a plan may have; a real plan is about six levels deep.
MAX_DEPTH = 64
#: Errors printed per run; the rest are counted.
MAX_ERRORS = 200

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_T}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class PlanSource:
    """Plain data read from a plan file, with the mark of every node by plan path."""

    file: str
    data: object
    marks: Mapping[PlanPath, Mark]


@dataclass(frozen=True)
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


class _Discard:
    """The key slot of a mapping whose key was refused: its value is read and dropped."""


_DISCARD = _Discard()


@dataclass
class _Frame:
    """A mapping or sequence being built, with what the builder needs to finish it."""

    value: dict[str, object] | list[object]
    path: PlanPath
    mark: Mark
    anchor: str | None
    size: int = 1
    key: str | _Discard | None = None  # a mapping's pending key; None: a key comes next
    key_mark: Mark | None = None
    first: dict[str, Mark] | None = None
    is_key: bool = False  # a collection used as a mapping key: read and dropped


class _TooBig(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class _EventBuilder:
    """Builds plain data from libyaml's event stream, iteratively.

    No recursion: nesting deeper than `MAX_DEPTH` is refused as soon as it is met, before the
    parser reads further (libyaml's own composer recurses in C and crashes on very deep
    input). Aliases are shared, not copied, and counted at their full size, so an alias bomb
    stops at `MAX_NODES` in time linear in the file.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[PlanPath, Mark] = {}
        self.findings: list[Finding] = []
        self.anchors: dict[str, tuple[object, int]] = {}
        self.stack: list[_Frame] = []
        self.root: object = _DISCARD
        self.total = 0
        self.documents = 0
        self._resolver = Resolver()
        self._constructor = SafeConstructor()

    # -- where the next node goes --------------------------------------------------------

    def _child_path(self) -> PlanPath | None:
        """The path of the next value, or None when the next node is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        if top.key is None:
            return None
        if isinstance(top.key, _Discard):
            return (*top.path, "<dropped>")
        return (*top.path, top.key)

    def _deliver(self, value: object, size: int) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
            return
        if isinstance(top.key, str):
            top.value[top.key] = value
        top.key = None

    def _count(self, size: int, mark: Mark) -> None:
        self.total += size
        if self.total > MAX_NODES:
            raise _TooBig(
                Finding(
                    (),
                    f"aliases expand this plan to more than {MAX_NODES:,} values; refusing it "
                    "(a YAML alias bomb?)",
                    file=self.file,
                    mark=mark,
                    rule="VRC011",
                )
            )

    # -- events ----------------------------------------------------------------------------

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _TooBig(
                    Finding(
                        (),
                        "the file holds more than one YAML document (`---`); a plan is one",
                        file=self.file,
                        mark=_event_mark(event),
                        rule="VRC006",
                    )
                )
            return
        if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentEndEvent):
            return
        mark = _event_mark(event)
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self._end(self.stack.pop())
            return
        path = self._child_path()
        if path is None:
            self._key(event, mark)
            return
        if isinstance(event, yaml.AliasEvent):
            self._alias(event, path, mark)
        elif isinstance(event, yaml.ScalarEvent):
            self.marks.setdefault(path, mark)
            value = self._scalar(event, path, mark)
            self._count(1, mark)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._deliver(value, 1)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._start(event, path, mark, is_key=False)

    def _start(
        self,
        event: yaml.MappingStartEvent | yaml.SequenceStartEvent,
        path: PlanPath,
        mark: Mark,
        is_key: bool,
    ) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooBig(
                Finding(
                    (),  # the path itself would be the problem: too long to print
                    f"nesting is deeper than {MAX_DEPTH} levels; a plan is never that deep",
                    file=self.file,
                    mark=mark,
                    rule="VRC012",
                )
            )
        self._count(1, mark)
        mapping = isinstance(event, yaml.MappingStartEvent)
        if event.tag and event.tag not in ("!", f"{_T}map" if mapping else f"{_T}seq"):
            self._bad_tag(event.tag, path, mark)
        if not is_key:
            self.marks.setdefault(
                path, self.stack[-1].key_mark or mark if self._in_mapping() else mark
            )
        value: dict[str, object] | list[object] = {} if mapping else []
        self.stack.append(
            _Frame(value, path, mark, event.anchor, first={} if mapping else None, is_key=is_key)
        )

    def _in_mapping(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict)

    def _end(self, frame: _Frame) -> None:
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.size)
        if frame.is_key:
            self.stack[-1].key = _DISCARD
            return
        self._deliver(frame.value, frame.size)

    def _alias(self, event: yaml.AliasEvent, path: PlanPath, mark: Mark) -> None:
        if event.anchor not in self.anchors:
            self.findings.append(
                Finding(
                    path,
                    f"alias *{event.anchor} names no anchor defined before it",
                    mark=mark,
                    rule="VRC016",
                )
            )
            self._deliver(None, 1)
            return
        value, size = self.anchors[event.anchor]
        self._count(size, mark)
        self.marks.setdefault(path, mark)
        self._deliver(value, size)

    def _key(self, event: yaml.Event, mark: Mark) -> None:
        top = self.stack[-1]
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self.findings.append(
                Finding(
                    top.path,
                    "a key is a collection; keys are plain names",
                    mark=mark,
                    rule="VRC015",
                )
            )
            self._start(event, top.path, mark, is_key=True)
            return
        if not isinstance(event, yaml.ScalarEvent):
            self.findings.append(
                Finding(top.path, "a key is an alias; write the name", mark=mark, rule="VRC015")
            )
            top.key = _DISCARD
            return
        tag = self._tag(event)
        if tag == f"{_T}merge":
            self.findings.append(
                Finding(
                    top.path,
                    "merge keys (`<<`) are not supported; write the keys out (anchors and "
                    "aliases of whole values are fine)",
                    mark=mark,
                    rule="VRC014",
                )
            )
            top.key = _DISCARD
            return
        if tag != f"{_T}str":
            self.findings.append(
                Finding(
                    top.path,
                    f'key {event.value} is not text; quote it ("{event.value}") or use a name',
                    mark=mark,
                    rule="VRC015",
                )
            )
            top.key = _DISCARD
            return
        key = event.value
        assert top.first is not None
        if key in top.first:
            self.findings.append(
                Finding(
                    (*top.path, key),
                    f"duplicate key `{key}` (first at line {top.first[key].line}); YAML would "
                    "keep only the last one: merge the two or rename one",
                    mark=mark,
                    rule="VRC013",
                )
            )
            top.key = _DISCARD
            return
        top.first[key] = mark
        key_path: PlanPath = (*top.path, key, "[key]")
        self.marks[key_path] = mark
        top.key = key
        top.key_mark = mark

    def _tag(self, event: yaml.ScalarEvent) -> str:
        if event.tag and event.tag != "!":
            return str(event.tag)
        if event.tag == "!":
            return f"{_T}str"
        resolved = self._resolver.resolve(  # type: ignore[no-untyped-call]
            ScalarNode, event.value, event.implicit
        )
        return str(resolved)

    def _scalar(self, event: yaml.ScalarEvent, path: PlanPath, mark: Mark) -> object:
        tag = self._tag(event)
        if tag not in _SCALAR_TAGS:
            self._bad_tag(tag, path, mark)
            return None
        node = ScalarNode(tag, event.value, style=event.style)
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ConstructorError, ValueError) as exc:
            self.findings.append(
                Finding(
                    path,
                    f"cannot read this value ({exc}); write it as plain text",
                    mark=mark,
                    rule="VRC017",
                )
            )
            return None

    def _bad_tag(self, tag: str, path: PlanPath, mark: Mark) -> None:
        shown = tag.replace(_T, "!!")
        self.findings.append(
            Finding(
                path,
                f"the tag {shown} is not allowed in a plan (only plain YAML values are); remove it",
                mark=mark,
                rule="VRC010",
            )
        )


def _event_mark(event: yaml.Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def read_source(text: str, file: str) -> PlanSource:
    """Parse YAML text into data and marks; raise `PlanError` on anything unreadable."""
    builder = _EventBuilder(file)
    try:
        for event in yaml.parse(text, Loader=_YamlLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:
            # PyYAML >= 6.0.4 has its own depth limit in the scanner, which scans flow
            # collections ahead of the events we count; say it the way our own limit does.
            problem = f"nesting is deeper than {MAX_DEPTH} levels; a plan is never that deep"
            raise PlanError([Finding((), problem, file=file, mark=where, rule="VRC012")]) from None
        raise PlanError(
            [
                Finding(
                    (),
                    f"not valid YAML: {problem}; fix the syntax there",
                    file=file,
                    mark=where,
                    rule="VRC005",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise PlanError([Finding((), f"not valid YAML: {exc}", file=file, rule="VRC005")]) from None
    except _TooBig as exc:
        raise PlanError([exc.finding]) from None
    data = builder.root
    if data is _DISCARD or data is None:
        raise PlanError(
            [
                Finding(
                    (),
                    "the plan is empty; start with `version: 1` and `routers:`",
                    file=file,
                    rule="VRC003",
                )
            ]
        )
    if builder.findings:
        raise PlanError(sorted_located(builder.findings, file, builder.marks))
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise PlanError(
            [
                Finding(
                    (),
                    f"the plan is {kind}; it must be a mapping that starts with `version: 1`",
                    file=file,
                    mark=builder.marks.get(()),
                    rule="VRC004",
                )
            ]
        )
    return PlanSource(file, data, builder.marks)


def sorted_located(
    findings: list[Finding], file: str, marks: Mapping[PlanPath, Mark]
) -> list[Finding]:
    """Give each finding the file and its mark (unless it has one), in file order."""
    return sort_findings(
        f.located(file, marks) if f.mark is None else replace(f, file=f.file or file)
        for f in findings
    )


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
                errors += _findings(exc, item, (section, name), model)
        top[section] = good
    try:
        plan = Plan.model_validate(top)
    except ValidationError as exc:
        errors += _findings(exc, top, (), Plan)
        raise PlanError(sorted_located(errors, source.file, source.marks)) from None
    located = tuple(sorted_located(errors, source.file, source.marks))
    return LoadedPlan(source.file, path, plan, source.marks, located, frozenset(invalid))


def _findings(
    exc: ValidationError, data: object, base: PlanPath, root: type[BaseModel] = Plan
) -> list[Finding]:
    raw = exc.errors()
    found = [_finding_from_pydantic(err, data, base, root) for err in raw]
    # "is empty" after an item was refused is noise: the item's own error says it all.
    return [
        f
        for f, err in zip(found, raw, strict=True)
        if not (
            err["type"] == "too_short"
            and any(g.path[: len(f.path)] == f.path and g is not f for g in found)
        )
    ]


def load_text(text: str, file: str = "<plan>") -> LoadedPlan:
    """Parse and validate plan text (used by the library API and tests)."""
    return validate(read_source(text, file))


def load_file(path: Path) -> LoadedPlan:
    """Read, parse and validate a plan file; unreadable files are `PlanError`s too."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise PlanError(
            [Finding((), "is a directory; give the plan file", file=file, rule="VRC007")]
        ) from None
    except FileNotFoundError:
        raise PlanError([Finding((), "no such file", file=file, rule="VRC007")]) from None
    except OSError as exc:
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


# --- pydantic errors → findings ------------------------------------------------------------


def _data_path(loc: tuple[int | str, ...], data: object) -> PlanPath:
    """The path in the data a pydantic `loc` points at, without union tags or `[key]`."""
    out: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]  # type: ignore[index]
        elif part == "[key]":
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str):
            out.append(part)  # a missing or unknown key: name it
            node = None
    return tuple(out)


def _model_at(loc: tuple[int | str, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class whose fields live at `loc` under `root` (to suggest field names)."""
    model: Any = root
    for part in loc:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return model
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """dict[str, X] → X, tuple[X, ...] → X, X | None → X (enough for our models)."""
    origin = get_origin(annotation)
    if origin in (dict, Mapping):
        return _unwrap(get_args(annotation)[1])
    if origin is tuple:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(members[0]) if len(members) == 1 else annotation
    return annotation


#: What to write for a missing field, where the field's name alone does not say it.
_MISSING_HINTS = {
    "transit_gateway": "`{gateway_ip: ..., asn: ...}`: the Local gateway IP and Local BGP ASN "
    "IBM shows for the GRE connection",
    "psk": "`{env: VARIABLE}` or `{file: PATH}` holding the pre-shared key",
    "private": "`{address: A/len, gateway: G}` of the classic private interface",
    "asn": "the BGP ASN, written as a number",
}


#: The rule of each of the model's own error kinds (`PydanticCustomError` in values.py).
_CUSTOM_RULES = {
    "vra_address": "VRC026",
    "vra_prefix": "VRC026",
    "vra_interface": "VRC027",
    "vra_gateway": "VRC027",
    "vra_text": "VRC028",
    "vra_name": "VRC028",
    "vra_ifname": "VRC028",
    "vra_zone": "VRC028",
    "vra_type": "VRC022",
    "vra_esp": "VRC605",
    "vra_unused": "VRC031",
}


def _finding_from_pydantic(
    err: Any, data: object, base: PlanPath = (), root: type[BaseModel] = Plan
) -> Finding:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    path = base + _data_path(loc, data)
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    field = str(path[-1]) if path and isinstance(path[-1], str) else ""
    if kind.startswith("vra_"):
        return Finding(path, err["msg"], rule=_CUSTOM_RULES.get(kind, "VRC029"))
    if kind == "missing":
        hint = _MISSING_HINTS.get(field, "see `vra-config schema`")
        return Finding(path, f"`{field}` is required; add it ({hint})", rule="VRC021")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], root)
        known = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(field, known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "remove it"
        return Finding(
            (*path, "[key]"),
            f"unknown field `{field}`; {hint} (allowed here: {', '.join(known)})",
            rule="VRC020",
        )
    if kind == "literal_error" and path == ("version",):
        return Finding(
            path,
            f"plan version {show_value(value)} is not supported; this vra-config reads version 1",
            rule="VRC025",
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return Finding(
            path, f"{show_value(value)} is not allowed; use one of {expected}", rule="VRC024"
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Finding(
            path,
            f"expected a whole number, got {show_value(value)}; write it unquoted",
            rule="VRC022",
        )
    if kind == "greater_than_equal":
        return Finding(path, f"{value} is too small; use at least {ctx.get('ge')}", rule="VRC023")
    if kind == "less_than_equal":
        return Finding(path, f"{value} is too large; use at most {ctx.get('le')}", rule="VRC023")
    if kind == "too_short":
        return Finding(path, "is empty; list at least one item", rule="VRC023")
    if kind == "string_pattern_mismatch" and field == "location":
        return Finding(
            path,
            f"{show_value(value)} is not a PowerVS location; write it like dal12 or wdc06",
            rule="VRC024",
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Finding(
            path, f"expected a mapping (`key: value` lines), got {show_value(value)}", rule="VRC022"
        )
    if kind in ("tuple_type", "list_type"):
        return Finding(
            path,
            f"expected a list (`[a, b]` or `- item` lines), got {show_value(value)}",
            rule="VRC022",
        )
    if kind in ("string_type", "str_type"):
        return Finding(path, f"expected text, got {show_value(value)}", rule="VRC022")
    return Finding(path, f"{err['msg']}; got {show_value(value)}", rule="VRC029")
