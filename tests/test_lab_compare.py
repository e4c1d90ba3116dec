"""The lab's comparison, without FRR: each class of failure gives its first cause.

The observations are made by hand from a healthy run's shape, then broken one way each, so
these run everywhere (no root, no FRR). The scenarios assert the rows' fields (which link,
which node, which prefix, which kind of cause); the sentences a user reads are pinned once
per kind, built from fields (`test_each_kind_reads_as_its_sentence`), and the whole text
report once, as a golden (`tests/golden/lab/`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network

import pytest
from conftest import GOLDEN, ROOT, Golden
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.lab.compare import Cause, Mismatch, compare, route_path
from vra_config.lab.observe import Observed, bgp_sessions
from vra_config.lab.report import LabResult, as_json, as_text
from vra_config.lab.rows import CAUSE_KINDS, CAUSE_TEXT, KINDS, MISMATCH_TEXT
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


def _first(findings: list[Mismatch]) -> Mismatch:
    """The first finding, which each scenario below is about."""
    assert findings, "no finding"
    return findings[0]


def test_session_down_is_the_first_cause(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.sessions[("ws-a", _address(topology, "cc-a", "gw-a"))] = "Active"
    _, findings = compare(topology, seen)
    assert findings[0] == Mismatch(
        kind="session",
        node="ws-a",
        peer="gw-a",
        link="cc-a",
        state="Active",
        path=("connections", "cc-a"),
    )
    unreachable = findings[1]
    assert (unreachable.kind, unreachable.source, unreachable.target) == ("unreachable", A, B)
    assert (unreachable.source_device, unreachable.target_device) == ("ws-a", "ws-b")
    assert unreachable.cause == Cause(
        kind="session-down", node="ws-a", peer="gw-a", link="cc-a", prefix=B, state="Active"
    )
    # the row points where its first cause sits
    assert (unreachable.node, unreachable.link, unreachable.prefix) == ("ws-a", "cc-a", B)
    assert unreachable.path == ("connections", "cc-a")


def test_export_policy_that_drops_the_prefix_is_named(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.advertised[("gw-a", _address(topology, "cc-a", "ws-a"))] = frozenset()
    _, findings = compare(topology, seen)
    assert _first(findings).cause == Cause(
        kind="export-filtered",
        node="gw-a",
        peer="ws-a",
        link="cc-a",
        prefix=B,
        policy="RM-cc-a-OUT",
    )


def test_import_policy_that_drops_the_prefix_is_named(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.received[("ws-a", _address(topology, "cc-a", "gw-a"))] = {B: (64880, 64881)}
    _, findings = compare(topology, seen)
    assert _first(findings).cause == Cause(
        kind="import-filtered", node="ws-a", peer="gw-a", link="cc-a", prefix=B, policy="IBM-IN"
    )


def test_as_path_loop_is_named_with_the_path(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-a")
    seen.received[("ws-a", _address(topology, "cc-a", "gw-a"))] = {B: (64880, 64999)}
    _, findings = compare(topology, seen)
    assert _first(findings).cause == Cause(
        kind="as-path-loop",
        node="ws-a",
        peer="gw-a",
        link="cc-a",
        prefix=B,
        as_path=(64880, 64999),
        asn=64999,
    )


def test_missing_origin_route_is_named(topology: Topology) -> None:
    seen = _without(healthy(topology), B, "ws-b", "gw-b", "gw-a", "ws-a")
    _, findings = compare(topology, seen)
    first = _first(findings)
    assert first.cause == Cause(kind="no-origin-route", node="ws-b", prefix=B)
    assert (first.node, first.link, first.path) == ("ws-b", None, ("powervs", "ws-b"))


def test_a_prefix_where_the_plan_sends_none_is_a_leak(topology: Topology) -> None:
    seen = healthy(topology)
    leaked = IPv4Network("10.148.252.64/26")
    seen.rib["gw-a"] = seen.rib["gw-a"] | {leaked}
    t = replace(topology, planned=topology.planned | {leaked})
    _, findings = compare(t, seen)
    assert findings == [Mismatch(kind="leak", node="gw-a", prefix=leaked, path=("routers", "gw-a"))]


def test_a_pair_that_reaches_against_the_plan_is_a_finding(topology: Topology) -> None:
    t = replace(topology, expected={**topology.expected, "ws-a": frozenset({A})})
    cells, findings = compare(t, healthy(topology))
    first = _first(findings)
    assert (first.kind, first.source, first.target) == ("reaches", A, B)
    assert first.cause == Cause(kind="not-routed")
    assert cells[0].cause == first.cause


def test_a_run_that_did_not_settle_says_how_long_it_waited(topology: Topology) -> None:
    seen = replace(healthy(topology), converged=False, seconds=30.2)
    _, findings = compare(topology, seen)
    assert findings == [Mismatch(kind="converge", seconds=30.2)]


#: Every kind's sentence, built from its fields: the text the report prints and the JSON
#: rows' `message` (docs/errors.md quotes some of them).
SENTENCES: list[tuple[Cause | Mismatch, str]] = [
    (
        Cause(kind="no-origin-route", node="vra-a", prefix=IPv4Network("10.20.0.0/16")),
        "no route to the network 10.20.0.0/16 at vra-a (BGP `network` needs one in the RIB)",
    ),
    (
        Cause(kind="not-originated", node="ws-b", prefix=B),
        "ws-b does not originate 192.168.80.0/24",
    ),
    (Cause(kind="no-link", node="ws-a", peer="ws-b"), "no working link joins ws-b to ws-a"),
    (
        Cause(kind="no-static-route", node="gw-a", link="cc-a", prefix=B),
        "no static route to 192.168.80.0/24 at gw-a (cc-a)",
    ),
    (
        Cause(kind="session-down", node="ws-a", peer="gw-a", link="cc-a", state="Active"),
        "BGP session gw-a–ws-a (cc-a) is Active, not Established",
    ),
    (
        Cause(kind="no-transit", node="ws-b", prefix=A),
        "ws-b does not pass 192.168.50.0/24 on: PowerVS carries no transit",
    ),
    (
        Cause(kind="export-filtered", node="gw-a", peer="ws-a", prefix=B, policy="RM-cc-a-OUT"),
        "192.168.80.0/24 filtered at gw-a by policy RM-cc-a-OUT (towards ws-a)",
    ),
    (
        Cause(kind="as-path-loop", node="ws-a", prefix=B, as_path=(64880, 64999), asn=64999),
        "AS-path loop at ws-a: 192.168.80.0/24 arrives with AS path 64880 64999, which holds "
        "its own AS 64999",
    ),
    (
        Cause(kind="import-filtered", node="ws-a", peer="gw-a", prefix=B, policy="IBM-IN"),
        "192.168.80.0/24 filtered at ws-a by policy IBM-IN (from gw-a)",
    ),
    (
        Cause(kind="not-installed", node="gw-a", prefix=B),
        "192.168.80.0/24 is in the BGP table of gw-a but not installed in its RIB",
    ),
    (
        Cause(kind="passed-on-but-missing", node="ws-a", prefix=B),
        "ws-a has no route to 192.168.80.0/24 although every hop passed it on",
    ),
    (
        Cause(kind="no-route-to-host", node="ws-a", host=IPv4Address("192.168.80.254")),
        "ws-a has no route to 192.168.80.254",
    ),
    (
        Cause(kind="forwarding"),
        "every routing table holds the routes, but the ping got no answer (forwarding)",
    ),
    (Cause(kind="not-routed"), "the plan does not route this pair"),
    (Mismatch(kind="converge", seconds=30.4), "the routers did not settle within 30 s"),
    (
        Mismatch(kind="session", node="ws-a", peer="gw-a", link="cc-a", state="Active"),
        "BGP session ws-a–gw-a (cc-a) is Active at ws-a, not Established",
    ),
    (
        Mismatch(
            kind="unreachable",
            source=A,
            source_device="ws-a",
            target=B,
            target_device="ws-b",
            cause=Cause(
                kind="as-path-loop", node="ws-a", prefix=B, as_path=(64880, 64999), asn=64999
            ),
        ),
        "192.168.50.0/24 (ws-a) does not reach 192.168.80.0/24 (ws-b): AS-path loop at ws-a: "
        "192.168.80.0/24 arrives with AS path 64880 64999, which holds its own AS 64999",
    ),
    (
        Mismatch(kind="reaches", source=A, source_device="ws-a", target=B, target_device="ws-b"),
        "192.168.50.0/24 (ws-a) reaches 192.168.80.0/24 (ws-b), which the plan does not route",
    ),
    (
        Mismatch(kind="leak", node="gw-a", prefix=IPv4Network("10.148.252.64/26")),
        "gw-a has a route to 10.148.252.64/26, which the plan does not send there",
    ),
    (
        Mismatch(
            kind="verify",
            node="vra-dal12",
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="prefixes sent",
            expected="1 (10.20.0.0/16)",
            found="2",
        ),
        "vra-dal12: neighbour 172.16.3.5 (cc-dal12): prefixes sent should be 1 (10.20.0.0/16), "
        "the router shows 2 (what `vra-config verify` would report after pasting)",
    ),
    (
        Mismatch(kind="verify", node="vra-dal12", error="no ipv4Unicast"),
        "vra-dal12: its BGP summary is not FRR's JSON (no ipv4Unicast)",
    ),
]


@pytest.mark.parametrize(("row", "sentence"), SENTENCES, ids=lambda x: getattr(x, "kind", ""))
def test_each_kind_reads_as_its_sentence(row: Cause | Mismatch, sentence: str) -> None:
    assert row.message == sentence


def test_every_kind_has_a_sentence_and_a_pinned_example() -> None:
    assert set(CAUSE_TEXT) == set(CAUSE_KINDS)
    assert set(MISMATCH_TEXT) == set(KINDS)
    pinned = {(type(r).__name__, r.kind) for r, _ in SENTENCES}
    assert pinned >= {("Cause", k) for k in CAUSE_KINDS} | {("Mismatch", k) for k in KINDS}


def test_a_row_without_a_field_its_sentence_names_is_refused() -> None:
    with pytest.raises(ValueError, match="a leak row needs prefix"):
        Mismatch(kind="leak", node="gw-a")
    with pytest.raises(ValueError, match=r"as-path-loop row needs as_path, asn"):
        Cause(kind="as-path-loop", node="ws-a", prefix=B)


@pytest.mark.parametrize(("row", "sentence"), SENTENCES, ids=lambda x: getattr(x, "kind", ""))
def test_a_json_row_reads_back_to_the_same_record_and_sentence(
    row: Cause | Mismatch, sentence: str
) -> None:
    """What `lab --json` prints is complete: the record, and so its sentence, comes back."""
    data = json.loads(json.dumps(row.as_row()))
    assert data["message"] == sentence
    back = type(row).from_row(data)
    assert back == row
    assert back.message == sentence


def _broken(topology: Topology) -> LabResult:
    """The same-ASN transit plan with cc-a's session Active at ws-a and a prefix leaked to
    gw-a: the text report has a session, an unreachable pair both ways and a leak."""
    seen = replace(_without(healthy(topology), B, "ws-a"), seconds=4.2)
    seen.sessions[("ws-a", _address(topology, "cc-a", "gw-a"))] = "Active"
    leaked = IPv4Network("10.148.252.64/26")
    seen.rib["gw-a"] = seen.rib["gw-a"] | {leaked}
    t = replace(topology, planned=topology.planned | {leaked})
    cells, findings = compare(t, seen)
    return LabResult(
        plan="tests/lab/same-asn-transit.yaml",
        topology=t,
        observed=seen,
        cells=cells,
        findings=findings,
    )


def test_the_text_report_of_a_broken_run(topology: Topology, golden: Golden) -> None:
    golden.check(GOLDEN / "lab" / "same-asn-transit.broken.txt", as_text(_broken(topology)))


def test_the_json_findings_are_the_rows_and_read_back(topology: Topology) -> None:
    result = _broken(topology)
    data = json.loads(json.dumps(as_json(result)))
    assert [Mismatch.from_row(r) for r in data["findings"]] == result.findings
    assert [r["message"] for r in data["findings"]] == [f.message for f in result.findings]
    session = data["findings"][0]
    assert {k: session[k] for k in ("kind", "node", "link", "state", "path")} == {
        "kind": "session",
        "node": "ws-a",
        "link": "cc-a",
        "state": "Active",
        "path": "connections.cc-a",
    }
    cell = data["matrix"][0]
    assert cell["cause"] == cell["first_cause"]["message"]
    assert Cause.from_row(cell["first_cause"]) == result.cells[0].cause


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


def test_the_json_example_in_the_docs_is_a_row_the_lab_prints(topology: Topology) -> None:
    """docs/lab.md shows an `unreachable` row of `lab --json`: it is this case's row."""
    doc = (ROOT / "docs" / "lab.md").read_text(encoding="utf-8")
    section = doc[doc.index("## `--json`") :]
    example = json.loads(section[section.index("```json\n") + 8 : section.index("\n```\n")])
    printed = json.loads(json.dumps(as_json(_broken(topology))))
    assert example == printed["findings"][1]
