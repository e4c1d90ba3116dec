"""The lab run: check it can run, build, start, observe, compare, and always tear down.

Teardown runs on success, failure, Ctrl-C (SIGINT) and SIGTERM/SIGHUP (turned into an
exception here, so `finally` runs): daemons stop, namespaces go (each node's, and its probe
hosts' `<name>h`, with the nftables rules of any failure inside them), the run directory goes.
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
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path
from types import FrameType
from typing import Any

from vra_config.errors import VraConfigError
from vra_config.lab import daemons, faults, netns, observe, settle, timers, vrrp
from vra_config.lab.compare import compare
from vra_config.lab.configs import node_config
from vra_config.lab.daemons import Frr
from vra_config.lab.faults import Failure
from vra_config.lab.paths import shown, trace
from vra_config.lab.report import LabResult
from vra_config.lab.topology import (
    Network,
    Topology,
    as_master,
    build,
    lab_hosts,
    overlaps,
    take_over,
)
from vra_config.lab.verified import verify_findings
from vra_config.planner.records import AddressPlan

FRR_INSTALL = (
    "install FRR: `sudo apt-get install frr` on Debian or Ubuntu "
    "(https://docs.frrouting.org/en/stable-8.4/installation.html)"
)


class CannotRun(VraConfigError):
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
    frr = daemons.find_frr()
    if frr is None:
        raise CannotRun(f"FRR (zebra, staticd, bgpd and vtysh) is not installed; {FRR_INSTALL}")
    return frr


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


@dataclass(frozen=True)
class Ask:
    """`show ... json` to a node: one command, or several in one vtysh (`many`)."""

    frr: Frr
    folders: dict[str, Path]

    def __call__(self, node: str, command: str) -> Any:
        return daemons.query(self.frr, self.folders[node], command)

    def many(self, node: str, commands: list[str]) -> list[Any]:
        return daemons.query_many(self.frr, self.folders[node], commands)


@dataclass(kw_only=True)
class Running:
    """A lab that is up: its topology, its namespaces and FRR, and how to ask a node."""

    topology: Topology
    names: dict[str, str]  # node → namespace
    hosts: dict[str, str]  # node → namespace of its probe hosts
    frr: Frr
    folders: dict[str, Path]

    @property
    def query(self) -> Ask:
        """What observe and settle ask the nodes through."""
        return Ask(self.frr, self.folders)

    def where(self, network: Network) -> str:
        """The namespace a network's probe host is in."""
        if network.lan is not None:
            return self.hosts[network.owner]
        return self.names[network.owner]


class Overlap(CannotRun):
    """The lab's networks overlap: it cannot build a topology that proves anything."""


@dataclass(kw_only=True)
class _Made:
    """What a run has made so far, filled the moment each thing exists, so that teardown (or
    `keep`'s listing) covers exactly that, whichever step an error or a signal interrupts."""

    root: Path
    namespaces: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    folders: dict[str, Path] = field(default_factory=dict)


@contextmanager
def running(
    address_plan: AddressPlan,
    plan_name: str,
    keep: bool = False,
    say: Callable[[str], None] = print,
    scaled: bool = False,
    vendor: str | None = None,
    power_off: str | None = None,
) -> Iterator[Running]:
    """Build and start the lab; tear it all down on the way out, whatever happens.

    `scaled`: run every BGP session with the lab's short timers (`timers.py`), so a silent
    far end is noticed in seconds. `vendor` (vyatta or vsrx) is whose text every device
    runs, else each device's own `vendor:`. `power_off` names a VRA pair member that will
    be powered off after the baseline (`lab --power-off`): BGP timers are then scaled by
    `vrrp.TIMER_SCALE`, unless `scaled` already runs the lab's own."""
    topology = build(address_plan, (), vendor)
    frr, keepalived = _what_runs(topology, scaled=scaled, power_off=power_off)
    run_id = secrets.token_hex(3)
    names = {node: f"vra-{run_id}-{i}" for i, node in enumerate(sorted(topology.nodes))}
    probe_hosts = lab_hosts(topology)
    hosts = {node: f"{names[node]}h" for node in sorted(probe_hosts)}
    made = _Made(root=Path(tempfile.mkdtemp(prefix=f"vra-lab-{run_id}-")))
    made.root.chmod(0o755)
    with _signals_raise():
        try:
            say(
                f"lab: building {len(names)} namespaces ({len(hosts)} more for probe hosts) "
                f"and {len(topology.wires)} links"
            )
            for namespace in [*names.values(), *hosts.values()]:
                # listed first: a signal mid-`ip netns add` leaks nothing
                made.namespaces.append(namespace)
                netns.add_namespace(namespace)
            _wire(topology, names, hosts, probe_hosts)
            _write_configs(made, topology, plan_name, scaled=scaled, power_off=power_off)
            _start(made, topology, names, frr, keepalived, say)
            yield Running(
                topology=topology, names=names, hosts=hosts, frr=frr, folders=made.folders
            )
        finally:
            if keep:
                shown_names = {**names, **{f"{n} hosts": h for n, h in hosts.items()}}
                _explain_keep(say, shown_names, made.folders, made.root)
            else:
                _tear_down(made)


def _what_runs(
    topology: Topology, *, scaled: bool, power_off: str | None
) -> tuple[Frr, Path | None]:
    """FRR and keepalived to run with, or `CannotRun` (`Overlap`) before anything is made:
    the topology's networks apart, the host able to run the lab, keepalived for a pair, and
    nftables for a power-off or the failures."""
    clashes = overlaps(topology)
    if clashes:
        raise Overlap(
            "the lab cannot build this plan, its networks overlap: "
            + "; ".join(clashes)
            + ". Give each LAN and each link its own addresses (the lab would route one "
            "into the other)"
        )
    frr = preflight()
    keepalived = vrrp.find_keepalived()
    if vrrp.pair_members(topology) and keepalived is None:
        raise CannotRun(f"the plan has a VRA pair, which runs VRRP; {vrrp.KEEPALIVED_INSTALL}")
    if power_off is not None:
        vrrp.ensure_member(topology, power_off)
        if shutil.which("nft") is None:
            raise CannotRun(f"--power-off silences a node with nftables; {vrrp.NFT_INSTALL}")
    if scaled and shutil.which("nft") is None:
        raise CannotRun(
            "nftables' `nft` is missing, and the lab's failures drop packets with it: "
            "`sudo apt-get install nftables`"
        )
    return frr, keepalived


def _write_configs(
    made: _Made, topology: Topology, plan_name: str, *, scaled: bool, power_off: str | None
) -> None:
    """Each node's FRR configuration in its folder, with the timers the run asks for."""
    for node in sorted(topology.nodes):
        config = node_config(topology.nodes[node], topology, plan_name)
        if scaled:  # a member as master: the pair's sessions, should it take over
            config += timers.overlay(node, as_master(topology, node))
        elif power_off is not None:
            config = vrrp.scale_timers(config)
        made.folders[node] = daemons.node_dir(made.root, node, config)


def _start(
    made: _Made,
    topology: Topology,
    names: dict[str, str],
    frr: Frr,
    keepalived: Path | None,
    say: Callable[[str], None],
) -> None:
    """FRR on every node, then keepalived on each pair's members, the first as master."""
    say(f"lab: starting FRR on {len(names)} nodes")
    for node in sorted(topology.nodes):
        daemons.start(frr, names[node], made.folders[node], made.processes)
    for pair, members in vrrp.pair_members(topology).items():
        assert keepalived is not None
        say(f"lab: starting keepalived (VRRP) on {', '.join(members)}")
        for m in members:  # the first provisioned becomes master, as at IBM
            config = vrrp.keepalived_config(topology, m)
            vrrp.start_keepalived(keepalived, names[m], made.folders[m], config, made.processes)
            if m == members[0]:
                vrrp.await_master(topology, names, pair, m)


def _tear_down(made: _Made) -> None:
    """Stop every daemon, delete every namespace, remove the run directory."""
    with _signals_ignored():  # a second Ctrl-C must not stop the teardown
        daemons.stop(made.processes)
        for namespace in made.namespaces:
            netns.delete_namespace(namespace)
        shutil.rmtree(made.root, ignore_errors=True)


def successor(lab: Running, topology: Topology, member: str) -> tuple[str, str, str | None]:
    """Before `member` of a VRA pair is powered off: (its pair, the member that will hold the
    VIPs after, the master now). `LabError` when the backup holds a VIP (two masters)."""
    pair = vrrp.ensure_member(topology, member)
    before = vrrp.master(topology, lab.names, pair)
    others = [m for m in vrrp.pair_members(topology)[pair] if m != member]
    new = others[0] if member == before or before is None else before
    for m in vrrp.pair_members(topology)[pair]:
        held = [a for _, a in vrrp.vrrp_addresses(topology, m) if vrrp.holds(lab.names[m], a)]
        if m != before and held:
            raise netns.LabError(f"{m} is not the VRRP master but holds {held[0]}")
    return pair, new, before


def failover(
    lab: Running, topology: Topology, pair: str, member: str, new: str, start: float
) -> tuple[vrrp.Failover, Topology]:
    """Once `member` was powered off at `start` (monotonic): the seconds until the VIPs are
    on `new`, until its sessions are Established, and until every pair the plan expects
    reaches again; and the topology to judge against after (`take_over`). Shared by
    `lab --power-off` and the failure matrix."""
    deadline = start + vrrp.FAILOVER_WAIT
    after = take_over(topology, member, new)
    alive = {n: lab.names[n] for n in after.nodes}
    vip = vrrp.wait_for(lambda: vrrp.master(after, alive, pair) == new, start, deadline)
    wanted = [k for k in observe.bgp_sessions(after) if k[0] == new]

    def established() -> bool:
        peers = lab.query(new, observe.SUMMARY).get("peers", {})
        return all(peers.get(p, {}).get("state") == "Established" for _, p in wanted)

    bgp = vrrp.wait_for(established, start, deadline)
    expected = [
        (s, t)
        for s in after.networks
        for t in after.networks
        if s.owner != t.owner and after.expected_reach(s, t)
    ]

    def reaches() -> bool:
        got = observe.ping_all(lab.where, after, expected)
        return all(got.get((s.prefix, t.prefix), False) for s, t in expected)

    reach = vrrp.wait_for(reaches, start, deadline)
    return vrrp.Failover(
        pair=pair, off=member, new_master=new, vip=vip, bgp=bgp, reach=reach
    ), after


def _power_off(
    first: LabResult, lab: Running, member: str, say: Callable[[str], None]
) -> LabResult:
    """Power `member` off once the baseline has settled, and measure the pair's failover:
    the VIPs on another member, its sessions Established, every expected pair reaching."""
    pair, new, before = successor(lab, lab.topology, member)
    say(f"lab: powering off {member} (master now: {before or 'none'})")
    start = time.monotonic()
    faults.apply(Failure("power-off", member), lab.topology, lab.names)
    measured, after = failover(lab, lab.topology, pair, member, new, start)
    converged, seconds = observe.converge(lab.query, after)
    return replace(
        first,
        failover=measured,
        after=_observe(lab, after, first.plan, converged, seconds),
    )


def baseline(lab: Running, plan_name: str, say: Callable[[str], None]) -> LabResult:
    """Wait for the routers to settle, then collect, probe and compare."""
    say("lab: waiting for BGP to settle")
    converged, seconds = observe.converge(lab.query, lab.topology)
    say(f"lab: settled in {seconds:.1f} s" if converged else f"lab: not settled in {seconds:.0f} s")
    result = _observe(lab, lab.topology, plan_name, converged, seconds)
    # each router judged as `vra-config verify` judges it after pasting (verify/judge.py)
    return replace(result, findings=[*result.findings, *verify_findings(lab.query, lab.topology)])


def _observe(
    lab: Running, topology: Topology, plan_name: str, converged: bool, seconds: float
) -> LabResult:
    seen = observe.collect(lab.query, topology)
    reach = observe.ping_all(lab.where, topology)
    seen = replace(seen, reach=reach, converged=converged, seconds=seconds)
    cells, findings = compare(topology, seen)
    return LabResult(
        plan=plan_name, topology=topology, observed=seen, cells=cells, findings=findings
    )


def run_lab(
    address_plan: AddressPlan,
    plan_name: str,
    failed: tuple[Failure, ...] = (),
    keep: bool = False,
    say: Callable[[str], None] = print,
    vendor: str | None = None,
    power_off: str | None = None,
) -> LabResult:
    """Run the plan in FRR and compare; raises `CannotRun` or `LabError`.

    With `failed` links: the lab settles first, then the failures happen as they do in
    production (`faults.py`), and the comparison is against the plan without those links,
    once the failure is noticed and the tables settled. `vendor` (vyatta or vsrx) is whose
    text every device runs. `power_off` names a VRA pair member to power off after the
    baseline (the failover is measured, with BGP timers scaled by `vrrp.TIMER_SCALE`)."""
    if failed and power_off is not None:
        raise ValueError("run_lab: failed links or a power-off, not both")
    with running(
        address_plan, plan_name, keep, say, scaled=bool(failed), vendor=vendor, power_off=power_off
    ) as lab:
        first = baseline(lab, plan_name, say)
        if power_off is not None:
            return _power_off(first, lab, power_off, say)
        if not failed:
            return first
        start = time.monotonic()
        for failure in failed:
            say(f"lab: failing {failure}")
            faults.apply(failure, lab.topology, lab.names)
        settled = [settle.after_failure(lab.query, lab.topology, f, start) for f in failed]
        seconds = max(s.converged for s in settled)
        say(f"lab: failure noticed and settled in {seconds:.1f} s")
        after = build(address_plan, tuple(f.target for f in failed), vendor)
        result = _observe(lab, after, plan_name, all(s.ok for s in settled), seconds)
        routes = settle.snapshot(lab.query, sorted(lab.topology.nodes))
        carried = {
            (c.source.prefix, c.target.prefix): shown(
                trace(lab.topology, routes, c.source.owner, c.target.host)
            )
            for c in result.cells
            if c.reaches
        }
        return replace(
            result,
            failures=failed,
            timers=tuple(timers.describe(lab.topology)),
            paths=carried,
        )


def _wire(
    topology: Topology,
    names: dict[str, str],
    hosts: dict[str, str],
    probe_hosts: dict[str, list[tuple[str, IPv4Interface, IPv4Address]]],
) -> None:
    addresses: dict[str, list[Any]] = {n: [] for n in topology.nodes}
    up: dict[str, list[str]] = {n: [] for n in topology.nodes}
    p2p: dict[str, list[str]] = {n: [] for n in topology.nodes}
    members = vrrp.pair_members(topology)
    for index, w in enumerate(topology.wires):
        member = vrrp.shared_end(topology, w)
        if member is not None:  # a VRA pair's link: a bridge at the far end to both members,
            vrrp.add_shared_wire(topology, names, w)  # keepalived puts the member's address
            far = w.other(member)
            addresses[far.node].append((far.interface, far.address))
            up[far.node].append(far.interface)
            for m in members[topology.nodes[member].pair or ""]:
                up[m].append(w.end(member).interface)
            continue
        vlan = all(topology.nodes[e.node].pair is not None for e in (w.a, w.b))
        netns.add_wire(
            names[w.a.node], w.a.interface, names[w.b.node], w.b.interface, index, not vlan
        )  # a pair's VLAN is Ethernet (VRRP, gratuitous ARP); every other wire point-to-point
        for end in (w.a, w.b):
            addresses[end.node].append((end.interface, end.address))
            up[end.node].append(end.interface)
            if not vlan:
                p2p[end.node].append(end.interface)
    for name, node in topology.nodes.items():
        with_host = {interface for interface, _, _ in probe_hosts.get(name, [])}
        for interface, address in node.lans:
            netns.add_lan(names[name], interface, hosts[name] if interface in with_host else None)
            addresses[name].append((interface, address))
            up[name].append(interface)
        netns.configure(names[name], addresses[name], node.hosts, up[name], p2p[name])
    for name, namespace in hosts.items():
        netns.configure_hosts(namespace, probe_hosts[name])


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
