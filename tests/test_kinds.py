"""The link kind as a table: every `via` has one row, the rows agree with the plan model, and
the planner reads each fact from the row rather than testing the `via` string.

A new kind is a row in `planner/kinds.py` plus its split in `planner/splits.py`; the last
tests change a row and check the planner's answer follows it, so no consumer still holds
its own copy of the fact.
"""

from __future__ import annotations

import ast
import dataclasses
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any, get_args

import pytest
from conftest import base_plan
from pydantic import BaseModel

from vra_config.plan.model import CONNECTION_KINDS, AnyConnection, Plan, Via
from vra_config.planner import kinds
from vra_config.planner.addresses import plan_addresses
from vra_config.planner.kinds import KINDS, LinkKind
from vra_config.planner.report import IBM_SIDE
from vra_config.planner.splits import LinkAddresses

ROOT = Path(__file__).resolve().parent.parent / "vra_config"

#: Where a `via` string may still be compared: the loader reads the discriminator itself,
#: and the description module spells each kind's written form and imports nothing of ours
#: (so that `running/` can read it back with no planner). Every other module reads the kind.
_READS_THE_STRING = {"plan/loader.py", "vendors/descriptions.py"}
CONVERTED = sorted(
    p for p in ROOT.rglob("*.py") if str(p.relative_to(ROOT)) not in _READS_THE_STRING
)


def _model_vias() -> dict[str, type[BaseModel]]:
    """Each `via` the plan model accepts, with the connection class that carries it."""
    out: dict[str, type[BaseModel]] = {}
    for cls in get_args(AnyConnection):
        (via,) = get_args(cls.model_fields["via"].annotation)
        out[via] = cls
    return out


def test_every_via_in_the_model_has_exactly_one_kind() -> None:
    vias = _model_vias()
    assert sorted(KINDS) == sorted(vias) == sorted(get_args(Via)) == sorted(CONNECTION_KINDS)
    for via, kind in KINDS.items():
        assert kind.via == via


@pytest.mark.parametrize("via", sorted(KINDS))
def test_each_kind_agrees_with_its_model(via: Via) -> None:
    kind, fields = KINDS[via], _model_vias()[via].model_fields
    assert kind.subnet_key in fields, "the pin key is a field of the connection"
    assert (kind.far_end == "powervs") == ("powervs" in fields)
    assert (kind.far_end == "device") == ("peer" in fields)
    assert (kind.default_mtu is None) == ("mtu" not in fields), "only tunnels have an MTU"
    assert (kind.interface_family is None) == ("tunnel" not in fields)
    assert kind.subnet_use == ("vti" if kind.pool == "vti" else "tunnel")
    assert not kind.gateway_in_front or kind.far_end == "powervs"
    assert f"/{kind.subnet_prefixlen}" in kind.size_rule


def test_the_plan_command_knows_only_kinds_of_the_table() -> None:
    assert set(IBM_SIDE) <= set(KINDS)
    assert all(KINDS[v].far_end == "powervs" for v in IBM_SIDE)


def _via_compared_to_other_than_via(node: ast.Compare) -> bool:
    """`x.via == "gre"`, `via in GRE_KINDS` and the like; `a.via != b.via` compares two
    links' kinds and asks nothing of either."""
    operands = [node.left, *node.comparators]

    def is_via(n: ast.expr) -> bool:
        return (isinstance(n, ast.Attribute) and n.attr == "via") or (
            isinstance(n, ast.Name) and n.id == "via"
        )

    return any(is_via(n) for n in operands) and not all(is_via(n) for n in operands)


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_tests_the_via_string(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and _via_compared_to_other_than_via(node)
    ]
    assert found == [], "read the fact from link.kind (planner/kinds.py) instead"


def test_the_checker_finds_a_via_test() -> None:
    """The scan above is only worth something if it catches the forms it looks for."""
    for text in ('link.via == "gre"', "conn.via in KINDS_X", 'via != "ipsec"'):
        node = ast.parse(text, mode="eval").body
        assert isinstance(node, ast.Compare) and _via_compared_to_other_than_via(node)
    node = ast.parse("entry.via != conn.via", mode="eval").body
    assert isinstance(node, ast.Compare) and not _via_compared_to_other_than_via(node)


# --- a changed row changes the answer --------------------------------------------------------
def _gre_plan(**link: Any) -> Plan:
    return Plan.model_validate(
        base_plan(g1={"router": "vra1", "peer": "vra2", "via": "gre", **link})
    )


def _with_gre(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> LinkKind:
    row = dataclasses.replace(KINDS["gre"], **changes)
    monkeypatch.setattr(kinds, "KINDS", {**KINDS, "gre": row})
    return row


def test_the_size_rule_and_subnet_size_come_from_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_gre(monkeypatch, subnet_prefixlen=29, size_rule="a test kind takes a /29")
    pinned = plan_addresses(_gre_plan(gre="172.16.8.0/30"))
    assert [f.message for f in pinned.findings if f.rule == "VRC501"] == [
        "172.16.8.0/30 is a /30, but a test kind takes a /29; give a /29 or remove `gre` to "
        "have one allocated"
    ]
    allocated = plan_addresses(_gre_plan())
    assert allocated.connections["g1"].subnet == IPv4Network("172.16.0.0/29")


def test_the_default_mtu_and_family_come_from_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_gre(monkeypatch, default_mtu=1300, always_clamp_mss=True)
    link = plan_addresses(_gre_plan()).connections["g1"]
    assert (link.mtu, link.tcp_mss) == (1300, 1260)
    assert link.kind.default_mtu == 1300 and link.via == "gre"


def test_the_split_comes_from_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    def split(plan: Plan, conn: AnyConnection, subnet: IPv4Network | None) -> LinkAddresses:
        assert subnet is not None
        return LinkAddresses(
            peer_kind="router",
            local_ip=IPv4Address("192.0.2.1"),
            remote_ip=IPv4Address("192.0.2.2"),
            router_address=IPv4Interface(f"{subnet.broadcast_address - 1}/30"),
            peer_address=IPv4Interface(f"{subnet.broadcast_address - 2}/30"),
        )

    _with_gre(monkeypatch, split=split)
    link = plan_addresses(_gre_plan()).connections["g1"]
    assert (link.local_ip, link.remote_ip) == (IPv4Address("192.0.2.1"), IPv4Address("192.0.2.2"))
    assert link.router_address == IPv4Interface("172.16.0.2/30")


def _one_router_to_ws1(connections: dict[str, Any]) -> dict[str, Any]:
    """One classic router (vra1) and one workspace (ws1, dal12) with `connections`."""
    return {
        "version": 1,
        "routers": {
            "vra1": {
                "asn": 64880,
                "private": {"address": "10.148.252.83/26", "gateway": "10.148.252.65"},
                "advertise": ["10.20.0.0/16"],
            }
        },
        "powervs": {"ws1": {"location": "dal12", "subnets": ["192.168.50.0/24"]}},
        "pools": {"tunnels": ["172.16.0.0/22"]},
        "connections": connections,
    }


def test_ranking_follows_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cloud connections from one router to one workspace: one preferred, one backup,
    because the row says the kind ranks; a row that does not leaves both unranked."""
    data = _one_router_to_ws1(
        {
            name: {"router": "vra1", "powervs": "ws1", "via": "cloud-connection"}
            for name in ("cc1", "cc2")
        }
    )
    ranked = plan_addresses(Plan.model_validate(data)).connections
    assert [ranked[n].backup for n in ("cc1", "cc2")] == [0, 1]
    row = dataclasses.replace(KINDS["cloud-connection"], ranks_backups=False)
    monkeypatch.setattr(kinds, "KINDS", {**KINDS, "cloud-connection": row})
    unranked = plan_addresses(Plan.model_validate(data)).connections
    assert [unranked[n].backup for n in ("cc1", "cc2")] == [0, 0]


def test_the_workspace_asn_follows_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind a Transit Gateway the workspace keeps its own ASN (IBM's for dal12, 64999);
    a row without a gateway in front takes the BGP peer's (the gateway's 64490)."""
    data = _one_router_to_ws1(
        {
            "t1": {
                "router": "vra1",
                "powervs": "ws1",
                "via": "transit-gateway",
                "transit_gateway": {"gateway_ip": "192.168.255.1", "asn": 64490},
            }
        }
    )
    link = plan_addresses(Plan.model_validate(data)).connections["t1"]
    assert (link.peer_asn, link.workspace_asn) == (64490, 64999)
    row = dataclasses.replace(KINDS["transit-gateway"], gateway_in_front=False)
    monkeypatch.setattr(kinds, "KINDS", {**KINDS, "transit-gateway": row})
    link = plan_addresses(Plan.model_validate(data)).connections["t1"]
    assert (link.peer_asn, link.workspace_asn) == (64490, 64490)
