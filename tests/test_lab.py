"""`vra-config lab` end to end: FRR in network namespaces, on every sample and on the test
plans under tests/lab/ that break one behaviour each.

These need Linux, root and FRR (CI installs it); elsewhere they skip, saying why. Each run is
a few seconds (benchmarks/, not here, measures it).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, sample_plans

from vra_config.lab import runner
from vra_config.lab.daemons import find_frr
from vra_config.lab.rows import Mismatch


def _why_not() -> str | None:
    if os.uname().sysname != "Linux":
        return "the lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces); CI runs it as root"
    if find_frr() is None:
        return "FRR is not installed (sudo apt-get install frr); CI installs it"
    return None


WHY_NOT = _why_not()
needs_lab = pytest.mark.skipif(WHY_NOT is not None, reason=f"lab not run: {WHY_NOT}")
LAB_PLANS = ROOT / "tests" / "lab"


def _samples() -> list[Path]:
    return sample_plans()


def _namespaces() -> set[str]:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    return {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}


@needs_lab
@pytest.mark.parametrize("plan", _samples(), ids=lambda p: getattr(p, "stem", str(p)))
def test_sample_passes_in_the_lab(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[str] = []
    add = runner.netns.add_namespace

    def recording(name: str) -> None:
        created.append(name)
        add(name)

    monkeypatch.setattr(runner.netns, "add_namespace", recording)
    run = run_cli(["lab", "--locked", str(plan)])
    assert not (_namespaces() & set(created)), "the lab left namespaces behind"
    assert run.exit_code == 0, run.stdout + run.stderr
    assert ": PASS: " in run.stdout.splitlines()[-1] or "nothing to run" in run.stdout


@needs_lab
def test_same_asn_transit_works_once_re_originated() -> None:
    """Issue 10 item 1, proven in FRR: the gateways re-originate the far location's subnets
    (static route + `network`), so 64999 never reaches 64999."""
    run = run_cli(["lab", str(LAB_PLANS / "same-asn-transit.yaml")])
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "PASS: 3/3 BGP sessions Established, 2/2 pairs reach" in run.stdout


@needs_lab
def test_lab_catches_same_asn_transit_without_re_origination(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The class of bug the lab exists for: take the re-origination away (the design before
    the fix, remove-private-AS or nothing) and the lab names the AS-path loop."""
    import vra_config.intent.router

    monkeypatch.setattr(vra_config.intent.router, "_reoriginated", lambda b, neighbors: ([], set()))
    run = run_cli(["lab", "--json", str(LAB_PLANS / "same-asn-transit.yaml")])
    assert run.exit_code == 1, run.stdout + run.stderr
    result = json.loads(run.stdout)
    first = result["findings"][0]
    assert first["message"] == (
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): AS-path loop "
        "at ws-a: 192.168.80.0/24 arrives with AS path 64880 64881 64999, which holds its own "
        "AS 64999"
    )
    # the same, as fields (docs/lab.md, "lab --json")
    assert {k: first.get(k) for k in ("kind", "node", "link", "prefix", "path")} == {
        "kind": "unreachable",
        "node": "ws-a",
        "link": "cc-a",
        "prefix": "192.168.80.0/24",
        "path": "connections.cc-a",
    }
    assert first["cause"]["kind"] == "as-path-loop"
    assert first["cause"]["as_path"] == [64880, 64881, 64999]
    assert Mismatch.from_row(first).message == first["message"]


@needs_lab
@pytest.mark.parametrize(
    ("plan", "first_cause", "fields"),
    [
        (
            "advertise-no-route.yaml",
            "10.20.0.0/16 (vra-a) does not reach 192.168.50.0/24 (ws-a): no route to the "
            "network 10.20.0.0/16 at vra-a (BGP `network` needs one in the RIB)",
            {"kind": "no-origin-route", "node": "vra-a", "prefix": "10.20.0.0/16"},
        ),
    ],
)
def test_lab_catches_the_broken_behaviour(
    plan: str, first_cause: str, fields: dict[str, str]
) -> None:
    run = run_cli(["lab", "--json", str(LAB_PLANS / plan)])
    assert run.exit_code == 1, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["passed"] is False
    first = result["findings"][0]
    assert (first["kind"], first["message"]) == ("unreachable", first_cause)
    assert {k: first["cause"].get(k) for k in fields} == fields
    assert all(s["state"] == "Established" for s in result["sessions"])


@needs_lab
def test_failed_link_is_down_and_expected_so() -> None:
    plan = ROOT / "samples" / "megaport-multi-location.yaml"
    run = run_cli(["lab", "--fail", "vxc-dal13", str(plan)])
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "  vxc-dal13: mp-edge – dal13-dr: down (--fail: far end silent)\n" in run.stdout
    assert "  ok    10.70.0.0/16 (mp-edge) → 192.168.61.0/24 (dal13-dr): does not reach\n" in (
        run.stdout
    )


def _chosen(result: dict[str, object]) -> dict[tuple[str, str], str]:
    rows = result["chosen_paths"]
    assert isinstance(rows, list)
    return {(r["node"], r["prefix"]): r["via"] for r in rows}


@needs_lab
@pytest.mark.parametrize(
    ("plan", "router", "preferred", "towards", "ibm", "back"),
    [
        (
            ROOT / "samples" / "vra-ha-tgw-redundant.yaml",
            "vra-ha-a",  # the pair runs as its members; vra-ha-a is master
            "tgw-dal-1",
            "172.20.10.0/24",
            "dal10-per",
            "tgw-dal-1-ibm",  # PowerVS reaches the router through the preferred tunnel's TGW
        ),
        (
            LAB_PLANS / "two-cloud-connections.yaml",
            "vra-dal12",
            "cc-dal12-a",
            "192.168.50.0/24",
            "dal12-prod",
            "cc-dal12-a",
        ),
    ],
)
def test_without_a_failure_the_preferred_link_carries_both_ways(
    plan: Path, router: str, preferred: str, towards: str, ibm: str, back: str
) -> None:
    """Issue 13: the first link to a workspace is preferred; the backup's lower
    local-preference keeps the router on it, its AS prepend keeps the far end on it."""
    run = run_cli(["lab", "--locked", "--json", str(plan)])
    assert run.exit_code == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    chosen = _chosen(result)
    assert chosen[(router, towards)] == preferred
    returns = {via for (node, _), via in chosen.items() if node == ibm}
    assert returns == {back}
    assert all(c["reaches"] for c in result["matrix"])


@needs_lab
@pytest.mark.parametrize(
    ("plan", "preferred", "backup"),
    [
        (ROOT / "samples" / "vra-ha-tgw-redundant.yaml", "tgw-dal-1", "tgw-dal-2"),
        (LAB_PLANS / "two-cloud-connections.yaml", "cc-dal12-a", "cc-dal12-b"),
    ],
)
def test_failing_the_preferred_link_restores_reach_through_the_backup(
    plan: Path, preferred: str, backup: str
) -> None:
    run = run_cli(["lab", "--locked", "--json", "--fail", preferred, str(plan)])
    assert run.exit_code == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    states = {s["link"]: s["state"] for s in result["sessions"]}
    assert states[preferred] == "down (--fail: far end silent)"
    assert states[backup] == "Established"
    assert result["matrix"] and all(c["reaches"] for c in result["matrix"])
    assert preferred not in set(_chosen(result).values())


def test_not_root_exits_2_saying_how(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.os, "geteuid", lambda: 1000)
    run = run_cli(["lab", str(ROOT / "samples" / "megaport-multi-location.yaml")])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: cannot run the lab: the lab creates network namespaces, which needs "
        "root: run `sudo vra-config lab ...`\n"
    )


def test_no_frr_exits_2_saying_how(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.os, "geteuid", lambda: 0)
    monkeypatch.setattr(runner.sys, "platform", "linux")
    monkeypatch.setattr(runner.shutil, "which", lambda name: "/usr/sbin/ip")
    monkeypatch.setattr(runner.daemons, "find_frr", lambda: None)
    run = run_cli(["lab", str(ROOT / "samples" / "megaport-multi-location.yaml")])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: cannot run the lab: FRR (zebra, staticd, bgpd and vtysh) is not "
        "installed; install FRR: `sudo apt-get install frr` on Debian or Ubuntu "
        "(https://docs.frrouting.org/en/stable-8.4/installation.html)\n"
    )


def test_not_linux_exits_2_saying_how(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner.sys, "platform", "darwin")
    run = run_cli(["lab", str(ROOT / "samples" / "megaport-multi-location.yaml")])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: cannot run the lab: the lab needs Linux network namespaces; this is "
        "darwin. Run it on a Linux machine or VM\n"
    )


def test_unknown_failed_link_is_a_usage_error() -> None:
    run = run_cli(["lab", "--fail", "nope", str(ROOT / "samples" / "megaport-multi-location.yaml")])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: --fail nope: no such connection in the plan (vxc-dal13, vxc-wdc04)\n"
    )


def test_plan_without_devices_has_nothing_to_run() -> None:
    plan = ROOT / "samples" / "private-ssl.yaml"
    run = run_cli(["lab", str(plan)])
    assert run.exit_code == 0
    assert run.stdout == (
        f"{plan}: nothing to run: the plan has no router, and no site that names a vendor\n"
    )


@needs_lab
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_tears_the_lab_down(signum: int) -> None:
    """Stopped mid-run, the lab removes every namespace and daemon it started."""
    plan = ROOT / "samples" / "megaport-multi-location.yaml"
    process = subprocess.Popen(
        [sys.executable, "-m", "vra_config", "lab", str(plan)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(_lab_daemons(process.pid)) < 9:  # 3 nodes x 3
        time.sleep(0.05)
    pids = _lab_daemons(process.pid)
    ours = {_namespace_of(pid) for pid in pids}
    assert len(ours) == 3, "the lab did not start its namespaces"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == "vra-config: interrupted; the lab was torn down"
    assert not (_namespaces() & ours)
    assert not [pid for pid in pids if _alive(pid)]


def _lab_daemons(parent: int) -> set[int]:
    """Pids of the FRR daemons one lab run (process `parent`) started: other lab runs on a
    shared machine are not ours to count."""
    out = set()
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"/vra-lab-" in cmdline and b"frr.conf" in cmdline:
            out.add(int(proc.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return bool(Path(f"/proc/{pid}/cmdline").read_bytes())  # a zombie's is empty
    except OSError:
        return False


def _namespace_of(pid: int) -> str:
    found = subprocess.run(["ip", "netns", "identify", str(pid)], capture_output=True, text=True)
    return found.stdout.strip()


@needs_lab
def test_keep_leaves_the_lab_up_and_says_how_to_remove_it() -> None:
    run = run_cli(["lab", "--keep", str(ROOT / "samples" / "megaport-multi-location.yaml")])
    ours = set(re.findall(r"ip netns exec (\S+) vtysh", run.stderr))
    pids = _lab_daemons(os.getpid())
    try:
        assert run.exit_code == 0, run.stdout + run.stderr
        lines = [line for line in run.stderr.splitlines() if not line.startswith("lab: ")]
        assert lines[0] == "--keep: the lab is still running. Inspect a device with:"
        assert len(ours) == 3
        assert ours <= _namespaces(), "--keep must leave the namespaces up"
        removal = lines[-1].strip().replace("sudo ", "")
        assert removal.startswith("for ns in ")
    finally:
        subprocess.run(["bash", "-c", removal], check=False)
    assert not (_namespaces() & ours)
    deadline = time.monotonic() + 10  # the daemons stop on SIGTERM, not at once
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pids) == 9
    assert not [pid for pid in pids if _alive(pid)]
