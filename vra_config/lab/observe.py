"""What the lab's routers did: sessions, routing tables, BGP tables, what each sent and got,
and which addresses answered. Every wait is bounded and polls; none is a fixed sleep."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from vra_config.lab.netns import exec_args
from vra_config.lab.topology import Network, Topology

#: Seconds a sample gets to converge: it takes about 4 (benchmarks/lab-results.md).
CONVERGE_WAIT = 25.0
POLL = 0.25
#: Unchanged polls in a row, with every session up, that count as converged.
STABLE_POLLS = 4
PING_WAIT = 3.0

Query = Callable[[str, str], Any]  # (node, vtysh command) -> parsed JSON
Key = tuple[str, str]  # (node, neighbour address)


@dataclass(frozen=True, kw_only=True)
class Observed:
    sessions: dict[Key, str] = field(default_factory=dict)
    rib: dict[str, frozenset[IPv4Network]] = field(default_factory=dict)
    bgp: dict[str, frozenset[IPv4Network]] = field(default_factory=dict)
    advertised: dict[Key, frozenset[IPv4Network]] = field(default_factory=dict)
    #: per session, what arrived before inbound policy: prefix → AS path
    received: dict[Key, dict[IPv4Network, tuple[int, ...]]] = field(default_factory=dict)
    reach: dict[tuple[IPv4Network, IPv4Network], bool] = field(default_factory=dict)
    #: per node, for each prefix BGP had several valid paths to: (best path's next hop,
    #: how many valid paths), to show which link a preference chose
    choices: dict[str, dict[IPv4Network, tuple[str, int]]] = field(default_factory=dict)
    converged: bool = True
    seconds: float = 0.0


def bgp_sessions(topology: Topology) -> list[Key]:
    """Every (node, neighbour) of a BGP wire that is not brought down."""
    out: list[Key] = []
    for w in topology.wires:
        if w.bgp and w.name not in topology.failed:
            out += [(w.a.node, str(w.b.address.ip)), (w.b.node, str(w.a.address.ip))]
    return out


SUMMARY = "show bgp ipv4 unicast summary json"
ROUTES = "show ip route json"
#: vtysh processes asked at once: each waits mostly on a daemon, and one poll of a lab
#: asked one by one took 0.8 s on the shared 2-core machine (benchmarks/lab-results.md)
PARALLEL = 8


def prefetch(query: Query, requests: list[tuple[str, str]]) -> Query:
    """Ask every (node, command) at once; a query answering those from what came back (and
    any other by asking). A query with a `many(node, commands)` method (the runner's) asks
    each node's commands in one vtysh process."""
    many = getattr(query, "many", None)
    by_node: dict[str, list[str]] = {}
    for node, command in requests:
        by_node.setdefault(node, []).append(command)
    answers: dict[tuple[str, str], Any] = {}
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        if many is not None:
            asked = list(pool.map(lambda n: many(n, by_node[n]), by_node))
            for node, got in zip(by_node, asked, strict=True):
                answers.update(zip([(node, c) for c in by_node[node]], got, strict=True))
        else:
            answers = dict(zip(requests, pool.map(lambda r: query(*r), requests), strict=True))

    def cached(node: str, command: str) -> Any:
        key = (node, command)
        return answers[key] if key in answers else query(node, command)

    return cached


def polled(query: Query, nodes: list[str]) -> Query:
    """One poll's questions (sessions and routing tables of every node), asked at once."""
    return prefetch(query, [(n, c) for n in nodes for c in (SUMMARY, ROUTES)])


def session_states(query: Query, nodes: list[str]) -> dict[Key, str]:
    """Each node's BGP sessions and their states, as its summary shows them."""
    out: dict[Key, str] = {}
    for node in nodes:
        peers = query(node, SUMMARY).get("peers", {})
        for address, peer in peers.items():
            out[(node, address)] = str(peer.get("state", "unknown"))
    return out


def _rib(query: Query, node: str) -> frozenset[IPv4Network]:
    table = query(node, ROUTES)
    return frozenset(
        IPv4Network(p) for p, entries in table.items() if any(e.get("selected") for e in entries)
    )


def converge(
    query: Query, topology: Topology, deadline: float = CONVERGE_WAIT
) -> tuple[bool, float]:
    """Poll until every session is Established and no table changed for a while."""
    start = time.monotonic()
    nodes = sorted(topology.nodes)
    wanted = bgp_sessions(topology)
    last: object = None
    stable = 0
    while time.monotonic() - start < deadline:
        asked = polled(query, nodes)
        sessions = session_states(asked, nodes)
        snapshot = (sessions, [_rib(asked, n) for n in nodes])
        up = all(sessions.get(k) == "Established" for k in wanted)
        stable = stable + 1 if snapshot == last else 0
        last = snapshot
        if up and stable >= STABLE_POLLS:
            return True, time.monotonic() - start
        time.sleep(POLL)
    return False, time.monotonic() - start


def collect(query: Query, topology: Topology) -> Observed:
    """Every table the comparison reads, after convergence."""
    nodes = sorted(topology.nodes)
    advertised: dict[Key, frozenset[IPv4Network]] = {}
    received: dict[Key, dict[IPv4Network, tuple[int, ...]]] = {}
    per_session = [
        (node, f"show bgp ipv4 unicast neighbors {peer} {kind} json")
        for node, peer in bgp_sessions(topology)
        for kind in ("advertised-routes", "received-routes")
    ]
    per_node = [(n, c) for n in nodes for c in (SUMMARY, ROUTES, "show bgp ipv4 unicast json")]
    query = prefetch(query, per_session + per_node)
    for node, peer in bgp_sessions(topology):
        base = f"show bgp ipv4 unicast neighbors {peer}"
        sent = query(node, f"{base} advertised-routes json").get("advertisedRoutes", {})
        advertised[(node, peer)] = frozenset(IPv4Network(p) for p in sent)
        got = query(node, f"{base} received-routes json").get("receivedRoutes", {})
        received[(node, peer)] = {
            IPv4Network(p): tuple(int(a) for a in str(r.get("path", "")).split() if a.isdigit())
            for p, r in got.items()
        }
    bgp: dict[str, frozenset[IPv4Network]] = {}
    choices: dict[str, dict[IPv4Network, tuple[str, int]]] = {}
    for node in nodes:
        routes = query(node, "show bgp ipv4 unicast json").get("routes", {})
        bgp[node] = frozenset(
            IPv4Network(p) for p, paths in routes.items() if any(x.get("valid") for x in paths)
        )
        choices[node] = {}
        for p, paths in routes.items():
            valid = [x for x in paths if x.get("valid")]
            best = [x for x in valid if x.get("bestpath")]
            if len(valid) > 1 and best and best[0].get("nexthops"):
                choices[node][IPv4Network(p)] = (str(best[0]["nexthops"][0].get("ip")), len(valid))
    return Observed(
        sessions=session_states(query, nodes),
        rib={n: _rib(query, n) for n in nodes},
        bgp=bgp,
        advertised=advertised,
        received=received,
        choices=choices,
    )


def ping_all(
    where: Callable[[Network], str],
    topology: Topology,
    pairs: list[tuple[Network, Network]] | None = None,
) -> dict[tuple[IPv4Network, IPv4Network], bool]:
    """Each source network's host pings the others' hosts, all sources at once; `where`
    names the namespace a network's host is in, `pairs` limits the pairs (default: all
    pairs of networks on different devices)."""
    if pairs is None:
        pairs = [(s, t) for s in topology.networks for t in topology.networks if s.owner != t.owner]
    by_namespace: dict[str, dict[str, tuple[IPv4Network, IPv4Network]]] = {}
    for s, t in pairs:
        by_namespace.setdefault(where(s), {})[f"{s.host},{t.host}"] = (s.prefix, t.prefix)
    running: list[tuple[subprocess.Popen[str], dict[str, tuple[IPv4Network, IPv4Network]]]] = []
    for namespace, keyed in sorted(by_namespace.items()):
        command = [sys.executable, "-m", "vra_config.lab.probe", str(PING_WAIT), *keyed]
        process = subprocess.Popen(exec_args(namespace, command), stdout=subprocess.PIPE, text=True)
        running.append((process, keyed))
    out: dict[tuple[IPv4Network, IPv4Network], bool] = {}
    for process, keyed in running:
        stdout, _ = process.communicate(timeout=PING_WAIT + 10)
        answers = json.loads(stdout) if process.returncode == 0 and stdout else {}
        for key, pair in keyed.items():
            out[pair] = bool(answers.get(key, False))
    return out
