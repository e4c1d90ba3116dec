"""`check --format json|sarif|github` (issue 20, item 17): one golden per format, and the
SARIF validated against the published SARIF 2.1.0 schema (vendored in tests/sarif/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import GOLDEN, ROOT, SAMPLES, Golden, run_cli

from vra_config import __version__

SCHEMA = Path(__file__).resolve().parent / "sarif" / "sarif-schema-2.1.0.json"
#: A plan with an acknowledged finding (VRC101) and an error whose key holds the characters
#: each format must escape: a comma, a colon, a percent sign and a newline.
ODD_KEY = '    "odd,key: 100%\\nx": 1\n'


def _failing_plan(directory: Path, name: str = "plan.yaml") -> Path:
    plan = directory / name
    text = (ROOT / "tests" / "accept" / "after.yaml").read_text()
    plan.write_text(
        text.replace("    via: cloud-connection\n", "    via: cloud-connection\n" + ODD_KEY, 1)
    )
    return plan


def _stable(text: str) -> str:
    """The output with the tool's version replaced, so a release does not churn the golden."""
    return text.replace(f'"version": "{__version__}"', '"version": "VERSION"')


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # relative file names, as CI passes them
    return tmp_path


def test_json(in_tmp: Path, golden: Golden) -> None:
    _failing_plan(in_tmp)
    run = run_cli(["check", "--format", "json", "plan.yaml"])
    assert (run.exit_code, run.stderr) == (1, "")
    data = json.loads(run.stdout)
    assert (data["ok"], data["errors"], data["acknowledged"]) == (False, 1, 1)
    golden.check(GOLDEN / "check-format" / "failing.json", _stable(run.stdout))


def test_json_of_a_passing_plan(in_tmp: Path, golden: Golden) -> None:
    for name in ("powervs-gre-bgp.yaml", "powervs-gre-bgp.lock.yaml"):
        shutil.copy(SAMPLES / name, in_tmp / name)
    run = run_cli(["check", "--format", "json", "--locked", "powervs-gre-bgp.yaml"])
    assert (run.exit_code, run.stderr) == (0, "")
    golden.check(GOLDEN / "check-format" / "passing.json", _stable(run.stdout))


def _validate_sarif(text: str) -> dict[str, object]:
    log = json.loads(text)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    assert isinstance(log, dict)
    return log


def test_sarif(in_tmp: Path, golden: Golden) -> None:
    _failing_plan(in_tmp)
    run = run_cli(["check", "--format", "sarif", "plan.yaml"])
    assert (run.exit_code, run.stderr) == (1, "")
    log = _validate_sarif(run.stdout)
    results = log["runs"][0]["results"]  # type: ignore[index]
    assert [r["ruleId"] for r in results] == ["VRC101", "VRC020"]
    assert results[0]["suppressions"][0]["kind"] == "inSource"
    golden.check(GOLDEN / "check-format" / "failing.sarif", _stable(run.stdout))


def test_sarif_of_a_passing_plan_is_valid(in_tmp: Path) -> None:
    for name in ("powervs-gre-bgp.yaml", "powervs-gre-bgp.lock.yaml"):
        shutil.copy(SAMPLES / name, in_tmp / name)
    run = run_cli(["check", "--format", "sarif", "powervs-gre-bgp.yaml"])
    assert run.exit_code == 0
    log = _validate_sarif(run.stdout)
    assert log["runs"][0]["results"] == []  # type: ignore[index]


def test_sarif_of_a_file_name_with_a_space_is_a_uri(in_tmp: Path) -> None:
    _failing_plan(in_tmp, "my plan.yaml")
    run = run_cli(["check", "--format", "sarif", "my plan.yaml"])
    log = _validate_sarif(run.stdout)
    location = log["runs"][0]["results"][0]["locations"][0]  # type: ignore[index]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "my%20plan.yaml"


def test_github(in_tmp: Path, golden: Golden) -> None:
    _failing_plan(in_tmp, "odd,name:1%.yaml")
    run = run_cli(["check", "--format", "github", "odd,name:1%.yaml"])
    assert (run.exit_code, run.stderr) == (1, "")
    first, second = run.stdout.splitlines()
    assert first.startswith("::notice file=odd%2Cname%3A1%25.yaml,line=11,col=32,title=VRC101 ")
    assert second.startswith(
        "::error file=odd%2Cname%3A1%25.yaml,line=19,col=5,title=VRC020 unknown field::"
        "connections.cc1.odd,key: 100%25\\nx: unknown field"
    )
    golden.check(GOLDEN / "check-format" / "failing.github", run.stdout)


def test_an_unknown_format_is_a_usage_error(in_tmp: Path) -> None:
    _failing_plan(in_tmp)
    run = run_cli(["check", "--format", "xml", "plan.yaml"])
    assert (run.exit_code, run.stderr) == (
        2,
        "vra-config: error: --format xml: use one of text, json, sarif, github\n",
    )


def test_a_missing_plan_is_still_a_usage_error_with_a_format(in_tmp: Path) -> None:
    run = run_cli(["check", "--format", "json", "nope.yaml"])
    assert (run.exit_code, run.stdout, run.stderr) == (
        2,
        "",
        "vra-config: error: nope.yaml: no such file\n",
    )
