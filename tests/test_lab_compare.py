"""The lab's comparison, without FRR: each class of failure gives its first cause.

The observations are made by hand from a healthy run's shape, then broken one way each, so
these run everywhere (no root, no FRR) and pin the exact text a user reads.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.lab.compare import compare, route_path
from vra_config.lab.observe import Observed, bgp_sessions
from vra_config.lab.topology import Topology, build
from vra_config.pipeline import check_file

A = IPv4Network("192.168.50.0/24")
B = IPv4Network("192.168.80.0/24")


@pytest.fixture(scope="module")
def topology() -> Topology:
    return build(check_file(ROOT / "tests" / "lab" / "same-asn-transit.yaml").address_plan)


def healthy(t: Topology) -> Observed:
    """What a run that matches the plan would observe."""
    rib = {n: t.expected[n] for n in t.nodes}
    return Observed(
        sessions=dict.fromkeys(bgp_sessions(t), "Established"),
        rib=rib,
        bgp=rib,
        advertised={(n, p): rib[n] for n, p in bgp_sessions(t)},
        received={},
        reach={
            (s.prefix, d.prefix): t.expected_reach(s, d)
            for s in t.networks
            for d in t.networks
            if s.owner != d.owner
        },
    )


def _without(seen: Observed, prefix: IPv4Network, *nodes: str) -> Observed:
    """`seen`, with `prefix` gone from these nodes' tables, and no pair reaching."""
    rib = {n: (r - {prefix} if n in nodes else r) for n, r in seen.rib.items()}
    return replace(seen, rib=rib, bgp=rib, reach=dict.fromkeys(seen.reach, False))


def _address(t: Topology, link: str, node: str) -> str:
    """`node`'s address on `link`: how its neighbour names the session."""
    wire = next(w for w in t.wires if w.name == link)
    return str(wire.end(node).address.ip)


def test_healthy_run_has_no_findings(topology: Topology) -> None:
    cells, findings = compare(topology, healthy(topology))
    assert findings == []
    assert [(str(c.source.prefix), str(c.target.prefix), c.reaches) for c in cells] == [
        ("192.168.50.0/24", "192.168.80.0/24", True),
        ("192.168.80.0/24", "192.168.50.0/24", True),
    ]


def test_session_down_is_the_first_cause(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.sessions[("ws-a", _address(topology, "cc-a", "gw-a"))] = "Active"
    _, findings = compare(topology, seen)
    assert findings[0].message == (
        "BGP session ws-a–gw-a (cc-a) is Active at ws-a, not Established"
    )
    assert findings[1].message == (
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): BGP session gw-a–ws-a "
        "(cc-a) is Active, not Established"
    )


def test_export_policy_that_drops_the_prefix_is_named(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.advertised[("gw-a", _address(topology, "cc-a", "ws-a"))] = frozenset()
    _, findings = compare(topology, seen)
    assert findings[0].message == (
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): 192.168.80.0/24 "
        "filtered at gw-a by policy RM-cc-a-OUT (towards ws-a)"
    )


def test_import_policy_that_drops_the_prefix_is_named(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.received[("ws-a", _address(topology, "cc-a", "gw-a"))] = {B: (64880, 64881)}
    _, findings = compare(topology, seen)
    assert findings[0].message == (
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): 192.168.80.0/24 "
        "filtered at ws-a by policy IBM-IN (from gw-a)"
    )


def test_as_path_loop_is_named_with_the_path(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.received[("ws-a", _address(topology, "cc-a", "gw-a"))] = {B: (64880, 64999)}
    _, findings = compare(topology, seen)
    assert findings[0].message == (
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): AS-path loop at ws-a: "
        "192.168.80.0/24 arrives with AS path 64880 64999, which holds its own AS 64999"
    )


def test_missing_origin_route_is_named(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-b", "gw-b", "gw-a", "ws-a")
    _, findings = compare(topology, seen)
    assert findings[0].message == (
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): no route to the network "
        "192.168.80.0/24 at ws-b (BGP `network` needs one in the RIB)"
    )


def test_a_prefix_where_the_plan_sends_none_is_a_leak(topology: Topology) -> None:
    seen = healthy(topology)
    seen.rib["gw-a"] = seen.rib["gw-a"] | {IPv4Network("10.148.252.64/26")}
    t = replace(topology, planned=topology.planned | {IPv4Network("10.148.252.64/26")})
    _, findings = compare(t, seen)
    assert [f.message for f in findings] == [
        "gw-a has a route to 10.148.252.64/26, which the plan does not send there"
    ]


def test_a_pair_that_reaches_against_the_plan_is_a_finding(topology: Topology) -> None:
    t = replace(topology, expected={**topology.expected, "ws-a": frozenset({A})})
    _, findings = compare(t, healthy(topology))
    assert findings[0].message == (
        "192.168.50.0/24 (ws-a) reaches 192.168.80.0/24 (ws-b), which the plan does not route"
    )


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(["gw-a", "gw-b", "ws-a", "ws-b"]),
    st.sampled_from(["gw-a", "gw-b", "ws-a", "ws-b"]),
)
def test_route_paths_join_their_ends_and_never_cross_powervs(start: str, end: str) -> None:
    t = build(check_file(ROOT / "tests" / "lab" / "same-asn-transit.yaml").address_plan)
    path = route_path(t, start, end)
    assert path is not None
    nodes = [start, *[n for n, _ in path]]
    assert nodes[-1] == end
    assert all(t.nodes[n].kind != "powervs" for n in nodes[1:-1])
    for here, (there, wire) in zip(nodes, path, strict=False):
        assert {here, there} == {wire.a.node, wire.b.node}
