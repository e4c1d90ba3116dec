"""No plan value can change the shape of the output: a new line, an ended quote, a comment.

Free text and names are the values a plan author types that reach router config. Whatever
they hold, the plan is either refused with an error at that very field, or rendered with
exactly the lines of the baseline, the value sitting inside its single quotes.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

import vra_config
from vra_config.findings import PlanError
from vra_config.intent import RouterIntent
from vra_config.render import RenderBug, normalise, render_router
from vra_config.vendors import vyatta

SAMPLE = yaml.safe_load((SAMPLES / "powervs-gre-bgp.yaml").read_text())
BASELINE = vra_config.render_plan(yaml.safe_dump(SAMPLE))["vra-dal12.vyatta.set"].splitlines()

HOSTILE = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="'\"\\`$;#{}[]\n\r\t\x00 abc", max_size=40),
    st.sampled_from(
        [
            "x'\nset system login user evil authentication plaintext-password evil",
            "ok' ; delete interfaces ; echo '",
            "# comment",
            "a\u2028b",
            "\u00e9t\u00e9",
            "x" * 81,
            " padded ",
        ]
    ),
)


def _shape(line: str) -> str:
    """A line with its quoted value blanked: what must not change."""
    return re.sub(r"'[^']*'", "'…'", line)


@settings(max_examples=500, deadline=None)
@given(HOSTILE)
def test_description_cannot_change_the_output_shape(text: str) -> None:
    plan = dict(SAMPLE)
    plan["connections"] = {"cc-dal12": {**SAMPLE["connections"]["cc-dal12"], "description": text}}
    source = yaml.safe_dump(plan, allow_unicode=True)
    try:
        out = vra_config.render_plan(source)["vra-dal12.vyatta.set"].splitlines()
    except PlanError as exc:
        assert exc.errors
        assert {f.path for f in exc.errors} == {("connections", "cc-dal12", "description")}
        return
    assert [_shape(line) for line in out] == [_shape(line) for line in BASELINE]
    read = yaml.safe_load(source)["connections"]["cc-dal12"]["description"]  # YAML may fold
    assert f"set interfaces tunnel tun0 description '{read}'" in out
    assert f"set protocols bgp 64880 neighbor 172.16.3.5 description '{read}'" in out


@settings(max_examples=500, deadline=None)
@given(HOSTILE)
def test_names_cannot_change_the_output_shape(name: str) -> None:
    plan = dict(SAMPLE)
    plan["connections"] = {name: SAMPLE["connections"]["cc-dal12"]}
    source = yaml.safe_dump(plan, allow_unicode=True)
    try:
        out = vra_config.render_plan(source)["vra-dal12.vyatta.set"].splitlines()
    except PlanError as exc:
        assert exc.errors
        read = next(iter(yaml.safe_load(source)["connections"]))  # YAML may fold
        assert {f.path[:2] for f in exc.errors} == {("connections", read)}
        return
    assert len(out) == len(BASELINE)
    assert all(line.startswith(("set ", "# ")) for line in out)
    assert [line.split(" ")[:3] for line in out] == [line.split(" ")[:3] for line in BASELINE]


def test_quote_refuses_what_cannot_be_quoted() -> None:
    assert vyatta.quote("GRE to dal12") == "'GRE to dal12'"
    for bad in ("it's", "a\nb", "nul\x00", "del\x7f"):
        with pytest.raises(ValueError):
            vyatta.quote(bad)


def test_finalize_refuses_control_characters_whatever_the_template() -> None:
    intent = RouterIntent("r1", 64880, None, (), (), ())
    from vra_config.render import environment

    template = environment("vyatta").from_string("set x {{ v }}")
    with pytest.raises(RenderBug):
        template.render(v="a\nset y")
    with pytest.raises(RenderBug):
        template.render(v=None)
    assert render_router(intent, "vyatta", "p.yaml").count("\n") == 3  # header only


def test_output_shape_is_checked() -> None:
    with pytest.raises(RenderBug):
        normalise("set a\nrm -rf /\n", vyatta)
    with pytest.raises(RenderBug):
        normalise("set a\nset a\n", vyatta)
