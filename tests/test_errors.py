"""Every broken plan gets the exact message a user sees, with its exit code.

Each `tests/errors/NAME.yaml` is one mistake (or several, to prove they are all reported in
one run); `NAME.out` holds the exit code and what `vra-config check` prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Golden, run_cli

ERRORS = Path(__file__).resolve().parent / "errors"
CASES = sorted(p.stem for p in ERRORS.glob("*.yaml"))


def test_enough_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("name", CASES)
def test_error_output(name: str, golden: Golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ERRORS)
    run = run_cli(["check", f"{name}.yaml"])
    assert run.exit_code in (1, 2), f"{name}: a broken plan must not pass (exit {run.exit_code})"
    assert "Traceback" not in run.stderr
    golden.check(ERRORS / f"{name}.out", f"[exit {run.exit_code}]\n{run.stdout}{run.stderr}")
