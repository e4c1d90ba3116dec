"""The vSRX pack's chassis-cluster part: what a cluster changes in one vSRX configuration.

A vSRX high-availability pair is a Junos chassis cluster (IBM's HA profile, ibm-cloud-docs/vsrx
`defaults/vsrx_ha_default.conf`): one configuration for both nodes, the private VLAN on
`reth0.0` (zone SL-PRIVATE) and the public one on `reth1.0` (zone SL-PUBLIC), both reths in
redundancy group 1. The pack renders a cluster like a single vSRX whose addresses are the
reths'; this module adds what differs, through two hooks in `vsrx.context`, both typed
with the pack's records (`vsrx_context.py`):

- `check` refuses a render that would start a tunnel where it does not follow the cluster:
  a GRE `tunnel source` or IKE `local-address` on a node's own (management) address, or an
  IKE `external-interface` that is not a reth. The planner already refuses such plans
  (VRC953); this is the pack's guard that nothing else slipped one through.
- `notes` are the comment lines that say, in the output, where each tunnel is anchored.

What Juniper documents, and what is rendered for it:

- IPsec: in an active/passive chassis cluster all VPN tunnels terminate on the same node;
  the IKE gateway needs an external interface, and a reth (or a loopback placed in a
  redundancy group) is what moves with the cluster (Juniper, "IPsec VPN Tunnels with Chassis
  Clusters",
  https://www.juniper.net/documentation/us/en/software/junos/vpn-ipsec/topics/topic-map/security-ipsec-vpn-tunnels-with-chassis-clusters.html;
  `redundant-pseudo-interface-options`,
  https://www.juniper.net/documentation/en_US/junos12.1x46/topics/reference/configuration-statement/redundant-pseudo-interface-options-security.html).
  So `security ike gateway NAME external-interface reth1.0` with `local-address` on reth1.0's
  address; the st0 unit the VPN binds to needs no cluster statement. No `node-local` (that
  pins a gateway to one node, the opposite of what a pair is for).
- Redundant Ethernet interfaces inherit their failover properties from their redundancy
  group (Juniper, "Chassis Cluster Redundant Ethernet Interfaces",
  https://www.juniper.net/documentation/us/en/software/junos/chassis-cluster-security-devices/topics/topic-map/security-chassis-cluster-redundant-ethernet-interfaces.html),
  so a GRE `tunnel source` on reth0.0's address is sent from whichever node is primary for
  redundancy group 1.
- GRE on gr-0/0/0 in a chassis cluster: the Juniper pages we could consult document no
  redundancy-group or "anchor" statement for gr-0/0/0 on SRX/vSRX, and the junos-es 23.4R2
  YANG the CI checks against has no such leaf under `interfaces gr-0/0/0 unit N tunnel`.
  Nothing is invented: the tunnel is sourced on the reth address, and the output says to
  prove the failover (`request chassis cluster failover redundancy-group 1 node 1`) before
  relying on it.
- `chassis cluster` statements (redundancy groups, reth-count, node priorities) are IBM's
  provisioning and are not in the junos-es YANG either; they are never rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from vra_config.intent.records import RouterIntent
from vra_config.plan.findings import Finding
from vra_config.targets.routers.vsrx_context import GreUnit, Vpn

RETH_PREFIX = "reth"


def check(intent: RouterIntent, gre_units: Sequence[GreUnit], vpns: Sequence[Vpn]) -> list[Finding]:
    """What in the pack's GRE units and VPNs would start a tunnel off the cluster's reths
    (empty when all is well)."""
    cluster = intent.cluster
    if cluster is None:
        return []
    own = {str(a) for a in cluster.node_addresses}
    found = []
    for unit in gre_units:
        if unit.source in own:
            found.append(
                Finding(
                    ("routers", intent.name, "private", "address"),
                    f"gr-0/0/0.{unit.unit} would start on {unit.source}, a node's own "
                    f"address; a cluster's GRE starts on {cluster.private_interface}'s",
                    rule="VRC953",
                )
            )
    for vpn in vpns:
        if vpn.local in own or not vpn.external.startswith(RETH_PREFIX):
            found.append(
                Finding(
                    ("connections", vpn.name),
                    f"IKE gateway {vpn.name} would bind to {vpn.external} / "
                    f"{vpn.local}, not to the cluster's {cluster.public_interface}",
                    rule="VRC953",
                )
            )
    return found


def notes(intent: RouterIntent, comment: Callable[[str], str]) -> list[str]:
    """Comment lines for the top of a cluster's configuration."""
    cluster = intent.cluster
    if cluster is None:
        return []
    lines = [
        f"Chassis cluster: one configuration for node0 {cluster.node0} and node1 "
        f"{cluster.node1}; load it on the primary node.",
        f"Tunnels start on the reths, which follow redundancy group 1: GRE on "
        f"{cluster.private_interface}'s address, IKE on {cluster.public_interface}.",
    ]
    if intent.tunnels:
        lines.append(
            "gr-0/0/0 has no documented redundancy-group anchor: prove failover with "
            "`request chassis cluster failover redundancy-group 1 node 1` before production."
        )
    return [comment(line) for line in lines]
