"""Time `vra-config lab` and `vra-config lab --failures` on every sample, as a user runs
them (needs root, FRR and nftables), and write benchmarks/lab-results.md.

    sudo .venv/bin/python benchmarks/lab.py [--runs 3] [--out benchmarks/lab-results.md]

For each sample: the wall time of the whole process (namespaces, FRR start, convergence,
collection, pings, teardown) and the part spent waiting for the routers to settle, as the
median and min-max of the runs, and its verdict; then the failure matrix's wall time, how
many failures it ran and the slowest convergence after one (measured with the lab's scaled
timers). Targets (issue 18): the plain lab of a sample under 10 s, the whole matrix of a
sample under 60 s, on this machine class (2 cores, shared). Speed is measured here, never
asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
MATRIX_TARGET_SECONDS = 60.0


def _run(plan: Path, *options: str) -> tuple[float, dict[str, Any]]:
    """(wall seconds, JSON answer) of one `vra-config lab --json` process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "vra_config", "lab", "--json", "--locked", *options, str(plan)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    if done.returncode == 2:
        raise SystemExit(f"the lab cannot run: {done.stderr.strip()}")
    answer: dict[str, Any] = json.loads(done.stdout)
    return wall, answer


def run_once(plan: Path) -> tuple[float, float | None, str]:
    """(wall seconds, settle seconds, verdict) of one plain lab run."""
    wall, result = _run(plan)
    if "nothing_to_run" in result:
        return wall, None, "nothing to run"
    return wall, float(result["converged_seconds"]), "pass" if result["passed"] else "fail"


def matrix_once(plan: Path) -> tuple[float, int, float | None, float | None, str]:
    """(wall seconds, failures run, slowest convergence, longest outage in production,
    verdict) of one matrix run. The outage is the failure rows' `in_production.seconds`:
    what a failure that carried traffic costs with the rendered timers."""
    wall, result = _run(plan, "--failures")
    if "nothing_to_run" in result:
        return wall, 0, None, None, "nothing to run"
    if result["nothing_to_fail"]:
        return wall, 0, None, None, "nothing to fail"
    failures = result["failures"]
    slowest = max((f["converged_seconds"] for f in failures), default=None)
    outages = [f["in_production"]["seconds"] for f in failures if "seconds" in f["in_production"]]
    lost = sum(len(f["lost"]) for f in failures)
    verdict = "pass" if result["passed"] else f"fail ({lost} lost pairs)"
    return wall, len(failures), slowest, max(outages, default=None), verdict


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
    load = os.getloadavg()
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
    matrix_rows = []
    matrix_worst = 0.0
    for plan in plans:
        walls, counts, slowest, outages, verdicts = [], set(), [], [], set()
        for _ in range(args.runs):
            wall, count, converged, outage, verdict = matrix_once(plan)
            walls.append(wall)
            counts.add(count)
            if converged is not None:
                slowest.append(converged)
            if outage is not None:
                outages.append(outage)
            verdicts.add(verdict)
        matrix_worst = max(matrix_worst, max(walls))
        matrix_rows.append(
            f"| {plan.stem} | {cell(walls)} | {', '.join(str(c) for c in sorted(counts))} "
            f"| {cell(slowest) if slowest else '-'} | {cell(outages) if outages else '-'} "
            f"| {', '.join(sorted(verdicts))} |"
        )
        print(matrix_rows[-1], flush=True)
    met = "met" if worst < TARGET_SECONDS else "**missed**"
    matrix_met = "met" if matrix_worst < MATRIX_TARGET_SECONDS else "**missed**"
    text = "\n".join(
        [
            "# `vra-config lab` timings",
            "",
            f"{time.strftime('%Y-%m-%d')}, {platform.node()}, {platform.machine()}, "
            f"Python {platform.python_version()}, {args.runs} runs per sample "
            "(median, min-max, seconds), written by `benchmarks/lab.py`. Load average "
            f"(1 min) {load[0]:.1f} at the start and {os.getloadavg()[0]:.1f} at the end, on "
            f"{os.cpu_count()} cores shared with other users: the figures include waiting for "
            "them.",
            "",
            "## The plain lab",
            "",
            "| sample | whole run | settling | verdict |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
            f"Target: every sample under {TARGET_SECONDS:.0f} s; slowest run {worst:.1f} s: {met}.",
            "",
            "## The failure matrix (`lab --failures`)",
            "",
            "BGP runs with keepalive 1 s / hold 3 s here (the rendered 30/90 s would make each",
            "silent failure take 90 s); the report gives the production figures. Convergence is",
            "the slowest failure's, from the failure to the last routing-table change; the",
            "production outage is the longest a failure that carried traffic would cost with",
            "the rendered timers (`in_production.seconds` of `lab --failures --json`).",
            "",
            "| sample | whole run | failures | slowest convergence | production outage | verdict |",
            "| --- | --- | --- | --- | --- | --- |",
            *matrix_rows,
            "",
            f"Target: every sample's matrix under {MATRIX_TARGET_SECONDS:.0f} s; slowest run "
            f"{matrix_worst:.1f} s: {matrix_met}.",
            "",
        ]
    )
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
