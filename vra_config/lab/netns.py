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


class LabError(RuntimeError):
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


def add_wire(ns_a: str, if_a: str, ns_b: str, if_b: str) -> None:
    """A veth pair with one end in each namespace, made there directly (ip-link(8))."""
    run(
        [
            "ip",
            "link",
            "add",
            if_a,
            "netns",
            ns_a,
            "type",
            "veth",
            "peer",
            "name",
            if_b,
            "netns",
            ns_b,
        ]
    )


def add_lan(namespace: str, interface: str) -> None:
    """A stand-in LAN: a veth pair inside one namespace (no dummy driver needed), both up."""
    run(
        [
            "ip",
            "-n",
            namespace,
            "link",
            "add",
            interface,
            "type",
            "veth",
            "peer",
            "name",
            f"{interface}p",
        ]
    )
    run(["ip", "-n", namespace, "link", "set", f"{interface}p", "up"])


def configure(
    namespace: str,
    addresses: Sequence[tuple[str, IPv4Interface]],
    hosts: Sequence[IPv4Address],
    up: Sequence[str],
) -> None:
    """Addresses, host /32s on the loopback, and links up, in one `ip -batch`."""
    lines = [f"address add {a} dev {name}" for name, a in addresses]
    lines += [f"address add {h}/32 dev lo" for h in hosts]
    lines += [f"link set {name} up" for name in up]
    if lines:
        run(["ip", "-n", namespace, "-batch", "-"], stdin="\n".join(lines) + "\n")


def set_down(namespace: str, interface: str) -> None:
    run(["ip", "-n", namespace, "link", "set", interface, "down"])
