"""Pools and the lock at their edges (issue 11 items 4 and 5): an allocation equal to its
pool is no overlap, and a locked allocation outside every pool is a warning naming the lock
line and the pools. Split from tests/test_issue11_items.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, write_plan
from test_planner import base_plan, cc, planned, tgw

from vra_config.planner.lock import parse_lock


@pytest.mark.parametrize(
    ("pool", "link"),
    [("172.16.0.0/29", cc()), ("172.16.0.0/30", tgw())],
    ids=["cloud-connection-/29", "transit-gateway-/30"],
)
def test_a_pool_exactly_the_size_of_its_one_allocation_is_no_overlap(
    pool: str, link: dict[str, Any]
) -> None:
    data = base_plan(a=link)
    data["pools"] = {"tunnels": [pool]}
    ap = planned(data)
    assert [f.format() for f in ap.findings] == []
    assert str(ap.connections["a"].subnet) == pool


def test_a_locked_subnet_outside_every_pool_is_a_warning_naming_the_lock_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = base_plan(a=cc(), b=cc(powervs="ws2"))
    write_plan(tmp_path / "plan.yaml", data)
    assert run_cli(["plan", "plan.yaml"]).exit_code == 0
    data["pools"] = {"tunnels": ["172.16.8.0/24"]}  # the pool moved; the lock did not
    write_plan(tmp_path / "plan.yaml", data)
    run = run_cli(["check", "--locked", "plan.yaml"])
    assert run.exit_code == 0
    # the base plan's 10.20.0.0/16 has no route: a warning of its own (VRC901), first in file order
    assert run.stderr.splitlines()[0].startswith("plan.yaml:11:5: VRC901 routers.vra1.advertise[0]")
    assert run.stderr.split("\n", 1)[1] == (
        "plan.yaml:45:3: VRC506 connections.a: warning: locked subnet 172.16.0.0/29 (line 6 of "
        "plan.lock.yaml) is outside every pool of the plan (pools.tunnels: 172.16.8.0/24); "
        "it is kept, so the link does not move: if that is on purpose, acknowledge it with "
        "`accept`, otherwise restore the lock from git or pin the subnet\n"
        "plan.yaml:50:3: VRC506 connections.b: warning: locked subnet 172.16.0.8/29 (line 7 of "
        "plan.lock.yaml) is outside every pool of the plan (pools.tunnels: 172.16.8.0/24); "
        "it is kept, so the link does not move: if that is on purpose, acknowledge it with "
        "`accept`, otherwise restore the lock from git or pin the subnet\n"
    )
    assert run.stdout.startswith("plan.yaml: ok: 2 routers, 2 connections, 3 warnings")


def test_the_lock_knows_the_line_of_each_entry() -> None:
    first = planned(base_plan(a=cc(), b=cc(powervs="ws2")))
    lock = parse_lock(first.lock.to_yaml("plan.yaml"), "plan.lock.yaml")
    assert (lock.file, dict(lock.lines)) == ("plan.lock.yaml", {"a": 6, "b": 7})
