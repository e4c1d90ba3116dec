"""`render --target terraform|ibmcloud`: goldens per sample, the provider's checker, the
shell's parser, `--check`, and the errors a user sees.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT, Golden, run_cli, sample_plans, unacknowledged
from hcl_literal import decode, resources

from vra_config.pipeline import check_file
from vra_config.targets.ibm import TARGETS, terraform
from vra_config.targets.ibm.render import render_context
from vra_config.targets.ibm.side import ibm_side

PLANS = sample_plans()
TFCHECK = ROOT.parent / "shared" / "tools" / "tfcheck" / "tfcheck"
SUFFIX = {"terraform": "tf", "ibmcloud": "sh"}


def render(plan: Path, target: str) -> str:
    run = run_cli(["render", "--locked", "--target", target, str(plan)])
    assert run.exit_code == 0, run.stderr
    assert unacknowledged(run.stderr) == []
    return run.stdout


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_target_golden(plan: Path, target: str, golden: Golden) -> None:
    text = render(plan, target)
    golden.check(GOLDEN / f"{plan.stem}.{target}.{SUFFIX[target]}", text)
    assert text == render(plan, target)


def tfcheck(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TFCHECK), str(directory)], capture_output=True, text=True
    )


@pytest.mark.skipif(not TFCHECK.exists(), reason="../shared/tools/tfcheck not present")
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_tfcheck_finds_nothing(plan: Path, tmp_path: Path) -> None:
    run = run_cli(
        ["render", "--locked", "--target", "terraform", "--out", str(tmp_path), str(plan)]
    )
    assert run.exit_code == 0, run.stderr
    if not any(tmp_path.iterdir()):
        assert "nothing to render" in run.stdout
        return
    result = tfcheck(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith(" 0 findings\n")


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_ibmcloud_script_parses(plan: Path) -> None:
    result = subprocess.run(["sh", "-n"], input=render(plan, "ibmcloud"), text=True)
    assert result.returncode == 0


@pytest.mark.skipif(not TFCHECK.exists(), reason="../shared/tools/tfcheck not present")
def test_several_tunnels_become_redundant_gre(tmp_path: Path) -> None:
    """The HA issue will plan several tunnels per link; Terraform spells them already."""
    side = ibm_side(check_file(ROOT / "samples" / "powervs-tgw-gre.yaml", locked=True).address_plan)
    (link,) = side.tgw
    (first,) = link.tunnels
    second = replace(
        first,
        name="tgw-wdc06-b",
        zone="us-east-2",
        local_gateway_ip="192.168.255.5",
        local_tunnel_ip="172.16.10.5",
        remote_tunnel_ip="172.16.10.6",
    )
    side = replace(side, tgw=(replace(link, tunnels=(first, second)),))
    text = render_context("terraform", terraform.context(side), ["# test"])
    (tmp_path / "ibm-side.tf").write_text(text)
    result = tfcheck(tmp_path)
    assert result.returncode == 0, result.stdout
    body = resources(text)[("ibm_tg_connection", "tgw_wdc06")]
    assert decode(body["network_type"]) == "redundant_gre"
    assert [decode(t["zone"]) for t in body["tunnels"]] == ["us-east-1", "us-east-2"]
    assert "local_gateway_ip" not in body


def test_check_mode(tmp_path: Path) -> None:
    plan = str(ROOT / "samples" / "powervs-gre-bgp.yaml")
    out = str(tmp_path)
    assert run_cli(["render", "--locked", "--out", out, plan]).exit_code == 0
    assert (
        run_cli(["render", "--locked", "--target", "terraform", "--out", out, plan]).exit_code == 0
    )
    run = run_cli(["render", "--check", "--target", "terraform", "--out", out, plan])
    assert (run.exit_code, run.stdout) == (0, f"{out}: 1 file matches a fresh render of {plan}\n")
    # the routers' files and the IBM side's share the folder without being "left over"
    assert run_cli(["render", "--check", "--out", out, plan]).exit_code == 0
    (tmp_path / "ibm-side.tf").write_text("# vra-config: IBM side, edited\n")
    run = run_cli(["render", "--check", "--target", "terraform", "--out", out, plan])
    assert run.exit_code == 1
    assert run.stderr == (
        f"{out}/ibm-side.tf: differs from a fresh render (66 lines)\n"
        f"1 rendered files are stale: run `vra-config render --target terraform --out {out} "
        f"{plan}` and commit them\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "pulumi"], "--target pulumi: use one of ibmcloud, terraform"),
        (
            ["--target", "terraform", "--vendor", "vyatta"],
            "--vendor is for router configuration; --target terraform renders IBM's side",
        ),
    ],
)
def test_target_usage_errors(args: list[str], message: str) -> None:
    run = run_cli(["render", "--locked", *args, str(ROOT / "samples" / "powervs-tgw-gre.yaml")])
    assert (run.exit_code, run.stderr) == (2, f"vra-config: error: {message}\n")


def test_tgw_name_ibm_refuses(tmp_path: Path) -> None:
    text = (ROOT / "samples" / "powervs-tgw-gre.yaml").read_text()
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("  tgw-wdc06:", "  1tgw:"))
    run = run_cli(["render", "--target", "ibmcloud", str(plan)])
    assert run.exit_code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == "  tgw-wdc06:")
    assert run.stderr == (
        f"{plan}:{line}:3: VRC705 "
        f"connections.1tgw: IBM names a Transit Gateway connection after it, "
        "and 1tgw does not start with a letter as IBM requires; rename the connection to start "
        "with a letter (https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-"
        "unbound-gre-connection)\n1 error, 0 warnings: nothing was written\n"
    )
