"""A VRA pair in the lab: real VRRP (keepalived) between its two members, power-off and
power-on of a node, and the failover measured.

How the lab models the pair (the topology splits it, `topology._split_pairs`):

- The members share the private and public VLANs (a veth between their `priv` and `pub`),
  as IBM's members share theirs; keepalived runs VRRP there with the plan's groups,
  priorities, advert interval and sync group, and no preemption (IBM: "Preemption should
  always be disabled"). VRRP version 2, DANOS's default (vyatta-vrrp-v1.yang `version`).
- A tunnel that starts on a VIP passes packets only on the master (IBM, "Resolving upgrade
  issues": a GRE whose `local-ip` is on the secondary's VRRP interface does not transmit or
  receive). The lab does not encapsulate, so it moves the tunnel's inner address with the
  VIPs: each is a keepalived virtual address of the group whose VIP the tunnel starts on
  (GRE: private, VTI: public). Both members' tunnel interfaces join a bridge in the far
  end's namespace, which holds the far end's address: the far end reaches whichever member
  holds the address, as IBM's side reaches whichever member holds the VIP.
- Power-off: every packet in and out of the node's namespace is dropped (nftables `inet`
  and `arp` tables at the first hook, and a `netdev` ingress and egress chain on each of its
  interfaces, which also stops packet sockets), so keepalived there cannot advertise or
  announce, nothing answers, and the processes keep running, as a dead appliance looks from
  the wire. Its interfaces stay up: the far ends see no carrier change.

BGP timers may be scaled for speed (`scale_timers`); the caller prints the factor and what
the rendered timers imply in production (`targets/routers/vyatta_ha.failover_notes`).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Interface
from pathlib import Path
from typing import Any

from vra_config.lab.netns import LabError, exec_args, run, spawn
from vra_config.lab.topology import Node, Topology, Wire

KEEPALIVED_INSTALL = (
    "install keepalived: `sudo apt-get install keepalived` on Debian or Ubuntu "
    "(https://keepalived.readthedocs.io/en/latest/installing_keepalived.html)"
)
NFT_INSTALL = (
    "install nftables: `sudo apt-get install nftables` on Debian or Ubuntu "
    "(https://wiki.nftables.org/wiki-nftables/index.php/Main_Page)"
)
#: The nftables table a power-off adds (one per family), and removes on power-on.
OFF_TABLE = "vra_lab_power_off"
#: Drop at the first hook of every path: nothing the node sends or gets reaches anyone. The
#: `inet` and `arp` tables stop its IP stack; the `netdev` egress chain also stops what a
#: daemon writes to a packet socket (keepalived's gratuitous ARPs), which no IP or ARP hook
#: sees (nftables egress hook: Linux 5.16 and later).
_OFF_RULES = """table inet {t} {{
  chain i {{ type filter hook input priority -400; policy drop; }}
  chain o {{ type filter hook output priority -400; policy drop; }}
  chain f {{ type filter hook forward priority -400; policy drop; }}
}}
table arp {t} {{
  chain i {{ type filter hook input priority -400; policy drop; }}
  chain o {{ type filter hook output priority -400; policy drop; }}
}}
"""
_OFF_DEVICES = """table netdev {t} {{
  chain i {{ type filter hook ingress devices = {{ {devices} }} priority -500; policy drop; }}
  chain e {{ type filter hook egress devices = {{ {devices} }} priority -500; policy drop; }}
}}
"""
OFF_FAMILIES = ("inet", "arp", "netdev")
POLL = 0.1
#: Seconds a failover may take in the lab (scaled timers) before it counts as failed.
FAILOVER_WAIT = 45.0
#: Seconds the first member of a pair gets to become master at the start.
MASTER_WAIT = 15.0
#: The lab's BGP timer scale: rendered keepalive/hold/connect divided by this.
TIMER_SCALE = 10


def find_keepalived() -> Path | None:
    found = shutil.which("keepalived")
    return Path(found) if found else None


def pair_members(topology: Topology) -> dict[str, tuple[str, ...]]:
    """{pair: its member nodes, master first} for every VRA pair the lab runs."""
    out: dict[str, list[str]] = {}
    for name, node in topology.nodes.items():
        if node.pair is not None:
            out.setdefault(node.pair, []).append(name)
    return {p: tuple(sorted(m, key=lambda n: _priority(topology.nodes[n]))) for p, m in out.items()}


def _priority(node: Node) -> tuple[int, str]:
    ha = node.intent.ha if node.intent else None
    return (-(ha.priority if ha else 0), node.name)


def shared_end(topology: Topology, wire: Wire) -> str | None:
    """The pair member a link ends on, when the link's other end is not the pair (a link both
    members must reach); None for any other wire."""
    a, b = topology.nodes.get(wire.a.node), topology.nodes.get(wire.b.node)
    if a is None or b is None or (a.pair is None) == (b.pair is None):
        return None
    return a.name if a.pair is not None else b.name


def pair_links(topology: Topology, pair: str) -> list[tuple[Wire, str]]:
    """The pair's links to its far ends: (wire, the member end's node)."""
    out = []
    for w in topology.wires:
        member = shared_end(topology, w)
        if member is not None and topology.nodes[member].pair == pair:
            out.append((w, member))
    return out


def add_shared_wire(topology: Topology, names: dict[str, str], wire: Wire) -> None:
    """The far end's interface as a bridge, with a veth from each member of the pair."""
    member = shared_end(topology, wire)
    assert member is not None
    pair = topology.nodes[member].pair
    assert pair is not None
    near, far = wire.end(member), wire.other(member)
    far_ns = names[far.node]
    run(["ip", "-n", far_ns, "link", "add", far.interface, "type", "bridge"])
    for i, m in enumerate(pair_members(topology)[pair]):
        port = f"{far.interface}m{i}"
        run(
            [
                "ip", "link", "add", near.interface, "netns", names[m],
                "type", "veth", "peer", "name", port, "netns", far_ns,
            ]
        )  # fmt: skip
        run(["ip", "-n", far_ns, "link", "set", port, "master", far.interface, "up"])


def vrrp_addresses(topology: Topology, member: str) -> list[tuple[str, IPv4Interface]]:
    """(interface, address) of every tunnel address keepalived moves with the VIPs."""
    pair = topology.nodes[member].pair
    if pair is None:
        return []
    return [(w.end(e).interface, w.end(e).address) for w, e in pair_links(topology, pair)]


def without_vrrp_addresses(config: str, topology: Topology, member: str) -> str:
    """A member's frr.conf without the tunnel addresses keepalived holds: zebra would put
    them on both members, and only the master may have them."""
    for interface, address in vrrp_addresses(topology, member):
        config = config.replace(f"interface {interface}\n ip address {address}\nexit\n", "")
    return config


def keepalived_config(topology: Topology, member: str) -> str:
    """keepalived.conf of one member: its VRRP groups as the Vyatta lines render them, the
    VIPs and, in the group of the VIP each tunnel starts on, the tunnel's inner address."""
    node = topology.nodes[member]
    assert node.intent is not None and node.intent.ha is not None and node.pair is not None
    ha = node.intent.ha
    private: list[tuple[IPv4Interface, str]] = [(ha.private_vip, "priv")]
    public: list[tuple[IPv4Interface, str]] = []
    if ha.public_vip is not None:
        public.append((ha.public_vip, "pub"))
    for interface, address in vrrp_addresses(topology, member):
        holder = public if interface.startswith("vti") and public else private
        holder.append((address, interface))
    groups = [("priv", ha.private_group, private)]
    if public and ha.public_group is not None:
        groups.append(("pub", ha.public_group, public))
    lines = [
        f"# vra-config lab: VRRP of {member}, member of {node.pair}",
        "global_defs {",
        f"    router_id {member}",
        "    enable_script_security",
        "}",
        f"vrrp_sync_group {ha.sync_group} {{",
        "    group {",
        *(f"        {name}" for name, _, _ in groups),
        "    }",
        "}",
    ]
    for name, group, addresses in groups:
        lines += [
            f"vrrp_instance {name} {{",
            "    state BACKUP",
            f"    interface {name}",
            f"    virtual_router_id {group}",
            f"    priority {ha.priority}",
            f"    advert_int {ha.advertise_interval}",
            "    nopreempt",
            "    virtual_ipaddress {",
            # a tunnel's state never moves VRRP (a VRA's tunnels do not either): keepalived
            # tracks only the VLAN, not the interfaces of the tunnel addresses
            *(
                f"        {a} dev {dev}" + ("" if dev == name else " no_track")
                for a, dev in addresses
            ),
            "    }",
            "}",
        ]
    return "\n".join(lines) + "\n"


def start_keepalived(
    keepalived: Path, namespace: str, folder: Path, config: str, processes: list[Any]
) -> None:
    """keepalived (VRRP only) in the member's namespace, in the foreground, with its own
    pid files so that runs never meet; it joins `processes` at once, for teardown."""
    conf = folder / "keepalived.conf"
    conf.write_text(config, encoding="utf-8")
    command = [
        str(keepalived), "--dont-fork", "--log-console", "--log-detail", "--vrrp",
        "--no-syslog", "-f", str(conf),
        "-p", str(folder / "keepalived.pid"), "-r", str(folder / "vrrp.pid"),
    ]  # fmt: skip
    spawn(namespace, command, folder / "keepalived.out", processes)


def power_off(namespace: str) -> None:
    """The node falls silent: every packet in or out of its namespace is dropped."""
    links = json.loads(run(["ip", "-n", namespace, "-j", "link", "show"]) or "[]")
    devices = sorted(str(link["ifname"]) for link in links if link.get("ifname") != "lo")
    rules = _OFF_RULES.format(t=OFF_TABLE)
    if devices:
        quoted = ", ".join(f'"{d}"' for d in devices)
        rules += _OFF_DEVICES.format(t=OFF_TABLE, devices=quoted)
    run(exec_args(namespace, ["nft", "-f", "-"]), stdin=rules)


def power_on(namespace: str) -> None:
    """The node answers again (its daemons never stopped: VRRP without preemption leaves
    the VIPs where they are)."""
    listed = run(exec_args(namespace, ["nft", "list", "tables"]))
    for family in OFF_FAMILIES:
        if f"table {family} {OFF_TABLE}" in listed:
            run(exec_args(namespace, ["nft", "delete", "table", family, OFF_TABLE]))


def holds(namespace: str, address: IPv4Interface) -> bool:
    """Whether the namespace holds `address` (a VIP keepalived moved there)."""
    shown = run(["ip", "-n", namespace, "-j", "-4", "address", "show"])
    for link in json.loads(shown or "[]"):
        for info in link.get("addr_info", []):
            if info.get("local") == str(address.ip):
                return True
    return False


def master(topology: Topology, names: dict[str, str], pair: str) -> str | None:
    """The member that holds the pair's private VIP now, if one does."""
    for m in pair_members(topology)[pair]:
        intent = topology.nodes[m].intent
        assert intent is not None and intent.ha is not None
        if holds(names[m], intent.ha.private_vip):
            return m
    return None


def await_master(topology: Topology, names: dict[str, str], pair: str, member: str) -> None:
    """Wait until `member` holds the pair's VIPs. Started first and alone, it becomes
    master; the other member, started after, stays backup (no preemption), as IBM's first
    device (priority 254) is the master. Without the wait, a slow start could leave the
    backup master for the whole run."""
    start = time.monotonic()
    found = wait_for(lambda: master(topology, names, pair) == member, start, start + MASTER_WAIT)
    if found is None:
        raise LabError(f"keepalived on {member} did not become VRRP master in {MASTER_WAIT:.0f} s")


def scale_timers(config: str, scale: int = TIMER_SCALE) -> str:
    """An frr.conf with every BGP keepalive, hold and connect timer divided by `scale`
    (at least 1 s; hold at least 3 s, RFC 4271 §4.2)."""

    def pair(m: re.Match[str]) -> str:
        keepalive = max(1, int(m.group(2)) // scale)
        hold = max(3, int(m.group(3)) // scale)
        return f"{m.group(1)}timers {keepalive} {hold}"

    def connect(m: re.Match[str]) -> str:
        return f"{m.group(1)}timers connect {max(1, int(m.group(2)) // scale)}"

    config = re.sub(r"^( neighbor \S+ )timers (\d+) (\d+)$", pair, config, flags=re.M)
    return re.sub(r"^( neighbor \S+ )timers connect (\d+)$", connect, config, flags=re.M)


@dataclass(frozen=True, kw_only=True)
class Failover:
    """What a power-off of a pair's master did, in seconds from the power-off."""

    pair: str
    off: str
    new_master: str | None
    vip: float | None  # the VIPs on the other member
    bgp: float | None  # every session of the pair's links Established on it
    reach: float | None  # every pair of networks the plan expects reaches again


def wait_for(check: Callable[[], bool], start: float, deadline: float) -> float | None:
    """Seconds from `start` until `check()` held, or None by `deadline` (monotonic)."""
    while time.monotonic() < deadline:
        if check():
            return time.monotonic() - start
        time.sleep(POLL)
    return None


def ensure_member(topology: Topology, member: str) -> str:
    """The pair `member` belongs to, or `LabError` naming the members there are."""
    node = topology.nodes.get(member)
    if node is None or node.pair is None:
        known = ", ".join(m for ms in pair_members(topology).values() for m in ms) or "none"
        raise LabError(f"{member} is not a member of a VRA pair in this plan ({known})")
    return node.pair
