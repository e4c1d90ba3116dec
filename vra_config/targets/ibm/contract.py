"""What an IBM-side target module must provide, as types mypy checks the registry against.

`TARGETS` in `targets/ibm/__init__.py` is typed `dict[str, IbmTarget]`: mypy accepts a module
where a `Protocol` is expected and reports one whose names or signatures do not match, so a
target that forgets `FILE` or returns the wrong thing from `context` fails `mypy --strict`,
not a user's render. The router packs get their own contract in `targets/base.py`; this one
lives here because only `targets/ibm` renders an `IbmSide`.

A target's `context` returns a frozen record (a subclass of `IbmContext`) instead of a dict:
mypy checks every field the target fills, and jinja2 reads a record's attributes on its first
try (on a dict it tries an attribute, fails, then an item), so the templates are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol

from vra_config.targets.ibm.side import IbmSide


@dataclass(frozen=True, kw_only=True)
class IbmContext:
    """The base of every IBM-side target's template data: its fields are the template's
    top-level names, each value already quoted for the target's language."""

    def template_names(self) -> dict[str, object]:
        """The fields by name, one level deep: nested records stay records for jinja2."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


class IbmTarget(Protocol):
    """One way of configuring IBM's end of every link (`render --target NAME`).

    The registry's key names the template folder, `templates/NAME/`.
    """

    #: What the header says the file is.
    TITLE: str
    #: The file `render --out` writes.
    FILE: str
    #: The template in `templates/NAME/` that prints the context.
    TEMPLATE: str

    def context(self, side: IbmSide) -> IbmContext:
        """The template data for IBM's side of a plan: every value quoted, every choice made."""
        ...

    def comment(self, text: str) -> str:
        """`text` as one comment line of the target's language (the header is made of them)."""
        ...
