"""Time `vra-config lab` on every sample, as a user runs it (needs root and FRR).

    sudo .venv/bin/python benchmarks/lab.py [--runs 3] [--out benchmarks/lab-results.md]

For each sample: the wall time of the whole process (namespaces, FRR start, convergence,
collection, pings, teardown) and the part spent waiting for the routers to settle, as the
median and min-max of the runs. The issue's target is a sample under 30 s on this machine
class (2 cores, shared). Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0


def run_once(plan: Path) -> tuple[float, float | None, str]:
    """(wall seconds, settle seconds, verdict) of one `vra-config lab --json` process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "vra_config", "lab", "--json", "--locked", str(plan)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    if done.returncode == 2:
        raise SystemExit(f"the lab cannot run: {done.stderr.strip()}")
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        return wall, None, "nothing to run"
    return wall, float(result["converged_seconds"]), "pass" if result["passed"] else "fail"


def cell(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "lab-results.md")
    args = parser.parse_args()
    plans = sorted(
        p for p in (ROOT / "samples").glob("*.yaml") if not p.name.endswith(".lock.yaml")
    )
    rows = []
    worst = 0.0
    for plan in plans:
        walls, settles, verdicts = [], [], set()
        for _ in range(args.runs):
            wall, settle, verdict = run_once(plan)
            walls.append(wall)
            if settle is not None:
                settles.append(settle)
            verdicts.add(verdict)
        worst = max(worst, max(walls))
        rows.append(
            f"| {plan.stem} | {cell(walls)} | {cell(settles) if settles else '-'} "
            f"| {', '.join(sorted(verdicts))} |"
        )
        print(rows[-1], flush=True)
    met = "met" if worst < TARGET_SECONDS else "**missed**"
    text = "\n".join(
        [
            "# `vra-config lab` timings",
            "",
            f"{time.strftime('%Y-%m-%d')}, {platform.node()}, {platform.machine()}, "
            f"Python {platform.python_version()}, {args.runs} runs per sample "
            "(median, min-max, seconds).",
            "",
            "| sample | whole run | settling | verdict |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
            f"Target: every sample under {TARGET_SECONDS:.0f} s; slowest run {worst:.1f} s: {met}.",
            "",
        ]
    )
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
