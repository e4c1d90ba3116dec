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
from typing import Any

from vra_config.lab.compare import Mismatch
from vra_config.lab.observe import SUMMARY
from vra_config.lab.topology import Topology
from vra_config.verify.expect import expected_neighbors
from vra_config.verify.judge import CaptureError, judge_bgp_summary


def verify_findings(query: Callable[[str, str], Any], topology: Topology) -> list[Mismatch]:
    """What `verify` would say is wrong on each emulated router, as lab findings."""
    out: list[Mismatch] = []
    for name in sorted(topology.nodes):
        node = topology.nodes[name]
        if node.intent is None:
            continue
        links = {
            w.name
            for w in topology.wires
            if w.bgp and name in (w.a.node, w.b.node) and w.name not in topology.failed
        }
        # a prefix that only a link the lab does not run would bring (a site without a
        # vendor) never reaches the node here, so it is not asked to send it on
        planned = expected_neighbors(node.intent)
        run = [n for n in planned if n.connection in links]
        brought = {p for n in run for p in n.receive}
        own = {*node.intent.own_prefixes, *node.intent.bgp_networks}
        own |= {r.prefix for r in node.intent.static_routes}
        missing = {p for n in planned if n not in run for p in n.receive} - brought - own
        expected = [replace(n, send=tuple(p for p in n.send if p not in missing)) for n in run]
        if not expected:
            continue
        try:
            rows = judge_bgp_summary(expected, query(name, SUMMARY))
        except CaptureError as exc:
            out.append(Mismatch("verify", f"{name}: its BGP summary is not FRR's JSON ({exc})"))
            continue
        out += [
            Mismatch(
                "verify",
                f"{name}: {row.subject}: {row.check} should be {row.expected}, the router "
                f"shows {row.found} (what `vra-config verify` would report after pasting)",
            )
            for row in rows
            if not row.ok
        ]
    return out
