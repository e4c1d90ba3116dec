"""Acknowledged findings: visible wherever a reviewer looks, never a way past what cannot work.

`tests/accept/after.yaml` is `before.yaml` plus a PowerVS subnet in IBM's service network
(10.0.0.0/14) that is carried only inside the GRE tunnel, acknowledged with `accept:`. The
goldens beside them are what `check`, `plan`, `plan --json`, `render` (both vendors) and the
pull-request markdown print. The refusals (an overlap, a stale entry, an unknown ID, a
reason that could inject) are error goldens in `tests/errors/accept-*`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Golden, run_cli
from hypothesis import given
from hypothesis import strategies as st

from vra_config.pipeline import check_text, render_checked
from vra_config.plan.accept import acknowledge
from vra_config.plan.findings import Finding
from vra_config.plan.model import Accept
from vra_config.plan.values import TEXT_RE

HERE = Path(__file__).resolve().parent / "accept"


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("before.yaml", "after.yaml"):
        shutil.copy(HERE / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("check", ["check", "after.yaml"]),
        ("plan", ["plan", "after.yaml"]),
        ("plan-json", ["plan", "--json", "after.yaml"]),
        ("render-vyatta", ["render", "--vendor", "vyatta", "after.yaml"]),
        ("render-vsrx", ["render", "--vendor", "vsrx", "after.yaml"]),
        ("diff-markdown", ["diff", "before.yaml", "after.yaml", "--format", "markdown"]),
    ],
)
def test_an_acknowledged_finding_is_shown_with_its_reason(
    name: str, args: list[str], plans: Path, golden: Golden
) -> None:
    run = run_cli(args)
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    golden.check(HERE / f"{name}.out", f"[exit 0]\n{run.stdout}[stderr]\n{run.stderr}")
    shown = run.stdout + run.stderr
    assert "VRC101" in shown and "carried only inside the GRE tunnel" in shown


def test_without_the_entry_the_same_plan_fails(plans: Path) -> None:
    text = (plans / "after.yaml").read_text(encoding="utf-8").split("accept:")[0]
    (plans / "bare.yaml").write_text(text, encoding="utf-8")
    run = run_cli(["check", "bare.yaml"])
    assert run.exit_code == 1
    assert "VRC101 powervs.ws1.subnets[1]: 10.2.4.0/24 is inside 10.0.0.0/14" in run.stderr


def _finding(rule: str, path: tuple[str | int, ...], severity: str = "error") -> Finding:
    return Finding(path, "m", "error" if severity == "error" else "warning", rule=rule)


def test_a_stale_entry_is_reported_only_when_nothing_else_fails() -> None:
    entry = Accept(id="VRC101", at="powervs.ws1.subnets[0]", reason="inside GRE only")
    other_error = _finding("VRC201", ("powervs", "ws2", "subnets", 0))
    out = acknowledge([other_error], [entry])
    assert [f.rule for f in out] == ["VRC201"]
    out = acknowledge([], [entry])
    assert [f.rule for f in out] == ["VRC810"]


def test_an_entry_accepts_only_its_own_rule_and_path() -> None:
    entry = Accept(id="VRC101", at="powervs.ws1.subnets[1]", reason="inside GRE only")
    same_path_other_rule = _finding("VRC106", ("powervs", "ws1", "subnets", 1))
    same_rule_other_path = _finding("VRC101", ("powervs", "ws1", "subnets", 0))
    target = _finding("VRC101", ("powervs", "ws1", "subnets", 1))
    out = acknowledge([same_path_other_rule, same_rule_other_path, target], [entry])
    assert [f.accepted for f in out] == [None, None, "inside GRE only"]
    assert [f.is_error for f in out] == [True, True, False]


PLAN = (HERE / "after.yaml").read_text(encoding="utf-8").split("    reason:")[0]


@given(st.from_regex(TEXT_RE, fullmatch=True).filter(lambda t: t == t.strip() and len(t) < 200))
def test_any_accepted_reason_stays_one_comment_line(reason: str) -> None:
    """Whatever the reason says, it is one header comment: it cannot add or end a line."""
    checked = check_text(PLAN + f"    reason: {_yaml_quote(reason)}\n", "after.yaml")
    assert [f.accepted for f in checked.acknowledged] == [reason]
    for vendor in ("vyatta", "vsrx"):
        text = render_checked(checked, vendor)[
            "vra1." + ("vyatta.set" if vendor == "vyatta" else "vsrx.set")
        ]
        notes = [line for line in text.splitlines() if "acknowledged VRC101" in line]
        assert len(notes) == 1 and notes[0].startswith("# ") and notes[0].endswith(reason)
        assert all(line.startswith(("set ", "# ")) for line in text.splitlines())


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
