"""Golden output for every sample: the configuration per vendor, and the allocation table.

Rendering uses `--locked`, so the committed lock beside each sample is what is checked, and
the test never writes into `samples/`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    DIFF_HEAD,
    GOLDEN,
    Golden,
    render_locked,
    run_cli,
    sample_plans,
    unacknowledged,
    vra_pair_for_vsrx,
)

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
    run = render_locked(plan, vendor)
    if vra_pair_for_vsrx(plan, vendor):
        assert run.exit_code == 1 and run.stdout == ""
        assert " VRC952 " in run.stderr and "no failover" in run.stderr
        assert not (GOLDEN / f"{plan.stem}.{vendor}.set").exists()
        return
    assert run.exit_code == 0, run.stderr
    assert unacknowledged(run.stderr) == []
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


# --- the golden mechanism itself -------------------------------------------------------------


def test_a_mismatch_writes_the_actual_output_beside_the_golden_and_shows_the_diff(
    tmp_path: Path,
) -> None:
    reference = tmp_path / "plan.vyatta.set"
    reference.write_text("set a 1\nset b 2\nset c 3\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        Golden(update=False).check(reference, "set a 1\nset b 20\nset c 3\n")
    beside = tmp_path / "plan.vyatta.set.actual"
    assert beside.read_text(encoding="utf-8") == "set a 1\nset b 20\nset c 3\n"
    message = str(failure.value)
    assert message.splitlines()[0] == (
        f"output differs from plan.vyatta.set (the whole output is in {beside}):"
    )
    assert message.splitlines()[1:] == [
        "--- plan.vyatta.set",
        "+++ plan.vyatta.set.actual",
        "@@ -1,3 +1,3 @@",
        " set a 1",
        "-set b 2",
        "+set b 20",
        " set c 3",
    ]
    assert reference.read_text(encoding="utf-8") == "set a 1\nset b 2\nset c 3\n"  # untouched


def test_a_match_removes_a_stale_actual_and_a_missing_golden_leaves_one(tmp_path: Path) -> None:
    reference = tmp_path / "plan.vsrx.set"
    beside = tmp_path / "plan.vsrx.set.actual"
    with pytest.raises(pytest.fail.Exception, match=r"plan\.vsrx\.set is missing"):
        Golden(update=False).check(reference, "set x\n")
    assert beside.read_text(encoding="utf-8") == "set x\n"
    assert not reference.exists()
    reference.write_text("set x\n", encoding="utf-8")
    Golden(update=False).check(reference, "set x\n")
    assert not beside.exists()


def test_a_long_diff_is_cut_to_its_head(tmp_path: Path) -> None:
    reference = tmp_path / "long.txt"
    reference.write_text("".join(f"old {i}\n" for i in range(200)), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        Golden(update=False).check(reference, "".join(f"new {i}\n" for i in range(200)))
    assert len(str(failure.value).splitlines()) == 1 + DIFF_HEAD
