"""Failures applied to a running lab, and healed: the far end of a link goes silent, an
interface goes down, or a whole node is powered off.

- `silent` (the default of `--fail LINK`): in the far end's namespace, nftables drops every
  packet in from and out to that link's interface (IP and ARP). The near end's interface stays
  up with its addresses and routes, as a GRE tunnel on a VRA does when the far end dies
  (IBM Cloud docs, Virtual Router Appliance, "Known issues with upgrades": "the GRE tunnel
  status will perpetually be up"); BGP notices only when its hold timer expires (RFC 4271
  §6.5), and a static route into the link stays installed.
- `down` (`--fail LINK:down`): the near end's interface goes down (`ip link set ... down`);
  the veth's far end loses carrier too. That is what a physical port (a Direct Link cross
  connect) does when the fibre is cut: connected and static routes over it leave the table at
  once, and FRR resets an eBGP session on a directly connected interface that goes down
  (`bgp fast-external-failover`, on by default: docs.frrouting.org bgp.html).
- `power-off`: every packet in and out of the node's namespace is dropped, by the one
  implementation the VRA pair lab uses too (`vrrp.power_off`: nftables `inet` and `arp`
  tables, and a `netdev` ingress and egress chain on each interface, so that a silenced
  VRRP member's gratuitous ARPs, written to a packet socket, do not leak either). Its
  daemons keep running: a powered-off router is silent to its neighbours, which is all they
  can observe, and stopping and restarting FRR would make healing a cold start
  (configuration reload, static routes through vtysh) rather than the return of the node; a
  member that comes back is then a partition that heals.

Each failure is one nftables table per (family, failure) in the node's own namespace, so
healing deletes exactly those tables, and deleting the namespace (teardown) deletes them too:
nothing is ever added to the host's ruleset (nft(8), "Address families": netdev/inet/arp).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vra_config.lab import vrrp
from vra_config.lab.netns import exec_args, run, set_link
from vra_config.lab.topology import Topology

KINDS = ("silent", "down", "power-off")


@dataclass(frozen=True)
class Failure:
    """One failure: `kind` of `target` (a connection's name, or a node's for power-off)."""

    kind: str
    target: str

    def __str__(self) -> str:
        if self.kind == "silent":
            return f"{self.target} (far end silent)"
        if self.kind == "down":
            return f"{self.target} (interface down)"
        return f"power-off {self.target}"


def parse(text: str) -> Failure:
    """`LINK` (silent far end), `LINK:down`, or `power-off:NODE`."""
    if text.startswith("power-off:"):
        return Failure("power-off", text.removeprefix("power-off:"))
    if text.endswith(":down"):
        return Failure("down", text.removesuffix(":down"))
    return Failure("silent", text)


def _table(failure: Failure) -> str:
    return "vra_fail_" + re.sub(r"[^A-Za-z0-9_]", "_", f"{failure.kind}_{failure.target}")


def silent_rules(table: str, interface: str) -> str:
    """nft script: nothing in from, or out to, `interface` (IP in every hook, and ARP)."""
    quoted = f'"{interface}"'
    return (
        f"table inet {table} {{\n"
        f"  chain input {{ type filter hook input priority -300; iifname {quoted} drop; }}\n"
        f"  chain forward {{ type filter hook forward priority -300; "
        f"iifname {quoted} drop; oifname {quoted} drop; }}\n"
        f"  chain output {{ type filter hook output priority -300; oifname {quoted} drop; }}\n"
        f"}}\n"
        f"table arp {table} {{\n"
        f"  chain input {{ type filter hook input priority 0; iifname {quoted} drop; }}\n"
        f"  chain output {{ type filter hook output priority 0; oifname {quoted} drop; }}\n"
        f"}}\n"
    )


def far_end(topology: Topology, connection: str) -> tuple[str, str]:
    """(node, interface) of the far end of a plan connection: the end that is not the
    plan's router (or the site that names it), i.e. the peer, a Transit Gateway or PowerVS."""
    wire = next(w for w in topology.wires if w.name == connection)
    return wire.b.node, wire.b.interface


def near_end(topology: Topology, connection: str) -> tuple[str, str]:
    wire = next(w for w in topology.wires if w.name == connection)
    return wire.a.node, wire.a.interface


def _nft(namespace: str, script: str) -> None:
    run(exec_args(namespace, ["nft", "-f", "-"]), stdin=script)


def apply(failure: Failure, topology: Topology, names: dict[str, str]) -> None:
    """Make the failure happen in the running lab (`names`: node → namespace)."""
    table = _table(failure)
    if failure.kind == "silent":
        node, interface = far_end(topology, failure.target)
        _nft(names[node], silent_rules(table, interface))
    elif failure.kind == "down":
        node, interface = near_end(topology, failure.target)
        set_link(names[node], interface, up=False)
    else:
        vrrp.power_off(names[failure.target])


def heal(failure: Failure, topology: Topology, names: dict[str, str]) -> None:
    """Undo `apply`: delete the failure's tables, or bring the interface back up."""
    table = _table(failure)
    if failure.kind == "down":
        node, interface = near_end(topology, failure.target)
        set_link(names[node], interface, up=True)
        return
    if failure.kind == "power-off":
        vrrp.power_on(names[failure.target])
        return
    node = far_end(topology, failure.target)[0]
    _nft(names[node], f"delete table inet {table}\ndelete table arp {table}\n")
