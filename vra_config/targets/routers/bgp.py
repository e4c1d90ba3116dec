"""What the packs that print FRR-style BGP share: the 5600 (whose BGP is FRR's) and the lab's
FRR rendering name their policies alike and build the router block alike, so a lab report
that names a route-map names the one the Vyatta output holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import Generic, TypeVar

from vra_config.intent.records import BgpNeighbor, RouterIntent
from vra_config.vendors import vyatta

#: A pack's own record of one neighbour's lines.
Neighbor = TypeVar("Neighbor")


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


@dataclass(frozen=True, kw_only=True)
class RouterBlock(Generic[Neighbor]):
    """`router bgp ASN` with its router ID, the prefixes `network` originates and the
    neighbours, each as the pack prints it."""

    asn: int
    router_id: str | None
    networks: tuple[str, ...]
    neighbors: tuple[Neighbor, ...]


def router_block(
    intent: RouterIntent,
    neighbors: Sequence[Neighbor],
    networks: Sequence[IPv4Network] | None = None,
) -> RouterBlock[Neighbor] | None:
    """The router block, only with neighbours; `networks` (default: the intent's) are what
    `network` originates."""
    if not neighbors:
        return None
    assert intent.asn is not None  # the planner refuses BGP without an ASN
    return RouterBlock(
        asn=intent.asn,
        router_id=str(intent.router_id) if intent.router_id else None,
        networks=tuple(str(p) for p in (intent.bgp_networks if networks is None else networks)),
        neighbors=tuple(neighbors),
    )
