"""What a router must show once its configuration is in: read off its `RouterIntent`.

Nothing here works out routing again. A BGP neighbour's `accept` and `advertise` are the
two sides of `intent/routing.py`'s answer for that link (what the far end exports is what
this end imports), so the prefixes it must receive and send are those tuples, and their
counts are what a BGP summary must show. The routes that must be in the table are the
intent's static routes, and each prefix a preferred (not backup) neighbour gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from vra_config.intent.records import RouterIntent


@dataclass(frozen=True, kw_only=True)
class ExpectedNeighbor:
    """One BGP session as the router must show it."""

    connection: str
    address: IPv4Address
    local_address: IPv4Address
    remote_as: int
    receive: tuple[IPv4Network, ...]
    send: tuple[IPv4Network, ...]
    #: 0 for the preferred session (or the only one); n for the n-th backup
    backup: int = 0


@dataclass(frozen=True, kw_only=True)
class ExpectedRoute:
    """A prefix the routing table must hold, and how it must get there."""

    prefix: IPv4Network
    protocol: str  # "bgp" or "static"
    #: next-hop addresses any of which is right (BGP: the preferred neighbours giving it)
    via: tuple[IPv4Address, ...] = ()
    #: the tunnel a static route leaves by (`family` "gre" / "vti", `number`)
    family: str | None = None
    number: int | None = None


def expected_neighbors(intent: RouterIntent) -> tuple[ExpectedNeighbor, ...]:
    """Every BGP session of the router, in the intent's (address) order."""
    return tuple(
        ExpectedNeighbor(
            connection=n.connection,
            address=n.address,
            local_address=n.local_address,
            remote_as=n.remote_as,
            receive=n.accept,
            send=n.advertise,
            backup=n.backup,
        )
        for n in intent.bgp_neighbors
    )


def expected_routes(intent: RouterIntent) -> tuple[ExpectedRoute, ...]:
    """Static routes first (they win over eBGP: distance 1 against 20 on FRR and the 5600,
    5 against 170 on Junos), then each prefix learned over BGP from the best-ranked
    neighbours that send it; in address order."""
    out: dict[IPv4Network, ExpectedRoute] = {}
    for r in intent.static_routes:
        if r.prefix not in out:
            via = (r.next_hop,) if r.next_hop is not None else ()
            out[r.prefix] = ExpectedRoute(
                prefix=r.prefix, protocol="static", via=via, family=r.family, number=r.number
            )
    best: dict[IPv4Network, tuple[int, list[IPv4Address]]] = {}
    for n in intent.bgp_neighbors:
        for prefix in n.accept:
            rank, hops = best.get(prefix, (n.backup, []))
            if n.backup < rank:
                rank, hops = n.backup, []
            if n.backup == rank:
                hops.append(n.address)
            best[prefix] = (rank, hops)
    for prefix, (_, hops) in best.items():
        if prefix not in out:
            out[prefix] = ExpectedRoute(prefix=prefix, protocol="bgp", via=tuple(sorted(hops)))
    return tuple(out[p] for p in sorted(out))
