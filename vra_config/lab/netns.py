"""Network namespaces, veth pairs and addresses for the lab, through iproute2.

Every device is made inside the namespaces the run created (`ip link add ... netns`), so no
interface, address or route ever appears in the host's namespace, and forwarding is switched
on per namespace (`net.ipv4.ip_forward` is per network namespace; ip-netns(8), and
https://docs.kernel.org/networking/ip-sysctl.html).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path
from typing import Any

from vra_config.errors import VraConfigError


class LabError(VraConfigError, RuntimeError):
    """The lab could not build or run what it needed (a system problem, not a plan one)."""


def run(args: Sequence[str], stdin: str | None = None) -> str:
    """Run a command; its stdout, or `LabError` with what it said."""
    done = subprocess.run(list(args), input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise LabError(f"`{' '.join(args)}` failed: {said}")
    return done.stdout


def exec_args(namespace: str, command: Sequence[str]) -> list[str]:
    """A command run inside a namespace."""
    return ["ip", "netns", "exec", namespace, *command]


def spawn(
    namespace: str, command: Sequence[str], output: Path, processes: list[Any]
) -> subprocess.Popen[bytes]:
    """Start a daemon in the namespace, its stdout and stderr in `output`; it joins
    `processes` the moment it exists, so an interrupted start still leaves teardown its pid.
    A session of its own: a Ctrl-C reaches us, and we stop the daemons in order."""
    with output.open("wb") as out:
        process = subprocess.Popen(
            exec_args(namespace, command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    processes.append(process)
    return process


def add_namespace(namespace: str) -> None:
    """A namespace with its loopback up, forwarding on and strict reverse-path checks off
    (routes in a lab may be asymmetric; the ping proves the return path instead)."""
    run(["ip", "netns", "add", namespace])
    run(["ip", "-n", namespace, "link", "set", "lo", "up"])
    settings = ("ip_forward", "conf/all/rp_filter", "conf/default/rp_filter")
    values = ("1", "0", "0")
    script = "; ".join(
        f"echo {v} > /proc/sys/net/ipv4/{k}" for k, v in zip(settings, values, strict=True)
    )
    run(exec_args(namespace, ["sh", "-c", script]))  # no procps needed


def delete_namespace(namespace: str) -> None:
    """Remove a namespace (its interfaces go with it); quiet if it is already gone."""
    subprocess.run(["ip", "netns", "del", namespace], capture_output=True, check=False)


def wire_mac(index: int) -> str:
    """The one MAC address both ends of wire `index` share (locally administered, RFC 7042
    §2.1): see `add_wire`."""
    return f"02:76:72:{index >> 16 & 0xFF:02x}:{index >> 8 & 0xFF:02x}:{index & 0xFF:02x}"


def add_wire(
    ns_a: str, if_a: str, ns_b: str, if_b: str, index: int, point_to_point: bool = True
) -> None:
    """A point-to-point wire: a veth pair with one end in each namespace, made there
    directly (ip-link(8)), both ends with one MAC address and ARP off (`configure`).

    A GRE tunnel or a VTI is point-to-point: whatever is routed into it reaches the far
    end, and nothing is resolved by ARP (RFC 2784 has no link layer; the route `dev tun0`
    just works). Ethernet veth would ARP for each destination routed out of it, and a
    static route into a "tunnel" that only works because the far end answers ARP for
    someone else is not what the router does. With ARP off the kernel sends every frame to
    the interface's own MAC address (a NOARP neighbour); the far end has the same one, so
    it takes the frame as its own: every packet routed into the wire reaches the far end."""
    if not point_to_point:  # an Ethernet segment (a VRA pair's VLAN): own MACs, ARP on
        run(["ip", "link", "add", if_a, "netns", ns_a, "type", "veth",
             "peer", "name", if_b, "netns", ns_b])  # fmt: skip
        return
    mac = wire_mac(index)
    run(
        ["ip", "link", "add", if_a, "netns", ns_a, "address", mac, "type", "veth",
         "peer", "name", if_b, "netns", ns_b, "address", mac]
    )  # fmt: skip


def add_lan(namespace: str, interface: str, hosts: str | None = None) -> None:
    """A stand-in LAN: a veth pair whose far end (`<interface>p`) sits in the node's hosts
    namespace `hosts`, where the probe host of the subnet lives, or stays in the node's own
    namespace (a LAN with no probe host; no dummy driver needed); the far end is up."""
    where = ["netns", hosts] if hosts is not None else []
    run(
        ["ip", "-n", namespace, "link", "add", interface, "type", "veth",
         "peer", "name", f"{interface}p", *where]
    )  # fmt: skip
    run(["ip", "-n", hosts or namespace, "link", "set", f"{interface}p", "up"])


def configure_hosts(
    namespace: str, hosts: Sequence[tuple[str, IPv4Interface, IPv4Address]]
) -> None:
    """The probe hosts of one node: each on its LAN (`<interface>p`) with the node as its
    default gateway. One namespace holds all of a node's hosts, so each host's replies
    leave by its own LAN: a routing table per host chosen by source address (ip-rule(8))."""
    lines: list[str] = []
    for number, (interface, host, gateway) in enumerate(hosts, start=100):
        lines.append(f"address add {host} dev {interface}p")
        lines.append(f"route add default via {gateway} dev {interface}p table {number}")
        lines.append(f"rule add from {host.ip} table {number}")
    if lines:
        run(["ip", "-n", namespace, "-batch", "-"], stdin="\n".join(lines) + "\n")


def configure(
    namespace: str,
    addresses: Sequence[tuple[str, IPv4Interface]],
    hosts: Sequence[IPv4Address],
    up: Sequence[str],
    point_to_point: Sequence[str] = (),
) -> None:
    """Addresses, host /32s on the loopback, ARP off on wires, links up, in one `ip -batch`."""
    lines = [f"link set {name} arp off" for name in point_to_point]
    lines += [f"address add {a} dev {name}" for name, a in addresses]
    lines += [f"address add {h}/32 dev lo" for h in hosts]
    lines += [f"link set {name} up" for name in up]
    if lines:
        run(["ip", "-n", namespace, "-batch", "-"], stdin="\n".join(lines) + "\n")


def set_link(namespace: str, interface: str, up: bool) -> None:
    run(["ip", "-n", namespace, "link", "set", interface, "up" if up else "down"])
