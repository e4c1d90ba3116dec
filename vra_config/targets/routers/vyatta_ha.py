"""Vyatta 5600: the VRRP lines of one member of a VRA high-availability pair.

The groups, virtual addresses and priorities are IBM's (the plan states them); what is
rendered restates them with IBM's settings (IBM Cloud docs, "Working with High Availability
and VRRP": preemption off, advert interval 1, one sync group, `rfc-compatibility` on the
native bonding interfaces, `notify ipsec` on the public group) so that both members carry
them identically. Syntax: vyatta-vrrp-v1.yang (DANOS), `interfaces bonding ... vrrp
vrrp-group N`; `notify bgp` tells the BGP daemon of a VRRP state change, so the sessions of
tunnels that start on a virtual address restart on the new master.
"""

from __future__ import annotations

from typing import Any

from vra_config.intent.records import RouterIntent

#: IBM's bonded interfaces on every VRA: dp0bond0 private, dp0bond1 public.
PRIVATE_BOND = "dp0bond0"
PUBLIC_BOND = "dp0bond1"


def vrrp(intent: RouterIntent) -> list[dict[str, Any]]:
    """One entry per VRRP group of the member (none for a device that is not one)."""
    m = intent.ha
    if m is None:
        return []
    bgp_on_gre = bool(intent.tunnels) and bool(intent.bgp_neighbors)
    bgp_on_vti = bool(intent.vtis) and bool(intent.bgp_neighbors)
    groups = [
        {
            "interface": PRIVATE_BOND,
            "group": m.private_group,
            "address": str(m.private_vip),
            "notify": ["bgp"] if bgp_on_gre else [],
        }
    ]
    if m.public_group is not None and m.public_vip is not None:
        notify = ["bgp"] if bgp_on_vti else []
        if intent.ipsec_peers:
            notify.append("ipsec")
        groups.append(
            {
                "interface": PUBLIC_BOND,
                "group": m.public_group,
                "address": str(m.public_vip),
                "notify": notify,
            }
        )
    for g in groups:
        g.update(
            member=m.member,
            priority=m.priority,
            interval=m.advertise_interval,
            sync_group=m.sync_group,
        )
    return groups
