"""The IBM-side targets' records and their templates name the same things.

mypy checks each target module against `IbmTarget` and each record's fields where the target
fills them; what it cannot see is the template. These tests read each template's syntax tree:
every top-level name the template uses is a field of the target's context record (or the
renderer's `header`), and every attribute it reads is a field of a record the context holds,
and the other way round, so a renamed field or one no template prints fails here instead of
in a user's render of the one plan that reaches that branch.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator

import jinja2
import pytest
from jinja2 import meta, nodes

from vra_config.targets.environment import environment
from vra_config.targets.ibm import TARGETS
from vra_config.targets.ibm.contract import IbmContext, IbmTarget


def _context_type(target: IbmTarget) -> type[IbmContext]:
    hint = typing.get_type_hints(target.context)["return"]
    assert isinstance(hint, type) and issubclass(hint, IbmContext)
    return hint


def _records(record: type) -> Iterator[type]:
    """`record` and every record type its fields hold, directly or in a tuple."""
    yield record
    for hint in typing.get_type_hints(record).values():
        for inner in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                yield from _records(inner)


def _template(name: str) -> nodes.Template:
    env = environment(name)
    source, _, _ = typing.cast(jinja2.BaseLoader, env.loader).get_source(
        env, TARGETS[name].TEMPLATE
    )
    return env.parse(source)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_template_reads_the_context_records_top_level_fields(name: str) -> None:
    context = _context_type(TARGETS[name])
    template = _template(name)
    # jinja2 counts a name `{% set %}` in one branch of an `if` as possibly the caller's
    own = {n.name for n in template.find_all(nodes.Name) if n.ctx == "store"}
    used = meta.find_undeclared_variables(template) - own
    assert used == {field.name for field in dataclasses.fields(context)} | {"header"}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_attribute_the_template_reads_is_a_record_field_and_all_are_read(
    name: str,
) -> None:
    context = _context_type(TARGETS[name])
    nested = {
        field.name
        for record in _records(context)
        if record is not context
        for field in dataclasses.fields(record)
    }
    read = {node.attr for node in _template(name).find_all(nodes.Getattr)}
    assert read == nested
