"""The command line as a user meets it: exit codes, files, the lock, overrides, the API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, run_cli

import vra_config
from vra_config.plan.findings import PlanError

GRE_SAMPLE = SAMPLES / "powervs-gre-bgp.yaml"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of the cloud-connection sample without its lock."""
    shutil.copy(GRE_SAMPLE, tmp_path / "plan.yaml")
    return tmp_path


def test_version_and_module_entry_point() -> None:
    assert run_cli(["--version"]).stdout == f"vra-config {vra_config.__version__}\n"
    done = subprocess.run(
        [sys.executable, "-m", "vra_config", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert (done.returncode, done.stdout) == (0, f"vra-config {vra_config.__version__}\n")


def test_help_lists_the_commands() -> None:
    run = run_cli(["--help"])
    assert run.exit_code == 0
    for command in ("check", "plan", "render", "schema"):
        assert command in run.stdout


def test_schema_is_json_schema_of_the_plan() -> None:
    schema = json.loads(run_cli(["schema"]).stdout)
    assert schema["title"] == "vra-config plan v1"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "version",
        "routers",
        "sites",
        "powervs",
        "classic_subnets",
        "connections",
        "pools",
        "accept",
    }


def test_check_prints_a_summary() -> None:
    run = run_cli(["check", "--locked", str(GRE_SAMPLE)])
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == f"{GRE_SAMPLE}: ok: 1 router, 1 connection, 0 warnings\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "missing.yaml"], "vra-config: error: missing.yaml: no such file\n"),
        (["check", "."], "vra-config: error: .: is a directory; give the plan file\n"),
        (
            ["render", "--vendor", "eos", str(GRE_SAMPLE)],
            "vra-config: error: vendor eos has no template pack yet; available: vsrx, vyatta\n",
        ),
        (
            ["render", "--vendor", "vyatta", "--router", "nope", str(GRE_SAMPLE)],
            "vra-config: error: --router nope: no such router or site in the plan (vra-dal12)\n",
        ),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    run = run_cli(args)
    assert (run.exit_code, run.stderr) == (2, message)


def test_unknown_option_is_a_usage_error() -> None:
    assert run_cli(["render", "--bogus", str(GRE_SAMPLE)]).exit_code == 2


def test_vendor_is_required_when_a_router_names_none(workdir: Path) -> None:
    plan = workdir / "plan.yaml"
    plan.write_text(plan.read_text().replace("    vendor: vyatta\n", ""))
    run = run_cli(["render", str(plan)])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: router vra-dal12 names no vendor; pass --vendor (one of vsrx, "
        "vyatta) or set `vendor:` on every router\n"
    )
    assert run_cli(["render", "--vendor", "vyatta", str(plan)]).exit_code == 0


def test_render_uses_each_routers_vendor_without_the_option() -> None:
    run = run_cli(["render", "--locked", str(GRE_SAMPLE)])
    assert run.exit_code == 0
    assert run.stdout.startswith("# vra-config: router vra-dal12 (IBM Cloud classic), Vyatta 5600")


# --- the lock ------------------------------------------------------------------------------


def test_first_run_writes_the_lock_and_a_second_changes_nothing(workdir: Path) -> None:
    plan, lock = workdir / "plan.yaml", workdir / "plan.lock.yaml"
    first = run_cli(["render", "--vendor", "vyatta", str(plan)])
    assert first.exit_code == 0
    assert first.stderr == (
        f"{lock}: cc-dal12: new allocation 172.16.3.0/29, tunnel 0 on vra-dal12\n"
    )
    written = lock.read_bytes()
    stat = lock.stat()
    second = run_cli(["render", "--vendor", "vyatta", str(plan)])
    assert (second.exit_code, second.stderr, second.stdout) == (0, "", first.stdout)
    assert lock.read_bytes() == written
    assert lock.stat().st_mtime_ns == stat.st_mtime_ns


def test_locked_refuses_a_new_connection_and_plain_run_keeps_old_addresses(workdir: Path) -> None:
    plan, lock = workdir / "plan.yaml", workdir / "plan.lock.yaml"
    assert run_cli(["plan", str(plan)]).exit_code == 0
    before = lock.read_text()
    plan.write_text(
        plan.read_text()
        + "  aa-second:\n    router: vra-dal12\n    powervs: dal12-prod\n"
        + "    via: cloud-connection\n"
    )
    refused = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"{plan}:45:3: VRC504 connections.aa-second: --locked: plan.lock.yaml would change (new "
        "allocation 172.16.3.8/29, tunnel 1 on vra-dal12); run `vra-config plan` and commit "
        "the lock\n"
        "1 error, 0 warnings: nothing was written\n"
    )
    assert lock.read_text() == before
    accepted = run_cli(["plan", "--json", str(plan)])
    rows = {r["connection"]: r for r in json.loads(accepted.stdout)["connections"]}
    assert rows["cc-dal12"]["subnet"] == "172.16.3.0/29"  # unchanged though "aa" sorts first
    assert rows["aa-second"]["subnet"] == "172.16.3.8/29"


def test_damaged_lock_is_a_plan_error(workdir: Path) -> None:
    (workdir / "plan.lock.yaml").write_text("version: 1\nconnections: {x: {gre: nope}}\n")
    run = run_cli(["check", str(workdir / "plan.yaml")])
    assert run.exit_code == 1
    assert "the lock file is damaged (entry x:" in run.stderr


# --- output files --------------------------------------------------------------------------


def test_out_writes_one_file_per_router_only_when_changed(workdir: Path) -> None:
    plan, out = workdir / "plan.yaml", workdir / "build"
    stdout = run_cli(["render", "--vendor", "vyatta", str(plan)]).stdout
    first = run_cli(["render", "--vendor", "vyatta", "--out", str(out), str(plan)])
    target = out / "vra-dal12.vyatta.set"
    assert first.exit_code == 0
    assert first.stdout == ""
    assert first.stderr == f"{target}: written\n"
    assert target.read_text() == stdout
    second = run_cli(["render", "--vendor", "vyatta", "--out", str(out), str(plan)])
    assert second.stderr == f"{target}: unchanged\n"
    assert [p.name for p in out.iterdir()] == ["vra-dal12.vyatta.set"]  # no temporary left


def test_out_refuses_to_overwrite_a_file_it_did_not_write(workdir: Path) -> None:
    plan, out = workdir / "plan.yaml", workdir / "build"
    out.mkdir()
    target = out / "vra-dal12.vyatta.set"
    target.write_text("my hand-written notes\n")
    run = run_cli(["render", "--vendor", "vyatta", "--out", str(out), str(plan)])
    assert run.exit_code == 1
    assert run.stderr == (
        f"vra-config: error: {target}: exists and was not written by vra-config; move it away "
        "or pass --force to overwrite it (nothing written)\n"
    )
    assert target.read_text() == "my hand-written notes\n"
    forced = run_cli(["render", "--vendor", "vyatta", "--out", str(out), "--force", str(plan)])
    assert forced.exit_code == 0
    assert target.read_text().startswith("# vra-config: router vra-dal12")


def test_failed_write_leaves_the_previous_file(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, out = workdir / "plan.yaml", workdir / "build"
    assert run_cli(["render", "--vendor", "vyatta", "--out", str(out), str(plan)]).exit_code == 0
    target = out / "vra-dal12.vyatta.set"
    old = target.read_text()
    plan.write_text(plan.read_text().replace("10.20.0.0/16", "10.21.0.0/16"))

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    run = run_cli(["render", "--vendor", "vyatta", "--out", str(out), str(plan)])
    assert run.exit_code == 1
    assert run.stderr == (
        f"vra-config: error: {target}: cannot write it (No space left on device); it is "
        "unchanged. Written before the failure: none\n"
    )
    assert target.read_text() == old
    assert sorted(p.name for p in out.iterdir()) == ["vra-dal12.vyatta.set"]


def test_templates_override_by_file_name(workdir: Path) -> None:
    override = workdir / "mine"
    override.mkdir()
    (override / "static.j2").write_text(
        "{% for r in routes %}\nset protocols static route {{ r.prefix }} next-hop "
        "{{ r.next_hop }} distance 5\n{% endfor %}\n"
    )
    run = run_cli(
        ["render", "--vendor", "vyatta", "--templates", str(override), str(workdir / "plan.yaml")]
    )
    assert run.exit_code == 0
    assert (
        "set protocols static route 172.16.3.1/32 next-hop 10.148.252.65 distance 5\n" in run.stdout
    )
    assert "description 'cc-dal12: PowerVS dal12-prod GRE source'" not in run.stdout
    assert "set interfaces tunnel tun0 encapsulation gre\n" in run.stdout  # the rest is the pack's


# --- the library API -----------------------------------------------------------------------


def test_library_api_matches_the_cli() -> None:
    files = vra_config.render_plan(GRE_SAMPLE, vendor="vyatta")
    cli = run_cli(["render", "--locked", "--vendor", "vyatta", str(GRE_SAMPLE)]).stdout
    assert files == {"vra-dal12.vyatta.set": cli}
    assert vra_config.check_plan(GRE_SAMPLE) == []


def test_library_api_takes_text_and_raises_plan_errors() -> None:
    text = GRE_SAMPLE.read_text()
    assert list(vra_config.render_plan(text)) == ["vra-dal12.vyatta.set"]
    with pytest.raises(PlanError) as info:
        vra_config.check_plan(text.replace("asn: 64880", "asn: 0"))
    assert [f.format() for f in info.value.errors] == [
        "<plan>:16:10: VRC023 routers.vra-dal12.asn: 0 is too small; use at least 1"
    ]


# -- the CLI people expect (issue 21) --------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    ["check", "plan", "render", "diff", "explain", "lab", "schema", "verify", "far-end"],
)
def test_help_names_values_not_python_types(command: str) -> None:
    run = run_cli([command, "-h"])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("Usage: ") and f" {command} [OPTIONS]" in run.stdout
    for placeholder in ("<str>", "<path>", "<list[", "{plan", "<int>"):
        assert placeholder not in run.stdout, (command, placeholder)


def test_help_shows_named_values() -> None:
    text = run_cli(["render", "--help"]).stdout
    assert " render [OPTIONS] PLAN\n" in text
    assert "  --running [ROUTER=]FILE  " in text
    assert "  --router ROUTER " in text


def test_root_offers_completion_and_short_help() -> None:
    text = run_cli(["-h"]).stdout
    assert "--install-completion" in text
    assert "-h, --help" in text


def test_vendor_names_are_case_insensitive() -> None:
    plan = str(SAMPLES / "powervs-gre-bgp.yaml")
    upper = run_cli(["render", "--locked", "--vendor", "VSRX", plan])
    assert upper.exit_code == 0, upper.stderr
    assert upper.stdout == run_cli(["render", "--locked", "--vendor", "vsrx", plan]).stdout


def test_show_completion_prints_a_script() -> None:
    env = {**os.environ, "SHELL": "/bin/bash"}
    done = subprocess.run(
        [sys.executable, "-m", "vra_config", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "_VRA_CONFIG_COMPLETE" in done.stdout


def test_schema_describes_every_field_with_an_example() -> None:
    schema = json.loads(run_cli(["schema"]).stdout)
    parts = [("Plan", schema), *schema["$defs"].items()]
    missing = [
        f"{name}.{field}"
        for name, node in parts
        for field, prop in node.get("properties", {}).items()
        if not prop.get("description") or not prop.get("examples")
    ]
    assert missing == []


def test_committed_schema_is_current_and_every_sample_points_at_it() -> None:
    """Editors read `schema/plan.schema.json` through each plan's modeline."""
    committed = (ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == run_cli(["schema"]).stdout, (
        "schema/plan.schema.json is stale: vra-config schema > schema/plan.schema.json"
    )
    for plan in sorted(SAMPLES.glob("*.yaml")):
        if plan.name.endswith(".lock.yaml"):
            continue
        first = plan.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/plan.schema.json", plan.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "No such command 'bogus'"),
        (["check"], "Missing argument 'PLAN'"),
        (["render", "--bogus", "x.yaml"], "No such option: --bogus"),
    ],
)
def test_usage_errors_read_like_every_other_error(args: list[str], message: str) -> None:
    run = run_cli(args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"vra-config: error: {message}")  # click may add a hint
    assert run.stderr.endswith("; see vra-config -h\n")
    assert run.stderr.count("\n") == 1
