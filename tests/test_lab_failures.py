"""The failure lab (issue 18): failures as they happen, the failure matrix, scaled timers,
point-to-point wires, probe hosts, overlap refusal, JSON when there is nothing to run, and
teardown after a signal mid-matrix.

The pure parts run everywhere; the ones that run FRR need Linux, root, FRR and nftables and
skip elsewhere, saying why. The lab runs here are shared between asserts where they can be
(one lab for the silent and the interface-down failure).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli, sample_plans
from test_lab import _alive, _lab_daemons, _namespace_of, _namespaces, needs_lab

from vra_config.lab import daemons, faults, matrix, report, runner, settle, timers
from vra_config.lab.failures import Candidate, baseline_pairs, candidates, power_off_candidates
from vra_config.lab.faults import Failure, parse
from vra_config.lab.paths import shown, tables, trace
from vra_config.lab.production import Production, production
from vra_config.lab.topology import Topology, as_master, build, lab_hosts, overlaps
from vra_config.pipeline import check_file
from vra_config.planner.records import AddressPlan

REDUNDANT = ROOT / "samples" / "vra-ha-tgw-redundant.yaml"
SAME_ASN = ROOT / "tests" / "lab" / "two-cc-same-asn.yaml"
#: the same shape with a router that names no vendor: the vSRX renders it (`as-override`),
#: the Vyatta refuses it (VRC907, issue 19)
SAME_ASN_ANY = ROOT / "tests" / "lab" / "same-asn-backup.yaml"


def _plan(path: Path, vendor: str | None = None) -> AddressPlan:
    return check_file(path, vendor=vendor).address_plan


def _topology(path: Path) -> Topology:
    return build(_plan(path))


# --- pure: what is failed, and what must survive -------------------------------------------


def test_fail_option_names_the_failure_kind() -> None:
    assert parse("tgw-dal-1") == Failure("silent", "tgw-dal-1")
    assert parse("dl-port:down") == Failure("down", "dl-port")
    assert parse("power-off:vra-ha-a") == Failure("power-off", "vra-ha-a")
    assert str(Failure("silent", "x")) == "x (far end silent)"


def test_redundant_tunnels_each_have_an_alternative() -> None:
    ap = _plan(REDUNDANT)
    found, skipped = candidates(ap, build(ap))
    assert [c.failure for c in found] == [
        Failure("silent", "tgw-dal-1"),
        Failure("silent", "tgw-dal-2"),
        Failure("power-off", "vra-ha-a"),  # the VRA pair's members (VRRP), one at a time
        Failure("power-off", "vra-ha-b"),
    ]
    # vpn-dc-east is not emulated (dc-east names no vendor); the pair's VLANs are not links
    assert skipped == []
    # the pair advertises 10.30.0.0/16 alone (not its own subnet, VRC903): two pairs
    for c in found:
        assert len(c.survive) == 2 and c.no_alternative == ()


def test_a_single_link_has_no_alternative_and_is_not_failed() -> None:
    ap = _plan(ROOT / "samples" / "powervs-tgw-gre.yaml")
    found, skipped = candidates(ap, build(ap))
    assert found == []
    assert skipped == ["tgw-wdc06"]


def test_a_link_whose_pairs_have_no_alternative_reports_them_as_such() -> None:
    """cc-wdc06 is the only way to wdc06-dr: not failed. cc-dal12-a has the backup, so the
    pairs between the workspaces must survive it; nothing is without an alternative there.
    (As the vSRX renders it: the Vyatta refuses this plan, VRC907.)"""
    ap = _plan(SAME_ASN_ANY, "vsrx")
    found, skipped = candidates(ap, build(ap, (), "vsrx"))
    assert skipped == ["cc-wdc06"]
    by_link = {c.failure.target: c for c in found}
    assert sorted(by_link) == ["cc-dal12-a", "cc-dal12-b"]
    assert [len(c.survive) for c in found] == [2, 2]
    assert [c.no_alternative for c in found] == [(), ()]


def test_every_ha_pair_member_is_powered_off_with_every_pair_required() -> None:
    ap = _plan(REDUNDANT)
    topology = build(ap)
    assert power_off_candidates(topology) == ["vra-ha-a", "vra-ha-b"]
    found, _ = candidates(ap, topology)
    off = [c for c in found if c.failure.kind == "power-off"]
    assert [c.failure.target for c in off] == ["vra-ha-a", "vra-ha-b"]
    assert [len(c.survive) for c in off] == [2, 2]


def test_a_pair_judged_on_either_member_as_master() -> None:
    """After a power-off and on, VRRP may leave the VIPs on the other member: the matrix
    judges the pair on whichever member is master (`as_master`)."""
    topology = _topology(REDUNDANT)
    assert as_master(topology, "vra-ha-a") == topology
    swapped = as_master(topology, "vra-ha-b")
    assert sorted(swapped.nodes) == sorted(topology.nodes)
    ends = {w.name: (w.a.node, w.b.node) for w in swapped.wires}
    assert ends["tgw-dal-1"] == ("vra-ha-b", "tgw-dal-1-tgw")
    assert ends["vra-ha-priv"] == ("vra-ha-a", "vra-ha-b")
    assert swapped.expected["vra-ha-b"] == topology.expected["vra-ha-a"]
    assert swapped.expected["vra-ha-a"] == topology.expected["vra-ha-b"]
    assert {n.owner for n in swapped.networks if n.owner.startswith("vra-ha")} == {"vra-ha-b"}


def test_power_off_drops_the_node_sessions_at_its_neighbours_only() -> None:
    topology = _topology(REDUNDANT)
    gone, kept = settle.failed_sessions(topology, Failure("power-off", "vra-ha-a"))
    assert sorted(gone) == [("tgw-dal-1-tgw", "172.16.10.2"), ("tgw-dal-2-tgw", "172.16.10.6")]
    assert sorted(kept) == [
        ("dal10-per", "100.64.0.1"),
        ("dal10-per", "100.64.0.5"),
        ("tgw-dal-1-tgw", "100.64.0.2"),
        ("tgw-dal-2-tgw", "100.64.0.6"),
    ]


# --- pure: timers ----------------------------------------------------------------------------


def test_timers_come_from_the_rendered_intent_with_the_factor_said() -> None:
    topology = _topology(REDUNDANT)
    assert timers.describe(topology) == [
        "BGP timers scaled 30x down: rendered keepalive 30 s / hold 90 s, lab 1 s / 3 s "
        "(connect 1 s) on tgw-dal-1, tgw-dal-2"
    ]
    rendered = timers.rendered(topology, topology.wires[0])
    assert rendered == timers.Timers(30, 90)
    # detection scales to the rendered hold time; what follows detection does not
    assert timers.production_seconds(rendered, 3.5) == 90.5
    overlay = timers.overlay("vra-ha-a", topology)
    assert " neighbor 172.16.10.1 timers 1 3\n neighbor 172.16.10.1 timers connect 1\n" in overlay
    assert overlay.startswith("! vra-config lab: scaled BGP timers")


# --- pure: what a failure means in production, as fields ---------------------------------


def _candidate(topology: Topology, failure: Failure) -> Candidate:
    pairs = tuple(baseline_pairs(topology))
    return Candidate(failure, pairs, ())


def test_a_silent_link_that_carried_pairs_is_an_outage_with_its_numbers() -> None:
    topology = _topology(REDUNDANT)
    candidate = _candidate(topology, Failure("silent", "tgw-dal-1"))
    said = production(topology, candidate, 3.5, list(candidate.survive))
    assert said == Production(
        kind="outage",
        failure="silent",
        hold=90,
        factor=30.0,
        devices=("dal10-per", "vra-ha-a"),
        seconds=90.5,
    )
    assert said.message == (
        "in production (hold 90 s, 30x the lab's): traffic between dal10-per, vra-ha-a that it "
        "carried is lost for up to 90 s after the far end goes silent"
    )


def test_a_backup_link_that_carried_nothing_loses_nothing() -> None:
    topology = _topology(REDUNDANT)
    said = production(topology, _candidate(topology, Failure("silent", "tgw-dal-2")), 3.0, [])
    assert (said.kind, said.hold, said.factor, said.devices, said.seconds) == (
        "nothing-carried", 90, 30.0, (), None,
    )  # fmt: skip
    assert said.message.endswith("noticed up to 90 s after the far end goes silent")


def test_an_interface_down_and_a_static_link_say_why_the_measured_time_holds() -> None:
    topology = _topology(REDUNDANT)
    down = production(topology, _candidate(topology, Failure("down", "tgw-dal-1")), 0.0, [])
    assert down == Production(kind="noticed-at-once", failure="down")
    # no BGP session crosses the pair's VLAN between its members
    said = production(topology, _candidate(topology, Failure("silent", "vra-ha-priv")), 1.0, [])
    assert said == Production(kind="static-only", failure="silent")


def test_a_pair_member_powered_off_is_vrrp_or_nothing_for_the_backup() -> None:
    topology = _topology(REDUNDANT)
    master = production(topology, _candidate(topology, Failure("power-off", "vra-ha-a")), 5.0, [])
    assert (master.kind, master.node, master.pair) == ("vrrp", "vra-ha-a", "vra-ha")
    assert master.notes and master.notes[0].startswith("Failover to vra-ha-b:")
    backup = production(topology, _candidate(topology, Failure("power-off", "vra-ha-b")), 0.0, [])
    assert backup == Production(
        kind="backup-member", failure="power-off", node="vra-ha-b", pair="vra-ha"
    )
    assert backup.message == (
        "in production: vra-ha-b is the backup of vra-ha: the master keeps the VIPs and the "
        "sessions, nothing is lost"
    )


def _row(topology: Topology) -> matrix.Row:
    """A measured row of tgw-dal-1 going silent: one pair survives over the other tunnel,
    one is lost into the dead one, as the matrix would record it."""
    candidate = _candidate(topology, Failure("silent", "tgw-dal-1"))
    ok, lost = candidate.survive
    return matrix.Row(
        candidate=candidate,
        settled=True,
        detected=3.0,
        converged=3.5,
        survived=((ok, ("tgw-dal-2", "tgw-dal-2-ibm")),),
        lost=((lost, None),),
        no_alternative=(),
        restored=True,
        restore_seconds=4.0,
        production=production(topology, candidate, 3.5, [ok, lost]),
    )


def test_a_failure_row_in_json_has_its_verdict_links_and_production_numbers() -> None:
    topology = _topology(REDUNDANT)
    row = _row(topology)
    m = matrix.Matrix(
        plan="p.yaml",
        topology=topology,
        baseline=None,
        rows=(row,),
        no_alternative_links=(),
        timers=(),
    )
    data = json.loads(json.dumps(matrix.as_json(m)))["failures"][0]
    assert data["passed"] is False and row.passed is False  # a pair is lost
    assert data["survived"][0]["path"] == "tgw-dal-2"
    assert data["survived"][0]["links"] == ["tgw-dal-2"]
    assert (data["lost"][0]["path"], data["lost"][0]["links"]) == ("no path", None)
    assert data["in_production"]["seconds"] == 90.5
    assert data["production"] == data["in_production"]["message"] == row.production.message
    assert Production.from_row(data["in_production"]) == row.production
    text = matrix.as_text(m)
    assert "  ok    " in text and ": reaches via tgw-dal-2\n" in text
    assert ": does not reach (table path: no path)\n" in text


# --- pure: fidelity ------------------------------------------------------------------------


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.stem)
def test_probes_come_from_hosts_that_are_not_router_addresses(plan: Path) -> None:
    topology = _topology(plan)
    routers = {a.ip for n in topology.nodes.values() for _, a in n.lans}
    routers |= {end.address.ip for w in topology.wires for end in (w.a, w.b)}
    for node in topology.nodes.values():
        if node.intent is not None:
            routers |= {r.next_hop for r in node.intent.static_routes if r.next_hop}
    for net in topology.networks:
        if net.lan is not None:
            assert net.host not in routers, f"{net.prefix}: probe from a router address"
            assert net.host in net.prefix
    assert overlaps(topology) == []


def test_probe_host_sits_behind_the_lan_with_the_router_as_gateway(tmp_path: Path) -> None:
    """The probe host takes the highest address of the LAN that no router, gateway or next
    hop uses, with the LAN's device as its gateway: a workspace's subnets, and a router's own
    subnet where a plan advertises it (VRC903 warns, and the samples no longer do)."""
    hosts = lab_hosts(_topology(ROOT / "samples" / "powervs-tgw-gre.yaml"))
    assert hosts == {
        "wdc06-per": [
            ("lan0", IPv4Interface("172.20.10.254/24"), IPv4Address("172.20.10.1")),
            ("lan1", IPv4Interface("198.51.100.254/24"), IPv4Address("198.51.100.1")),
        ]
    }
    behind = "      - 10.30.0.0/16                 # networks behind the gateway\n"
    own = _advertising_own_subnet(
        tmp_path, "powervs-tgw-gre", behind, behind + "      - 10.186.22.0/26\n"
    )
    assert lab_hosts(_topology(own))["vra-wdc06"] == [
        ("priv", IPv4Interface("10.186.22.62/26"), IPv4Address("10.186.22.10"))
    ]


def _advertising_own_subnet(tmp_path: Path, sample: str, old: str, new: str) -> Path:
    """The sample with the router's own subnet added to its `advertise` (a warning, VRC903),
    beside a copy of its lock."""
    text = (ROOT / "samples" / f"{sample}.yaml").read_text(encoding="utf-8")
    assert old in text
    plan = tmp_path / f"{sample}.yaml"
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    lock = (ROOT / "samples" / f"{sample}.lock.yaml").read_text(encoding="utf-8")
    (tmp_path / f"{sample}.lock.yaml").write_text(lock, encoding="utf-8")
    return plan


def test_a_pair_network_on_its_vlan_answers_at_the_vip(tmp_path: Path) -> None:
    """The pair's private VLAN is the wire between its members (VRRP runs there): a probe
    of its subnet, where a plan advertises it, comes from the VIP, which keepalived puts on
    the master."""
    topology = _topology(
        _advertising_own_subnet(
            tmp_path,
            "vra-ha-tgw-redundant",
            "advertise: [10.30.0.0/16]",
            "advertise: [10.30.0.0/16, 10.186.22.0/26]",
        )
    )
    net = next(n for n in topology.networks if n.prefix == IPv4Network("10.186.22.0/26"))
    assert (net.owner, net.host, net.lan) == ("vra-ha-a", IPv4Address("10.186.22.10"), None)
    assert "vra-ha-a" not in lab_hosts(topology)


def _overlapping() -> Topology:
    topology = _topology(REDUNDANT)
    ws = topology.nodes["dal10-per"]
    clash = replace(ws, lans=(*ws.lans, ("lan9", IPv4Interface("172.16.10.1/29"))))
    return replace(topology, nodes={**topology.nodes, "dal10-per": clash})


OVERLAP_TEXT = (
    "LAN 172.16.10.0/29 of dal10-per (lan9) overlaps link tgw-dal-1 (172.16.10.0/30); "
    "LAN 172.16.10.0/29 of dal10-per (lan9) overlaps link tgw-dal-2 (172.16.10.4/30)"
)


def test_overlapping_lan_and_link_are_named() -> None:
    assert "; ".join(overlaps(_overlapping())) == OVERLAP_TEXT


def test_ha_pair_members_may_share_their_lan() -> None:
    topology = _topology(REDUNDANT)
    lan = ("lan1", IPv4Interface("10.30.0.1/24"))
    a = replace(topology.nodes["vra-ha-a"], lans=(lan,))
    b = replace(topology.nodes["vra-ha-b"], lans=(lan,))
    shared = replace(topology, nodes={**topology.nodes, "vra-ha-a": a, "vra-ha-b": b})
    assert overlaps(shared) == []


def test_the_lab_refuses_overlapping_networks_with_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "build", lambda *_: _overlapping())
    run = run_cli(["lab", "--locked", str(REDUNDANT)])
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "vra-config: cannot run the lab: the lab cannot build this plan, its networks "
        f"overlap: {OVERLAP_TEXT}. Give each LAN and each link its own addresses (the lab "
        "would route one into the other)\n"
    )


# --- pure: paths ---------------------------------------------------------------------------


def test_the_path_follows_each_router_table_through_the_wires() -> None:
    topology = _topology(REDUNDANT)

    def route(protocol: str, interface: str, connected: bool = False) -> list[dict[str, Any]]:
        hop = {"interfaceName": interface, "active": True, "directlyConnected": connected}
        return [{"selected": True, "protocol": protocol, "nexthops": [hop]}]

    raw = {
        "vra-ha-a": {"172.20.10.0/24": route("bgp", "tun1")},
        "tgw-dal-2-tgw": {"172.20.10.0/24": route("bgp", "l3")},
        "dal10-per": {"172.20.10.0/24": route("connected", "lan0", connected=True)},
    }
    path = trace(topology, tables(raw), "vra-ha-a", IPv4Address("172.20.10.254"))
    assert path == ["tgw-dal-2", "tgw-dal-2-ibm"]
    assert shown(path) == "tgw-dal-2"
    assert (
        trace(topology, tables({"vra-ha-a": {}}), "vra-ha-a", IPv4Address("172.20.10.254")) is None
    )


def test_silent_far_end_drops_ip_and_arp_on_that_interface_only() -> None:
    rules = faults.silent_rules("t", "l0")
    assert 'chain input { type filter hook input priority -300; iifname "l0" drop; }' in rules
    assert 'chain output { type filter hook output priority -300; oifname "l0" drop; }' in rules
    assert "table arp t {" in rules
    assert "policy drop" not in rules


# --- CLI, no lab needed ----------------------------------------------------------------------


def test_json_when_there_is_nothing_to_run() -> None:
    plan = ROOT / "samples" / "private-ssl.yaml"
    run = run_cli(["lab", "--json", str(plan)])
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout) == {
        "plan": str(plan),
        "passed": True,
        "nothing_to_run": "nothing to run: the plan has no router, and no site that names a vendor",
    }


def test_failures_with_nothing_to_fail_passes_saying_so() -> None:
    plan = ROOT / "samples" / "powervs-tgw-gre.yaml"
    run = run_cli(["lab", "--locked", "--failures", str(plan)])
    assert run.exit_code == 0, run.stderr
    assert "not failed: tgw-wdc06: no pair of the plan has an alternative to it\n" in run.stdout
    assert run.stdout.endswith(
        f"{plan}: nothing to fail: no link with an alternative and no HA member\n"
    )
    as_json = json.loads(run_cli(["lab", "--locked", "--failures", "--json", str(plan)]).stdout)
    assert as_json["passed"] is True and as_json["nothing_to_fail"] is True
    assert as_json["not_failed_no_alternative"] == ["tgw-wdc06"]


def test_fail_and_failures_together_is_a_usage_error() -> None:
    run = run_cli(["lab", "--failures", "--fail", "tgw-dal-1", str(REDUNDANT)])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: --failures runs every failure itself: give --fail or --failures, "
        "not both\n"
    )


def test_power_off_is_for_the_matrix() -> None:
    run = run_cli(["lab", "--locked", "--fail", "power-off:vra-ha", str(REDUNDANT)])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: --fail vra-ha: a power-off is run by --power-off MEMBER or by "
        "--failures\n"
    )


# --- the lab itself ----------------------------------------------------------------------------


def _ip(namespace: str, *args: str) -> str:
    return subprocess.run(
        ["ip", "-n", namespace, *args], capture_output=True, text=True, check=True
    ).stdout


@needs_lab
def test_silent_far_end_interface_down_and_power_off_in_one_lab() -> None:
    """Silent: tun0 stays up with its address and routes, BGP notices only by the hold
    timer, the backup carries. Down: the session drops at once. Power-off of a node: its
    neighbours notice by their hold timers. Each heals to the baseline."""
    ap = _plan(REDUNDANT)
    with runner.running(ap, "t", say=lambda _: None, scaled=True) as lab:
        assert runner.baseline(lab, "t", lambda _: None).passed
        base = settle.snapshot(lab.query, sorted(lab.topology.nodes))
        ns = lab.names["vra-ha-a"]
        host = IPv4Address("172.20.10.254")

        silent = Failure("silent", "tgw-dal-1")
        start = time.monotonic()
        faults.apply(silent, lab.topology, lab.names)
        states = settle.states(lab.query, ["vra-ha-a"])
        assert states[("vra-ha-a", "172.16.10.1")] == "Established"
        done = settle.after_failure(lab.query, lab.topology, silent, start)
        assert done.ok
        assert done.detected >= 1.0  # the hold timer (3 s), not the interface
        # the pair's link reaches both members through a bridge at the far end (VRRP moves
        # its address), so it keeps ARP; every other wire is point-to-point
        assert "state UP" in _ip(ns, "link", "show", "dev", "tun0")
        assert "NOARP" in _ip(lab.names["dal10-per"], "link", "show", "dev", "l1")
        assert "172.16.10.2/30" in _ip(ns, "address", "show", "dev", "tun0")
        assert "172.16.10.0/30 dev tun0" in _ip(ns, "route")
        assert trace(lab.topology, done.tables, "vra-ha-a", host) == ["tgw-dal-2", "tgw-dal-2-ibm"]
        faults.heal(silent, lab.topology, lab.names)
        assert settle.restored(lab.query, lab.topology, base)[0]

        down = Failure("down", "tgw-dal-1")
        start = time.monotonic()
        faults.apply(down, lab.topology, lab.names)
        near = ("vra-ha-a", "172.16.10.1")
        while time.monotonic() - start < 1.5 and settle.states(lab.query, ["vra-ha-a"])[near] == (
            "Established"
        ):
            time.sleep(0.1)
        # the near end resets at once (fast external failover, no hold timer); the far end,
        # a bridge to both members of the pair that keeps its carrier, by its hold timer
        assert settle.states(lab.query, ["vra-ha-a"])[near] != "Established"
        done = settle.after_failure(lab.query, lab.topology, down, start)
        assert done.ok
        assert done.detected < 5.0
        assert "state DOWN" in _ip(ns, "link", "show", "dev", "tun0")
        assert trace(lab.topology, done.tables, "vra-ha-a", host) == ["tgw-dal-2", "tgw-dal-2-ibm"]
        faults.heal(down, lab.topology, lab.names)
        assert settle.restored(lab.query, lab.topology, base)[0]

        # power-off: the first Transit Gateway stand-in goes silent on every interface
        off = Failure("power-off", "tgw-dal-1-tgw")
        start = time.monotonic()
        faults.apply(off, lab.topology, lab.names)
        done = settle.after_failure(lab.query, lab.topology, off, start)
        assert done.ok and done.detected >= 1.0
        assert trace(lab.topology, done.tables, "vra-ha-a", host) == ["tgw-dal-2", "tgw-dal-2-ibm"]
        assert trace(lab.topology, done.tables, "dal10-per", IPv4Address("10.30.0.1")) == [
            "tgw-dal-2-ibm",
            "tgw-dal-2",
        ]
        faults.heal(off, lab.topology, lab.names)
        assert settle.restored(lab.query, lab.topology, base)[0]
        assert (
            "vra_fail"
            not in subprocess.run(
                ["ip", "netns", "exec", lab.names["tgw-dal-1-tgw"], "nft", "list", "tables"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )


@needs_lab
def test_matrix_of_redundant_tgw_tunnels_passes() -> None:
    """IBM: a highly available GRE needs a tunnel in several zones; with either one's far
    end silent, every pair of the plan still reaches through the other (issue 13's lab
    failover, which tests/test_lab.py ran once per tunnel with the interface down)."""
    run = run_cli(["lab", "--locked", "--failures", "--json", str(REDUNDANT)])
    assert run.exit_code == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["passed"] is True
    assert [(f["kind"], f["target"]) for f in result["failures"]] == [
        ("silent", "tgw-dal-1"),
        ("silent", "tgw-dal-2"),
        ("power-off", "vra-ha-a"),
        ("power-off", "vra-ha-b"),
    ]
    for failure, other in zip(result["failures"], ["tgw-dal-2", "tgw-dal-1"], strict=False):
        assert failure["lost"] == [] and failure["restored"] is True, failure
        assert {s["path"] for s in failure["survived"]} == {other}, failure
        assert len(failure["survived"]) == 2
        assert failure["detected_seconds"] > 0
    assert result["failures"][0]["production"].startswith(
        "in production (hold 90 s, 30x the lab's): traffic between dal10-per, vra-ha-a that it "
        "carried is lost for up to "
    )
    assert "lab: failure 2/4: tgw-dal-2 (far end silent)" in run.stderr
    # the master powered off: the other member takes over, judged after the takeover
    master, backup = result["failures"][2], result["failures"][3]
    f = master["failover"]
    assert (f["powered_off"], f["new_master"]) == ("vra-ha-a", "vra-ha-b"), master
    assert None not in (f["vip_seconds"], f["bgp_seconds"], f["reach_seconds"]), master
    assert f["vip_seconds"] <= f["bgp_seconds"] <= f["reach_seconds"]
    assert master["lost"] == [] and master["restored"] is True, master
    assert {s["source_device"] for s in master["survived"]} >= {"vra-ha-b"}
    # healed, the pair is judged on whichever member holds the VIPs; then the other is off
    assert backup["lost"] == [] and backup["restored"] is True, backup
    assert len(backup["survived"]) == 2


@needs_lab
def test_matrix_names_pairs_lost_to_a_static_route_into_a_dead_tunnel() -> None:
    """Issue 18 "done when", and issue 19.1: the re-originating static route points at the
    preferred cloud connection's peer. With that far end silent the route stays (the tunnel
    stays up), so the traffic it carries is black-holed although the backup is up.

    Meaningful before and after the designs fix: while the rendered FRR configuration holds
    that single-next-hop static route, the matrix must name the lost pairs and exit 1; once
    the design no longer renders it, the matrix must pass; a design that refuses the plan
    instead (a rule ID) never reaches the lab."""
    checked = run_cli(["check", str(SAME_ASN)])
    if checked.exit_code == 1:  # the design refuses it: say so with a rule ID
        assert " VRC907 connections.cc-dal12-b: 192.168.50.0/24 reaches vra-dal12 over " in (
            checked.stderr
        ), checked.stderr
        return
    static_into_preferred = "ip route 192.168.50.0/24 172.16.3.5\n" in _frr_text()
    run = run_cli(["lab", "--failures", str(SAME_ASN)])
    if not static_into_preferred:
        assert run.exit_code == 0, run.stdout + run.stderr
        return
    assert run.exit_code == 1, run.stdout + run.stderr
    text = run.stdout
    failure = text.split("Failure: cc-dal12-a (far end silent)", 1)[1].split("\nFailure:", 1)[0]
    lost = [line.split(":")[0].strip() for line in failure.splitlines() if "LOST" in line]
    assert lost == [
        "LOST  10.148.252.64/26 (vra-dal12) → 192.168.50.0/24 (dal12-prod)",
        "LOST  192.168.50.0/24 (dal12-prod) → 10.148.252.64/26 (vra-dal12)",
        "LOST  192.168.50.0/24 (dal12-prod) → 192.168.61.0/24 (dal13-dr)",
        "LOST  192.168.61.0/24 (dal13-dr) → 192.168.50.0/24 (dal12-prod)",
    ]
    assert "does not reach (table path: cc-dal13 → cc-dal12-a)" in failure
    assert (
        text.splitlines()[-1]
        == f"{SAME_ASN}: FAIL: 2 failures, 4 lost pairs, in "
        + (text.splitlines()[-1].split(" in ")[-1])
    )


def _frr_text() -> str:
    """The FRR configuration the lab runs for the plan (what `render --target frr` would
    print), from the lab's own configuration builder."""
    from vra_config.lab.configs import all_configs

    return all_configs(_topology(SAME_ASN), "t")


@needs_lab
def test_sigterm_mid_matrix_leaves_no_namespace_daemon_or_rule() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "vra_config", "lab", "--locked", "--failures", str(REDUNDANT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 40
    line = ""
    while time.monotonic() < deadline and "lab: failure 1/4" not in line:
        line = process.stderr.readline()
    assert "lab: failure 1/4" in line, "the matrix did not reach its first failure"
    pids = _lab_daemons(process.pid)
    ours = {_namespace_of(pid) for pid in pids}
    prefix = next(iter(ours)).rsplit("-", 1)[0] + "-"
    time.sleep(1.0)  # mid-failure: the far end's nftables rules are in place
    process.send_signal(15)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == "vra-config: interrupted; the lab was torn down"
    assert not [n for n in _namespaces() if n.startswith(prefix)]  # hosts namespaces too
    assert not [pid for pid in pids if _alive(pid)]
    assert not list(Path("/tmp").glob(f"vra-lab-{prefix.split('-')[1]}-*"))


def test_the_verdict_line_names_what_was_not_run() -> None:
    assert report.not_run(_topology(REDUNDANT)) == (
        "; not run: site dc-east (no vendor), link vpn-dc-east (to dc-east, which is not run)"
    )
    assert report.not_run(_topology(ROOT / "samples" / "powervs-tgw-gre.yaml")) == ""


@needs_lab
def test_failures_without_nftables_exit_2_saying_how(monkeypatch: pytest.MonkeyPatch) -> None:
    which = runner.shutil.which
    monkeypatch.setattr(runner.shutil, "which", lambda name: None if name == "nft" else which(name))
    run = run_cli(["lab", "--locked", "--fail", "tgw-dal-1", str(REDUNDANT)])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: cannot run the lab: nftables' `nft` is missing, and the lab's failures "
        "drop packets with it: `sudo apt-get install nftables`\n"
    )


def test_several_vtysh_answers_are_told_apart_in_order() -> None:
    """One vtysh process answers a poll's commands for a node (`daemons.query_many`)."""
    text = '{\n "peers": {}\n}\n{"10.0.0.0/8": [{"selected": true}]}\n{}\n'
    assert daemons.split_answers(text) == [
        {"peers": {}},
        {"10.0.0.0/8": [{"selected": True}]},
        {},
    ]
    assert daemons.split_answers('{"a": 1}\n% Unknown command\n{}') == [{"a": 1}]
