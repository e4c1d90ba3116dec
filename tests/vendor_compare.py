"""What the DANOS and Junos comparison tests share: render a sample's routers for one vendor,
find the lab's FRR for them, and run a ../shared reader (`danos-frr` or `junos-frr`) with
`--compare` on each router file.

The lab's FRR is the golden file of `tests/test_frr.py` (`SAMPLE.frr.conf` for Vyatta,
`SAMPLE.vsrx.frr.conf` for vSRX), which that test keeps equal to what `vra-config lab
--vendor V` loads. A router rendered per member (a VRA pair) is compared with the device the
lab runs for it: the member itself where the lab runs members, else its pair.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT, run_cli, sample_plans, vra_pair_for_vsrx

from vra_config.intent.pairs import member_names, members
from vra_config.pipeline import check_file

TOOLS = ROOT.parent / "shared" / "tools"
DANOS_FRR = TOOLS / "danos-frr" / "danos-frr"
JUNOS_FRR = TOOLS / "junos-frr" / "junos-frr"
LAB_GOLDEN = {"vyatta": "{}.frr.conf", "vsrx": "{}.vsrx.frr.conf"}


@dataclass(frozen=True)
class Compared:
    sample: str
    device: str
    file: Path
    exit_code: int
    output: str


def rendered(plan: Path, vendor: str, out: Path) -> list[Path]:
    """Every router file `render --vendor` writes for the plan (none for a plan without, or
    for a VRA pair rendered for the vSRX, which render refuses: VRC952)."""
    if vra_pair_for_vsrx(plan, vendor):
        return []
    run = run_cli(["render", "--locked", "--vendor", vendor, "--out", str(out), str(plan)])
    assert run.exit_code == 0, run.stdout + run.stderr
    return sorted(out.glob(f"*.{vendor}.set")) if out.exists() else []


def lab_device(plan: Path, file: Path, vendor: str, lab_conf: str) -> str:
    """The section of the lab's FRR that runs this router file: the device itself, else the
    pair a member file belongs to, else (one file for a whole pair) the pair's first member,
    the master the lab starts."""
    name = file.name.removesuffix(f".{vendor}.set")
    if f"\nhostname {name}\n" in lab_conf:
        return name
    parsed = check_file(plan, locked=True).plan
    pairs = member_names(parsed)
    if name in pairs:
        return pairs[name]
    router = parsed.routers[name]
    assert router.ha is not None, f"{name} is in no section of the lab's FRR"
    return members(name, router)[0].member


def compare(tool: Path, file: Path, lab: Path, device: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, str(tool), "--compare", str(file), str(lab), "--device", device],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def compare_all(tool: Path, vendor: str, tmp: Path) -> list[Compared]:
    """Every sample's routers, rendered for `vendor`, against the lab's FRR for `vendor`."""
    out: list[Compared] = []
    for plan in sample_plans():
        lab = GOLDEN / LAB_GOLDEN[vendor].format(plan.stem)
        lab_conf = lab.read_text(encoding="utf-8")
        for file in rendered(plan, vendor, tmp / plan.stem):
            device = lab_device(plan, file, vendor, lab_conf)
            code, said = compare(tool, file, lab, device)
            out.append(Compared(plan.stem, device, file, code, said))
    return out


def compare_once(tool: Path, vendor: str, factory: pytest.TempPathFactory) -> list[Compared]:
    """`compare_all`, once per test session.

    Under pytest-xdist each worker that runs one of a module's tests builds the module's
    fixture again, and this one runs the translator over every sample (8 s or more of CPU
    each time). The first worker writes the results beside the workers' temporary
    directories (their common parent, pytest-xdist's documented place for it) under a lock;
    the others read them. Run without workers, it is `compare_all`.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return compare_all(tool, vendor, factory.mktemp(vendor))
    shared = factory.getbasetemp().parent / f"compared-{vendor}.json"
    with open(f"{shared}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if shared.exists():
            rows = json.loads(shared.read_text(encoding="utf-8"))
            return [Compared(**{**row, "file": Path(row["file"])}) for row in rows]
        results = compare_all(tool, vendor, factory.mktemp(vendor))
        rows = [{**asdict(r), "file": str(r.file)} for r in results]
        shared.write_text(json.dumps(rows), encoding="utf-8")
        return results
