"""Shared test helpers: golden files and an in-process CLI runner.

Golden files are the reviewed, exact output users see. They change only when a test run is
given `--update-golden`, and the diff is then reviewed like code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vra_config.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff!)",
    )


@dataclass(frozen=True)
class Golden:
    update: bool

    def check(self, path: Path, actual: str) -> None:
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing; run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from {path.name}"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str]) -> Run:
    """Run `vra-config ARGS` in this process; any exception other than exit is a failure."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def sample_plans() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".lock.yaml"))


def unacknowledged(stderr: str) -> list[str]:
    """What a command said on stderr besides the findings the plan acknowledges (`accept:`),
    which are shown wherever reviewers look; a clean sample says nothing else."""
    return [line for line in stderr.splitlines() if ": acknowledged: " not in line]


def vra_pair_for_vsrx(plan: Path, vendor: str) -> bool:
    """A plan with a VRA pair (`ha:`) rendered for the vSRX: refused (VRC952), not rendered.

    A vSRX pair is a chassis cluster (`cluster:`); the pack would make a VRA pair one
    stand-alone vSRX on the reth addresses, with no failover.
    """
    import yaml

    routers = (yaml.safe_load(plan.read_text(encoding="utf-8")) or {}).get("routers") or {}
    return vendor == "vsrx" and any("ha" in (r or {}) for r in routers.values())
