"""High availability: gateway pairs, as IBM deploys them; the plan's pairs checked here, and
each pair turned into its members' intents in `intent/pairs.py`.

A router with `ha:` is a pair. On the VRA (Vyatta 5600) that is "a set of 2 separate
appliances that are clustered with VRRP in an active-passive setup"; the pair's addresses
(`private.address`, `public.address`) are its VRRP virtual addresses, which move to whichever
member is master. So every tunnel of the pair starts on a virtual address: GRE `local-ip` on
the private one, IKE `local-address` and `authentication id` on the public one, and IBM is
told the private virtual address as the GRE destination. Both members get the same tunnels,
routes and policies: one `RouterIntent` per member, copied from the pair's, that differ only
in the member's VRRP priority. (On the vSRX a pair is a chassis cluster: one configuration.)

IBM's VRRP rules, checked here and rendered by the Vyatta pack (IBM Cloud docs, "Working with
High Availability and VRRP", the first source of VRC950 and VRC951): the VIPs and VRRP group
IDs are IBM's and are never changed, so the plan states them; the first device has priority
254, the next one lower, never 255 (the address owner); preemption is off on every VRRP
interface; the advert interval is 1 (2 on busy networks, never over 5); every interface is in
one sync group; the public group carries `notify ipsec` so the IKE daemon listens on the VIP
after a failover.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Interface
from itertools import chain

from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.model import Ha, PairMember, Plan, Router
from vra_config.plan.rules import RULES

#: IBM: the first device of a gateway group gets 254; 255 makes a member the address owner.
FIRST_PRIORITY = 254
OWNER_PRIORITY = 255
#: IBM: "it is not recommended you set a value over 5".
MAX_ADVERTISE_INTERVAL = 5
MEMBERS = 2
#: A vSRX pair is a chassis cluster: IBM's HA default puts the public VLAN on reth1.0 (zone
#: SL-PUBLIC) and the private one on reth0.0 (SL-PRIVATE), so IKE binds to reth1.0
#: (ibm-cloud-docs/vsrx defaults/vsrx_ha_default.conf).
CLUSTER_PUBLIC_INTERFACE = "reth1.0"


def pair_findings(plan: Plan) -> Iterable[Finding]:
    """IBM's rules for a pair: two members, their own addresses apart from the virtual ones,
    priorities under 255 and different, a public group with a public address, adverts at
    most every 5 s, member names that name nothing else, group IDs not shared on a VLAN.

    One check per rule, joined in the order the findings have always come in: per pair
    (by name) its member count, each member's own checks, then the pair's."""
    named = set(plan.routers) | set(plan.sites) | set(plan.connections)
    checks: list[Iterable[Finding]] = []
    for name, router in sorted(plan.routers.items()):
        if router.ha is None:
            continue
        # a member's name may not be another's, nor a member's of a pair checked before
        checks.append(_pair_checks(name, router, router.ha, frozenset(named)))
        named |= set(router.ha.members)
    return chain(*checks, _shared_groups(plan))


def _pair_checks(name: str, router: Router, ha: Ha, named: frozenset[str]) -> Iterable[Finding]:
    base: PlanPath = ("routers", name, "ha")
    members = sorted(ha.members.items())
    return chain(
        _member_count(name, ha, base),
        chain.from_iterable(
            _member_checks(name, router, host, member, named, (*base, "members", host))
            for host, member in members
        ),
        _priorities(ha, base),
        _member_addresses(ha, base),
        _public_group(name, router, ha, base),
        _advert_interval(ha, base),
    )


def _member_checks(
    name: str,
    router: Router,
    host: str,
    member: PairMember,
    named: frozenset[str],
    path: PlanPath,
) -> Iterable[Finding]:
    return chain(
        _member_name(host, named, path),
        _member_vips(router, member, path),
        _member_public(name, router, host, member, path),
        _owner_priority(host, member, path),
    )


def _member_count(name: str, ha: Ha, base: PlanPath) -> Iterable[Finding]:
    """IBM's pair is exactly two appliances."""
    if len(ha.members) != MEMBERS:
        yield Finding(
            (*base, "members"),
            f"pair {name} has {len(ha.members)} member(s); an IBM VRA high-availability "
            "pair is 2 appliances clustered with VRRP: list both, by host name "
            f"({RULES['VRC950'].cite})",
            rule="VRC950",
        )


def _member_name(host: str, named: frozenset[str], path: PlanPath) -> Iterable[Finding]:
    """A member's configuration file is named after it, so its name must be its own."""
    if host in named:
        yield Finding(
            path,
            f"member {host} has the name of another router, site, connection or pair "
            "member of the plan; its configuration file is named after it: use the "
            "appliance's own host name",
            rule="VRC950",
        )


def _member_vips(router: Router, member: PairMember, path: PlanPath) -> Iterable[Finding]:
    """A member's own address is never one of the pair's virtual addresses."""
    vips = {router.private.address.ip: "private"}
    if router.public is not None:
        vips[router.public.address.ip] = "public"
    for field in ("private", "public"):
        address: IPv4Interface | None = getattr(member, field)
        if address is not None and address.ip in vips:
            yield Finding(
                (*path, field),
                f"{address.ip} is the pair's {vips[address.ip]} virtual address; a "
                "member's own address is the real one IBM gave that appliance "
                f"(`show interfaces`), never the VRRP virtual address ({RULES['VRC950'].cite})",
                rule="VRC950",
            )


def _member_public(
    name: str, router: Router, host: str, member: PairMember, path: PlanPath
) -> Iterable[Finding]:
    """A member has its own public address exactly when the pair has a public VIP."""
    if (member.public is None) != (router.public is None):
        what = (
            f"pair {name} has a public virtual address, so member {host} needs its own "
            "public address: add the one `show interfaces` gives on it"
            if router.public is not None
            else f"pair {name} has no public address, so member {host}'s `public` is "
            "unused: remove it"
        )
        yield Finding((*path, "public"), what, rule="VRC950")


def _owner_priority(host: str, member: PairMember, path: PlanPath) -> Iterable[Finding]:
    """IBM: never 255, which makes a member the address owner."""
    if member.priority >= OWNER_PRIORITY:
        yield Finding(
            (*path, "priority"),
            f"priority {member.priority} makes {host} the VRRP address owner; IBM: "
            f"never set 255, the first device has {FIRST_PRIORITY} and the next one "
            f"less ({RULES['VRC951'].cite}); use the priority the appliance shows (254 or lower)",
            rule="VRC951",
        )


def _priorities(ha: Ha, base: PlanPath) -> Iterable[Finding]:
    """Two members with one priority (under 255) leave no member the master by rank."""
    by_priority: dict[int, list[str]] = {}
    for host, m in sorted(ha.members.items()):
        if m.priority < OWNER_PRIORITY:
            by_priority.setdefault(m.priority, []).append(host)
    for priority, hosts in sorted(by_priority.items()):
        if len(hosts) > 1:
            yield Finding(
                (*base, "members", hosts[1], "priority"),
                f"{' and '.join(hosts)} both have priority {priority}; IBM gives the first "
                f"device {FIRST_PRIORITY} and the next one less, so that one is master: "
                "use the priorities the appliances show",
                rule="VRC951",
            )


def _member_addresses(ha: Ha, base: PlanPath) -> Iterable[Finding]:
    """Each appliance has its own addresses: no two members share one."""
    first: dict[IPv4Address, str] = {}
    for host, m in sorted(ha.members.items()):
        for field, address in (("private", m.private), ("public", m.public)):
            if address is None:
                continue
            if address.ip in first and first[address.ip] != host:
                yield Finding(
                    (*base, "members", host, field),
                    f"{address.ip} is also {first[address.ip]}'s address; each appliance has "
                    "its own: write the one `show interfaces` gives on this member",
                    rule="VRC950",
                )
            first.setdefault(address.ip, host)


def _public_group(name: str, router: Router, ha: Ha, base: PlanPath) -> Iterable[Finding]:
    """A public VIP needs its VRRP group, and a public group needs a public VIP."""
    if router.public is not None and ha.public_group is None:
        yield Finding(
            (*base, "public_group"),
            f"pair {name} has a public virtual address but no `public_group`; write the "
            "VRRP group IBM set on dp0bond1 (`show interfaces bonding dp0bond1 vrrp`) "
            f"({RULES['VRC950'].cite})",
            rule="VRC950",
        )
    if router.public is None and ha.public_group is not None:
        yield Finding(
            (*base, "public_group"),
            f"pair {name} has no public address, so `public_group` has nothing to carry; "
            "add `public:` with the public virtual address, or remove `public_group`",
            rule="VRC950",
        )


def _advert_interval(ha: Ha, base: PlanPath) -> Iterable[Finding]:
    """IBM: an advert every second (2 on busy networks), never over 5."""
    if ha.advertise_interval > MAX_ADVERTISE_INTERVAL:
        yield Finding(
            (*base, "advertise_interval"),
            f"an advert every {ha.advertise_interval} s makes failover slow; IBM: 1 (2 on "
            f"busy networks), never over {MAX_ADVERTISE_INTERVAL} ({RULES['VRC951'].cite})",
            rule="VRC951",
        )


def _shared_groups(plan: Plan) -> Iterable[Finding]:
    """Two pairs on one VLAN with the same VRRP group contend for master (IBM: "not use the
    same vrrp-group numbers between multiple HA VRA pairs in the same transit VLAN")."""
    first: dict[tuple[object, int], str] = {}
    for name, router in sorted(plan.routers.items()):
        ha = router.ha
        if ha is None:
            continue
        groups = [("private_group", router.private.address.network, ha.private_group)]
        if router.public is not None and ha.public_group is not None:
            groups.append(("public_group", router.public.address.network, ha.public_group))
        for field, net, group in groups:
            key = (net, group)
            if key in first:
                yield Finding(
                    ("routers", name, "ha", field),
                    f"VRRP group {group} on {net} is also pair {first[key]}'s; two pairs on "
                    "one VLAN with one group fight for master and both go down: write the "
                    f"group IBM assigned to this pair ({RULES['VRC951'].cite})",
                    rule="VRC951",
                )
            first.setdefault(key, name)
