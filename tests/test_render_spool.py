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


def _counting_contexts(
    monkeypatch: pytest.MonkeyPatch, refuse: set[str]
) -> tuple[list[str], Iterator[tuple[str, str]]]:
    """Count the Vyatta pack's template data as it is built; refuse the named devices."""
    from vra_config import pipeline
    from vra_config.plan.findings import Finding
    from vra_config.targets.base import VendorError
    from vra_config.targets.routers import PACKS

    checked = pipeline.check_file(TWO_ROUTERS, vendor="vyatta")
    job = pipeline.render_job(checked, "vyatta", None, None, False, None)
    real = PACKS["vyatta"].context
    built: list[str] = []

    def counted(intent: object, secrets: object) -> object:
        name = str(getattr(intent, "name", ""))
        built.append(name)
        if name in refuse:
            raise VendorError([Finding(("routers", name), f"{name} refused", rule="VRC701")])
        return real(intent, secrets)  # type: ignore[arg-type]

    monkeypatch.setattr(PACKS["vyatta"], "context", counted)
    return built, router_render.iter_rendered(job.intents, job.vendors, "p.yaml")


def test_each_device_is_rendered_as_soon_as_its_data_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory holds one router's template data and text at a time, each built once."""
    built, stream = _counting_contexts(monkeypatch, refuse=set())
    names = []
    for file, _text in stream:
        names.append(file.split(".")[0])
        assert built == names, "the next device's data is built only when it is rendered"
    assert len(names) == 2


def test_after_a_refusal_nothing_is_rendered_and_every_problem_comes_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first device refused: the second's data is still built (for its own problems),
    nothing is yielded, and the refusal is raised once the devices are all seen."""
    from vra_config.targets.base import VendorError

    first = sorted(("dc-west", "vra-dal10"))[0]
    built, stream = _counting_contexts(monkeypatch, refuse={first})
    with pytest.raises(VendorError) as refused:
        next(stream)
    assert built == ["dc-west", "vra-dal10"]
    assert [f.message for f in refused.value.findings] == [f"{first} refused"]
