"""Golden output for every sample: the configuration per vendor, and the allocation table.

Rendering uses `--locked`, so the committed lock beside each sample is what is checked, and
the test never writes into `samples/`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN, Golden, run_cli, sample_plans

from vra_config.targets.routers import PACKS

PLANS = sample_plans()


def test_there_are_samples() -> None:
    names = {p.name for p in PLANS}
    assert {
        "powervs-gre-bgp.yaml",
        "powervs-tgw-gre.yaml",
        "private-ipsec.yaml",
        "direct-link-dc.yaml",
        "megaport-multi-location.yaml",
        "proxy-multi-location.yaml",
        "private-ssl.yaml",
    } <= names


@pytest.mark.parametrize("vendor", sorted(PACKS))
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_render_golden(plan: Path, vendor: str, golden: Golden) -> None:
    run = run_cli(["render", "--locked", "--vendor", vendor, str(plan)])
    assert run.exit_code == 0, run.stderr
    # nothing on stderr but what the sample acknowledges on purpose (`accept:`)
    assert all(": acknowledged: " in line for line in run.stderr.splitlines()), run.stderr
    golden.check(GOLDEN / f"{plan.stem}.{vendor}.set", run.stdout)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_plan_golden(plan: Path, golden: Golden) -> None:
    table = run_cli(["plan", "--locked", str(plan)])
    assert table.exit_code == 0, table.stderr
    golden.check(GOLDEN / f"{plan.stem}.plan.txt", table.stdout)
    as_json = run_cli(["plan", "--locked", "--json", str(plan)])
    assert as_json.exit_code == 0, as_json.stderr
    golden.check(GOLDEN / f"{plan.stem}.plan.json", as_json.stdout.replace(str(plan), plan.name))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_render_is_deterministic(plan: Path) -> None:
    first = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)]).stdout
    assert first == run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)]).stdout
