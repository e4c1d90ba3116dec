"""What the packs that print FRR-style BGP share: the 5600 (whose BGP is FRR's) and the lab's
FRR rendering name their policies alike and build the router block alike, so a lab report
that names a route-map names the one the Vyatta output holds."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import Any

from vra_config.intent.records import BgpNeighbor, RouterIntent
from vra_config.vendors import vyatta


def policy_names(neighbor: BgpNeighbor) -> dict[str, str]:
    """Prefix-list and route-map names of one session, in and out: the 5600's object names
    (`vendors/vyatta.py`), which the lab's FRR uses too."""
    names = vyatta.object_names(neighbor.connection)
    return {
        "pl_in": names["prefix_list_in"],
        "pl_out": names["prefix_list_out"],
        "rm_in": names["route_map_in"],
        "rm_out": names["route_map_out"],
    }


def bgp_context(
    intent: RouterIntent,
    neighbors: list[dict[str, Any]],
    prefix_lists: list[dict[str, Any]],
    route_maps: list[dict[str, Any]],
    networks: Sequence[IPv4Network] | None = None,
) -> dict[str, Any]:
    """The router block (only with neighbours) and the policies sorted by name, so output is
    byte-stable whatever order the links were walked in; `networks` (default: the intent's)
    are what `network` originates."""
    bgp = None
    if neighbors:
        assert intent.asn is not None  # the planner refuses BGP without an ASN
        bgp = {
            "asn": intent.asn,
            "router_id": str(intent.router_id) if intent.router_id else None,
            "networks": [str(p) for p in (intent.bgp_networks if networks is None else networks)],
            "neighbors": neighbors,
        }
    return {
        "prefix_lists": sorted(prefix_lists, key=lambda p: p["name"]),
        "route_maps": sorted(route_maps, key=lambda m: m["name"]),
        "bgp": bgp,
    }
