"""A broken `--templates` override is reported like a plan error, located in the
template, without a traceback (issue 11 item 7; split from tests/test_issue11_items.py)."""

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
