"""The review workflow: plan-to-plan changes for pull requests, and stale output in CI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLES, Golden, run_cli

REVIEW = Path(__file__).resolve().parent / "review"


def test_markdown_review_of_two_plan_revisions(
    golden: Golden, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REVIEW)
    run = run_cli(["diff", "old.yaml", "new.yaml", "--format", "markdown"])
    assert run.exit_code == 0, run.stderr
    golden.check(GOLDEN / "review-old-new.md", run.stdout)


def test_text_review_and_no_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REVIEW)
    same = run_cli(["diff", "old.yaml", "old.yaml"])
    assert same.stdout == (
        "no change to any router or to IBM's side between old.yaml and old.yaml\n"
    )
    text = run_cli(["diff", "old.yaml", "new.yaml"]).stdout.splitlines()
    assert text[0] == "vra-dal12.vyatta.set (changed): +52 -1"
    assert "- set policy route prefix-list PL-cc-dal12-OUT rule 20 prefix 10.148.252.64/26" in text


def test_review_against_a_git_revision(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    shutil.copy(REVIEW / "old.yaml", tmp_path / "plan.yaml")
    shutil.copy(REVIEW / "old.lock.yaml", tmp_path / "plan.lock.yaml")
    git("add", ".")
    git("commit", "-q", "-m", "v1")
    shutil.copy(REVIEW / "new.yaml", tmp_path / "plan.yaml")
    shutil.copy(REVIEW / "new.lock.yaml", tmp_path / "plan.lock.yaml")
    run = run_cli(["diff", "--base", "HEAD", str(tmp_path / "plan.yaml")])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0] == "vra-dal12.vyatta.set (changed): +52 -1"
    missing = run_cli(["diff", "--base", "HEAD~5", str(tmp_path / "plan.yaml")])
    assert missing.exit_code == 2


def test_a_moved_allocation_is_called_out(tmp_path: Path) -> None:
    shutil.copy(REVIEW / "old.yaml", tmp_path / "old.yaml")
    shutil.copy(REVIEW / "old.lock.yaml", tmp_path / "old.lock.yaml")
    moved = (
        (REVIEW / "old.yaml")
        .read_text()
        .replace(
            "    via: cloud-connection            # IBM's /29 split; MTU 1476, MSS 1436",
            "    via: cloud-connection\n    gre: 172.16.3.64/29",
        )
    )
    (tmp_path / "new.yaml").write_text(moved)
    run = run_cli(
        ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--format", "markdown"]
    )
    assert (
        "- ⚠️ `cc-dal12: 172.16.3.0/29, tunnel 0 on vra-dal12 -> 172.16.3.64/29, tunnel 0 on "
        "vra-dal12`" in run.stdout
    )


# --- render --check --------------------------------------------------------------------------


@pytest.fixture
def rendered(tmp_path: Path) -> tuple[Path, Path]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SAMPLES / "private-ipsec.yaml", plan)
    shutil.copy(SAMPLES / "private-ipsec.lock.yaml", tmp_path / "plan.lock.yaml")
    out = tmp_path / "build"
    assert run_cli(["render", "--out", str(out), str(plan)]).exit_code == 0
    return plan, out


def test_check_passes_when_every_file_matches(rendered: tuple[Path, Path]) -> None:
    plan, out = rendered
    run = run_cli(["render", "--check", "--out", str(out), str(plan)])
    assert (run.exit_code, run.stdout) == (0, f"{out}: 2 files match a fresh render of {plan}\n")


def test_check_lists_changed_missing_and_left_over_files(rendered: tuple[Path, Path]) -> None:
    plan, out = rendered
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "dc-east.vyatta.set").unlink()
    target = out / "vra-dal12.vyatta.set"
    target.write_text(target.read_text().replace("mtu 1476", "mtu 1400"))
    shutil.copy(target, out / "old-router.vyatta.set")  # ours, for a router no longer planned
    (out / "notes.txt").write_text("mine\n")  # not ours: none of its business
    run = run_cli(["render", "--check", "--out", str(out), str(plan)])
    assert run.exit_code == 1
    assert run.stderr == (
        f"{out / 'dc-east.vyatta.set'}: missing\n"
        f"{target}: differs from a fresh render (1 lines)\n"
        f"{out / 'old-router.vyatta.set'}: left over: the plan no longer renders it\n"
        f"3 rendered files are stale: run `vra-config render --out {out} {plan}` and commit "
        "them\n"
    )
    assert "dc-east.vyatta.set" not in {p.name for p in out.iterdir()}  # nothing written
    assert set(before) <= {p.name for p in out.iterdir()} | {"dc-east.vyatta.set"}


def test_check_needs_an_output_directory() -> None:
    run = run_cli(["render", "--check", str(SAMPLES / "powervs-gre-bgp.yaml")])
    assert (run.exit_code, run.stderr) == (
        2,
        "vra-config: error: --check compares files: give the directory with --out\n",
    )


def test_a_change_to_ibms_side_alone_is_shown(tmp_path: Path) -> None:
    """A Transit Gateway zone is IBM's side only: no router line changes, the review must
    still show it (it said "No change to any router" before)."""
    plan = SAMPLES / "powervs-tgw-gre.yaml"
    lock = SAMPLES / "powervs-tgw-gre.lock.yaml"
    for name in ("old", "new"):
        shutil.copy(lock, tmp_path / f"{name}.lock.yaml")
    shutil.copy(plan, tmp_path / "old.yaml")
    text = plan.read_text(encoding="utf-8")
    assert "zone: us-east-1 " in text
    (tmp_path / "new.yaml").write_text(text.replace("zone: us-east-1 ", "zone: us-east-2 "))
    run = run_cli(["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [
        "no change to any router",
        "IBM side, ibm-side.tf (changed): +1 -1",
        '- resource "ibm_tg_connection" "tgw_wdc06" > zone = "us-east-1"',
        '+ resource "ibm_tg_connection" "tgw_wdc06" > zone = "us-east-2"',
    ]
    md = run_cli(
        ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--format", "markdown"]
    ).stdout.splitlines()
    assert "No change to any router; IBM's side changes." in md
    assert "| IBM side, `ibm-side.tf` | changed | 1 | 1 |" in md
