"""Issue 24: the lab runs what each router's rendered text means on its vendor.

- `meaning.py` holds the vendor decisions once; the vSRX pack and the lab's FRR read them,
  so what the vSRX text says and what the lab runs for it cannot drift;
- `lab --vendor vyatta|vsrx` runs every device as that vendor's text means it (default:
  each device's `vendor:`);
- a same-ASN plan with a backup link is judged per vendor: the Vyatta design's re-originated
  prefix would be lost with the preferred link, so check refuses it for the Vyatta (VRC907,
  issue 19) and the lab runs nothing; the vSRX's survives the failure in FRR (root only).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT, run_cli, sample_plans, vra_pair_for_vsrx
from test_lab import needs_lab

from vra_config.intent.records import (
    BgpNeighbor,
    IpsecPeer,
    RouterIntent,
    StaticRoute,
)
from vra_config.intent.router import router_intents
from vra_config.lab import runner
from vra_config.lab.configs import all_configs
from vra_config.lab.topology import build
from vra_config.pipeline import check_file
from vra_config.plan.model import Esp, Ike
from vra_config.plan.values import Secret
from vra_config.targets.routers import frr, vsrx
from vra_config.targets.routers.meaning import SelectorRoute, meaning

PLANS = sample_plans()
BACKUP = ROOT / "tests" / "lab" / "same-asn-backup.yaml"
WS_A, WS_B = IPv4Network("192.168.50.0/24"), IPv4Network("192.168.80.0/24")
OWN = IPv4Network("10.148.252.64/26")


def _neighbor(connection: str, address: str, loops: tuple[IPv4Network, ...]) -> BgpNeighbor:
    return BgpNeighbor(
        connection=connection,
        address=IPv4Address(address),
        local_address=IPv4Address(address) + 1,
        remote_as=64999,
        description=connection,
        accept=(),
        advertise=(WS_A, WS_B, OWN),
        keepalive=30,
        holdtime=90,
        own_as_in_path=loops,
    )


def _intent() -> RouterIntent:
    """A router with a re-originated prefix, a policy-based peer and a plain static."""
    reoriginate = StaticRoute(
        prefix=WS_A,
        description="re-originated",
        next_hop=IPv4Address("172.16.3.5"),
        reoriginate=True,
    )
    policy = StaticRoute(
        prefix=IPv4Network("10.120.0.0/24"),
        description="policy",
        next_hop=IPv4Address("169.55.223.73"),
        for_ipsec_policy=True,
    )
    plain = StaticRoute(
        prefix=IPv4Network("10.20.0.0/16"),
        description="plain",
        next_hop=IPv4Address("10.148.252.90"),
    )
    peer = IpsecPeer(
        connection="vpn-b",
        description="vpn-b: branch",
        local_address=IPv4Address("169.55.223.76"),
        remote_address=IPv4Address("192.0.2.20"),
        ike=Ike(),
        esp=Esp(),
        psk=Secret("env", "X"),
        vti=None,
        policies=((OWN, IPv4Network("10.120.0.0/24")), (OWN, IPv4Network("0.0.0.0/0"))),
        number=3,
    )
    return RouterIntent(
        name="r",
        asn=64880,
        router_id=IPv4Address("10.148.252.83"),
        static_routes=(plain, reoriginate, policy),
        bgp_neighbors=(
            _neighbor("cc-a", "172.16.3.5", ()),
            _neighbor("cc-b", "172.16.3.13", (WS_A,)),
        ),
        ipsec_peers=(peer,),
        bgp_networks=(IPv4Network("10.20.0.0/16"), IPv4Network("10.120.0.0/24"), OWN, WS_A),
        own_prefixes=(OWN,),
    )


def test_vyatta_means_the_intent_as_it_is_with_danos_defaults() -> None:
    intent = _intent()
    m = meaning(intent, "vyatta")
    assert m.static_routes == intent.static_routes
    assert m.originated == intent.bgp_networks
    assert (m.selector_routes, m.as_override, m.nht_resolve_via_default) == ((), set(), True)


def test_vsrx_rewrites_the_path_and_lets_junos_route_the_selectors() -> None:
    m = meaning(_intent(), "vsrx")
    assert [r.description for r in m.static_routes] == ["plain"]
    # no route for the 0.0.0.0/0 selector (Juniper: RRI adds none for it)
    assert m.selector_routes == (SelectorRoute(IPv4Network("10.120.0.0/24"), 3, "vpn-b"),)
    assert m.as_override == {"cc-b"}
    # WS_A is sent on as a BGP route with as-override, no longer originated here
    assert m.originated == (IPv4Network("10.20.0.0/16"), IPv4Network("10.120.0.0/24"), OWN)
    assert m.nht_resolve_via_default is False


def test_a_reoriginated_prefix_also_routed_otherwise_stays_originated() -> None:
    intent = _intent()
    intent = replace(intent, own_prefixes=(OWN, WS_A))
    assert WS_A in meaning(intent, "vsrx").originated


def test_an_unknown_vendor_has_no_model() -> None:
    with pytest.raises(ValueError, match="no routing model for vendor 'frr'"):
        meaning(_intent(), "frr")


def test_the_frr_model_prints_what_the_meaning_says() -> None:
    text = frr.render(_intent(), "p.yaml", "vsrx")
    assert "  neighbor 172.16.3.13 as-override\n" in text
    assert "  neighbor 172.16.3.5 as-override\n" not in text
    assert "ip route 10.120.0.0/24 st0.3\n" in text
    assert "ip route 192.168.50.0/24" not in text
    assert "nht" not in text
    vyatta = frr.render(_intent(), "p.yaml", "vyatta")
    assert "ip nht resolve-via-default\nipv6 nht resolve-via-default\n" in vyatta
    assert "ip route 192.168.50.0/24 172.16.3.5\n" in vyatta
    assert "as-override" not in vyatta


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_the_vsrx_pack_and_the_lab_model_agree(plan: Path) -> None:
    """Per device: the statics the vSRX text sets, its as-override groups and its traffic
    selectors are exactly the lab's vSRX model's statics, as-overrides and st0 routes."""
    for intent in router_intents(check_file(plan).address_plan).values():
        pack = vsrx.context(intent, {})
        lab = frr.context(intent, vendor="vsrx")
        lab_routes = {(r.prefix, r.via) for r in lab.routes}
        pack_routes = {(r.prefix, r.next_hop) for r in pack.routes}
        selectors = {
            (s.remote, v.bind) for v in pack.vpns for s in v.selectors if s.remote != "0.0.0.0/0"
        }
        ours = {(p, via) for p, via in lab_routes if via.startswith("st0.")}
        assert ours == selectors
        assert {(p, via) for p, via in lab_routes if not via.startswith("st0.")} == {
            (p, frr_via(via)) for p, via in pack_routes
        }
        overridden = {g.neighbor for g in pack.bgp_groups if g.as_override}
        neighbors = lab.bgp.neighbors if lab.bgp else ()
        assert {n.address for n in neighbors if n.as_override} == overridden


def frr_via(junos: str) -> str:
    """A Junos next hop as the lab names it: an address, or a tunnel unit's Linux name."""
    unit = re.fullmatch(r"(gr-0/0/0|st0)\.(\d+)", junos)
    if unit is None:
        return junos
    family = "gre" if unit.group(1) == "gr-0/0/0" else "vti"
    return frr.interface_name(family, int(unit.group(2)))


@pytest.mark.parametrize(
    "plan", [p for p in PLANS if not vra_pair_for_vsrx(p, "vsrx")], ids=lambda p: p.stem
)
def test_no_vsrx_export_policy_matches_protocol_static(plan: Path) -> None:
    """From Junos 22.2 traffic-selector routes are protocol `ari-ts`, not `static`
    (Juniper feature explorer 7498): an export term `from protocol static` would silently
    stop exporting them. The pack's export terms match prefix lists only. (A VRA pair has
    no vSRX text: the vSRX refuses it, VRC952, tests/test_golden.py.)"""
    text = (GOLDEN / f"{plan.stem}.vsrx.set").read_text(encoding="utf-8")
    assert not re.search(r"policy-statement EXPORT-\S+ term \S+ from protocol", text)


def test_lab_vendor_defaults_to_each_devices_vendor_and_can_be_forced() -> None:
    ap = check_file(ROOT / "samples" / "vsrx-cluster-gre.yaml").address_plan
    assert build(ap).nodes["vsrx-dal"].vendor == "vsrx"
    assert build(ap, vendor="vyatta").nodes["vsrx-dal"].vendor == "vyatta"
    text = all_configs(build(ap), "p.yaml")
    assert "! routing as the vsrx text means it\n" in text
    assert "each device routes as its rendered text means: vsrx-dal as vsrx" in build(ap).notes


def test_a_router_without_vendor_runs_as_vyatta_and_says_so() -> None:
    # `check` holds a vendor-less router to every pack and the Vyatta refuses this plan
    # (VRC907); the addresses are the same whichever vendor the gate holds it to
    topology = build(check_file(BACKUP, vendor="vsrx").address_plan)
    assert topology.nodes["vra-dal12"].vendor == "vyatta"
    assert "vra-dal12 names no vendor: it runs as a Vyatta 5600 (DANOS) would" in topology.notes


def test_a_vsrx_vpn_the_lab_cannot_run_is_named_with_its_selector_routes() -> None:
    ap = check_file(ROOT / "samples" / "private-ipsec.yaml").address_plan
    assert (
        "vpn-branch-01: vra-dal12 (vSRX) installs 10.120.0.0/24 via st0.1 only while the "
        "tunnel is up; the lab has no such tunnel, so the lab installs and advertises none of "
        "them"
    ) in build(ap, vendor="vsrx").notes


def test_an_unknown_lab_vendor_is_a_usage_error() -> None:
    run = run_cli(["lab", "--vendor", "cisco", str(BACKUP)])
    assert run.exit_code == 2
    assert run.stderr == "vra-config: error: --vendor cisco: the lab runs vyatta or vsrx\n"


def test_lab_vendor_reaches_the_lab_case_insensitively(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    def fake(*args: object, vendor: str | None = None, **kwargs: object) -> None:
        seen.append(vendor)
        raise runner.CannotRun("stopped by the test")

    monkeypatch.setattr(runner, "run_lab", fake)
    run = run_cli(["lab", "--vendor", " VSRX", str(BACKUP)])
    assert (run.exit_code, seen) == (2, ["vsrx"])
    # the gate is `check --vendor vsrx`, which passes; its design check's VRC908 (a Vyatta
    # warning) does not read --vendor, so it is still said first
    assert run.stderr == (
        f"{BACKUP}:28:3: VRC908 connections.cc-wdc06: warning: vra-dal12 re-originates "
        "192.168.80.0/24 towards cc-dal12-a (a static route to its BGP peer on cc-wdc06, then "
        "`network`): the Vyatta 5600 cannot take AS 64999 out of the path. That static stays "
        "while cc-wdc06's tunnel is up, also when 192.168.80.0/24 is gone behind it (its far "
        "end silent, or 192.168.80.0/24 withdrawn further on), so vra-dal12 keeps advertising "
        "192.168.80.0/24 and drops its traffic, and a path to 192.168.80.0/24 that avoids "
        "vra-dal12 would lose to it; nothing else brings 192.168.80.0/24 to vra-dal12, so no "
        "backup of its own is kept out. Acknowledge it with `accept:` if no other path to "
        "192.168.80.0/24 exists, or render vra-dal12 as a vSRX (`as-override` follows BGP)\n"
        "vra-config: cannot run the lab: stopped by the test\n"
    )


VYATTA_REFUSES_BACKUP = (
    f"{BACKUP}:27:3: VRC907 connections.cc-dal12-b: 192.168.50.0/24 reaches vra-dal12 over "
    "cc-dal12-a and cc-dal12-b, and vra-dal12 must re-originate it for a neighbour in the AS "
    "it came from (the Vyatta 5600 has no `as-override`, and `remove-private-as` keeps the "
    "neighbour's own AS): its static route to cc-dal12-a's BGP peer (distance 1) stays while "
    "cc-dal12-a's tunnel is up, and a GRE tunnel stays up when its far end dies, so it "
    "outranks cc-dal12-b's eBGP route (distance 20) and traffic keeps going into the dead "
    "tunnel; render vra-dal12 as a vSRX (`as-override`), keep one link to where "
    "192.168.50.0/24 comes from, or do not send 192.168.50.0/24 to that neighbour "
    "(`advertise:` on its link)"
)


@pytest.mark.parametrize("fail", [[], ["--fail", "cc-dal12-a"]])
def test_the_vyatta_refuses_the_same_asn_backup_before_the_lab_runs(fail: list[str]) -> None:
    """Issue 19: with the preferred link down the Vyatta design's re-originating static would
    keep the workspaces from each other (the lab showed an AS-path loop at the far one), so
    `lab --vendor vyatta` is refused by the gate, as `render --vendor vyatta` is, and runs
    nothing (needs no root: nothing starts)."""
    run = run_cli(["lab", "--json", "--vendor", "vyatta", *fail, str(BACKUP)])
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.splitlines()[0] == VYATTA_REFUSES_BACKUP
    assert run.stderr.endswith("1 error, 1 warning: nothing was written\n")
    rendered = run_cli(["render", "--vendor", "vyatta", str(BACKUP)])
    assert rendered.exit_code == 1
    assert rendered.stderr.splitlines()[0] == VYATTA_REFUSES_BACKUP


def test_the_failure_matrix_runs_per_vendor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24.4: `lab --failures --vendor` runs the matrix as that vendor's text means it."""
    from vra_config.lab import matrix

    seen: list[str | None] = []

    def fake(*args: object, vendor: str | None = None, **kwargs: object) -> None:
        seen.append(vendor)
        raise runner.CannotRun("stopped by the test")

    monkeypatch.setattr(matrix, "run_matrix", fake)
    run = run_cli(["lab", "--failures", "--vendor", "vsrx", str(BACKUP)])
    assert (run.exit_code, seen) == (2, ["vsrx"])
    topology, found, _ = matrix.plan_matrix(check_file(BACKUP, vendor="vsrx").address_plan, "vsrx")
    assert {n.vendor for n in topology.nodes.values() if n.intent is not None} == {"vsrx"}
    assert sorted(c.failure.target for c in found) == ["cc-dal12-a", "cc-dal12-b"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--fail", "cc-dal12-a", "--power-off", "x"],
            "--fail and --power-off are separate runs: give one of them",
        ),
        (
            ["--failures", "--power-off", "x"],
            "--failures powers off every VRA pair member itself: give --power-off or "
            "--failures, not both",
        ),
    ],
)
def test_failures_and_power_off_are_separate_runs(args: list[str], said: str) -> None:
    run = run_cli(["lab", *args, str(BACKUP)])
    assert run.exit_code == 2
    assert run.stderr == f"vra-config: error: {said}\n"


@needs_lab
def test_the_vsrx_survives_the_same_asn_backup_failure() -> None:
    """Issue 24: the vSRX's as-override sends on what the backup brings, and every pair
    still reaches with the preferred link down."""
    args = ["lab", "--json", "--vendor", "vsrx", "--fail", "cc-dal12-a", str(BACKUP)]
    run = run_cli(args)
    result = json.loads(run.stdout)
    assert (run.exit_code, result["passed"]) == (0, True), run.stdout
    assert result["matrix"] and all(c["reaches"] for c in result["matrix"])


@needs_lab
def test_the_vsrx_passes_the_same_asn_plan_with_every_link_up() -> None:
    run = run_cli(["lab", "--vendor", "vsrx", str(BACKUP)])
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "PASS: 3/3 BGP sessions Established, 2/2 pairs reach" in run.stdout


def test_the_lab_refuses_what_render_refuses_for_that_vendor(tmp_path: Path) -> None:
    """The lab proves the text render prints: with a DH group the vSRX lacks, render
    --vendor vsrx prints nothing, so the lab runs nothing either (exit 1, the same finding,
    from the gate `check --vendor vsrx` is)."""
    text = (ROOT / "samples" / "private-ipsec.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "dh17.yaml"
    plan.write_text(
        text.replace(
            "    psk: {env: VRA_PSK_DC_EAST}\n",
            "    psk: {env: VRA_PSK_DC_EAST}\n    ike: {dh_group: 17}\n",
        ),
        encoding="utf-8",
    )
    run = run_cli(["lab", "--vendor", "vsrx", str(plan)])
    assert run.exit_code == 1
    assert run.stdout == ""
    refusal = (
        f"{plan}:60:21: VRC702 connections.vpn-dc-east.ike.dh_group: DH group 17 is not "
        "available on the vSRX (it has 14, 15, 16, 19, 20, 21 and 24); choose another"
    )
    assert run.stderr == f"{refusal}\n1 error, 0 warnings: nothing was written\n"
    rendered = run_cli(["render", "--vendor", "vsrx", str(plan)])
    assert rendered.exit_code == 1
    assert rendered.stderr.splitlines()[0] == refusal
