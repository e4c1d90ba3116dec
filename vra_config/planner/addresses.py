"""The address planner: from a plan and its lock to every address each link needs.

This module joins the stage: `validation` finds what is wrong, `allocation` hands out
subnets and numbers, `links` derives each link's addresses; `records` holds what they share.

Pure functions: a `Plan` and a `Lock` in, an `AddressPlan` (per-link addresses, the new lock,
findings) out. No I/O, no global state, so the property tests can drive it directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from vra_config.plan.findings import Finding
from vra_config.plan.model import AnyConnection, IpsecLink, Plan
from vra_config.planner import device_checks, route_checks
from vra_config.planner.allocation import (
    Numbers,
    Subnets,
    allocate_numbers,
    allocate_subnets,
    lock_changes,
    running_uses,
)
from vra_config.planner.cluster import cluster_findings
from vra_config.planner.ha import pair_findings
from vra_config.planner.kinds import kind_of
from vra_config.planner.links import plan_link
from vra_config.planner.lock import Lock, LockEntry
from vra_config.planner.prefixes import PrefixUse, overlap_findings, reserved_findings
from vra_config.planner.records import AddressPlan, InUse, PlannedLink, peer_name
from vra_config.planner.redundant import expand, preference, relocate, relocate_findings
from vra_config.planner.validation import (
    asn_findings,
    device_findings,
    list_duplicates,
    peer_asns,
    pin_findings,
    prefix_uses,
    session_findings,
    usable_links,
)


def plan_addresses(
    plan: Plan, lock: Lock | None = None, running: Mapping[str, InUse] | None = None
) -> AddressPlan:
    """Check every prefix and ASN, allocate what is not pinned or locked, derive addresses.

    `running` holds, per router, what its running configuration already uses that the plan
    does not own: those tunnel numbers and addresses are avoided, and a pin onto one is an
    error naming the line.
    """
    lock = lock or Lock()
    # A redundant GRE is planned tunnel by tunnel, each a connection named after the tunnel;
    # findings are put back where the plan wrote the tunnel (`relocate`).
    plan, origins, findings = expand(plan)
    findings += _device_findings(plan)
    usable, ref_findings = usable_links(plan)
    findings += ref_findings
    far_asns, far_asn_findings = peer_asns(plan, usable)
    findings += far_asn_findings

    uses = list(dict.fromkeys(_relocated(prefix_uses(plan), origins)))
    uses += running_uses(running or {})
    findings += list_duplicates(plan)
    findings += pin_findings(usable)
    subnets = allocate_subnets(plan, usable, lock, uses)
    findings += subnets.findings
    # Allocated and locked subnets are found at the connection: the user wrote no `gre:`.
    uses += _relocated(
        (
            PrefixUse(net, kind_of(usable[n]).subnet_use, n, ("connections", n))
            for n, net in subnets.subnets.items()
            if subnets.origin[n] != "pinned"  # pins are already in `uses`
        ),
        origins,
    )
    findings += reserved_findings(uses)
    findings += overlap_findings(uses)
    findings += route_checks.prefix_findings(plan, uses)
    numbers = allocate_numbers(plan, usable, lock, running)
    findings += numbers.findings

    links, link_findings = _plan_links(plan, usable, subnets, numbers, far_asns)
    findings += link_findings
    links, rank_findings = preference(links, origins)
    findings += rank_findings
    findings += route_checks.endpoint_findings(plan, links.values())
    findings += device_checks.ipsec_mtu_findings(plan, links.values())

    new_lock = _new_lock(usable, links, subnets, numbers)
    return AddressPlan(
        plan=plan,
        connections=links,
        lock=new_lock,
        lock_changes=tuple(lock_changes(lock, new_lock)),
        findings=tuple(relocate_findings(findings, origins)),
    )


def _device_findings(plan: Plan) -> list[Finding]:
    """What is wrong with the devices themselves, before any link is looked at."""
    findings = list(device_findings(plan))
    findings += pair_findings(plan)
    findings += cluster_findings(plan)
    findings += asn_findings(plan)
    findings += device_checks.router_id_findings(plan)
    findings += device_checks.pair_subnet_findings(plan)
    findings += device_checks.lab_name_findings(plan)
    findings += device_checks.vyatta_site_findings(plan)
    findings += route_checks.next_hop_findings(plan)
    findings += route_checks.duplicate_route_findings(plan)
    return findings


def _plan_links(
    plan: Plan,
    usable: dict[str, AnyConnection],
    subnets: Subnets,
    numbers: Numbers,
    far_asns: dict[str, int | None],
) -> tuple[dict[str, PlannedLink], list[Finding]]:
    """Every link that got what it needs (a subnet unless policy IPsec, a far ASN), planned."""
    findings: list[Finding] = []
    links: dict[str, PlannedLink] = {}
    for name, conn in usable.items():
        needs_subnet = not (isinstance(conn, IpsecLink) and conn.mode == "policy")
        if (needs_subnet and name not in subnets.subnets) or name not in far_asns:
            continue
        link, link_findings = plan_link(
            plan=plan,
            name=name,
            conn=conn,
            subnet=subnets.subnets.get(name),
            tunnel=numbers.router.get(name),
            peer_tunnel=numbers.peer.get(name),
            peer_asn=far_asns[name],
            origin=subnets.origin.get(name, ""),
        )
        findings += link_findings
        findings += session_findings(link)
        links[name] = link
    return links, findings


def _new_lock(
    usable: dict[str, AnyConnection],
    links: dict[str, PlannedLink],
    subnets: Subnets,
    numbers: Numbers,
) -> Lock:
    """What the lock file keeps: each planned link's subnet and numbers, for which ends."""
    return Lock(
        connections={
            name: LockEntry(
                router=conn.router,
                via=conn.via,
                subnet=subnets.subnets.get(name),
                tunnel=numbers.router.get(name),
                peer_tunnel=numbers.peer.get(name),
                peer=peer_name(conn),
            )
            for name, conn in usable.items()
            if name in links and (name in subnets.subnets or name in numbers.router)
        }
    )


def _relocated(uses: Iterable[PrefixUse], origins: dict[str, tuple[str, int]]) -> list[PrefixUse]:
    if not origins:
        return list(uses)
    return [replace(u, path=relocate(u.path, origins)) for u in uses]
