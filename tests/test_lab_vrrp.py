"""A VRA pair in the lab: its two members with real VRRP (keepalived), the pair's links
reachable from both, and a power-off of the master that moves the VIPs, brings the sessions
back on the other member and restores reachability, with the times measured.

The topology and configuration tests are pure. The failover test needs Linux, root, FRR,
keepalived and nftables (CI installs them); elsewhere it skips, saying why.
"""

from __future__ import annotations

import os
import shutil
from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from vra_config.lab import runner, vrrp
from vra_config.lab.configs import node_config
from vra_config.lab.daemons import find_frr
from vra_config.lab.topology import Topology, build, take_over
from vra_config.pipeline import check_file

SAMPLE = ROOT / "samples" / "vra-ha-tgw-redundant.yaml"


def _topology() -> Topology:
    return build(check_file(SAMPLE).address_plan)


def _why_not() -> str | None:
    if os.uname().sysname != "Linux":
        return "the lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces); CI runs it as root"
    if find_frr() is None:
        return "FRR is not installed (sudo apt-get install frr); CI installs it"
    if vrrp.find_keepalived() is None:
        return "keepalived is not installed (sudo apt-get install keepalived); CI installs it"
    if shutil.which("nft") is None:
        return "nftables is not installed (sudo apt-get install nftables)"
    return None


WHY_NOT = _why_not()


def test_a_pair_runs_as_its_two_members_joined_by_its_vlans() -> None:
    t = _topology()
    assert "vra-ha" not in t.nodes
    assert {n: t.nodes[n].pair for n in ("vra-ha-a", "vra-ha-b")} == {
        "vra-ha-a": "vra-ha",
        "vra-ha-b": "vra-ha",
    }
    assert vrrp.pair_members(t) == {"vra-ha": ("vra-ha-a", "vra-ha-b")}
    vlans = {
        w.name: (w.a.address, w.b.address, w.bgp) for w in t.wires if w.name.startswith("vra-ha-")
    }
    assert vlans == {
        "vra-ha-priv": (IPv4Interface("10.186.22.11/26"), IPv4Interface("10.186.22.12/26"), False),
        "vra-ha-pub": (IPv4Interface("169.60.10.21/29"), IPv4Interface("169.60.10.22/29"), False),
    }
    # the pair's links end on the master, and both members reach their far ends
    links = [(w.name, m) for w, m in vrrp.pair_links(t, "vra-ha")]
    assert links == [("tgw-dal-1", "vra-ha-a"), ("tgw-dal-2", "vra-ha-a")]
    # the pair's own subnet is no longer advertised (issue 19, VRC903): what it routes is
    assert t.expected["vra-ha-b"] == {IPv4Network("10.30.0.0/16")}
    assert {n.owner for n in t.networks if n.prefix == IPv4Network("10.30.0.0/16")} == {"vra-ha-a"}
    assert IPv4Network("10.186.22.0/26") not in {n.prefix for n in t.networks}


def test_the_tunnel_addresses_follow_the_vips() -> None:
    """keepalived holds each tunnel's inner address in the group of the VIP the tunnel starts
    on, so only the master passes the tunnel's packets (IBM: a GRE on the secondary's VRRP
    address does not transmit or receive); zebra must not add them on both members."""
    t = _topology()
    conf = vrrp.keepalived_config(t, "vra-ha-b")
    assert conf.splitlines()[11:25] == [
        "vrrp_instance priv {",
        "    state BACKUP",
        "    interface priv",
        "    virtual_router_id 1",
        "    priority 253",
        "    advert_int 1",
        "    nopreempt",
        "    virtual_ipaddress {",
        "        10.186.22.10/26 dev priv",
        "        172.16.10.2/30 dev tun0 no_track",
        "        172.16.10.6/30 dev tun1 no_track",
        "    }",
        "}",
        "vrrp_instance pub {",
    ]
    assert "vrrp_sync_group vgroup1 {" in conf
    for member in ("vra-ha-a", "vra-ha-b"):
        frr = node_config(t.nodes[member], t, SAMPLE.name)
        assert "interface tun0\n ip address" not in frr
        assert frr.count(" timers connect 5\n") == 3


def test_the_lab_scales_bgp_timers_and_says_by_how_much() -> None:
    conf = " neighbor 172.16.10.1 timers 30 90\n neighbor 172.16.10.1 timers connect 5\n"
    assert vrrp.scale_timers(conf) == (
        " neighbor 172.16.10.1 timers 3 9\n neighbor 172.16.10.1 timers connect 1\n"
    )


def test_after_a_power_off_the_other_member_ends_the_links() -> None:
    t = take_over(_topology(), "vra-ha-a", "vra-ha-b")
    assert "vra-ha-a" not in t.nodes
    assert [(w.name, m) for w, m in vrrp.pair_links(t, "vra-ha")] == [
        ("tgw-dal-1", "vra-ha-b"),
        ("tgw-dal-2", "vra-ha-b"),
    ]
    assert not [w for w in t.wires if "vra-ha-a" in (w.a.node, w.b.node)]
    assert IPv4Network("172.20.10.0/24") in t.expected["vra-ha-b"]
    backup_off = take_over(_topology(), "vra-ha-b", "vra-ha-a")
    assert backup_off.expected["vra-ha-a"] == _topology().expected["vra-ha-a"]


def test_power_off_names_a_pair_member() -> None:
    run = run_cli(["lab", "--locked", "--power-off", "vra-ha", str(SAMPLE)])
    assert run.exit_code == 2
    assert "--power-off vra-ha: not a member of a VRA pair (vra-ha-a, vra-ha-b)" in run.stderr


@pytest.mark.skipif(WHY_NOT is not None, reason=f"lab not run: {WHY_NOT}")
@pytest.mark.parametrize(("off", "master"), [("vra-ha-a", "vra-ha-b"), ("vra-ha-b", "vra-ha-a")])
def test_a_power_off_leaves_one_master_and_every_pair_reaches(off: str, master: str) -> None:
    """The master powered off: the VIPs move, the sessions come back on the other member,
    every pair reaches again. The backup powered off: its keepalived becomes master inside
    the silent namespace, and none of its announcements (gratuitous ARP from a packet
    socket) may leak out and pull the tunnels' traffic to it."""
    said: list[str] = []
    result = runner.run_lab(
        check_file(SAMPLE).address_plan, SAMPLE.name, power_off=off, say=said.append
    )
    assert result.findings == [], result.findings  # the baseline
    assert all(c.reaches for c in result.cells if c.expected)
    f = result.failover
    assert f is not None and f.new_master == master
    assert f.vip is not None and f.bgp is not None and f.reach is not None
    assert f.vip <= f.bgp <= f.reach <= vrrp.FAILOVER_WAIT
    after = result.after
    assert after is not None and after.findings == [], after.findings if after else None
    assert off not in after.topology.nodes
    assert all(c.reaches for c in after.cells if c.expected)
    assert result.passed
    assert said[-1] == f"lab: powering off {off} (master now: vra-ha-a)"
    assert "lab: starting keepalived (VRRP) on vra-ha-a, vra-ha-b" in said


def test_the_ci_installs_keepalived_for_the_lab() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y -q frr keepalived" in ci
    assert "keepalived" in Path(ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(WHY_NOT is not None, reason=f"lab not run: {WHY_NOT}")
def test_power_off_and_on_a_namespace() -> None:
    """What the failure matrix calls: a powered-off namespace answers nothing, and answers
    again once powered on."""
    import json
    import subprocess
    import sys
    import uuid

    from vra_config.lab import netns

    ns = f"vra-vrrp-test-{uuid.uuid4().hex[:6]}"
    probe = [sys.executable, "-m", "vra_config.lab.probe", "1", "127.0.0.1,127.0.0.1"]

    def answers() -> bool:
        done = subprocess.run(
            netns.exec_args(ns, probe), capture_output=True, text=True, check=False
        )
        return bool(json.loads(done.stdout or "{}").get("127.0.0.1,127.0.0.1"))

    netns.add_namespace(ns)
    try:
        assert answers()
        vrrp.power_off(ns)
        assert not answers()
        vrrp.power_on(ns)
        assert answers()
    finally:
        netns.delete_namespace(ns)
