"""The lab judges its own routers with `vra-config verify`'s code.

After the lab settles, each router the lab runs is asked what a user would capture after
pasting (`show bgp ipv4 unicast summary json`, FRR's JSON), and `verify.judge` compares it
with what the plan expects of that router (`verify.expect`: each session Established with
the number of prefixes it must receive and send). A row that does not match is a lab
finding, so every lab run proves the verification sheet's expectations, and a change that
makes `verify` wrong fails the lab instead of a user's change window.

Only what the lab emulates is judged: a link to a site that names no vendor, or a
policy-based VPN, is not run (the report says so), so neither its session nor the prefixes
only it would bring are asked for; and a VRA pair's backup member carries no session until
it takes over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from ipaddress import IPv4Network
from typing import Any

from vra_config.lab.compare import Mismatch, plan_path
from vra_config.lab.observe import SUMMARY
from vra_config.lab.topology import Topology
from vra_config.targets.routers.meaning import VYATTA, meaning
from vra_config.verify.expect import expected_neighbors
from vra_config.verify.judge import CaptureError, judge_bgp_summary


def _unheld(topology: Topology) -> dict[str, set[IPv4Network]]:
    """Per emulated router: the prefixes it would learn only over what the lab does not run.

    A BGP neighbour on a link the lab does not emulate (a site without a vendor) brings
    nothing, and neither does a VPN the lab cannot wire for routes the OS installs itself
    through it (Junos traffic-selector routes, `meaning.selector_routes`); what a run link,
    the node's own networks or its static routes give it still counts."""
    wired = {w.name for w in topology.wires if w.name not in topology.failed}
    out: dict[str, set[IPv4Network]] = {}
    for name, node in topology.nodes.items():
        if node.intent is None:
            continue
        means = meaning(node.intent, node.vendor or VYATTA)
        planned = expected_neighbors(node.intent)
        brought = {p for n in planned if n.connection in wired for p in n.receive}
        brought |= {s.prefix for s in means.selector_routes if s.connection in wired}
        own = {*node.intent.own_prefixes, *(r.prefix for r in means.static_routes)}
        lost = {p for n in planned if n.connection not in wired for p in n.receive}
        lost |= {s.prefix for s in means.selector_routes if s.connection not in wired}
        out[name] = lost - brought - own
    return out


def verify_findings(query: Callable[[str, str], Any], topology: Topology) -> list[Mismatch]:
    """What `verify` would say is wrong on each emulated router, as lab findings."""
    out: list[Mismatch] = []
    unheld = _unheld(topology)
    for name in sorted(topology.nodes):
        node = topology.nodes[name]
        if node.intent is None:
            continue
        links = {
            w.name
            for w in topology.wires
            if w.bgp and name in (w.a.node, w.b.node) and w.name not in topology.failed
        }
        # a prefix that only what the lab does not run would bring is not asked for: not
        # sent on by this node, not received from a far end that never had it
        far = {w.name: w.other(name).node for w in topology.wires if name in (w.a.node, w.b.node)}
        expected = [
            replace(
                n,
                send=tuple(p for p in n.send if p not in unheld[name]),
                receive=tuple(
                    p for p in n.receive if p not in unheld.get(far[n.connection], set())
                ),
            )
            for n in expected_neighbors(node.intent)
            if n.connection in links
        ]
        if not expected:
            continue
        path = plan_path(topology, node=name)
        try:
            rows = judge_bgp_summary(expected, query(name, SUMMARY))
        except CaptureError as exc:
            out.append(Mismatch(kind="verify", node=name, error=str(exc), path=path))
            continue
        out += [
            Mismatch(
                kind="verify",
                node=name,
                subject=row.subject,
                check=row.check,
                expected=row.expected,
                found=row.found,
                path=path,
            )
            for row in rows
            if not row.ok
        ]
    return out
