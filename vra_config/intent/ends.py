"""One end of a link, seen from the device at that end: the near/far view of a `PlannedLink`.

A `PlannedLink` names its two ends by role (`router_address` and `peer_address`, `tunnel` and
`peer_tunnel`, `local_ip` and `remote_ip` from the router's side). Every consumer that
builds one device's view (the intent of each end, the lab's wire ends) used to choose
between them with `x if is_router else y`, nine times in a row; a missed swap type-checks,
since both sides have the same types. `ends` makes that choice once: `End.address` is always
this device's, `End.far_address` always the other's, whichever end this is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.intent.routing import LinkRoutes
from vra_config.planner.records import PlannedLink


@dataclass(frozen=True, kw_only=True)
class End:
    """One end of one link, as its device sees it."""

    device: str  # the device at this end
    other: str  # the device or PowerVS workspace at the far end
    other_kind: str  # "powervs", "router" or "site"; links start on routers
    #: this is the link's `router` end (the one the plan's connection starts on)
    at_router_end: bool
    address: IPv4Interface | None  # this end's inner address (tunnel, VTI, peering)
    far_address: IPv4Interface | None  # the far end's inner address
    number: int | None  # this end's tunnel interface number
    local_ip: IPv4Address | None  # this end's GRE source or IKE address
    remote_ip: IPv4Address | None  # the far end's GRE endpoint or IPsec peer
    gateway: IPv4Address | None  # the underlay next hop to `remote_ip`, if it needs a route
    remote_as: int | None  # the far end's ASN
    zone: str | None  # the plan's security zone for this end (only the router end has one)
    #: 0 for the preferred link to a workspace (and every far end); n > 0 the n-th backup
    backup: int
    #: the ASNs behind the far end that see what this end sends (a Transit Gateway's
    #: workspace); only the router end faces a Transit Gateway
    behind: tuple[int, ...]

    def exports(self, routes: LinkRoutes) -> tuple[IPv4Network, ...]:
        """What this end sends over the link."""
        return routes.router_exports if self.at_router_end else routes.peer_exports

    def imports(self, routes: LinkRoutes) -> tuple[IPv4Network, ...]:
        """What arrives at this end: exactly what the far end exports."""
        return routes.peer_exports if self.at_router_end else routes.router_exports

    def paths(self, routes: LinkRoutes) -> Mapping[IPv4Network, frozenset[int]]:
        """The ASNs each prefix this end exports has crossed on its way here."""
        return routes.router_paths if self.at_router_end else routes.peer_paths


def ends(link: PlannedLink) -> tuple[End, End | None]:
    """The link's router end, and its far end when that is a device (a PowerVS workspace
    is IBM's, configured by IBM's side, not by a device of the plan)."""
    near = End(
        device=link.router,
        other=link.peer,
        other_kind=link.peer_kind,
        at_router_end=True,
        address=link.router_address,
        far_address=link.peer_address,
        number=link.tunnel,
        local_ip=link.local_ip,
        remote_ip=link.remote_ip,
        gateway=link.router_gateway,
        remote_as=link.peer_asn,
        zone=link.zone,
        backup=link.backup,
        behind=_behind(link),
    )
    if link.peer_kind == "powervs":
        return near, None
    far = End(
        device=link.peer,
        other=link.router,
        other_kind="router",
        at_router_end=False,
        address=link.peer_address,
        far_address=link.router_address,
        number=link.peer_tunnel,
        local_ip=link.remote_ip,
        remote_ip=link.local_ip,
        gateway=link.peer_gateway,
        remote_as=link.router_asn,
        zone=None,
        backup=0,
        behind=(),
    )
    return near, far


def _behind(link: PlannedLink) -> tuple[int, ...]:
    """The far ASNs beyond the peer itself: a Transit Gateway's workspace, seen from the
    router; empty on every other link."""
    return tuple(sorted(a for a in link.far_asns if a != link.peer_asn))
