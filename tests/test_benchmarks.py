"""The benchmark's floor prints exactly what vra-config prints, or the comparison is unfair."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import floor
import gen_plan


def floor_output(plan: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        floor.main(plan)
    return out.getvalue()


@pytest.mark.parametrize("sample", ["powervs-gre-bgp", "powervs-tgw-gre"])
def test_floor_prints_what_vra_config_prints_for_the_samples(sample: str) -> None:
    plan = SAMPLES / f"{sample}.yaml"
    ours = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)]).stdout
    assert floor_output(plan) == ours


def test_floor_prints_what_vra_config_prints_for_a_generated_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(gen_plan.generate(40, seed=7), sort_keys=False))
    assert run_cli(["plan", str(plan)]).exit_code == 0  # allocate: the floor reads the lock
    ours = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)])
    assert ours.exit_code == 0, ours.stderr
    assert floor_output(plan) == ours.stdout
    assert ours.stdout.count("\n") > 2000


def test_generated_plans_are_valid_and_deterministic(tmp_path: Path) -> None:
    assert gen_plan.generate(25, seed=3) == gen_plan.generate(25, seed=3)
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(gen_plan.generate(25, seed=3)))
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 0, run.stderr
    assert "29 connections, " in run.stdout  # 25 GRE to PowerVS, 4 IPsec
    # the generated routers advertise their own subnet (VRC903) and carry one workspace's
    # routes to another in the same AS (VRC908): warnings of the generated shape, no other
    said = {line.split()[1] for line in run.stderr.splitlines() if ": warning: " in line}
    assert said <= {"VRC903", "VRC908"}
