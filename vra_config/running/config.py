"""A router's existing configuration, in canonical `set` form, and what in it is ours.

Both forms a router prints are read: set lines (`show configuration commands` on Vyatta,
`show configuration | display set` on Junos) and the brace form (`show configuration`).
Each becomes a list of canonical statements: the words of one `set` line, unquoted, one value
per line (a Junos `[ a b ]` list is two statements), in file order with the line it came
from. Words are compared unquoted, so `description 'x'` and `description x` are one thing.

Departure from the design page: it names ciscoconfparse for this, and it was declined. It is
GPL-3.0-only, it pins its own dependencies (loguru and an old hier_config), and its Junos
support rewrites braces into IOS-style indentation and loses `[ ]` lists and annotations; the
two brace grammars need one small tokenizer, here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Words = tuple[str, ...]

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # double-quoted, Junos escapes
    r"|'[^']*'"  # single-quoted (Vyatta)
    r"|/\*.*?\*/"  # Junos comment
    r"|[{};\[\]]"
    r"|[^\s{};\[\]\"']+",
    re.S,
)
_ANNOTATIONS = ("inactive:", "protect:", "active:")


@dataclass(frozen=True)
class Statement:
    """One canonical set statement and where it was in the file (1-based line)."""

    words: Words
    line: int


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        body = token[1:-1]
        return re.sub(r"\\(.)", r"\1", body) if token[0] == '"' else body
    return token


def is_set_form(text: str) -> bool:
    """Set lines (or a mix of set lines and comments), as opposed to the brace form."""
    lines = [x.strip() for x in text.splitlines() if x.strip() and not x.strip().startswith("#")]
    return bool(lines) and sum(x.startswith("set ") for x in lines) * 2 > len(lines)


def parse(text: str) -> list[Statement]:
    """Canonical statements of a configuration in either form."""
    return _parse_set(text) if is_set_form(text) else _parse_braces(text)


def _words(tokens: Iterable[str]) -> list[str]:
    return [_unquote(t) for t in tokens if not t.startswith("/*")]


def _expand(words: list[str]) -> list[Words]:
    """`a b [ c d ]` → (a, b, c), (a, b, d)."""
    if "[" not in words:
        return [tuple(words)]
    start = words.index("[")
    end = words.index("]", start) if "]" in words[start:] else len(words)
    head, items, tail = words[:start], words[start + 1 : end], words[end + 1 :]
    return [tuple([*head, item, *tail]) for item in items]


def _parse_set(text: str) -> list[Statement]:
    out: list[Statement] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line.startswith("set "):
            continue
        words = _words(_TOKEN.findall(line))[1:]
        out += [Statement(w, number) for w in _expand(words)]
    return out


def _parse_braces(text: str) -> list[Statement]:
    out: list[Statement] = []
    path: list[list[str]] = []
    pending: list[str] = []
    pending_line = 0
    line_of = _line_index(text)
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("/*"):
            continue
        number = line_of(match.start())
        if token == "{":
            path.append([w for w in _words(pending) if w not in _ANNOTATIONS])
            pending = []
        elif token == "}":
            _flush(out, path, pending, pending_line)
            pending = []
            if path:
                path.pop()
        elif token == ";":
            _flush(out, path, pending, pending_line)
            pending = []
        else:
            if pending and number != pending_line and "[" not in pending:
                # Vyatta's brace form ends a statement at the end of its line
                _flush(out, path, pending, pending_line)
                pending = []
            if not pending:
                pending_line = number
            pending.append(token)
    _flush(out, path, pending, pending_line)
    return out


def _flush(out: list[Statement], path: list[list[str]], pending: list[str], line: int) -> None:
    if not pending:
        return
    words = [w for w in _words(pending) if w not in _ANNOTATIONS]
    prefix = [w for part in path for w in part]
    out += [Statement(tuple([*prefix, *w]), line) for w in _expand(words)]


def _line_index(text: str) -> Callable[[int], int]:
    """Offset in `text` -> 1-based line number."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return lambda offset: bisect.bisect_right(starts, offset)


def render_words(words: Words, quote: str) -> str:
    """A canonical statement as a `set` line, quoting only what needs quotes with `quote`
    (the vendor's `QUOTE`)."""
    shown = []
    for w in words:
        if w and re.fullmatch(r"[A-Za-z0-9_./:*@,+=-]+", w):
            shown.append(w)
        else:
            shown.append(f"{quote}{w}{quote}")
    return "set " + " ".join(shown)


def guess_vendor(statements: list[Statement]) -> str:
    """vsrx when the configuration has Junos hierarchies, else vyatta."""
    junos = {"routing-options", "policy-options", "firewall", "system"}
    for s in statements:
        if s.words[0] in junos or s.words[:2] == ("security", "zones"):
            return "vsrx"
        if len(s.words) > 3 and s.words[0] == "interfaces" and s.words[2] == "unit":
            return "vsrx"
    return "vyatta"
