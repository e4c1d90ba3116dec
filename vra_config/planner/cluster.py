"""vSRX chassis clusters: the plan's `cluster:` blocks checked against IBM's HA profile.

IBM's vSRX high-availability pair is a Junos chassis cluster, not a VRRP pair: one
configuration for both nodes, whose data-plane addresses live on redundant Ethernet
interfaces. IBM's HA default (ibm-cloud-docs/vsrx `defaults/vsrx_ha_default.conf`) puts the
private VLAN on `reth0` (children ge-0/0/1 on node0 and ge-7/0/1 on node1) as `reth0.0` in
zone SL-PRIVATE, the public VLAN on `reth1` (ge-0/0/3, ge-7/0/3) as `reth1.0` in SL-PUBLIC,
both in redundancy group 1, with redundancy groups 0-2 defined. A reth fails over with its
redundancy group (Juniper, `redundancy-group` under `redundant-ether-options`: "Failover
properties of the interface are inherited from the
redundancy group"), so what starts on a reth address follows the node that is primary for
redundancy group 1; a node's own ports and management address (fxp0) do not.

So the router's `private.address` is reth0.0's address and `public.address` reth1.0's, and
every tunnel starts on them (GRE source on reth0.0, IKE `external-interface reth1.0`); the
checks here refuse VRRP-only settings on a cluster (VRC952) and a node's own address or port
where the cluster's must be (VRC953), and warn that GRE on a cluster has no documented
failover (VRC970). The render is `targets/routers/vsrx_cluster.py`.

Why VRC970 is a warning to acknowledge and not an error: every GRE link of a cluster is a
`gr-0/0/0` unit, and no Juniper page we could find (nor the junos-es YANG) documents a
redundancy-group anchor for gr-0/0/0 on SRX/vSRX, so nothing shows those units surviving the
loss of node0. It may work (the source is reth0.0's address, which moves); only a failover
test shows it. The plan records that test with `accept:`, which every header then shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from ipaddress import IPv4Address
from itertools import chain

from vra_config.plan.findings import Finding
from vra_config.plan.model import Cluster, ClusterNode, Plan, Router
from vra_config.plan.rules import JUNIPER_RETH, RULES
from vra_config.planner.kinds import kind_of
from vra_config.vendors import pair_style
from vra_config.vendors.common import CHASSIS_CLUSTER, VRRP

#: IBM's HA profile: the private VLAN on reth0.0, the public one on reth1.0.
PRIVATE_RETH = "reth0.0"
PUBLIC_RETH = "reth1.0"
#: vSRX chassis cluster port names: node0's FPC is 0, node1's is 7 (IBM's ge-0/0/x, ge-7/0/x).
NODE_FPC = {"0": "node0", "7": "node1"}
NODE_PORT_RE = re.compile(r"(?:ge|xe)-([0-9]+)/[0-9]+/[0-9]+(?:\.[0-9]+)?")
RETH_RE = re.compile(r"reth[0-9]+\.[0-9]+")
VRRP_FIELDS = "private_group, public_group, sync_group, advertise_interval, member priorities"


def is_cluster(router: Router) -> bool:
    return router.cluster is not None


def cluster_findings(plan: Plan) -> Iterable[Finding]:
    """A cluster is a vSRX with no VRRP, two nodes with names of their own, and its tunnels'
    addresses on the reths, never on a node's own address or port.

    One check per rule, joined in the order the findings have always come in: per router
    (by name) a vSRX written as a VRRP pair, else, for a cluster, VRRP settings on it, a VRA
    written as one, its nodes' names, their management addresses, GRE failover and where IKE
    binds."""
    taken = frozenset(plan.routers) | set(plan.sites) | set(plan.connections)
    return chain.from_iterable(
        _router_checks(plan, name, router, taken) for name, router in sorted(plan.routers.items())
    )


def _router_checks(
    plan: Plan, name: str, router: Router, taken: frozenset[str]
) -> Iterable[Finding]:
    cluster = router.cluster
    if cluster is None:
        return _vsrx_pair_as_vrrp(name, router)
    nodes = (("node0", cluster.node0), ("node1", cluster.node1))
    return chain(
        _vrrp_on_cluster(name, router),
        _vra_as_cluster(name, router),
        _same_host_names(name, cluster),
        _taken_host_names(name, nodes, taken),
        _node_addresses(name, router, nodes),
        _gre_failover(plan, name),
        _public_interface(name, router),
    )


def _vsrx_pair_as_vrrp(name: str, router: Router) -> Iterable[Finding]:
    """A vSRX pair is a chassis cluster (IBM's HA default), so `ha:` on one means nothing."""
    if router.ha is not None and pair_style(router.vendor) == CHASSIS_CLUSTER:
        yield Finding(
            ("routers", name, "ha"),
            f"router {name} is a vSRX, whose high-availability pair is a chassis cluster, "
            f"not VRRP: {VRRP_FIELDS} do not exist on it. Replace `ha:` with `cluster:` "
            "naming node0 and node1 (`show chassis cluster status`); the router's "
            "private and public addresses are reth0.0's and reth1.0's "
            f"({RULES['VRC952'].cite})",
            rule="VRC952",
        )


def _vrrp_on_cluster(name: str, router: Router) -> Iterable[Finding]:
    """A chassis cluster has no VRRP: `ha:` beside `cluster:` has nothing to set."""
    if router.ha is not None:
        yield Finding(
            ("routers", name, "ha"),
            f"router {name} is a vSRX chassis cluster (`cluster:`), which has no VRRP: "
            f"{VRRP_FIELDS} do not apply; remove `ha:` (a VRA pair is `ha:` without "
            "`cluster:`)",
            rule="VRC952",
        )


def _vra_as_cluster(name: str, router: Router) -> Iterable[Finding]:
    """IBM's VRA pair is two appliances with VRRP, never a chassis cluster."""
    if pair_style(router.vendor) == VRRP:
        yield Finding(
            ("routers", name, "cluster"),
            f"router {name} is a VRA (vendor: vyatta), and a VRA pair is two appliances "
            "clustered with VRRP, not a chassis cluster: write `ha:` with the VRRP groups "
            "and members, or set `vendor: vsrx`",
            rule="VRC952",
        )


def _same_host_names(name: str, cluster: Cluster) -> Iterable[Finding]:
    """A cluster is two vSRX nodes, each with its own host name."""
    if cluster.node0.host_name == cluster.node1.host_name:
        yield Finding(
            ("routers", name, "cluster", "node1", "host_name"),
            f"node0 and node1 are both {cluster.node1.host_name}; a cluster is two vSRX "
            "nodes, each with its own host name (`show chassis cluster status`)",
            rule="VRC952",
        )


def _taken_host_names(
    name: str, nodes: tuple[tuple[str, ClusterNode], ...], taken: frozenset[str]
) -> Iterable[Finding]:
    """A node's host name names nothing else of the plan, whose files are named by name."""
    for node, n in nodes:
        if n.host_name in taken:
            yield Finding(
                ("routers", name, "cluster", node, "host_name"),
                f"{n.host_name} is also a router, site or connection of the plan; the "
                f"cluster renders as one configuration named {name}: give {node} its "
                "own host name",
                rule="VRC952",
            )


def _public_interface(name: str, router: Router) -> Iterable[Finding]:
    """IKE binds to a reth, which fails over; a node's port, or no reth, stays behind."""
    public = router.public.interface if router.public is not None else None
    if public is None or RETH_RE.fullmatch(public):
        return
    match = NODE_PORT_RE.fullmatch(public)
    owner = NODE_FPC.get(match.group(1)) if match else None
    what = (
        f"{public} is a port of {owner}; in IBM's HA profile the node ports are "
        "children of a reth (ge-0/0/3 and ge-7/0/3 of reth1) and hold no address"
        if owner
        else f"{public} is not a redundant Ethernet interface"
    )
    yield Finding(
        ("routers", name, "public", "interface"),
        f"{what}, so IKE bound there stays on one node when the cluster fails over: "
        f"leave `interface` out (IKE binds to {PUBLIC_RETH}) or name the reth unit "
        f"that holds {router.public.address if router.public else ''} "
        f"({RULES['VRC953'].citing(JUNIPER_RETH)})",
        rule="VRC953",
    )


def _gre_failover(plan: Plan, name: str) -> Iterable[Finding]:
    """One warning per cluster that carries GRE: its failover is undocumented (VRC970)."""
    gre = sorted(
        c
        for c, link in plan.connections.items()
        # a GRE kind is a gr-0/0/0 unit on a vSRX (cloud connection, Transit Gateway, GRE)
        if kind_of(link).interface_family == "gre"
        and (link.router == name or getattr(link, "peer", None) == name)
    )
    if not gre:
        return
    yield Finding(
        ("routers", name, "cluster"),
        f"router {name} is a chassis cluster and {', '.join(gre)} "
        f"{'is GRE' if len(gre) == 1 else 'are GRE'} on gr-0/0/0, for which no Juniper "
        "source documents a redundancy-group anchor: nothing shows these tunnels surviving "
        "the loss of node0. Test it (`request chassis cluster failover redundancy-group 1 "
        "node 1`, then `show bgp summary` on node1), then record the test with "
        f"`accept: [{{id: VRC970, at: routers.{name}.cluster, reason: ...}}]`",
        "warning",
        rule="VRC970",
    )


def _node_addresses(
    name: str, router: Router, nodes: tuple[tuple[str, ClusterNode], ...]
) -> Iterable[Finding]:
    reths = {router.private.address.ip: f"private address ({PRIVATE_RETH})"}
    if router.public is not None:
        reths[router.public.address.ip] = f"public address ({PUBLIC_RETH})"
    seen: dict[IPv4Address, str] = {}
    for node, n in nodes:
        ip = n.management
        if ip is None:
            continue
        path = ("routers", name, "cluster", node, "management")
        if ip in reths:
            yield Finding(
                path,
                f"{ip} is the cluster's {reths[ip]}, where its tunnels start; {node}'s "
                "management address is the node's own (fxp0.0), which stays on that node "
                "when the cluster fails over: write the node's own address "
                f"({RULES['VRC953'].citing(JUNIPER_RETH)})",
                rule="VRC953",
            )
        elif ip in seen:
            yield Finding(
                path,
                f"{ip} is also {seen[ip]}'s management address; each node has its own "
                "(fxp0.0): write the one `show interfaces fxp0` gives on this node",
                rule="VRC953",
            )
        seen.setdefault(ip, node)
