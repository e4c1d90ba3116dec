"""The lab run: check it can run, build, start, observe, compare, and always tear down.

Teardown runs on success, failure, Ctrl-C (SIGINT) and SIGTERM/SIGHUP (turned into an
exception here, so `finally` runs): daemons stop, namespaces go, the run directory goes.
Names are unique per run (`vra-<run id>-<n>`), so two runs, or a run and a crashed one's
leftovers, never meet. `keep` leaves everything up and says how to inspect and remove it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from vra_config.lab import daemons, netns, observe, vrrp
from vra_config.lab.compare import compare
from vra_config.lab.configs import node_config
from vra_config.lab.daemons import Frr
from vra_config.lab.report import LabResult
from vra_config.lab.topology import Topology, build, take_over
from vra_config.planner.records import AddressPlan

FRR_INSTALL = (
    "install FRR: `sudo apt-get install frr` on Debian or Ubuntu "
    "(https://docs.frrouting.org/en/stable-8.4/installation.html)"
)


class CannotRun(Exception):
    """The lab cannot run here (not Linux, not root, FRR or iproute2 missing): exit 2."""


def preflight() -> Frr:
    """The FRR installation to use, or `CannotRun` saying how to get what is missing."""
    if not sys.platform.startswith("linux"):
        raise CannotRun(
            f"the lab needs Linux network namespaces; this is {sys.platform}. Run it on a "
            "Linux machine or VM"
        )
    if os.geteuid() != 0:
        raise CannotRun(
            "the lab creates network namespaces, which needs root: run `sudo vra-config lab ...`"
        )
    if shutil.which("ip") is None:
        raise CannotRun("iproute2's `ip` is missing: `sudo apt-get install iproute2`")
    found = daemons.find_frr()
    if found is None:
        raise CannotRun(f"FRR (zebra, staticd, bgpd and vtysh) is not installed; {FRR_INSTALL}")
    return found


@contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP end the run through `finally`, like Ctrl-C does."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def _signals_ignored() -> Iterator[None]:
    caught = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in caught}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def run_lab(
    address_plan: AddressPlan,
    plan_name: str,
    failed: tuple[str, ...] = (),
    keep: bool = False,
    say: Callable[[str], None] = print,
    vendor: str | None = None,
    power_off: str | None = None,
) -> LabResult:
    """Run the plan in FRR and compare; raises `CannotRun` or `LabError`. `vendor` (vyatta
    or vsrx) is whose text every device runs, else each device's own `vendor:`. `power_off`
    names a VRA pair member to power off after the baseline (the failover is measured, with
    BGP timers scaled by `vrrp.TIMER_SCALE`)."""
    found = preflight()
    topology = build(address_plan, failed, vendor)
    keepalived = vrrp.find_keepalived()
    if vrrp.pair_members(topology) and keepalived is None:
        raise CannotRun(f"the plan has a VRA pair, which runs VRRP; {vrrp.KEEPALIVED_INSTALL}")
    if power_off is not None:
        vrrp.ensure_member(topology, power_off)
        if shutil.which("nft") is None:
            raise CannotRun(f"--power-off silences a node with nftables; {vrrp.NFT_INSTALL}")
    run_id = secrets.token_hex(3)
    names = {node: f"vra-{run_id}-{i}" for i, node in enumerate(sorted(topology.nodes))}
    root = Path(tempfile.mkdtemp(prefix=f"vra-lab-{run_id}-"))
    root.chmod(0o755)
    created: list[str] = []
    processes: list[subprocess.Popen[bytes]] = []
    folders: dict[str, Path] = {}
    with _signals_raise():
        try:
            for namespace in names.values():
                netns.add_namespace(namespace)
                created.append(namespace)
            _wire(topology, names)
            for node in sorted(topology.nodes):
                config = node_config(topology.nodes[node], topology, plan_name)
                if power_off is not None:
                    config = vrrp.scale_timers(config)
                folders[node] = daemons.node_dir(root, node, config)
            for node in sorted(topology.nodes):
                daemons.start(found, names[node], folders[node], processes)
            for pair, members in vrrp.pair_members(topology).items():
                assert keepalived is not None
                for m in members:  # the first provisioned becomes master, as at IBM
                    config = vrrp.keepalived_config(topology, m)
                    vrrp.start_keepalived(keepalived, names[m], folders[m], config, processes)
                    if m == members[0]:
                        vrrp.await_master(topology, names, pair, m)

            def query(node: str, command: str) -> Any:
                return daemons.query(found, folders[node], command)

            converged, seconds = observe.converge(query, topology)
            seen = observe.collect(query, topology)
            reach = observe.ping_all(names, topology)
            seen = replace(seen, reach=reach, converged=converged, seconds=seconds)
            cells, findings = compare(topology, seen)
            result = LabResult(plan_name, topology, seen, cells, findings)
            if power_off is not None:
                result = _power_off(result, power_off, names, query, say)
            return result
        finally:
            if keep:
                _explain_keep(say, names, folders, root)
            else:
                with _signals_ignored():  # a second Ctrl-C must not stop the teardown
                    daemons.stop(processes)
                    for namespace in created:
                        netns.delete_namespace(namespace)
                    shutil.rmtree(root, ignore_errors=True)


def _power_off(
    baseline: LabResult,
    member: str,
    names: dict[str, str],
    query: Callable[[str, str], Any],
    say: Callable[[str], None],
) -> LabResult:
    """Power `member` off once the baseline has settled, and measure the pair's failover:
    the VIPs on another member, its sessions Established, every expected pair reaching."""
    topology = baseline.topology
    pair = vrrp.ensure_member(topology, member)
    before = vrrp.master(topology, names, pair)
    say(f"lab: powering off {member} (master now: {before or 'none'})")
    others = [m for m in vrrp.pair_members(topology)[pair] if m != member]
    new = others[0] if member == before or before is None else before
    for m in vrrp.pair_members(topology)[pair]:
        held = [a for _, a in vrrp.vrrp_addresses(topology, m) if vrrp.holds(names[m], a)]
        if m != before and held:
            raise netns.LabError(f"{m} is not the VRRP master but holds {held[0]}")
    start = time.monotonic()
    deadline = start + vrrp.FAILOVER_WAIT
    vrrp.power_off(names[member])
    after = take_over(topology, member, new)
    alive = {n: names[n] for n in after.nodes}
    vip = vrrp.wait_for(lambda: vrrp.master(after, alive, pair) == new, start, deadline)
    wanted = [k for k in observe.bgp_sessions(after) if k[0] == new]

    def established() -> bool:
        peers = query(new, "show bgp ipv4 unicast summary json").get("peers", {})
        return all(peers.get(p, {}).get("state") == "Established" for _, p in wanted)

    bgp = vrrp.wait_for(established, start, deadline)

    def reaches() -> bool:
        got = observe.ping_all(alive, after)
        return all(
            got.get((s.prefix, t.prefix), False)
            for s in after.networks
            for t in after.networks
            if s.owner != t.owner and after.expected_reach(s, t)
        )

    reach = vrrp.wait_for(reaches, start, deadline)
    converged, seconds = observe.converge(query, after)
    seen = observe.collect(query, after)
    seen = replace(seen, reach=observe.ping_all(alive, after), converged=converged, seconds=seconds)
    cells, findings = compare(after, seen)
    failover = vrrp.Failover(pair, member, new, vip, bgp, reach)
    return replace(
        baseline,
        failover=failover,
        after=LabResult(baseline.plan, after, seen, cells, findings),
    )


def _wire(topology: Topology, names: dict[str, str]) -> None:
    addresses: dict[str, list[Any]] = {n: [] for n in topology.nodes}
    up: dict[str, list[str]] = {n: [] for n in topology.nodes}
    for w in topology.wires:
        member = vrrp.shared_end(topology, w)
        if member is not None:  # a VRA pair's link: keepalived puts the member's address
            vrrp.add_shared_wire(topology, names, w)
            far = w.other(member)
            addresses[far.node].append((far.interface, far.address))
            if w.name not in topology.failed:
                up[far.node].append(far.interface)
                for m in vrrp.pair_members(topology)[topology.nodes[member].pair or ""]:
                    up[m].append(w.end(member).interface)
            continue
        netns.add_wire(names[w.a.node], w.a.interface, names[w.b.node], w.b.interface)
        for end in (w.a, w.b):
            addresses[end.node].append((end.interface, end.address))
            if w.name not in topology.failed:
                up[end.node].append(end.interface)
    for name, node in topology.nodes.items():
        for interface, address in node.lans:
            netns.add_lan(names[name], interface)
            addresses[name].append((interface, address))
            up[name].append(interface)
        netns.configure(names[name], addresses[name], node.hosts, up[name])


def _explain_keep(
    say: Callable[[str], None], names: dict[str, str], folders: dict[str, Path], root: Path
) -> None:
    say("--keep: the lab is still running. Inspect a device with:")
    for node, namespace in sorted(names.items()):
        folder = folders.get(node)
        shell = f"vtysh --vty_socket {folder}" if folder else "ip address"
        say(f"  {node}: sudo ip netns exec {namespace} {shell}")
    spaces = " ".join(names[n] for n in sorted(names))
    say("Remove it with:")
    say(
        f"  for ns in {spaces}; do sudo ip netns pids $ns | xargs -r sudo kill; "
        f"sudo ip netns del $ns; done; sudo rm -rf {root}"
    )
