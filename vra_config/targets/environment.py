"""The jinja2 environment every target renders with: strict, and unable to add a line.

One environment per (template folder, override directory), built once and reused: templates
are compiled once per process, and their compiled code is kept across processes in
`templates/__pycache__/` (`_BytecodeCache`), as Python keeps `.pyc` files. It is strict (an
undefined name is an error, not an empty string) and its `finalize` hook refuses any value
that could start a new line, so no value can change the shape of the output whatever a
template does with it. The router packs (the lab's FRR too) hand it typed records
(`template_vars`); the lab's stand-ins still hand it dicts, read as namespaces (`as_namespaces`).
Template folders stay at the top of the project, `templates/<target>/`, and ship inside the wheel.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2

from vra_config.errors import VraConfigError


class RenderBug(VraConfigError, RuntimeError):
    """The output broke an invariant; a bug in a template or pack, never a plan mistake."""


def templates_root() -> Path:
    """The template packs: inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _finalize(value: object) -> object:
    if value is None:
        raise RenderBug("a template printed None; the pack must decide what to print")
    if isinstance(value, str) and _CONTROL.search(value):
        raise RenderBug(f"refusing to print a value with a control character: {value!r}")
    return value


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs: compiling the Vyatta pack took 25 ms of a 300 ms run.

    Jinja names each entry by template name and file and checks the template's checksum and
    its own bytecode version on load (jinja2 `bccache.Bucket`), so a changed template is
    compiled again, never served stale. The cache is a speed-up only: a folder that cannot be
    written (a read-only install) or an entry that cannot be read means compiling as before.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # pickle and marshal raise many kinds on a broken entry: a miss
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # not writable: the next run compiles again
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = templates_root() / "__pycache__"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder), "%s.jinja")


@functools.lru_cache(maxsize=8)
def environment(target: str, override: str | None = None) -> jinja2.Environment:
    """The jinja2 environment of `templates/<target>/`; `override` templates win by name."""
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(override))
    loaders.append(jinja2.FileSystemLoader(str(templates_root() / target)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
        bytecode_cache=_bytecode_cache(),
    )


def template_vars(context: object) -> dict[str, Any]:
    """A typed context record's fields as a template's variables (a new dict, so the caller
    may add the header). Records are read by attribute, as `as_namespaces` namespaces were."""
    if not dataclasses.is_dataclass(context) or isinstance(context, type):
        raise TypeError(f"template data must be a dataclass record, not {type(context)}")
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}


def as_namespaces(value: Any) -> Any:
    """Template data as attribute objects: dicts whose keys are names become namespaces.

    Jinja resolves `t.name` by trying an attribute, then an item; on a plain dict the first
    try fails, and that failure per field was a third of rendering time on large plans.
    Dicts keyed by other text (`gre-in`) stay dicts for `.items()`.
    """
    if isinstance(value, dict):
        converted = {k: as_namespaces(v) for k, v in value.items()}
        if converted and all(isinstance(k, str) and k.isidentifier() for k in converted):
            return SimpleNamespace(**converted)
        return converted
    if isinstance(value, list):
        return [as_namespaces(v) for v in value]
    return value
