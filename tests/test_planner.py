"""The address planner: IBM's rules by example, and properties that must hold for any plan."""

from __future__ import annotations

import itertools
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

from conftest import base_plan
from hypothesis import given, settings
from hypothesis import strategies as st

from vra_config.plan.model import Plan
from vra_config.planner import ibm
from vra_config.planner.addresses import plan_addresses
from vra_config.planner.lock import Lock
from vra_config.planner.records import AddressPlan, split_cloud_connection


def cc(router: str = "vra1", powervs: str = "ws1", **extra: Any) -> dict[str, Any]:
    return {"router": router, "powervs": powervs, "via": "cloud-connection", **extra}


def tgw(router: str = "vra1", gateway_ip: str = "192.168.255.1", **extra: Any) -> dict[str, Any]:
    return {
        "router": router,
        "powervs": "ws2",
        "via": "transit-gateway",
        "transit_gateway": {"gateway_ip": gateway_ip, "asn": 64490},
        **extra,
    }


def planned(data: dict[str, Any], lock: Lock | None = None) -> AddressPlan:
    return plan_addresses(Plan.model_validate(data), lock)


# --- IBM's rules, by IBM's own example -----------------------------------------------------


def test_cloud_connection_split_is_ibms_worked_example() -> None:
    # IBM's worked example (power-iaas-cloud-connections): 172.16.3.0/29 -> source .1,
    # PowerVS tunnel .5, VRA tunnel .6 on a /30.
    source, powervs_tunnel, router_tunnel = split_cloud_connection(IPv4Network("172.16.3.0/29"))
    assert source == IPv4Address("172.16.3.1")
    assert powervs_tunnel == IPv4Address("172.16.3.5")
    assert router_tunnel == IPv4Interface("172.16.3.6/30")
    assert source not in router_tunnel.network  # the overlay does not hold the underlay


def test_cloud_connection_connection_fields() -> None:
    ap = planned(base_plan(cc1=cc(gre="172.16.3.0/29")))
    assert ap.errors == ()
    pc = ap.connections["cc1"]
    assert (pc.remote_ip, pc.peer_address.ip, pc.router_address) == (
        IPv4Address("172.16.3.1"),
        IPv4Address("172.16.3.5"),
        IPv4Interface("172.16.3.6/30"),
    )
    assert pc.local_ip == IPv4Address("10.148.252.83")
    assert pc.peer_asn == 64999  # dal12 in IBM's table
    assert (pc.mtu, pc.tcp_mss) == (1476, 1436)
    assert pc.origin == "pinned"


def test_transit_gateway_uses_a_30_with_tgw_first() -> None:
    ap = planned(base_plan(t1=tgw()))
    assert ap.errors == ()
    pc = ap.connections["t1"]
    assert pc.subnet == IPv4Network("172.16.0.0/30")
    assert pc.peer_address.ip == IPv4Address("172.16.0.1")
    assert pc.router_address == IPv4Interface("172.16.0.2/30")
    assert pc.remote_ip == IPv4Address("192.168.255.1")
    assert pc.peer_asn == 64490
    # IBM's gateway runs 9000, but a classic VLAN carries 1500 unless the plan says it is
    # jumbo: the tunnel fits the underlay (1500 - 24) and TCP is always clamped.
    assert (pc.mtu, pc.tcp_mss) == (1476, 1436)


def test_wdc04_uses_its_own_asn() -> None:
    ap = planned(base_plan(cc1=cc(powervs="ws2")))
    assert ap.connections["cc1"].peer_asn == 64995


def test_first_fit_is_by_name_not_plan_order() -> None:
    ap = planned(base_plan(b=cc(), a=cc(router="vra2")))
    assert ap.connections["a"].subnet == IPv4Network("172.16.0.0/29")
    assert ap.connections["b"].subnet == IPv4Network("172.16.0.8/29")


def test_allocation_skips_pins_and_mixes_sizes() -> None:
    ap = planned(base_plan(a=cc(gre="172.16.0.0/29"), b=tgw(), c=cc(router="vra2")))
    assert ap.errors == ()
    assert ap.connections["b"].subnet == IPv4Network("172.16.0.8/30")
    assert ap.connections["c"].subnet == IPv4Network("172.16.0.16/29")


def test_allocation_never_uses_a_service_range() -> None:
    data = base_plan(a=cc(), b=cc(router="vra2"))
    data["pools"]["tunnels"] = ["10.0.0.0/13"]  # its first half is IBM's 10.0.0.0/14
    ap = planned(data)
    assert all(not pc.subnet.overlaps(IPv4Network("10.0.0.0/14")) for pc in ap.connections.values())
    assert ap.connections["a"].subnet == IPv4Network("10.4.0.0/29")
    assert any("10.0.0.0/14" in f.message for f in ap.errors)  # and the pool is reported


def test_tunnel_numbers_per_router() -> None:
    ap = planned(base_plan(a=cc(), b=cc(), c=cc(router="vra2"), d=cc(tunnel=0, router="vra2")))
    assert ap.errors == ()
    assert [ap.connections[n].tunnel for n in "abcd"] == [0, 1, 1, 0]


def test_static_routing_to_powervs_is_an_error() -> None:
    """Issue 10 item 8: IBM runs BGP on every cloud-connection and Transit Gateway GRE; with
    static routing PowerVS learns no route back (it was a warning)."""
    ap = planned(base_plan(a=cc(routing="static"), b=tgw(routing="static")))
    assert [(f.path, f.severity) for f in ap.errors] == [
        (("connections", "a", "routing"), "error"),
        (("connections", "b", "routing"), "error"),
    ]
    assert "IBM runs BGP on every such GRE tunnel" in ap.errors[0].message


def test_tcp_mss_values() -> None:
    ap = planned(base_plan(a=cc(tcp_mss="off"), b=cc(mtu=1500), c=cc(tcp_mss=1400)))
    assert [ap.connections[n].tcp_mss for n in "abc"] == [None, None, 1400]


def test_two_tgw_tunnels_to_one_endpoint_is_an_error() -> None:
    ap = planned(base_plan(a=tgw(), b=tgw(router="vra2")))
    assert [f.path for f in ap.errors] == [("connections", "b", "transit_gateway", "gateway_ip")]


def test_interfaces_of_two_routers_share_a_vlan() -> None:
    assert planned(base_plan(a=cc())).errors == ()


def test_lock_round_trip_changes_nothing() -> None:
    first = planned(base_plan(a=cc(), b=tgw()))
    again = planned(base_plan(a=cc(), b=tgw()), first.lock)
    assert again.lock == first.lock
    assert again.lock_changes == ()
    assert {pc.origin for pc in again.connections.values()} == {"locked"}


def test_lock_keeps_addresses_when_a_connection_is_inserted_before() -> None:
    first = planned(base_plan(m=cc()))
    second = planned(base_plan(a=cc(router="vra2"), m=cc()), first.lock)
    assert second.connections["m"].subnet == first.connections["m"].subnet
    assert second.connections["a"].subnet == IPv4Network("172.16.0.8/29")
    assert [str(c) for c in second.lock_changes] == [
        "a: new allocation 172.16.0.8/29, tunnel 0 on vra2"
    ]


def test_locked_entry_that_changed_kind_is_reallocated_with_a_warning() -> None:
    first = planned(base_plan(a=cc()))
    second = planned(base_plan(a=tgw()), first.lock)
    assert second.errors == ()
    assert second.connections["a"].subnet.prefixlen == 30
    assert any(f.severity == "warning" and "locked" in f.message for f in second.findings)


def test_reserved_asn_rules() -> None:
    for asn, expected in ((23456, "AS_TRANS"), (64512, "excluded"), (65535, "RFC 7300")):
        data = base_plan(a=cc())
        data["routers"]["vra1"]["asn"] = asn
        messages = [f.message for f in planned(data).errors]
        assert any(expected in m for m in messages), (asn, messages)


# --- properties ----------------------------------------------------------------------------

NAMES = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
KINDS = st.sampled_from(["cloud-connection", "transit-gateway"])
POOLS = st.sampled_from(
    [
        ["172.16.0.0/24"],
        ["172.16.0.0/26", "192.168.200.0/27"],
        ["10.0.0.0/13"],  # half of it is IBM's service network
        ["10.254.0.0/15"],  # half of it is dropped by DL/TGW
        ["172.16.0.0/28", "172.16.0.64/29"],  # small: may run out
    ]
)


def _connection(index: int, kind: str) -> dict[str, Any]:
    router = "vra1" if index % 2 else "vra2"
    if kind == "cloud-connection":
        return cc(router=router, powervs="ws1" if index % 3 else "ws2")
    return tgw(router=router, gateway_ip=f"192.168.254.{index + 1}")


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(NAMES, min_size=1, max_size=24, unique=True))
    kinds = draw(st.lists(KINDS, min_size=len(names), max_size=len(names)))
    data = base_plan(
        **{
            name: _connection(i, kind)
            for i, (name, kind) in enumerate(zip(names, kinds, strict=True))
        }
    )
    data["pools"]["tunnels"] = draw(POOLS)
    return data


def _allocations(ap: AddressPlan) -> dict[str, tuple[IPv4Network, int]]:
    return {n: (pc.subnet, pc.tunnel) for n, pc in ap.connections.items()}


FORBIDDEN = [
    r.prefix for r in ibm.RESERVED_RANGES if "tunnel" in r.applies_to and r.severity == "error"
]


@settings(max_examples=150, deadline=None)
@given(plans())
def test_allocations_never_overlap_and_avoid_everything_reserved(data: dict[str, Any]) -> None:
    ap = planned(data)
    nets = sorted(pc.subnet for pc in ap.connections.values())
    for a, b in itertools.pairwise(nets):
        assert not a.overlaps(b), (a, b)
    pools = [IPv4Network(p) for p in data["pools"]["tunnels"]]
    others = [IPv4Network(s) for ws in data["powervs"].values() for s in ws["subnets"]]
    for net in nets:
        assert any(net.subnet_of(p) for p in pools)
        assert not any(net.overlaps(r) for r in FORBIDDEN), net
        assert not any(net.overlaps(o) for o in others)
    # a connection left without addresses is always explained by an error
    if len(ap.connections) < len(data["connections"]):
        assert ap.errors


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_insert_delete_reorder_never_move_other_allocations(
    data: dict[str, Any], more: st.DataObject
) -> None:
    before = planned(data)
    kept = _allocations(before)
    names = list(data["connections"])
    # reorder
    shuffled = more.draw(st.permutations(names))
    reordered = dict(data, connections={n: data["connections"][n] for n in shuffled})
    assert _allocations(planned(reordered, before.lock)) == kept
    # delete one
    gone = more.draw(st.sampled_from(names))
    fewer = dict(data, connections={n: c for n, c in data["connections"].items() if n != gone})
    after_delete = _allocations(planned(fewer, before.lock))
    # every connection that had addresses keeps them (one that found no room may now get some)
    assert {n: after_delete.get(n) for n in kept if n != gone} == {
        n: a for n, a in kept.items() if n != gone
    }
    # insert one (its name sorts anywhere)
    new = more.draw(NAMES.filter(lambda n: n not in names))
    kind = more.draw(KINDS)
    grown = dict(data, connections={**data["connections"], new: _connection(len(names), kind)})
    after_insert = _allocations(planned(grown, before.lock))
    assert {n: after_insert.get(n) for n in kept} == kept


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_without_a_lock_order_does_not_matter(data: dict[str, Any], more: st.DataObject) -> None:
    names = list(data["connections"])
    shuffled = more.draw(st.permutations(names))
    reordered = dict(data, connections={n: data["connections"][n] for n in shuffled})
    assert _allocations(planned(reordered)) == _allocations(planned(data))


@settings(max_examples=200, deadline=None)
@given(
    underlay=st.integers(1280, 9216),
    mtu=st.one_of(st.none(), st.integers(1280, 9000)),
    kind=st.sampled_from(["cc", "tgw"]),
)
def test_a_planned_gre_tunnel_always_fits_its_underlay(
    underlay: int, mtu: int | None, kind: str
) -> None:
    """Whatever the underlay and the plan's MTU: either the tunnel fits (MTU + 24 bytes of GRE
    within the underlay, and a clamp that fits the MTU, always on Transit Gateway tunnels) or
    the plan is refused at the `mtu` it wrote."""
    data = base_plan(a=(cc if kind == "cc" else tgw)(**({"mtu": mtu} if mtu else {})))
    data["routers"]["vra1"]["underlay_mtu"] = underlay
    ap = planned(data)
    if mtu is not None and mtu + 24 > underlay:
        assert [f.path for f in ap.errors] == [("connections", "a", "mtu")]
        return
    assert ap.errors == ()
    link = ap.connections["a"]
    assert link.mtu is not None and link.mtu + 24 <= underlay
    if kind == "tgw" or link.mtu < 1500:
        assert link.tcp_mss == link.mtu - 40
