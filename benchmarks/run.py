"""Time vra-config as users run it: whole processes, several runs, against the floor.

    python benchmarks/run.py [--sizes 1,100,1000,10000] [--runs 5] [--out benchmarks/results.md]

For each plan size (1 is the cloud-connection sample) it times `--help`, `check`, `plan`,
`render` for both vendors and `benchmarks/floor.py`, as separate processes (median and
min-max of the runs, peak resident memory of each process from `wait4`), with the lock in
place and `--locked` so nothing is written. The floor and `render --vendor vyatta` run in
pairs and their ratio is the median of the pairwise ratios. The sample's `render` and
`check` also run interleaved with the import floor (`python -c "import yaml, jinja2"`),
many times, their ratios again medians of the pairwise ratios. The load average is read
before and after (the machine is shared). For the largest size it also times each
pipeline stage in one process, to show where the time goes. Results go to stdout and to a
Markdown file. Speed is measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "powervs-gre-bgp.yaml"
TARGETS = {
    "render_vs_import": 2.0,
    "check_vs_import": 1.8,
    "help_ms": 100,
    "big_seconds": 3.0,
    "scaling": 11.0,
    "memory_mb": 300,
}


@dataclass
class Timing:
    seconds: list[float]
    peak_mb: float
    #: CPU seconds (user + system) of each run: on a shared machine the wall time grows
    #: with the load, the CPU time much less.
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def cell(self) -> str:
        low, high = min(self.seconds), max(self.seconds)
        return f"{self.median:.3f} ({low:.3f}-{high:.3f})"


def run_once(argv: list[str]) -> tuple[float, float, float]:
    """Wall time, peak RSS (MB) and CPU time of one process; its output is discarded."""
    # stderr to a file, not a pipe: the generated plans' warnings fill a pipe's 64 KiB and
    # the process would wait for a reader while we wait for it to end
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{stderr[-4000:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _timing(results: list[tuple[float, float, float]]) -> Timing:
    return Timing(
        [t for t, _, _ in results], max(m for _, m, _ in results), [c for _, _, c in results]
    )


def measure(argv: list[str], runs: int) -> Timing:
    return _timing([run_once(argv) for _ in range(runs)])


def paired(ours: list[str], floor: list[str], runs: int) -> tuple[Timing, Timing, float]:
    """Alternate the two so drift on the machine hits both; median of the pairwise ratios."""
    mine, base, ratios = [], [], []
    for _ in range(runs):
        a, b = run_once(ours), run_once(floor)
        mine.append(a)
        base.append(b)
        ratios.append(a[0] / b[0])
    return _timing(mine), _timing(base), statistics.median(ratios)


def interleaved(commands: list[list[str]], runs: int) -> list[Timing]:
    """Each command once per round, in turn, so drift on the machine hits all of them."""
    results: list[list[tuple[float, float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for out, argv in zip(results, commands, strict=True):
            out.append(run_once(argv))
    return [_timing(rs) for rs in results]


def ratio(ours: Timing, base: Timing) -> float:
    """Median of the pairwise ratios of two interleaved series."""
    return statistics.median(a / b for a, b in zip(ours.seconds, base.seconds, strict=True))


def cpu_ratio(ours: Timing, base: Timing) -> float:
    """Median of the pairwise ratios of the CPU times of two interleaved series."""
    return statistics.median(a / b for a, b in zip(ours.cpu, base.cpu, strict=True))


def compile_package() -> None:
    """Write vra_config's bytecode before timing, as `pip install` does for a wheel.

    An editable install under PYTHONDONTWRITEBYTECODE (set on the shared machine) would
    otherwise compile every module from source in every timed process: 50-100 ms of each
    run of a sample that no installed copy pays.
    """
    compileall.compile_dir(str(ROOT / "vra_config"), quiet=1)


def prepare(size: int, workdir: Path, vra: list[str]) -> Path:
    if size == 1:
        plan = workdir / SAMPLE.name
        shutil.copy(SAMPLE, plan)
        shutil.copy(SAMPLE.with_name(SAMPLE.stem + ".lock.yaml"), workdir)
        return plan
    plan = workdir / f"plan-{size}.yaml"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_plan.py"), str(size), "--out", str(plan)],
        check=True,
    )
    subprocess.run([*vra, "plan", str(plan)], check=True, capture_output=True)  # the lock
    return plan


def stages(plan: Path) -> list[tuple[str, float]]:
    """Seconds per pipeline stage in one process (where the time goes)."""
    code = f"""
import time
from pathlib import Path
T = time.perf_counter
from vra_config import pipeline
from vra_config.intent.design import design_findings
from vra_config.intent.router import router_intents
from vra_config.intent.routing import link_routes
from vra_config.plan import loader
from vra_config.planner import lock
from vra_config.planner.addresses import plan_addresses
path = Path({str(plan)!r})
import gc
gc.disable()  # as the product reads and checks (pipeline.collector_paused); on to render
t = T(); text = path.read_text(); src = loader.read_source(text, str(path)); a = T() - t
t = T(); loaded = loader.validate(src, path); b = T() - t
t = T(); lk = lock.read_lock(lock.lock_path(path)); c = T() - t
t = T(); ap = plan_addresses(loaded.plan, lk); d = T() - t
t = T(); routes = link_routes(loaded.plan, ap.connections); design_findings(ap, routes); e = T() - t
t = T(); router_intents(ap, routes); f = T() - t
t = T(); checked = pipeline.check_loaded(loaded, lk, None, False); g = T() - t
gc.enable()
t = T(); pipeline.render_checked(checked, vendor="vyatta"); h = T() - t
t = T(); pipeline.render_checked(checked, vendor="vsrx"); i = T() - t
print(a, b, c, d, e, f, g - d - e - f, h, i)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    names = [
        "read YAML (events, marks)",
        "validate (pydantic)",
        "read lock",
        "plan (checks, allocation)",
        "routing and design checks",
        "intent (per device)",
        "rest of check (vendor guards, IBM side, sorting findings)",
        "render vyatta (guards, templates)",
        "render vsrx (guards, templates)",
    ]
    return list(zip(names, (float(x) for x in out), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-runs", type=int, default=3, help="runs at 10,000 and more")
    parser.add_argument(
        "--sample-runs", type=int, default=15, help="rounds of the sample against the import floor"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    vra = [sys.executable, "-m", "vra_config"]
    exe = Path(sys.executable).with_name("vra-config")
    console = [str(exe)] if exe.exists() else vra
    floor = [sys.executable, str(ROOT / "benchmarks" / "floor.py")]
    imports = [sys.executable, "-c", "import yaml, jinja2"]
    rows: dict[int, dict[str, Timing]] = {}
    ratios: dict[int, float] = {}
    compile_package()
    load_before = os.getloadavg()
    help_timing = measure([*console, "--help"], args.runs)
    sample: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            runs = args.big_runs if size >= 10_000 else args.runs
            plan = prepare(size, Path(tmp), console)
            print(f"N={size}: timing ({runs} runs each)", file=sys.stderr)
            row = {
                "check": measure([*console, "check", "--locked", str(plan)], runs),
                "plan": measure([*console, "plan", "--locked", str(plan)], runs),
                "render vsrx": measure(
                    [*console, "render", "--locked", "--vendor", "vsrx", str(plan)], runs
                ),
            }
            row["render vyatta"], row["floor"], ratios[size] = paired(
                [*console, "render", "--locked", "--vendor", "vyatta", str(plan)],
                [*floor, str(plan)],
                runs,
            )
            rows[size] = row
            if size == 1:
                print(f"N=1: against the import floor ({args.sample_runs} rounds)", file=sys.stderr)
                got = interleaved(
                    [
                        [*console, "render", "--locked", "--vendor", "vyatta", str(plan)],
                        [*console, "check", "--locked", str(plan)],
                        imports,
                    ],
                    args.sample_runs,
                )
                sample = dict(zip(("render", "check", "import"), got, strict=True))
        biggest = max(sizes)
        stage_times = stages(prepare(biggest, Path(tmp), console)) if biggest > 1 else []
    load = (load_before, os.getloadavg())
    text = report(help_timing, rows, ratios, stage_times, sizes, sample, load)
    print(text)
    args.out.write_text(text)
    return 0


def report(
    help_timing: Timing,
    rows: dict[int, dict[str, Timing]],
    ratios: dict[int, float],
    stage_times: list[tuple[str, float]],
    sizes: list[int],
    sample: dict[str, Timing],
    load: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> str:
    columns = ["check", "plan", "render vyatta", "render vsrx", "floor"]
    lines = [
        "# vra-config benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}. Generated by "
        "`python benchmarks/run.py`; plans by `benchmarks/gen_plan.py N` (N GRE connections "
        "to PowerVS, N/8 routers each with an IPsec VPN to a site). Seconds as median "
        "(min-max) of whole processes; memory is the peak resident size of one process. "
        "render/floor is `render --vendor vyatta` against `benchmarks/floor.py`, run in pairs.",
        "",
        "The machine is shared with other work: load average (1, 5, 15 min) "
        f"{' / '.join(f'{x:.2f}' for x in load[0])} before the run, "
        f"{' / '.join(f'{x:.2f}' for x in load[1])} after it.",
        "",
        f"`vra-config --help`: {help_timing.median * 1000:.0f} ms "
        f"({min(help_timing.seconds) * 1000:.0f}-{max(help_timing.seconds) * 1000:.0f}).",
        "",
        "| N | " + " | ".join(columns) + " | render/floor | peak MB (check / render vyatta / "
        "render vsrx / floor) |",
        "| --- | " + " | ".join("---" for _ in columns) + " | --- | --- |",
    ]
    for size in sizes:
        row = rows[size]
        mem = " / ".join(
            f"{row[c].peak_mb:.0f}" for c in ("check", "render vyatta", "render vsrx", "floor")
        )
        lines.append(
            f"| {size:,} | "
            + " | ".join(row[c].cell() for c in columns)
            + f" | {ratios[size]:.2f} | {mem} |"
        )
    if sample:
        lines += [
            "",
            f"The sample ({SAMPLE.name}) interleaved with the import floor "
            f'(`python -c "import yaml, jinja2"`), {len(sample["import"].seconds)} rounds:',
            "",
            "| command | seconds | / import floor (median of pairs) | CPU ms (median) | CPU / "
            "import floor |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {name} | {sample[name].cell()} | {ratio(sample[name], sample['import']):.2f} | "
            f"{statistics.median(sample[name].cpu) * 1000:.0f} | "
            f"{cpu_ratio(sample[name], sample['import']):.2f} |"
            for name in ("render", "check", "import")
        ]
    lines += ["", "## Targets", ""]
    lines += targets(help_timing, rows, ratios, sizes, sample)
    if stage_times:
        total = sum(t for _, t in stage_times)
        lines += [
            "",
            f"## Where the time goes at N = {max(sizes):,} (one process, seconds)",
            "",
            "| stage | seconds | share |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {name} | {t:.2f} | {t / total:.0%} |" for name, t in stage_times]
    return "\n".join(lines) + "\n"


def targets(
    help_timing: Timing,
    rows: dict[int, dict[str, Timing]],
    ratios: dict[int, float],
    sizes: list[int],
    sample: dict[str, Timing],
) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    out = [
        f"- `--help` under {TARGETS['help_ms']} ms: {help_timing.median * 1000:.0f} ms, "
        f"{verdict(help_timing.median * 1000 < TARGETS['help_ms'])}."
    ]
    if sample:
        for command in ("render", "check"):
            limit, got = TARGETS[f"{command}_vs_import"], ratio(sample[command], sample["import"])
            out.append(
                f"- `{command}` of a sample at most {limit}x the import floor: {got:.2f}x, "
                f"{verdict(got <= limit)}."
            )
    out += [
        f"- floor.py faster than `render --vendor vyatta` at {size:,}: render/floor "
        f"{ratios[size]:.2f}, {verdict(ratios[size] > 1)}."
        for size in sizes
    ]
    if 10_000 in rows:
        big = rows[10_000]
        for command in ("check", "render vyatta", "render vsrx"):
            seconds = big[command].median
            out.append(
                f"- 10,000 connections, `{command}` under {TARGETS['big_seconds']:.0f} s: "
                f"{seconds:.2f} s, {verdict(seconds < TARGETS['big_seconds'])}."
            )
        if 1_000 in rows:
            for command in ("check", "render vyatta", "render vsrx"):
                scale = big[command].median / rows[1_000][command].median
                out.append(
                    f"- t(10,000) / t(1,000) for `{command}` at most {TARGETS['scaling']:.0f}: "
                    f"{scale:.1f}, {verdict(scale <= TARGETS['scaling'])}."
                )
        peak = max(big[c].peak_mb for c in ("check", "render vyatta", "render vsrx"))
        out.append(
            f"- peak memory at 10,000 under {TARGETS['memory_mb']} MB: {peak:.0f} MB, "
            f"{verdict(peak < TARGETS['memory_mb'])}."
        )
    return out


if __name__ == "__main__":
    raise SystemExit(main())
