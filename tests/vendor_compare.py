"""What the DANOS and Junos comparison tests share: render a sample's routers for one vendor,
find the lab's FRR for them, and run a ../shared reader (`danos-frr` or `junos-frr`) with
`--compare` on each router file.

The lab's FRR is the golden file of `tests/test_frr.py` (`SAMPLE.frr.conf` for Vyatta,
`SAMPLE.vsrx.frr.conf` for vSRX), which that test keeps equal to what `vra-config lab
--vendor V` loads. A router rendered per member (a VRA pair) is compared with the device the
lab runs for it: the member itself where the lab runs members, else its pair.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
