"""Whatever bytes a plan holds, vra-config answers with exit 0, 1 or 2 and no traceback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TOKENS = st.sampled_from(
    [
        "version: 1\n",
        "routers:\n",
        "  r1:\n",
        "    asn: 64880\n",
        "    private: ",
        "{address: 10.0.0.5/24, gateway: 10.0.0.1}\n",
        "connections:\n",
        "  c:\n",
        "    via: gre\n",
        "    via: ipsec\n",
        "    router: r1\n",
        "    peer: r1\n",
        "&a ",
        "*a",
        "<<: ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "!!python/object ",
        "!x ",
        "'",
        '"',
        "\t",
        "\n",
        "---\n",
        "? ",
        "#",
        "0x10",
        "1e9",
        "~",
        "null",
        "true",
        "2024-01-01",
        "192.168.0.1/24",
        "\u2028",
        "\x00",
        "\ufeff",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.lists(TOKENS, max_size=40).map("".join))
def test_yaml_shaped_noise(text: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8", errors="surrogatepass")
    for args in (["check", str(plan)], ["render", "--vendor", "vyatta", str(plan)]):
        run = run_cli(args)  # any exception but exit fails the test
        assert run.exit_code in (0, 1, 2)
        assert "Traceback" not in run.stderr


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(data)
    run = run_cli(["check", str(plan)])
    assert run.exit_code in (0, 1, 2)
    assert "Traceback" not in run.stderr


def test_unreadable_plan_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SAMPLES / "powervs-gre-bgp.yaml", plan)
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == plan:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    run = run_cli(["check", str(plan)])
    assert (run.exit_code, run.stderr) == (
        2,
        f"vra-config: error: {plan}: cannot read it (Permission denied)\n",
    )


def test_a_failed_lock_write_keeps_the_old_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SAMPLES / "powervs-gre-bgp.yaml", plan)
    lock = tmp_path / "plan.lock.yaml"
    shutil.copy(SAMPLES / "powervs-gre-bgp.lock.yaml", lock)
    before = lock.read_bytes()
    plan.write_text(
        plan.read_text()
        + "  cc-two:\n    router: vra-dal12\n    powervs: dal12-prod\n    via: cloud-connection\n"
    )

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    run = run_cli(["plan", str(plan)])
    assert run.exit_code == 1
    assert run.stderr == (
        f"{lock}: cannot write the lock file: No space left on device; nothing changed\n"
    )
    assert lock.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.lock.yaml", "plan.yaml"]


def test_a_large_plan_lists_the_first_errors_and_counts_the_rest(tmp_path: Path) -> None:
    rows = "".join(
        f"  c{i}:\n    router: nope\n    powervs: nope\n    via: cloud-connection\n"
        for i in range(50_000)
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"version: 1\nconnections:\n{rows}")
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    lines = run.stderr.splitlines()
    assert len(lines) == 202  # 200 errors, the count of the rest, the summary
    assert lines[-2] == "... and 99800 more"
    assert lines[-1] == "100000 errors, 0 warnings: nothing was written"
