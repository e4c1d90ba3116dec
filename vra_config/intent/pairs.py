"""The members of each gateway pair: one `RouterIntent` per VRA member, copied from the
pair's, that differ only in the member's VRRP role (IBM's rules and the checks are in
`planner/ha.py`). On the vSRX a pair is a chassis cluster: one configuration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from ipaddress import IPv4Address

from vra_config.intent.records import HaMember, RouterIntent
from vra_config.plan.model import Ha, Plan, Router
from vra_config.planner.ha import CLUSTER_PUBLIC_INTERFACE
from vra_config.vendors import pair_style
from vra_config.vendors.common import VRRP

#: Seconds between a pair member's attempts to open each BGP session (`timers connect`).
#: The backup's sessions cannot open while the master holds the VIPs they start on; the new
#: master opens them at its next attempt, so the retry bounds that part of a failover.
#: FRR's default is 120 s (RFC 4271 §10 suggests 120 s); 5 s is vra-config's choice (no IBM
#: or DANOS page recommends a value): one TCP SYN per session every 5 s while backup.
CONNECT_RETRY = 5


def public_interface(router: Router) -> str | None:
    """The interface holding the router's public address, as the plan or the pair has it."""
    if router.public is None:
        return None
    if router.public.interface is None and (router.ha is not None or router.cluster is not None):
        return CLUSTER_PUBLIC_INTERFACE
    return router.public.interface


def member_names(plan: Plan) -> dict[str, str]:
    """{member host name: its pair} for every pair of the plan."""
    return {m: name for name, r in plan.routers.items() if r.ha for m in r.ha.members}


def members(name: str, router: Router) -> tuple[HaMember, ...]:
    """The members of pair `name`, highest priority (the first provisioned) first."""
    ha = router.ha
    assert ha is not None
    order = sorted(ha.members.items(), key=lambda kv: (-kv[1].priority, kv[0]))
    out = []
    for host, m in order:
        other = next(h for h in ha.members if h != host)
        out.append(
            HaMember(
                pair=name,
                member=host,
                priority=m.priority,
                private_group=ha.private_group,
                private_vip=router.private.address,
                public_group=ha.public_group,
                public_vip=router.public.address if router.public else None,
                sync_group=ha.sync_group,
                advertise_interval=ha.advertise_interval,
                peer=other,
                own_addresses=_addresses(ha, host),
                peer_addresses=_addresses(ha, other),
            )
        )
    return tuple(out)


def _addresses(ha: Ha, host: str) -> tuple[IPv4Address, ...]:
    m = ha.members[host]
    return tuple(a.ip for a in (m.private, m.public) if a is not None)


def member_intents(intent: RouterIntent, router: Router) -> dict[str, RouterIntent]:
    """One intent per member of the pair `intent` describes: the pair's tunnels, routes and
    policies, plus the member's VRRP role and a short BGP connect retry (`CONNECT_RETRY`)."""
    neighbors = tuple(
        dataclasses.replace(n, connect_retry=CONNECT_RETRY) for n in intent.bgp_neighbors
    )
    return {
        m.member: dataclasses.replace(intent, name=m.member, ha=m, bgp_neighbors=neighbors)
        for m in members(intent.name, router)
    }


def expand_pairs(
    intents: Mapping[str, RouterIntent], vendors: Mapping[str, str], plan: Plan
) -> tuple[dict[str, RouterIntent], dict[str, str]]:
    """Intents and vendors with every VRA pair replaced by its two members (a vSRX pair is a
    chassis cluster: one configuration, left as it is)."""
    out_intents: dict[str, RouterIntent] = {}
    out_vendors: dict[str, str] = {}
    for name, vendor in vendors.items():
        router = plan.routers.get(name)
        if router is not None and router.ha is not None and pair_style(vendor) == VRRP:
            for member, member_intent in member_intents(intents[name], router).items():
                out_intents[member] = member_intent
                out_vendors[member] = vendor
        else:
            out_intents[name] = intents[name]
            out_vendors[name] = vendor
    return out_intents, out_vendors
