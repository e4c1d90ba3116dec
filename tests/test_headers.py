"""Every rendered router file opens with commit safety: a rollback timer, verify, then keep.

The header used to say "commit and save", which on a remote cloud router changed over the
link it configures leaves no way back. These tests read the real `render` output.
"""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, render_locked

from vra_config.targets.routers import PACKS
from vra_config.targets.routers.paste import CONFIRM_MINUTES

PLAN = SAMPLES / "powervs-tgw-gre.yaml"


def headers(vendor: str) -> dict[str, list[str]]:
    """{router: its header's comment lines} from `render --vendor`."""
    run = render_locked(PLAN, vendor)
    assert run.exit_code == 0, run.stderr
    found: dict[str, list[str]] = {}
    router = ""
    for line in run.stdout.splitlines():
        opened = re.match(r"# vra-config: router (\S+) ", line)
        if opened:
            router = opened.group(1)
            found[router] = []
        if router and line.startswith("# "):
            found[router].append(line[2:])
    assert found, run.stdout
    return found


def test_vyatta_commits_with_a_timer_then_confirms_then_saves() -> None:
    for router, lines in headers("vyatta").items():
        text = "\n".join(lines)
        timer = text.index(f"`commit-confirm {CONFIRM_MINUTES}`")
        verify = text.index(f"`vra-config verify {PLAN.name} --router {router}`")
        confirm = text.index("`confirm`, then `save`")
        assert timer < verify < confirm
        assert "commit and save" not in text
        assert f"`vra-config diff --running {router}=FILE PREVIOUS_PLAN`" in text


def test_junos_commits_confirmed_then_commits_and_never_saves() -> None:
    for router, lines in headers("vsrx").items():
        text = "\n".join(lines)
        timer = text.index(f"`commit confirmed {CONFIRM_MINUTES}`")
        verify = text.index(f"`vra-config verify {PLAN.name} --router {router}`")
        keep = text.index("All as planned: `commit`")
        assert timer < verify < keep
        assert "`save`" not in text
        assert "show configuration | display set" in text


@pytest.mark.parametrize("vendor", sorted(PACKS))
def test_every_pack_has_commit_steps(vendor: str) -> None:
    """A new pack without steps would print a header with no way to commit safely."""
    from vra_config.targets.routers.paste import STEPS

    assert vendor in STEPS
    assert any("rolls back" in step for step in STEPS[vendor])
