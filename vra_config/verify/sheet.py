"""The verification sheet: per router, the commands to run after pasting and what each must
show, in the router's own operational commands.

The commands are data per OS (`COMMANDS`), each with its public source; what they must show
comes from `expect.py`, which reads the router's intent. The sheet is run while the commit's
rollback timer is armed (see `targets/routers/paste.py`): all as expected, confirm; not,
let it roll back.

Sources:

- Vyatta 5600 (DANOS): `show interfaces tunnel tunN` and `show interfaces vti vtiN`
  (github.com/danos/vyatta-interfaces yang/vyatta-op-show-interfaces-tunnel-v1.yang and
  vyatta-op-show-interfaces-vti-v1.yang); `show ip bgp summary` and
  `show ip bgp ipv4 unicast neighbors ADDRESS routes|advertised-routes`, which run FRR's
  `vtysh -c "show ip bgp ..."` (github.com/danos/vyatta-protocols-frr
  yang/vyatta-op-protocols-frr-bgp-v1.yang); `show ip route PREFIX`
  (vyatta-op-show-ip-ipv6-route, augmented in the same repository);
  `ping HOST interface SOURCE count N`, where `interface` is "IP address/interface to use as
  source" (github.com/danos/vyatta-op yang/vyatta-op-ping-v1.yang). FRR's `json` keyword on
  `show ip bgp summary` gives the form `verify --show` reads best (docs.frrouting.org,
  BGP, "Displaying BGP Information"). No public 5600 source was found for an IPsec SA
  command, so the sheet checks route-based IPsec through its VTI and BGP session.
- Junos (vSRX): `show interfaces NAME terse`, `show security ike security-associations`,
  `show security ipsec security-associations`, `show bgp summary` (`| display json` for
  `verify --show`), `show route receive-protocol bgp ADDRESS`,
  `show route advertising-protocol bgp ADDRESS`, `show route PREFIX exact` and
  `ping HOST source ADDRESS count N` (Juniper, CLI Explorer and the Junos OS BGP and
  IPsec user guides, juniper.net/documentation).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network

from vra_config.intent.records import RouterIntent
from vra_config.verify.expect import (
    ExpectedNeighbor,
    ExpectedRoute,
    expected_neighbors,
    expected_routes,
)

#: Echo requests per ping: enough to see loss, short enough to stay inside the timer.
PING_COUNT = 5

#: Each OS's operational commands, with `{...}` filled in per item.
COMMANDS: dict[str, dict[str, str]] = {
    "vyatta": {
        "gre": "show interfaces tunnel tun{number}",
        "vti": "show interfaces vti vti{number}",
        "summary": "show ip bgp summary",
        "summary_json": "vtysh -c 'show ip bgp summary json'",
        "received": "show ip bgp ipv4 unicast neighbors {address} routes",
        "advertised": "show ip bgp ipv4 unicast neighbors {address} advertised-routes",
        "route": "show ip route {prefix}",
        "ping": "ping {address} interface {source} count {count}",
    },
    "vsrx": {
        "gre": "show interfaces gr-0/0/0.{number} terse",
        "vti": "show interfaces st0.{number} terse",
        "ike": "show security ike security-associations",
        "ipsec": "show security ipsec security-associations",
        "summary": "show bgp summary",
        "summary_json": "show bgp summary | display json",
        "received": "show route receive-protocol bgp {address}",
        "advertised": "show route advertising-protocol bgp {address}",
        "route": "show route {prefix} exact",
        "ping": "ping {address} source {source} count {count}",
    },
}

TITLES = {"vyatta": "Vyatta 5600", "vsrx": "Junos on vSRX"}


@dataclass(frozen=True)
class Step:
    """One command and what its output must show."""

    command: str
    expect: tuple[str, ...]


def _prefixes(nets: Iterable[IPv4Network]) -> str:
    listed = ", ".join(str(n) for n in nets)
    return listed or "none"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith("x") else f"{n} {word}s"


def sheet(intent: RouterIntent, vendor: str) -> tuple[Step, ...]:
    """The steps for one router, in the order to run them: tunnels, IPsec, BGP sessions,
    each session's prefixes, the routing table, then pings across each tunnel."""
    commands = COMMANDS[vendor]
    neighbors = expected_neighbors(intent)
    routes = expected_routes(intent)
    return (
        *_interface_steps(intent, commands),
        *_session_steps(neighbors, commands),
        *(Step(commands["route"].format(prefix=r.prefix), (_route_text(r),)) for r in routes),
        *_ping_steps(neighbors, commands),
    )


def _interface_steps(intent: RouterIntent, c: Mapping[str, str]) -> Iterator[Step]:
    """Each tunnel and VTI up with its address and MTU; the IKE and IPsec SAs where the OS
    has a command for them."""
    for t in intent.tunnels:
        yield Step(
            c["gre"].format(number=t.number),
            (
                f"up (admin and link), address {t.address}, MTU {t.mtu}: GRE {t.connection} "
                f"from {t.local_ip} to {t.remote_ip}",
            ),
        )
    for v in intent.vtis:
        yield Step(
            c["vti"].format(number=v.number),
            (f"up (admin and link), address {v.address}, MTU {v.mtu}: IPsec {v.connection}",),
        )
    if intent.ipsec_peers and "ike" in c:
        peers = ", ".join(f"{p.remote_address} ({p.connection})" for p in intent.ipsec_peers)
        yield Step(c["ike"], (f"an IKE SA in state UP with each of {peers}",))
        yield Step(c["ipsec"], (f"an IPsec SA to each of {peers}",))


def _session_steps(neighbors: Sequence[ExpectedNeighbor], c: Mapping[str, str]) -> Iterator[Step]:
    """The summary (every session Established, with its counts), then each session's
    received and advertised prefixes, exactly."""
    if neighbors:
        yield Step(
            c["summary"],
            tuple(
                f"{n.address} AS {n.remote_as} ({n.connection}): Established, "
                f"{_count(len(n.receive), 'prefix')} received, "
                f"{_count(len(n.send), 'prefix')} sent"
                + (f"; backup link (rank {n.backup})" if n.backup else "")
                for n in neighbors
            ),
        )
    for n in neighbors:
        yield Step(c["received"].format(address=n.address), (f"exactly {_prefixes(n.receive)}",))
        yield Step(c["advertised"].format(address=n.address), (f"exactly {_prefixes(n.send)}",))


def _ping_steps(neighbors: Sequence[ExpectedNeighbor], c: Mapping[str, str]) -> Iterator[Step]:
    """A ping across each session's link, from the router's own address on it."""
    for n in neighbors:
        yield Step(
            c["ping"].format(address=n.address, source=n.local_address, count=PING_COUNT),
            (
                f"{PING_COUNT} replies from {n.address}, none lost ({n.connection}); a peer "
                "that drops ICMP gives none, and then the Established session above is the "
                "proof of the path",
            ),
        )


def _route_text(r: ExpectedRoute) -> str:
    if r.protocol == "bgp":
        hops = " or ".join(str(h) for h in r.via)
        return f"a BGP route, selected, via {hops}"
    if r.via:
        return f"a static route via {r.via[0]}"
    return f"a static route out of the {r.family} tunnel {r.number}"


def render_sheet(intent: RouterIntent, vendor: str, plan_name: str) -> str:
    """The sheet as text: a heading, then each command with what it must show."""
    lines = [
        f"== {intent.name} ({intent.role}), {TITLES[vendor]}: verification sheet ({plan_name})",
        "Run in operational mode while the commit's rollback timer runs; confirm only if "
        "every line shows what it must.",
    ]
    if intent.ha is not None:
        lines.append(
            f"{intent.name} is a member of VRRP pair {intent.ha.pair}: the sessions and pings "
            "below hold on the master; the tunnels start on the virtual addresses the master "
            "holds, so on the backup they are not expected up until it takes over."
        )
    steps = sheet(intent, vendor)
    if not steps:
        lines.append("Nothing to check: the plan gives this router no tunnel or BGP session.")
    for step in steps:
        lines.append(step.command)
        lines += [f"    must show: {e}" for e in step.expect]
    if expected_neighbors(intent):
        c = COMMANDS[vendor]
        text_too = f" (or the text of `{c['summary']}`)" if vendor == "vyatta" else ""
        lines.append(
            f"To have vra-config judge the sessions: capture `{c['summary_json']}`{text_too} "
            f"into a file and run `vra-config verify {plan_name} --router {intent.name} "
            "--show FILE`."
        )
    return "\n".join(lines) + "\n"
