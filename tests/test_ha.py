"""High availability: a VRA pair renders one file per member, every tunnel on the pair's VRRP
virtual addresses, identical tunnels on both members, and IBM's VRRP rules in every line."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import render_locked, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.pipeline import check_text, render_checked
from vra_config.planner.ha import OWNER_PRIORITY

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "vra-ha-tgw-redundant.yaml"
VRRP = re.compile(r"^set interfaces bonding dp0bond[01] vrrp ")
ENDPOINT = re.compile(
    r"^set (?:interfaces tunnel tun\d+ local-ip|security vpn ipsec site-to-site peer \S+ "
    r"(?:local-address|authentication id)) (\S+)$"
)


def _members(text: str) -> dict[str, list[str]]:
    """{member: its set lines} from `render` output of a pair."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"# vra-config: router (\S+) \(IBM Cloud classic, member of VRRP pair", line)
        if m:
            current = m.group(1)
            out[current] = []
        elif line.startswith("# vra-config: router"):
            current = None
        elif current and line.startswith("set "):
            out[current].append(line)
    return out


def _sample_render() -> dict[str, list[str]]:
    run = render_locked(SAMPLE, "vyatta")
    assert run.exit_code == 0, run.stderr
    return _members(run.stdout)


def test_one_file_per_member_and_no_pair_file() -> None:
    members = _sample_render()
    assert sorted(members) == ["vra-ha-a", "vra-ha-b"]
    run = render_locked(SAMPLE, "vyatta")
    assert "router vra-ha (" not in run.stdout  # the pair itself is not a device


def test_both_members_carry_identical_tunnels_routes_and_policies() -> None:
    a, b = _sample_render().values()
    assert [x for x in a if not VRRP.match(x)] == [x for x in b if not VRRP.match(x)]


def test_no_tunnel_endpoint_on_a_members_own_address() -> None:
    plan = yaml.safe_load(SAMPLE.read_text())["routers"]["vra-ha"]
    own = {
        str(addr).split("/")[0]
        for m in plan["ha"]["members"].values()
        for addr in (m["private"], m["public"])
    }
    vips = {plan["private"]["address"].split("/")[0], plan["public"]["address"].split("/")[0]}
    for lines in _sample_render().values():
        endpoints = {m.group(1) for line in lines if (m := ENDPOINT.match(line))}
        assert endpoints, "the sample has GRE and IPsec"
        assert endpoints <= vips
        assert not endpoints & own


def test_ibm_vrrp_rules_hold() -> None:
    for member, lines in _sample_render().items():
        vrrp = [x for x in lines if VRRP.match(x)]
        priorities = {int(x.split()[-1]) for x in vrrp if " priority " in x}
        assert len(priorities) == 1 and max(priorities) < OWNER_PRIORITY, member
        groups = {" ".join(x.split()[:7]) for x in vrrp}
        for group in groups:
            assert f"{group} preempt false" in vrrp
            assert f"{group} advertise-interval 1" in vrrp
        assert len({x.split()[-1] for x in vrrp if " sync-group " in x}) == 1
        assert any(
            x.startswith("set interfaces bonding dp0bond1") and x.endswith("notify ipsec")
            for x in vrrp
        )


def test_ibm_is_told_the_virtual_address() -> None:
    run = run_cli(["plan", "--locked", str(SAMPLE)])
    assert run.exit_code == 0, run.stderr
    assert "remote_gateway_ip 10.186.22.10," in run.stdout
    assert "10.186.22.11" not in run.stdout and "10.186.22.12" not in run.stdout


def test_router_option_takes_a_member() -> None:
    run = run_cli(["render", "--locked", "--vendor", "vyatta", "--router", "vra-ha-b", str(SAMPLE)])
    assert run.exit_code == 0, run.stderr
    assert list(_members(run.stdout)) == ["vra-ha-b"]


def test_vsrx_refuses_a_vra_pair() -> None:
    """It used to render one stand-alone vSRX on reth1.0, with no failover (issue 20, item
    5); the exact text is in tests/test_gate.py."""
    run = run_cli(["render", "--locked", "--vendor", "vsrx", str(SAMPLE)])
    assert run.exit_code == 1
    assert run.stdout == ""
    assert " VRC952 routers.vra-ha.ha: " in run.stderr


PAIR = """\
version: 1
routers:
  gw:
    vendor: vyatta
    asn: 64880
    private: {{address: 10.186.0.{vip}/24, gateway: 10.186.0.1}}
    advertise: [10.186.0.0/24]
    ha:
      private_group: {group}
      sync_group: s1
      members:
        gw-a: {{private: 10.186.0.{a}/24, priority: {pa}}}
        gw-b: {{private: 10.186.0.{b}/24, priority: {pb}}}
powervs:
  ws: {{location: dal10, subnets: [172.20.0.0/24]}}
pools: {{tunnels: [172.16.0.0/24]}}
connections:
  t1:
    router: gw
    powervs: ws
    via: transit-gateway
    transit_gateway: {{gateway_ip: 192.168.255.1, asn: 64490}}
"""


@settings(max_examples=25, deadline=None)
@given(
    hosts=st.lists(st.integers(2, 254), min_size=3, max_size=3, unique=True),
    priorities=st.lists(st.integers(1, 254), min_size=2, max_size=2, unique=True),
    group=st.integers(1, 255),
)
def test_property_members_differ_only_in_vrrp_priority(
    hosts: list[int], priorities: list[int], group: int
) -> None:
    vip, a, b = hosts
    text = PAIR.format(vip=vip, a=a, b=b, pa=priorities[0], pb=priorities[1], group=group)
    files = render_checked(check_text(text))
    assert sorted(files) == ["gw-a.vyatta.set", "gw-b.vyatta.set"]
    lines = {n: [x for x in t.splitlines() if x.startswith("set ")] for n, t in files.items()}
    rest = [[x for x in v if not VRRP.match(x)] for v in lines.values()]
    assert rest[0] == rest[1]
    assert f"set interfaces tunnel tun0 local-ip 10.186.0.{vip}" in rest[0]
    for name, p in (("gw-a.vyatta.set", priorities[0]), ("gw-b.vyatta.set", priorities[1])):
        assert (
            f"set interfaces bonding dp0bond0 vrrp vrrp-group {group} priority {p}" in lines[name]
        )
        assert f"vrrp-group {group} virtual-address 10.186.0.{vip}/24" in files[name]
        own = a if name.startswith("gw-a") else b
        assert not re.search(rf"(?<![\d.])10\.186\.0\.{own}(?!\d)", files[name])


def test_no_notify_bgp_and_ipsec_notify_only_on_the_public_group() -> None:
    """DANOS made IPsec the sole keepalived notify user (danos/vyatta-vrrp 82c2932): `notify
    bgp` commits and does nothing, so it is not rendered."""
    for lines in _sample_render().values():
        notify = [line for line in lines if " notify " in line]
        assert notify == ["set interfaces bonding dp0bond1 vrrp vrrp-group 1 notify ipsec"]


def test_every_session_of_a_member_retries_every_five_seconds() -> None:
    """The new master opens its sessions at its next connect retry, not FRR's 120 s."""
    for lines in _sample_render().values():
        peers = {
            m.group(1) for line in lines if (m := re.match(r".* neighbor (\S+) remote-as", line))
        }
        connect = {
            m.group(1)
            for line in lines
            if (m := re.match(r"set protocols bgp 64880 neighbor (\S+) timers connect 5$", line))
        }
        assert peers == connect == {"169.254.100.2", "172.16.10.1", "172.16.10.5"}
    single = run_cli(
        ["render", "--locked", "--vendor", "vyatta", str(SAMPLE.parent / "powervs-tgw-gre.yaml")]
    )
    assert single.exit_code == 0, single.stderr
    assert "timers connect" not in single.stdout


def test_each_member_header_states_the_failover_its_timers_imply() -> None:
    run = render_locked(SAMPLE, "vyatta")
    header = [line for line in run.stdout.splitlines() if "vra-ha-b" in line and "# " in line]
    assert header[-2:] == [
        "# Failover to vra-ha-b: it takes the VIPs 3.0 s after vra-ha-a falls silent (3 x "
        "advertise-interval 1 s + skew (256-253)/256 s; RFC 3768 6.1).",
        "# Then BGP: vra-ha-b retries each session every 5 s (timers connect); the far end "
        "accepts once its session with the old master is gone: at its next keepalive (30 s), "
        "which vra-ha-b answers with a TCP reset, or at worst when its hold timer (90 s) "
        "expires.",
    ]
    text = run.stdout
    assert (
        text.count("# Implied: routes back within about 38 s, 98 s at worst, plus the OPEN ") == 2
    )
    assert (
        text.count("topic=virtual-router-appliance-upgrade-issues#Common-Issues-1912-to-2012") == 2
    )


def test_the_labs_frr_runs_the_members_connect_retry() -> None:
    """The lab's FRR for a member carries the same `timers connect` as the Vyatta lines."""
    from vra_config.intent.pairs import member_intents
    from vra_config.intent.router import router_intents
    from vra_config.targets.routers import frr

    checked = check_text(SAMPLE.read_text(encoding="utf-8"))
    pair = router_intents(checked.address_plan)["vra-ha"]
    member = member_intents(pair, checked.plan.routers["vra-ha"])["vra-ha-b"]
    conf = frr.render(member, "x")
    assert conf.count(" timers connect 5\n") == 3
    assert "timers connect" not in frr.render(pair, "x")
