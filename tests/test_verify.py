"""`vra-config verify`: the sheet after pasting, and judging what the router showed.

The FRR captures come from a lab run (see tests/verify/README.md), so the judge is tested on
what FRR really prints, and the lab can call the same `judge_bgp_summary`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, run_cli

from vra_config.pipeline import check_file, device_intents
from vra_config.verify.expect import expected_neighbors, expected_routes
from vra_config.verify.judge import (
    CaptureError,
    Row,
    judge_bgp_summary,
    judge_bgp_summary_text,
    judge_capture,
    judge_routes,
)
from vra_config.verify.sheet import render_sheet, sheet

CAPTURED = ROOT / "tests" / "verify"
PLAN = SAMPLES / "powervs-gre-bgp.yaml"
FRR_JSON = CAPTURED / "frr-lab-vra-dal12.summary.json"
FRR_TEXT = CAPTURED / "frr-lab-vra-dal12.summary.txt"
FRR_ROUTES = CAPTURED / "frr-lab-vra-dal12.route.json"
JUNOS_JSON = CAPTURED / "junos-vra-dal12.summary.json"


def intent_of(plan: Path, router: str, vendor: str = "vyatta") -> Any:
    intents, _ = device_intents(check_file(plan), vendor, router)
    return intents[router]


def frr_summary() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FRR_JSON.read_text())
    return data


# -- the sheet ------------------------------------------------------------------------------


def test_vyatta_sheet_lists_the_5600_commands_and_what_they_must_show() -> None:
    text = render_sheet(intent_of(PLAN, "vra-dal12"), "vyatta", PLAN.name)
    for line in (
        "show interfaces tunnel tun0",
        "    must show: up (admin and link), address 172.16.3.6/30, MTU 1476: GRE cc-dal12 "
        "from 10.148.252.83 to 172.16.3.1",
        "show ip bgp summary",
        "    must show: 172.16.3.5 AS 64999 (cc-dal12): Established, 2 prefixes received, "
        "1 prefix sent",
        "show ip bgp ipv4 unicast neighbors 172.16.3.5 routes",
        "    must show: exactly 192.168.50.0/24, 203.0.113.0/24",
        "show ip bgp ipv4 unicast neighbors 172.16.3.5 advertised-routes",
        "    must show: exactly 10.20.0.0/16",
        "show ip route 192.168.50.0/24",
        "    must show: a BGP route, selected, via 172.16.3.5",
        "show ip route 10.20.0.0/16",
        "    must show: a static route via 10.148.252.90",
        "ping 172.16.3.5 interface 172.16.3.6 count 5",
    ):
        assert line in text.splitlines(), line


def test_junos_sheet_uses_junos_commands() -> None:
    commands = [s.command for s in sheet(intent_of(PLAN, "vra-dal12", "vsrx"), "vsrx")]
    assert commands[:2] == ["show interfaces gr-0/0/0.0 terse", "show bgp summary"]
    assert "show route receive-protocol bgp 172.16.3.5" in commands
    assert "show route advertising-protocol bgp 172.16.3.5" in commands
    assert "show route 192.168.50.0/24 exact" in commands
    assert "ping 172.16.3.5 source 172.16.3.6 count 5" in commands


def test_sheet_counts_are_the_routing_models_exports() -> None:
    """What each session must receive and send is `intent/routing.py`'s answer for the link,
    read through the intent, on every sample with BGP."""
    checked_any = False
    for plan in sorted(SAMPLES.glob("*.yaml")):
        if plan.name.endswith(".lock.yaml"):
            continue
        checked = check_file(plan)
        if checked.routes is None:
            continue
        intents, _ = device_intents(checked, "vyatta")
        for name, intent in intents.items():
            owner = intent.ha.pair if intent.ha is not None else name
            for n in expected_neighbors(intent):
                link = checked.address_plan.connections[n.connection]
                routes = checked.routes[n.connection]
                if link.router == owner:
                    assert (n.send, n.receive) == (routes.router_exports, routes.peer_exports)
                else:
                    assert link.peer == owner, (plan.name, name, n.connection)
                    assert (n.send, n.receive) == (routes.peer_exports, routes.router_exports)
                checked_any = True
    assert checked_any


def test_backup_neighbours_routes_are_expected_via_the_preferred_link() -> None:
    """Each member of the VRA pair expects the workspace's prefix via the preferred tunnel's
    peer only (the pair is a Vyatta design: the vSRX refuses a VRA pair, VRC952)."""
    plan = SAMPLES / "vra-ha-tgw-redundant.yaml"
    for member in ("vra-ha-a", "vra-ha-b"):
        routes = {str(r.prefix): r for r in expected_routes(intent_of(plan, member))}
        assert [str(v) for v in routes["172.20.10.0/24"].via] == ["172.16.10.1"], member


def test_verify_command_prints_every_rendered_router() -> None:
    run = run_cli(["verify", str(SAMPLES / "direct-link-dc.yaml")])
    assert run.exit_code == 0, run.stderr
    heads = [line for line in run.stdout.splitlines() if line.startswith("== ")]
    assert [h.split()[1] for h in heads] == ["dc-west", "vra-dal10"]


# -- judging ---------------------------------------------------------------------------------


def test_lab_frr_json_judges_all_as_planned() -> None:
    rows = judge_bgp_summary(expected_neighbors(intent_of(PLAN, "vra-dal12")), frr_summary())
    assert rows == [
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="state",
            expected="Established",
            found="Established",
            ok=True,
        ),
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="remote AS",
            expected="64999",
            found="64999",
            ok=True,
        ),
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="prefixes received",
            expected="2 (192.168.50.0/24, 203.0.113.0/24)",
            found="2",
            ok=True,
        ),
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="prefixes sent",
            expected="1 (10.20.0.0/16)",
            found="1",
            ok=True,
        ),
    ]


def test_a_missing_prefix_and_a_down_session_are_reported() -> None:
    expected = expected_neighbors(intent_of(PLAN, "vra-dal12"))
    data = frr_summary()
    data["ipv4Unicast"]["peers"]["172.16.3.5"]["pfxRcd"] = 1
    failed = [r for r in judge_bgp_summary(expected, data) if not r.ok]
    assert failed == [
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="prefixes received",
            expected="2 (192.168.50.0/24, 203.0.113.0/24)",
            found="1",
            ok=False,
        )
    ]
    data["ipv4Unicast"]["peers"]["172.16.3.5"]["state"] = "Active"
    failed = [r for r in judge_bgp_summary(expected, json.dumps(data)) if not r.ok]
    assert failed == [
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="state",
            expected="Established",
            found="Active",
            ok=False,
        )
    ]


def test_a_planned_neighbour_missing_and_an_extra_one() -> None:
    expected = expected_neighbors(intent_of(PLAN, "vra-dal12"))
    data = frr_summary()
    peers = data["ipv4Unicast"]["peers"]
    peers["10.9.9.9"] = peers.pop("172.16.3.5")
    rows = judge_bgp_summary(expected, data)
    assert rows == [
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="present",
            expected="configured",
            found="not in the output",
            ok=False,
        ),
        Row(
            subject="neighbour 10.9.9.9",
            check="not in the plan",
            expected="(not judged)",
            found="Established",
            ok=True,
        ),
    ]


def test_older_frr_without_address_family_key() -> None:
    """FRR before 7.5 prints the summary's fields at the top, and no `pfxSnt` before 7.2."""
    expected = expected_neighbors(intent_of(PLAN, "vra-dal12"))
    flat = frr_summary()["ipv4Unicast"]
    del flat["peers"]["172.16.3.5"]["pfxSnt"]
    checks = [r.check for r in judge_bgp_summary(expected, flat)]
    assert checks == ["state", "remote AS", "prefixes received"]


def test_frr_text_form_judges_like_the_json() -> None:
    expected = expected_neighbors(intent_of(PLAN, "vra-dal12"))
    assert judge_bgp_summary_text(expected, FRR_TEXT.read_text()) == judge_bgp_summary(
        expected, frr_summary()
    )


def test_frr_text_form_with_a_session_not_established() -> None:
    expected = expected_neighbors(intent_of(PLAN, "vra-dal12"))
    text = FRR_TEXT.read_text().replace(
        "00:00:07            2        1", "   never       Active        0"
    )
    rows = judge_bgp_summary_text(expected, text)
    assert [r for r in rows if not r.ok] == [
        Row(
            subject="neighbour 172.16.3.5 (cc-dal12)",
            check="state",
            expected="Established",
            found="Active",
            ok=False,
        )
    ]


def test_junos_json_judges_received_and_state() -> None:
    expected = expected_neighbors(intent_of(PLAN, "vra-dal12", "vsrx"))
    rows = judge_bgp_summary(expected, JUNOS_JSON.read_text())
    assert [(r.check, r.found, r.ok) for r in rows] == [
        ("state", "Established", True),
        ("remote AS", "64999", True),
        ("prefixes received", "2", True),
    ]


def test_lab_route_table_judged_prefix_by_prefix() -> None:
    routes = expected_routes(intent_of(PLAN, "vra-dal12"))
    rows = judge_routes(routes, FRR_ROUTES.read_text())
    assert all(r.ok for r in rows), [r for r in rows if not r.ok]
    assert (
        Row(
            subject="route 192.168.50.0/24",
            check="next hop",
            expected="172.16.3.5",
            found="172.16.3.5",
            ok=True,
        )
        in rows
    )
    table = json.loads(FRR_ROUTES.read_text())
    del table["203.0.113.0/24"]
    assert [r for r in judge_routes(routes, table) if not r.ok] == [
        Row(
            subject="route 203.0.113.0/24",
            check="present",
            expected="bgp",
            found="not in the table",
            ok=False,
        )
    ]


def test_unknown_capture_is_a_capture_error() -> None:
    with pytest.raises(CaptureError, match=r"no `Neighbor \.\.\. State/PfxRcd` header"):
        judge_capture((), (), "Codes: K - kernel route\n")
    with pytest.raises(CaptureError, match="starts like JSON but is not: line 1, column 2"):
        judge_capture((), (), "{oops")


# -- the command -----------------------------------------------------------------------------


def test_verify_show_exit_0_when_all_match() -> None:
    run = run_cli(["verify", str(PLAN), "--show", str(FRR_JSON), "--show", str(FRR_ROUTES)])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "vra-dal12: 12 checks, all as planned"
    assert "  ok   neighbour 172.16.3.5 (cc-dal12): state: Established" in run.stdout


def test_verify_show_exit_1_when_something_differs(tmp_path: Path) -> None:
    data = frr_summary()
    data["ipv4Unicast"]["peers"]["172.16.3.5"]["pfxSnt"] = 3
    capture = tmp_path / "summary.json"
    capture.write_text(json.dumps(data))
    run = run_cli(["verify", str(PLAN), "--show", str(capture)])
    assert run.exit_code == 1
    assert (
        "  FAIL neighbour 172.16.3.5 (cc-dal12): prefixes sent: 3 (plan: 1 (10.20.0.0/16))"
    ) in run.stdout
    assert run.stdout.splitlines()[-1] == "vra-dal12: 4 checks, 1 not as planned"


def test_verify_show_usage_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    run = run_cli(["verify", str(PLAN), "--show", str(junk)])
    assert run.exit_code == 2
    assert run.stderr == (
        f"vra-config: error: --show {junk}: not a BGP summary: no `Neighbor ... State/PfxRcd` "
        "header of FRR's `show ip bgp summary` (from Junos, capture `show bgp summary | "
        "display json`)\n"
    )
    run = run_cli(["verify", str(SAMPLES / "direct-link-dc.yaml"), "--show", str(FRR_JSON)])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: --show: the plan renders 2 routers; say whose output it is with "
        "--router (one of dc-west, vra-dal10)\n"
    )


# -- far ends that are not rendered ----------------------------------------------------------


def test_far_end_sheet_gives_every_number_and_never_the_key() -> None:
    run = run_cli(["far-end", str(SAMPLES / "vra-ha-tgw-redundant.yaml")])
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    for line in (
        "dc-east: AS 65010, router ID 198.51.100.10",
        "Link vpn-dc-east (ipsec) to vra-ha (router)",
        "  IKE: version 2; encryption aes256 (ENCR_AES_CBC, 256-bit key); integrity sha256 "
        "(AUTH_HMAC_SHA2_256_128, PRF PRF_HMAC_SHA2_256); DH group 20 (384-bit random ECP); "
        "lifetime 28800 s",
        "  ESP: tunnel mode; encryption aes256gcm (ENCR_AES_GCM_16 (16-octet ICV), 256-bit key); "
        "integrity none (GCM authenticates itself); PFS group 20 (384-bit random ECP); "
        "lifetime 3600 s",
        "  This end: address and IKE ID 198.51.100.10 (ID type IPv4 address)",
        "  Pre-shared key: the one the rendered end uses, in environment variable "
        "VRA_PSK_DC_EAST where the plan is rendered",
        "  VTI: address 169.254.100.2/30, MTU 1400, TCP MSS clamp 1360",
        "  BGP: neighbour 169.254.100.1, remote AS 64880, local AS 65010, source 169.254.100.2, "
        "keepalive 30 s, hold 90 s",
        "    advertise exactly: 10.100.0.0/16",
        "    accept exactly: 10.30.0.0/16, 172.20.10.0/24",
    ):
        assert line in lines, line


def test_far_end_sheet_agrees_with_the_rendered_end() -> None:
    """What the site must advertise is what the router accepts from it, and back."""
    plan = SAMPLES / "vra-ha-tgw-redundant.yaml"
    checked = check_file(plan)
    from vra_config.intent.router import router_intents

    intents = router_intents(checked.address_plan, checked.routes)
    site = {n.connection: n for n in intents["dc-east"].bgp_neighbors}["vpn-dc-east"]
    router = {n.connection: n for n in intents["vra-ha"].bgp_neighbors}["vpn-dc-east"]
    assert (site.advertise, site.accept) == (router.accept, router.advertise)


def test_far_end_policy_based_site_and_usage_errors() -> None:
    run = run_cli(["far-end", str(SAMPLES / "private-ipsec.yaml"), "--site", "branch-01"])
    assert run.exit_code == 0, run.stderr
    assert "  Policy-based: one child SA per prefix pair (local <-> remote): " in run.stdout
    run = run_cli(["far-end", str(SAMPLES / "private-ipsec.yaml"), "--site", "dc-east"])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: --site dc-east: it names a vendor, so `vra-config render` prints "
        "its configuration; the parameter sheet is for sites without one\n"
    )
    run = run_cli(["far-end", str(SAMPLES / "private-ipsec.yaml"), "--site", "nope"])
    assert run.exit_code == 2
    assert run.stderr == (
        "vra-config: error: --site nope: no such site in the plan (sites: branch-01, dc-east)\n"
    )


def test_far_end_on_a_plan_without_sites_says_so() -> None:
    run = run_cli(["far-end", str(SAMPLES / "powervs-gre-bgp.yaml")])
    assert (run.exit_code, run.stdout) == (
        0,
        "powervs-gre-bgp.yaml: the plan has no site; `vra-config render` prints every router\n",
    )
    run = run_cli(["far-end", str(SAMPLES / "direct-link-dc.yaml")])
    assert run.stdout == (
        "direct-link-dc.yaml: every site names a vendor; `vra-config render` prints them all\n"
    )
