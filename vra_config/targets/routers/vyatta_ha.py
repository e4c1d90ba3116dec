"""Vyatta 5600: the VRRP lines of one member of a VRA high-availability pair, and what makes
its BGP sessions come back quickly after a failover.

The groups, virtual addresses and priorities are IBM's (the plan states them); what is
rendered restates them with IBM's settings (IBM Cloud docs, "Working with High Availability
and VRRP": preemption off, advert interval 1, one sync group, `rfc-compatibility` on the
native bonding interfaces, `notify ipsec` on the public group) so that both members carry
them identically. Syntax: vyatta-vrrp-v1.yang (DANOS), `interfaces bonding ... vrrp
vrrp-group N`.

Why no `notify bgp`: the YANG still accepts it ("Notify bgp daemon on VRRP state
transition"), but in DANOS's public code it does nothing. The keepalived notify reached BGP
only through the old BGP's `vrrp-failover` binding (danos/vyatta-vrrp, the header of
`scripts/sbin/vyatta-async-notify-bgp.pl` and `vyatta-vrrp-state.pl`, both removed in
6517e8c: "When 'notify bgp' is configured on VRRP and the equivalent 'vrrp-failover' config
is added on the BGP side"); the change "Refactor/Notify
rework, IPSEC sole user now" (82c2932) made IPsec the only notify user ("BGP uses VCI
subscriptions so while it can be configured it is a NOOP"), and the 5600's FRR-based BGP
YANG (vyatta-protocols-frr-bgp-v1) has no `vrrp-failover`. A line that does nothing is not
rendered.

What does work is BGP's own timers. On the backup the tunnels on the VIP pass no packets
(IBM, "Resolving upgrade issues": a GRE tunnel whose `local-ip` is on the secondary's VRRP
interface does not transmit or receive), so its sessions sit in Connect/Active; once it holds
the VIPs, its next connect retry opens them. FRR's default retry is 120 s (RFC 4271 §10
suggests 120 s), so each neighbour of a member gets `timers connect` (DANOS YANG
`protocols bgp X neighbor Y timers connect`, 1..65535) of `pairs.CONNECT_RETRY` seconds
(set in the member's intent, so the lab's FRR runs it too). The far
end still holds its session with the old master until a packet of it meets the new master
(which answers with a TCP reset: at the far end's next keepalive) or, at worst, its hold
timer expires; `failover_notes` states the times this implies in each member's header.
"""

from __future__ import annotations

from vra_config.intent.pairs import CONNECT_RETRY
from vra_config.intent.records import RouterIntent
from vra_config.targets.routers.vyatta_context import VrrpGroup

#: IBM's bonded interfaces on every VRA: dp0bond0 private, dp0bond1 public.
PRIVATE_BOND = "dp0bond0"
PUBLIC_BOND = "dp0bond1"
#: VRRP version 2 is DANOS's default (vyatta-vrrp-v1.yang `version`, "Version 2 is for
#: RFC3768"): Master_Down_Interval = 3 x Advertisement_Interval + Skew_Time, Skew_Time =
#: (256 - Priority) / 256 s (RFC 3768 §6.1).
MASTER_DOWN_ADVERTS = 3
PATH_MONITORING = (
    "https://cloud.ibm.com/docs/virtual-router-appliance?"
    "topic=virtual-router-appliance-upgrade-issues#Common-Issues-1912-to-2012"
)


def vrrp(intent: RouterIntent) -> tuple[VrrpGroup, ...]:
    """One entry per VRRP group of the member (none for a device that is not one)."""
    m = intent.ha
    if m is None:
        return ()
    groups: list[tuple[str, int, str, tuple[str, ...]]] = [
        (PRIVATE_BOND, m.private_group, str(m.private_vip), ())
    ]
    if m.public_group is not None and m.public_vip is not None:
        # IBM: the IKE daemon listens only on addresses it had at start
        notify = ("ipsec",) if intent.ipsec_peers else ()
        groups.append((PUBLIC_BOND, m.public_group, str(m.public_vip), notify))
    return tuple(
        VrrpGroup(
            interface=interface,
            group=group,
            address=address,
            notify=notify,
            member=m.member,
            priority=m.priority,
            interval=m.advertise_interval,
            sync_group=m.sync_group,
        )
        for interface, group, address, notify in groups
    )


def master_down(advertise_interval: int, priority: int) -> float:
    """Seconds after the master's last advert until a backup of `priority` takes over."""
    return MASTER_DOWN_ADVERTS * advertise_interval + (256 - priority) / 256


def failover_notes(intent: RouterIntent) -> list[str]:
    """The header lines of a member: what a failover to it takes with the rendered timers."""
    m = intent.ha
    if m is None:
        return []
    vip = master_down(m.advertise_interval, m.priority)
    lines = [
        f"Failover to {m.member}: it takes the VIPs {vip:.1f} s after {m.peer} falls silent "
        f"({MASTER_DOWN_ADVERTS} x advertise-interval {m.advertise_interval} s + skew "
        f"(256-{m.priority})/256 s; RFC 3768 6.1).",
    ]
    if intent.bgp_neighbors:
        keepalive = max(n.keepalive for n in intent.bgp_neighbors)
        hold = max(n.holdtime for n in intent.bgp_neighbors)
        retry = max(n.connect_retry or CONNECT_RETRY for n in intent.bgp_neighbors)
        typical = vip + keepalive + retry
        worst = vip + hold + retry
        lines += [
            f"Then BGP: {m.member} retries each session every {retry} s (timers "
            "connect); the far end accepts once its session with the old master is gone: at "
            f"its next keepalive ({keepalive} s), which {m.member} answers with a TCP reset, "
            f"or at worst when its hold timer ({hold} s) expires.",
            f"Implied: routes back within about {typical:.0f} s, {worst:.0f} s at worst, "
            "plus the OPEN exchange. No `notify bgp`: DANOS's BGP has no binding for it.",
        ]
    if intent.ipsec_peers:
        lines.append(
            "IPsec links also need IKE up on the new master first (`notify ipsec` restarts "
            "it); when the far end accepts the new SA is up to its dead-peer detection, not "
            "in these numbers."
        )
    lines.append(
        "A tunnel stays up when its far end dies; IBM suggests a path-monitoring policy for "
        f"each remote GRE endpoint: {PATH_MONITORING}"
    )
    return lines
