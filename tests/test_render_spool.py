"""`render` to stdout: every device rendered before the first line is printed (issue 20),
with the texts waiting in a temporary file rather than in memory (issue 22's 300 MB)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, run_cli

from vra_config import cli
from vra_config.targets.environment import RenderBug
from vra_config.targets.routers import render as router_render

#: Two routers, both rendered for the Vyatta: a failure can come after the first.
TWO_ROUTERS = SAMPLES / "direct-link-dc.yaml"


def test_a_failure_after_the_first_device_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def stream() -> Iterator[tuple[str, str]]:
        yield "r1.vyatta.set", "set system host-name r1\n"
        raise RenderBug("the second device failed")

    with pytest.raises(RenderBug):
        cli._print_all(stream())
    assert capsys.readouterr().out == ""


def test_every_text_is_printed_in_order_with_a_blank_line_between(
    capsys: pytest.CaptureFixture[str],
) -> None:
    texts = [("a", "set a 1\n"), ("b", "set b é\r\n"), ("c", "# c\n")]
    assert cli._print_all(iter(texts)) == 3
    assert capsys.readouterr().out == "set a 1\n\nset b é\r\n\n# c\n"  # byte for byte


def test_nothing_rendered_prints_nothing_and_counts_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli._print_all(iter([])) == 0
    assert capsys.readouterr().out == ""


def test_the_command_prints_nothing_when_the_second_router_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (TWO_ROUTERS, TWO_ROUTERS.with_name(TWO_ROUTERS.stem + ".lock.yaml")):
        shutil.copy(path, tmp_path / path.name)
    plan = tmp_path / TWO_ROUTERS.name
    whole = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)])
    assert whole.exit_code == 0
    assert whole.stdout == (ROOT / "tests" / "golden" / "direct-link-dc.vyatta.set").read_text()

    real = router_render.render_router
    calls: list[str] = []

    def second_fails(intent: object, *args: object, **kwargs: object) -> str:
        calls.append(str(getattr(intent, "name", "")))
        if len(calls) == 2:
            raise RenderBug("a template printed a line twice: 'set x'")
        return real(intent, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(router_render, "render_router", second_fails)
    failed = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)])
    assert len(calls) == 2  # the first router rendered; its text never reached stdout
    assert (failed.exit_code, failed.stdout) == (1, "")
    assert "internal error" in failed.stderr and "nothing was written" in failed.stderr
