"""A broken `--templates` override is reported like a plan error, located in the
template, without a traceback (issue 11 item 7; split from tests/test_issue11_items.py); and
an override written for the packs' old dict contexts (`p.from`, before the vSRX contexts
became records, issue 23) is refused naming the attribute, as the README says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "powervs-gre-bgp.yaml"


@pytest.mark.parametrize(
    ("static", "message"),
    [
        (
            '{% include "../../etc/passwd" %}\n',
            "tpl/static.j2:1:1: VRC801 the template override failed: template "
            "'../../etc/passwd' not found (templates include only files of --templates or "
            "of the pack); fix it, or remove static.j2 from --templates to use the pack's",
        ),
        (
            '{% include "missing.j2" %}\n',
            "tpl/static.j2:1:1: VRC801 the template override failed: template 'missing.j2' not "
            "found (templates include only files of --templates or of the pack); fix it, or "
            "remove static.j2 from --templates to use the pack's",
        ),
        (
            "{# ok #}\n{% if %}\n",
            "tpl/static.j2:2:1: VRC801 the template override failed: syntax error: Expected an "
            "expression, got 'end of statement block'; fix it, or remove static.j2 from "
            "--templates to use the pack's",
        ),
        (
            "{# ok #}\n\n{{ 1/0 }}\n",
            "tpl/static.j2:3:1: VRC801 the template override failed: ZeroDivisionError: "
            "division by zero; fix it, or remove static.j2 from --templates to use the pack's",
        ),
        (
            "{{ no_such_name }}\n",
            "tpl/static.j2:1:1: VRC801 the template override failed: 'no_such_name' is "
            "undefined; fix it, or remove static.j2 from --templates to use the pack's",
        ),
    ],
    ids=["traversal", "missing-include", "syntax", "raises", "undefined"],
)
def test_a_broken_template_override_is_a_located_error_not_a_traceback(
    static: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, tmp_path / "plan.yaml")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "static.j2").write_text(static, encoding="utf-8")
    run = run_cli(["render", "--vendor", "vyatta", "--templates", "tpl", "plan.yaml"])
    assert (run.exit_code, run.stdout) == (1, "")
    assert "Traceback" not in run.stderr
    assert run.stderr == f"{message}\n1 error, 0 warnings: nothing was written\n"


def test_an_override_with_the_old_names_is_refused_naming_the_attribute(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parent.parent / "templates" / "vsrx" / "zones.j2"
    old = shipped.read_text(encoding="utf-8").replace(
        "{{ p.from_zone }} to-zone {{ p.to_zone }}", "{{ p.from }} to-zone {{ p.to }}"
    )
    assert "p.from }}" in old, "zones.j2 no longer reads p.from_zone: update this test"
    (tmp_path / "zones.j2").write_text(old, encoding="utf-8")
    out = tmp_path / "out"
    plan = SAMPLES / "powervs-gre-bgp.yaml"
    result = run_cli(
        [
            "render",
            "--locked",
            "--vendor",
            "vsrx",
            "--templates",
            str(tmp_path),
            "--out",
            str(out),
            str(plan),
        ]
    )
    assert result.exit_code == 1
    assert "VRC801 the template override failed:" in result.stderr
    assert "has no attribute 'from'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()


def test_the_shipped_template_with_the_new_names_renders(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parent.parent / "templates" / "vsrx" / "zones.j2"
    (tmp_path / "zones.j2").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    plan = SAMPLES / "powervs-gre-bgp.yaml"
    plain = run_cli(["render", "--locked", "--vendor", "vsrx", str(plan)])
    result = run_cli(
        ["render", "--locked", "--vendor", "vsrx", "--templates", str(tmp_path), str(plan)]
    )
    assert result.exit_code == 0 == plain.exit_code
    assert result.stdout == plain.stdout
