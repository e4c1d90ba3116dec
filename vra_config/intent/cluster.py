"""vSRX chassis clusters in the intent: a cluster stays one `RouterIntent` (one Junos
configuration for both nodes) that knows its nodes and the reth units its tunnels start on.
The plan's clusters are checked in `planner/cluster.py`; the vSRX pack renders them through
`targets/routers/vsrx_cluster.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from vra_config.intent.records import ClusterNodes, RouterIntent
from vra_config.plan.model import Plan, Router
from vra_config.planner.cluster import PRIVATE_RETH, PUBLIC_RETH


def cluster_nodes(router: Router) -> ClusterNodes | None:
    """The cluster a router is, if it is one."""
    c = router.cluster
    if c is None:
        return None
    public = router.public.interface if router.public is not None else None
    return ClusterNodes(
        node0=c.node0.host_name,
        node1=c.node1.host_name,
        private_interface=PRIVATE_RETH,
        public_interface=public or PUBLIC_RETH,
        node_addresses=tuple(n.management for n in (c.node0, c.node1) if n.management),
    )


def with_clusters(intents: Mapping[str, RouterIntent], plan: Plan) -> dict[str, RouterIntent]:
    """The intents, each cluster's carrying its nodes."""
    out = dict(intents)
    for name, router in plan.routers.items():
        nodes = cluster_nodes(router)
        if nodes is not None and name in out:
            out[name] = dataclasses.replace(out[name], cluster=nodes)
    return out
