"""Read a plan file's YAML safely into plain data, with the mark of every node.

Why not `yaml.safe_load`: it forgets where each value came from (we must point at
`file:line:col`), silently keeps the last of two duplicate keys (a reviewer sees one value,
the tool uses the other), and expands alias bombs without bound. So the file is composed into
YAML nodes by libyaml (`CSafeLoader`, 3x faster than pure Python on large plans), and this
module builds plain data from the nodes itself, recording every node's mark, rejecting
duplicate keys, non-safe tags and merge keys, and bounding alias expansion and depth.

What is bounded is what aliases add, not the size of the plan: every node written out in the
file costs memory in proportion to the file (itself bounded where it is read), so a real
100,000-connection plan of several million values is read, while aliases that would expand a
few lines into millions of values are refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from vra_config.plan.findings import Finding, Mark, PlanError, PlanPath, sorted_located

try:  # libyaml is the fast path; pure Python is the fallback on platforms without it.
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

#: Values that aliases may add to a plan, counted at their full size each time one is used.
#: Anchors and aliases in a plan share a tunnel setting or a subnet list; a million values
#: is far beyond that and far below what exhausts memory.
MAX_ALIAS_VALUES = 1_000_000
#: Nesting a plan may have; a real plan is about six levels deep.
MAX_DEPTH = 64

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_T}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR = f"{_T}str"


@dataclass(frozen=True)
class PlanSource:
    """Plain data read from a plan file, with the mark of every node by plan path."""

    file: str
    data: object
    marks: Mapping[PlanPath, Mark]


class _Marks(Mapping[PlanPath, Mark]):
    """Every node's mark by plan path, each held as one int (line << 32 | column).

    A plan has a mark per node and per key (300,000 at 10,000 connections): a `Mark` object
    each cost about 20 MB of the process's peak, an int a quarter of that. A `Mark` is made
    when one is asked for, which is once per finding."""

    __slots__ = ("_packed",)

    def __init__(self, packed: dict[PlanPath, int]) -> None:
        self._packed = packed

    def __getitem__(self, path: PlanPath) -> Mark:
        packed = self._packed[path]
        return Mark(packed >> 32, packed & 0xFFFFFFFF)

    def __contains__(self, path: object) -> bool:
        return path in self._packed

    def __iter__(self) -> Iterator[PlanPath]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def _pack(mark: Mark) -> int:
    return mark.line << 32 | mark.column


class _Discard:
    """The key slot of a mapping whose key was refused: its value is read and dropped."""


_DISCARD = _Discard()


@dataclass(kw_only=True)
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
    stops at `MAX_ALIAS_VALUES` in time linear in the file.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.packed: dict[PlanPath, int] = {}  # marks, see `_Marks`
        self.marks = _Marks(self.packed)
        self.findings: list[Finding] = []
        self.anchors: dict[str, tuple[object, int]] = {}
        self.stack: list[_Frame] = []
        self.root: object = _DISCARD
        self.expanded = 0  # values added by aliases
        self.documents = 0
        self._resolver = Resolver()
        self._constructor = SafeConstructor()
        self._plain_tags: dict[str, str] = {}

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

    def _count_alias(self, size: int, mark: Mark) -> None:
        self.expanded += size
        if self.expanded > MAX_ALIAS_VALUES:
            raise _TooBig(
                Finding(
                    (),
                    f"aliases add more than {MAX_ALIAS_VALUES:,} values to this file; refusing "
                    "it (a YAML alias bomb?)",
                    file=self.file,
                    mark=mark,
                    rule="VRC011",
                )
            )

    # -- events ----------------------------------------------------------------------------

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):  # most events: tested first
            mark = _event_mark(event)
            path = self._child_path()
            if path is None:
                self._key(event, mark)
                return
            self.packed.setdefault(path, _pack(mark))
            value = self._scalar(event, path, mark)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._deliver(value, 1)
            return
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
        mapping = isinstance(event, yaml.MappingStartEvent)
        if event.tag and event.tag not in ("!", f"{_T}map" if mapping else f"{_T}seq"):
            self._bad_tag(event.tag, path, mark)
        if not is_key:
            self.packed.setdefault(
                path, _pack(self.stack[-1].key_mark or mark if self._in_mapping() else mark)
            )
        value: dict[str, object] | list[object] = {} if mapping else []
        self.stack.append(
            _Frame(
                value=value,
                path=path,
                mark=mark,
                anchor=event.anchor,
                first={} if mapping else None,
                is_key=is_key,
            )
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
        self._count_alias(size, mark)
        self.packed.setdefault(path, _pack(mark))
        self._deliver(value, size)

    def _key(self, event: yaml.Event, mark: Mark) -> None:
        """A mapping key: a plain, unique name, or a finding and the value discarded."""
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
        refused = self._refused_key(event, top, mark)
        if refused is not None or not isinstance(event, yaml.ScalarEvent):
            if refused is not None:
                self.findings.append(refused)
            top.key = _DISCARD
            return
        key = event.value
        assert top.first is not None
        top.first[key] = mark
        key_path: PlanPath = (*top.path, key, "[key]")
        self.packed[key_path] = _pack(mark)
        top.key = key
        top.key_mark = mark

    def _refused_key(self, event: yaml.Event, top: _Frame, mark: Mark) -> Finding | None:
        """Why a scalar or alias cannot be a key: an alias, a merge key, a key that is not
        text, or one the mapping already has (YAML would keep only the last)."""
        if not isinstance(event, yaml.ScalarEvent):
            return Finding(top.path, "a key is an alias; write the name", mark=mark, rule="VRC015")
        tag = self._tag(event)
        if tag == f"{_T}merge":
            return Finding(
                top.path,
                "merge keys (`<<`) are not supported; write the keys out (anchors and "
                "aliases of whole values are fine)",
                mark=mark,
                rule="VRC014",
            )
        if tag != f"{_T}str":
            return Finding(
                top.path,
                f'key {event.value} is not text; quote it ("{event.value}") or use a name',
                mark=mark,
                rule="VRC015",
            )
        assert top.first is not None
        if event.value in top.first:
            key = event.value
            return Finding(
                (*top.path, key),
                f"duplicate key `{key}` (first at line {top.first[key].line}); YAML would "
                "keep only the last one: merge the two or rename one",
                mark=mark,
                rule="VRC013",
            )
        return None

    def _tag(self, event: yaml.ScalarEvent) -> str:
        if event.tag:
            return _STR if event.tag == "!" else str(event.tag)
        if not event.implicit[0]:
            return _STR  # quoted: the resolver has no path rules, so always a string
        # A plain scalar's tag depends on its text alone; names, vendors, kinds and ASNs
        # repeat across a plan, and each resolution tries several regular expressions.
        tag = self._plain_tags.get(event.value)
        if tag is None:
            resolved = self._resolver.resolve(  # type: ignore[no-untyped-call]
                ScalarNode, event.value, event.implicit
            )
            tag = self._plain_tags[event.value] = str(resolved)
        return tag

    def _scalar(self, event: yaml.ScalarEvent, path: PlanPath, mark: Mark) -> object:
        tag = self._tag(event)
        if tag == _STR:
            return event.value  # what SafeConstructor makes of a string: the text itself
        if tag not in _SCALAR_TAGS:
            self._bad_tag(tag, path, mark)
            return None
        node = ScalarNode(tag, event.value, style=event.style)
        try:
            # The tag's own constructor, not `construct_object`: that one also keeps every
            # node it built (a dict of 100,000 nodes at 10,000 connections) and costs more
            # than the conversion itself.
            return self._constructor.yaml_constructors[tag](self._constructor, node)
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


def _feed_all(builder: _EventBuilder, text: str) -> None:
    """Every event of the text to the builder: `yaml.parse` without its generator, which
    costs a resumption per event (300,000 at 10,000 connections)."""
    loader = _YamlLoader(text)
    check, get, feed = loader.check_event, loader.get_event, builder.feed
    try:
        while check():
            event = get()
            assert event is not None  # check_event said one is there
            feed(event)
    finally:
        loader.dispose()


def read_source(text: str, file: str) -> PlanSource:
    """Parse YAML text into data and marks; raise `PlanError` on anything unreadable."""
    builder = _EventBuilder(file)
    try:
        _feed_all(builder, text)
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
