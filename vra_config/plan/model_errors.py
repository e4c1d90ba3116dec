"""Pydantic's validation errors as findings: located at the plan path, with a rule and a hint.

The model's own error kinds (`PydanticCustomError` in `values.py`) map to rules here; for
pydantic's built-in kinds the message says what to write instead (a missing field's example,
the closest field name for a typo).
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.model import Plan
from vra_config.plan.values import show_value


def model_findings(
    exc: ValidationError, data: object, base: PlanPath, root: type[BaseModel] = Plan
) -> list[Finding]:
    """Every error of one validation as a finding, less those another finding explains."""
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
    "vra_missing": "VRC021",
    "vra_tgw_tunnels": "VRC960",
}


def _finding_from_pydantic(
    err: Any, data: object, base: PlanPath = (), root: type[BaseModel] = Plan
) -> Finding:
    """One pydantic error as a finding: our own validators' messages as written, pydantic's
    own kinds by family (the plan's shape, a value's type, a value out of range), and
    pydantic's text for any other kind (VRC029)."""
    e = _Error.of(err, data, base)
    if e.kind.startswith("vra_"):
        return Finding(e.path, err["msg"], rule=_CUSTOM_RULES.get(e.kind, "VRC029"))
    found = _shape(e, root) or _wrong_type(e) or _out_of_range(e)
    if found is not None:
        return found
    return Finding(e.path, f"{err['msg']}; got {show_value(e.value)}", rule="VRC029")


@dataclass(frozen=True, kw_only=True)
class _Error:
    """What the findings below read of one pydantic error: where, what kind, the value."""

    loc: tuple[int | str, ...]
    path: PlanPath
    kind: str
    ctx: dict[str, Any]
    value: object
    field: str  # the last key of the path, "" under a list

    @classmethod
    def of(cls, err: Any, data: object, base: PlanPath) -> _Error:
        loc: tuple[int | str, ...] = tuple(err["loc"])
        path = base + _data_path(loc, data)
        return cls(
            loc=loc,
            path=path,
            kind=err["type"],
            ctx=err.get("ctx") or {},
            value=err.get("input"),
            field=str(path[-1]) if path and isinstance(path[-1], str) else "",
        )


def _shape(e: _Error, root: type[BaseModel]) -> Finding | None:
    """A field missing (VRC021) or unknown (VRC020, with the nearest known one)."""
    if e.kind == "missing":
        hint = _MISSING_HINTS.get(e.field, "see `vra-config schema`")
        return Finding(e.path, f"`{e.field}` is required; add it ({hint})", rule="VRC021")
    if e.kind == "extra_forbidden":
        model = _model_at(e.loc[:-1], root)
        known = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(e.field, known, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "remove it"
        return Finding(
            (*e.path, "[key]"),
            f"unknown field `{e.field}`; {hint} (allowed here: {', '.join(known)})",
            rule="VRC020",
        )
    return None


def _wrong_type(e: _Error) -> Finding | None:
    """A value of the wrong YAML type: a number, a mapping, a list or text expected (VRC022)."""
    shown = show_value(e.value)
    if e.kind in ("int_type", "int_parsing", "int_from_float"):
        return Finding(
            e.path, f"expected a whole number, got {shown}; write it unquoted", rule="VRC022"
        )
    if e.kind in ("dict_type", "model_type", "model_attributes_type"):
        return Finding(
            e.path, f"expected a mapping (`key: value` lines), got {shown}", rule="VRC022"
        )
    if e.kind in ("tuple_type", "list_type"):
        return Finding(
            e.path, f"expected a list (`[a, b]` or `- item` lines), got {shown}", rule="VRC022"
        )
    if e.kind in ("string_type", "str_type"):
        return Finding(e.path, f"expected text, got {shown}", rule="VRC022")
    return None


def _out_of_range(e: _Error) -> Finding | None:
    """A value of the right type that is not allowed: a version (VRC025), a choice or a
    location (VRC024), a bound or an empty list (VRC023)."""
    if e.kind == "literal_error" and e.path == ("version",):
        return Finding(
            e.path,
            f"plan version {show_value(e.value)} is not supported; this vra-config reads version 1",
            rule="VRC025",
        )
    if e.kind == "literal_error":
        expected = e.ctx.get("expected", "")
        return Finding(
            e.path, f"{show_value(e.value)} is not allowed; use one of {expected}", rule="VRC024"
        )
    if e.kind == "greater_than_equal":
        return Finding(
            e.path, f"{e.value} is too small; use at least {e.ctx.get('ge')}", rule="VRC023"
        )
    if e.kind == "less_than_equal":
        return Finding(
            e.path, f"{e.value} is too large; use at most {e.ctx.get('le')}", rule="VRC023"
        )
    if e.kind == "too_short":
        return Finding(e.path, "is empty; list at least one item", rule="VRC023")
    if e.kind == "string_pattern_mismatch" and e.field == "location":
        return Finding(
            e.path,
            f"{show_value(e.value)} is not a PowerVS location; write it like dal12 or wdc06",
            rule="VRC024",
        )
    return None
