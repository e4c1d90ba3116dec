"""A redundant Transit Gateway GRE (`transit_gateway.tunnels`, issue 13 item 3): one router
tunnel and one BGP session per IBM tunnel, each with its own /30, tunnel number and lock
entry, ranked in plan order; at most two tunnels per zone (IBM). How the ranks are rendered
is in tests/test_backup_ranking.py. Split from tests/test_redundant.py.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import yaml
from conftest import SAMPLES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.intent.router import router_intents
from vra_config.pipeline import check_file
from vra_config.plan.model import Plan
from vra_config.planner.addresses import plan_addresses
from vra_config.planner.lock import Lock

SAMPLE = SAMPLES / "vra-ha-tgw-redundant.yaml"
ZONES = ("us-south-1", "us-south-2", "us-south-3")


def _plan(tunnels: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "routers": {
            "vra1": {
                "asn": 64880,
                "private": {"address": "10.186.22.10/26", "gateway": "10.186.22.1"},
                "advertise": ["10.186.22.0/26"],
            }
        },
        "powervs": {"ws1": {"location": "dal10", "subnets": ["172.20.10.0/24"]}},
        "pools": {"tunnels": ["172.16.10.0/24"]},
        "connections": {
            "rgre": {
                "router": "vra1",
                "powervs": "ws1",
                "via": "transit-gateway",
                "transit_gateway": {"tunnels": tunnels},
                **extra,
            }
        },
    }


def _tunnel(i: int, zone: str) -> dict[str, Any]:
    return {
        "name": f"rgre-t{i}",
        "gateway_ip": f"192.168.255.{4 * i + 1}",
        "asn": 64490 + ZONES.index(zone),
        "zone": zone,
    }


def test_one_router_tunnel_and_one_bgp_session_per_ibm_tunnel() -> None:
    checked = check_file(SAMPLE, locked=True)
    links = checked.address_plan.connections
    assert {n: (str(links[n].subnet), links[n].tunnel) for n in ("tgw-dal-1", "tgw-dal-2")} == {
        "tgw-dal-1": ("172.16.10.0/30", 0),
        "tgw-dal-2": ("172.16.10.4/30", 1),
    }
    intent = router_intents(checked.address_plan)["vra-ha"]
    assert [(t.connection, t.number, str(t.remote_ip)) for t in intent.tunnels] == [
        ("tgw-dal-1", 0, "192.168.255.1"),
        ("tgw-dal-2", 1, "192.168.255.5"),
    ]
    tgw = [n for n in intent.bgp_neighbors if n.connection.startswith("tgw-")]
    assert [(n.connection, str(n.address), n.remote_as, n.backup) for n in tgw] == [
        ("tgw-dal-1", "172.16.10.1", 64490, 0),
        ("tgw-dal-2", "172.16.10.5", 64491, 1),
    ]
    assert [(n.local_preference, n.prepend) for n in tgw] == [(None, 0), (90, 1)]


def test_the_redundant_form_keeps_the_unbound_form_lock() -> None:
    """Converting two unbound GREs into one redundant GRE with the same tunnel names keeps
    every allocation: the lock is per tunnel, by the tunnel's name."""
    run = run_cli(["check", "--locked", str(SAMPLE)])
    assert run.exit_code == 0, run.stdout + run.stderr


@st.composite
def _tunnel_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    per_zone = draw(
        st.lists(st.integers(0, 2), min_size=3, max_size=3).filter(lambda n: sum(n) > 0)
    )
    zones = [z for z, n in zip(ZONES, per_zone, strict=True) for _ in range(n)]
    zones = draw(st.permutations(zones))
    return [_tunnel(i, z) for i, z in enumerate(zones)]


@settings(max_examples=60, deadline=None)
@given(_tunnel_sets())
def test_every_tunnel_its_own_30_number_session_and_rank(tunnels: list[dict[str, Any]]) -> None:
    ap = plan_addresses(Plan.model_validate(_plan(tunnels)))
    if len(tunnels) < 2:
        assert [f.rule for f in ap.errors] == ["VRC960"]
        return
    assert ap.errors == ()
    names = [t["name"] for t in tunnels]
    links = [ap.connections[n] for n in names]
    subnets = [link.subnet for link in links]
    assert all(s is not None and s.prefixlen == 30 for s in subnets)
    assert len(set(subnets)) == len(tunnels)
    assert all(s is not None and s.subnet_of(IPv4Network("172.16.10.0/24")) for s in subnets)
    assert len({link.tunnel for link in links}) == len(tunnels)
    assert [link.backup for link in links] == list(range(len(tunnels)))  # plan order
    assert {link.group for link in links} == {"rgre"}
    assert [link.peer_asn for link in links] == [t["asn"] for t in tunnels]
    assert sorted(ap.lock.connections) == sorted(names)
    again = plan_addresses(
        Plan.model_validate(_plan(tunnels)), Lock(connections=ap.lock.connections)
    )
    assert again.lock_changes == ()
    assert [(again.connections[n].subnet, again.connections[n].tunnel) for n in names] == [
        (link.subnet, link.tunnel) for link in links
    ]
    intent = router_intents(ap)["vra1"]
    assert len(intent.tunnels) == len(intent.bgp_neighbors) == len(tunnels)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ZONES), st.integers(3, 4))
def test_more_than_two_tunnels_in_a_zone_is_an_error(zone: str, count: int) -> None:
    tunnels = [_tunnel(i, zone) for i in range(count)]
    ap = plan_addresses(Plan.model_validate(_plan(tunnels)))
    assert [f.path for f in ap.errors] == [
        ("connections", "rgre", "transit_gateway", "tunnels", i, "zone") for i in range(2, count)
    ]
    assert all(
        f.message.startswith(f"rgre-t{f.path[4]} is tunnel {int(str(f.path[4])) + 1} of rgre")
        for f in ap.errors
    )


def test_a_redundant_gres_tunnels_are_names_the_running_config_reader_owns() -> None:
    """`--running` and `diff --running` tell the plan's objects by name: a redundant GRE's
    router objects carry the tunnels' names, so those are the plan's too."""
    plan = Plan.model_validate(_plan([_tunnel(0, ZONES[0]), _tunnel(1, ZONES[1])]))
    assert plan.link_names() == ["rgre", "rgre-t0", "rgre-t1"]


def test_a_new_tunnel_under_locked_is_found_where_the_plan_lists_it(tmp_path: Path) -> None:
    data = _plan([_tunnel(0, ZONES[0]), _tunnel(1, ZONES[1])])
    plan = tmp_path / "r.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert run_cli(["plan", str(plan)]).exit_code == 0
    data["connections"]["rgre"]["transit_gateway"]["tunnels"].append(_tunnel(2, ZONES[2]))
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    run = run_cli(["check", "--locked", str(plan)])
    assert run.exit_code == 1
    assert (
        "VRC504 connections.rgre.transit_gateway.tunnels[2]: --locked: r.lock.yaml would "
        "change (new allocation 172.16.10.8/30, tunnel 2 on vra1); run `vra-config plan` and "
        "commit the lock\n"
    ) in run.stdout + run.stderr
