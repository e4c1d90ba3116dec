"""The route checks' index of pools, tunnels and PowerVS subnets answers as a scan would.

`planner/route_checks.py` used to scan every use for every route and connected network
(quadratic at 10,000 links); its `_Space` index must name the same first use in the plan's
order, for any mix of nested, equal and disjoint prefixes.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from hypothesis import given
from hypothesis import strategies as st

from vra_config.planner.prefixes import PrefixUse
from vra_config.planner.route_checks import _Space

#: Prefixes of 10.0.0.0/16 from /12 to /24, so that nesting and equality are common.
networks = st.builds(
    lambda offset, length: IPv4Network((0x0A000000 | offset << 8, length), strict=False),
    st.integers(min_value=0, max_value=255),
    st.integers(min_value=12, max_value=24),
)


def _uses(prefixes: list[IPv4Network]) -> list[PrefixUse]:
    kinds = ("pool", "powervs", "tunnel")
    return [
        PrefixUse(p, kinds[i % 3], f"o{i}", ("pools", "tunnels", i))  # type: ignore[arg-type]
        for i, p in enumerate(prefixes)
    ]


@given(st.lists(networks, max_size=12), networks)
def test_the_index_names_the_first_use_a_scan_finds(
    prefixes: list[IPv4Network], asked: IPv4Network
) -> None:
    uses = _uses(prefixes)
    space = _Space(uses)
    holding = next((u for u in uses if asked.subnet_of(u.prefix)), None)
    overlapping = next((u for u in uses if asked.overlaps(u.prefix)), None)
    assert space.containing(asked) is holding
    assert space.overlapping(asked) is overlapping


def test_a_route_inside_a_later_pool_is_found_and_an_outside_one_is_not() -> None:
    uses = _uses([IPv4Network("172.16.0.0/24"), IPv4Network("10.0.0.0/8")])
    space = _Space(uses)
    assert space.containing(IPv4Network("10.1.2.0/24")) is uses[1]
    assert space.containing(IPv4Network("192.168.0.0/16")) is None
    assert space.overlapping(IPv4Network("172.16.0.0/16")) is uses[0]
