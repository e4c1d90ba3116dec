"""Designs that survive failure (issue 19 items 1, 4, 5, 6 and 7): one test per item that
states what a router must do when a part fails, not only which line exists."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, dump, errors, lines, render, run_cli, sample

from vra_config.lab.daemons import find_frr
from vra_config.pipeline import check_text, render_checked
from vra_config.plan.findings import PlanError
from vra_config.planner.redundant import MAX_BACKUPS

# --- 6. Backups ranked within bounds -------------------------------------------------------


def _many_tgw_links(count: int) -> dict[str, Any]:
    """One router with `count` single-tunnel Transit Gateway GREs to one workspace."""
    return {
        "version": 1,
        "routers": {
            "vra1": {
                "vendor": "vyatta",
                "asn": 64880,
                "private": {"address": "10.186.22.10/26", "gateway": "10.186.22.1"},
                "advertise": ["10.30.0.0/16"],
                "routes": [{"prefix": "10.30.0.0/16", "next_hop": "10.186.22.20"}],
            }
        },
        "powervs": {"ws1": {"location": "dal10", "subnets": ["172.20.10.0/24"]}},
        "pools": {"tunnels": ["172.16.10.0/24"]},
        "connections": {
            f"tgw{i:02d}": {
                "router": "vra1",
                "powervs": "ws1",
                "via": "transit-gateway",
                "transit_gateway": {
                    "gateway_ip": f"192.168.255.{4 * i + 1}",
                    "asn": 64490,
                    "zone": "us-south-1",
                },
            }
            for i in range(count)
        },
    }


def test_the_last_backup_that_can_be_ranked_keeps_a_local_preference_above_zero() -> None:
    assert 100 - 10 * MAX_BACKUPS > 0
    files = render(_many_tgw_links(MAX_BACKUPS + 1), "vsrx")
    text = files["vra1.vsrx.set"]
    prefs = [int(line.rsplit(" ", 1)[1]) for line in lines(text, "then local-preference")]
    assert sorted(prefs, reverse=True) == [100 - 10 * n for n in range(1, MAX_BACKUPS + 1)]
    vyatta = render(_many_tgw_links(MAX_BACKUPS + 1), "vyatta")["vra1.vyatta.set"]
    assert min(int(x.rsplit(" ", 1)[1]) for x in lines(vyatta, "set local-preference")) == 10


def test_a_twelfth_link_to_one_workspace_is_refused_where_it_is_written() -> None:
    with pytest.raises(PlanError) as info:
        check_text(dump(_many_tgw_links(12)), "plan.yaml").address_plan  # noqa: B018
    found = [f.format() for f in info.value.errors]
    assert found == [
        "plan.yaml:103:3: VRC961 connections.tgw10: tgw10 would be backup 10 of vra1's 12 BGP "
        "links to PowerVS ws1, and at most 9 backups can be ranked: a backup learns at "
        "local-preference 100 - 10 x its rank, which must stay above 0, the least the Vyatta "
        "5600 and Junos take (backup 10 would get 0); keep at most 10 links from vra1 to ws1 "
        "(the last one ranked is tgw09)",
        "plan.yaml:111:3: VRC961 connections.tgw11: tgw11 would be backup 11 of vra1's 12 BGP "
        "links to PowerVS ws1, and at most 9 backups can be ranked: a backup learns at "
        "local-preference 100 - 10 x its rank, which must stay above 0, the least the Vyatta "
        "5600 and Junos take (backup 11 would get -10); keep at most 10 links from vra1 to ws1 "
        "(the last one ranked is tgw09)",
    ]


# --- 1. Re-originated prefixes that never fail over (Vyatta) --------------------------------


def _two_workspaces_one_with_a_backup() -> dict[str, Any]:
    """gw-a reaches ws-a over cc-a1 (preferred) and cc-a2 (backup), and ws-c, also AS 64999,
    over cc-c: ws-a's subnet must be re-originated towards ws-c."""
    return {
        "version": 1,
        "routers": {
            "gw-a": {
                "vendor": "vyatta",
                "asn": 64880,
                "private": {"address": "10.148.252.83/26", "gateway": "10.148.252.65"},
            }
        },
        "powervs": {
            "ws-a": {"location": "dal12", "subnets": ["192.168.50.0/24"]},
            "ws-c": {"location": "dal13", "subnets": ["192.168.90.0/24"]},
        },
        "pools": {"tunnels": ["172.16.30.0/24"]},
        "connections": {
            "cc-a1": {"router": "gw-a", "powervs": "ws-a", "via": "cloud-connection"},
            "cc-a2": {"router": "gw-a", "powervs": "ws-a", "via": "cloud-connection"},
            "cc-c": {"router": "gw-a", "powervs": "ws-c", "via": "cloud-connection"},
        },
    }


def test_vyatta_refuses_a_re_originated_prefix_that_a_backup_link_also_brings() -> None:
    """The static route to cc-a1's peer would outlive cc-a1's far end (a VRA GRE tunnel stays
    up) and outrank cc-a2's eBGP route: ws-c would lose ws-a until cc-a1 came back."""
    assert errors(_two_workspaces_one_with_a_backup()) == [
        "plan.yaml:26:3: VRC907 connections.cc-a2: 192.168.50.0/24 reaches gw-a over cc-a1 and "
        "cc-a2, and gw-a must re-originate it for a neighbour in the AS it came from (the "
        "Vyatta 5600 has no `as-override`, and `remove-private-as` keeps the neighbour's own "
        "AS): its static route to cc-a1's BGP peer (distance 1) stays while cc-a1's tunnel is "
        "up, and a GRE tunnel stays up when its far end dies, so it outranks cc-a2's eBGP "
        "route (distance 20) and traffic keeps going into the dead tunnel; render gw-a as a "
        "vSRX (`as-override`), keep one link to where 192.168.50.0/24 comes from, or do not "
        "send 192.168.50.0/24 to that neighbour (`advertise:` on its link)"
    ]


def test_check_refuses_it_for_a_router_the_plan_names_a_vyatta() -> None:
    """`check` (what CI runs) says it before anything is rendered, in the same words."""
    with pytest.raises(PlanError) as info:
        check_text(dump(_two_workspaces_one_with_a_backup()), "plan.yaml")
    assert [f.format() for f in info.value.errors] == errors(_two_workspaces_one_with_a_backup())
    plan = _two_workspaces_one_with_a_backup()
    del plan["routers"]["gw-a"]["vendor"]  # rendered as either: held to every pack
    with pytest.raises(PlanError) as info:
        check_text(dump(plan), "plan.yaml")
    (refused,) = info.value.errors
    assert refused.rule == "VRC907"
    assert refused.format().endswith(
        "(router gw-a names no vendor, so check holds it to every pack, here vyatta; set "
        "`vendor:` or run `check --vendor`)"
    )
    as_vsrx = render_checked(check_text(dump(plan), "plan.yaml", vendor="vsrx"), "vsrx")
    assert "set protocols bgp group cc-c as-override" in as_vsrx["gw-a.vsrx.set"].splitlines()
    with pytest.raises(PlanError) as info:
        render(plan, "vyatta")
    assert [f.rule for f in info.value.errors] == ["VRC907"]


def test_the_vsrx_rewrites_the_path_instead_and_follows_bgp() -> None:
    """`as-override` rewrites the path of the route BGP chose, so it moves with BGP: no static
    route, nothing to refuse."""
    plan = _two_workspaces_one_with_a_backup()
    plan["routers"]["gw-a"]["vendor"] = "vsrx"
    text = render(plan)["gw-a.vsrx.set"]
    assert "set protocols bgp group cc-c as-override" in text
    assert not lines(text, "static route 192.168.50.0/24")


def test_advertising_elsewhere_lets_the_vyatta_render_without_re_origination() -> None:
    """The fix the message offers: keep ws-a's subnet away from ws-c."""
    plan = _two_workspaces_one_with_a_backup()
    plan["connections"]["cc-c"]["advertise"] = ["10.148.252.64/26"]
    plan["routers"]["gw-a"]["advertise"] = ["10.148.252.64/26"]
    text = render(plan)["gw-a.vyatta.set"]
    assert not lines(text, "static route 192.168.50.0/24")
    # ws-c's subnet still is re-originated towards ws-a: cc-c alone brings it
    assert lines(text, "static route 192.168.90.0/24", "next-hop") == [
        "set protocols static route 192.168.90.0/24 next-hop 172.16.30.21"
    ]


def _lab_missing() -> str | None:
    if os.uname().sysname != "Linux":
        return "the lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces)"
    if find_frr() is None:
        return "FRR is not installed"
    return None


LAB_MISSING = _lab_missing()
needs_lab = pytest.mark.skipif(LAB_MISSING is not None, reason=f"lab not run: {LAB_MISSING}")
SAME_ASN_BACKUP = ROOT / "tests" / "lab" / "same-asn-transit-backup.yaml"


def _lab(*args: str) -> dict[str, Any]:
    run = run_cli(["lab", "--locked", "--json", *args, str(SAME_ASN_BACKUP)])
    assert run.exit_code in (0, 1), run.stdout + run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@needs_lab
@pytest.mark.parametrize(("kind", "state"), [("", "far end silent"), (":down", "interface down")])
@pytest.mark.parametrize("failed", ["cc-a1", "cc-a2"])
def test_same_asn_transit_survives_either_link_to_a_workspace_with_a_backup(
    failed: str, kind: str, state: str
) -> None:
    """The shape the Vyatta pack renders: nothing re-originates ws-a's subnet over cc-a1, so
    when either of gw-a's links to ws-a fails, BGP moves to the other and both locations still
    reach each other (gw-b's static points at gw-a over the backbone, which still has it):
    with the far end silent (the session ends by its hold timer, the tunnel stays up) and with
    the interface down."""
    result = _lab("--fail", failed + kind)
    states = {s["link"]: s["state"] for s in result["sessions"]}
    assert states[failed] == f"down (--fail: {state})"
    other = "cc-a2" if failed == "cc-a1" else "cc-a1"
    assert states[other] == "Established"
    assert result["matrix"] and all(c["reaches"] for c in result["matrix"])
    assert result["passed"] is True, result["findings"]


@needs_lab
@pytest.mark.xfail(
    strict=True,
    reason="VRC908: a re-originating static route follows its own link, not the prefix; "
    "gw-a keeps advertising ws-b's subnet to ws-a after cc-b fails (no DANOS mechanism "
    "withdraws it). Strict, so a fix shows up here.",
)
def test_a_re_originated_prefix_is_withdrawn_when_its_source_fails() -> None:
    result = _lab("--fail", "cc-b")
    assert result["passed"] is True, result["findings"]


def test_a_vyatta_re_origination_from_one_link_is_a_warning_that_says_what_it_keeps() -> None:
    plan = sample("proxy-multi-location")
    del plan["accept"]
    found = [f.format() for f in check_text(dump(plan), "plan.yaml").warnings]
    assert found == [
        "plan.yaml:38:3: VRC908 connections.gw-backbone: warning: gw-dal12 re-originates "
        "192.168.80.0/24 towards cc-dal12 (a static route to its BGP peer on gw-backbone, then "
        "`network`): the Vyatta 5600 cannot take AS 64999 out of the path. That static stays "
        "while gw-backbone's tunnel is up, also when 192.168.80.0/24 is gone behind it (its far "
        "end silent, or 192.168.80.0/24 withdrawn further on), so gw-dal12 keeps advertising "
        "192.168.80.0/24 and drops its traffic, and a path to 192.168.80.0/24 that avoids "
        "gw-dal12 would lose to it; nothing else brings 192.168.80.0/24 to gw-dal12, so no "
        "backup of its own is kept out. Acknowledge it with `accept:` if no other path to "
        "192.168.80.0/24 exists, or render gw-dal12 as a vSRX (`as-override` follows BGP)",
        "plan.yaml:38:3: VRC908 connections.gw-backbone: warning: gw-wdc06 re-originates "
        "192.168.50.0/24 towards cc-wdc06 (a static route to its BGP peer on gw-backbone, then "
        "`network`): the Vyatta 5600 cannot take AS 64999 out of the path. That static stays "
        "while gw-backbone's tunnel is up, also when 192.168.50.0/24 is gone behind it (its far "
        "end silent, or 192.168.50.0/24 withdrawn further on), so gw-wdc06 keeps advertising "
        "192.168.50.0/24 and drops its traffic, and a path to 192.168.50.0/24 that avoids "
        "gw-wdc06 would lose to it; nothing else brings 192.168.50.0/24 to gw-wdc06, so no "
        "backup of its own is kept out. Acknowledge it with `accept:` if no other path to "
        "192.168.50.0/24 exists, or render gw-wdc06 as a vSRX (`as-override` follows BGP)",
    ]
    plan["routers"]["gw-dal12"]["vendor"] = plan["routers"]["gw-wdc06"]["vendor"] = "vsrx"
    assert not check_text(dump(plan), "plan.yaml").warnings  # as-override follows BGP


# --- 4. Site filters that keep what the zone allowed (vSRX) ---------------------------------

WAN_NOTE = (
    "# ge-0/0/0.0: host-inbound-traffic set on the interface ({}) replaces what zone untrust "
    "allows to the box on it (Juniper, Understanding How to Control Inbound Traffic Based on "
    "Traffic Types); add any other service it must keep (ssh, dhcp, another BGP session) to "
    "this interface before committing"
)


def test_a_site_whose_links_start_on_vlans_leaves_its_wan_unit_alone() -> None:
    """Megaport VXCs are VLAN units: no link uses ge-0/0/0.0, so nothing of ours replaces
    what its zone lets in (before: `... ge-0/0/0.0 host-inbound-traffic system-services ping`
    took SSH and everything else away from it)."""
    plan = sample("megaport-multi-location")
    plan["sites"]["mp-edge"]["vendor"] = "vsrx"
    text = render(plan)["mp-edge.vsrx.set"]
    assert "ge-0/0/0.0" not in text
    assert lines(text, "host-inbound-traffic") == [
        f"set security zones security-zone IBM-CLOUD interfaces ge-0/0/2.{vlan} "
        f"host-inbound-traffic {what}"
        for vlan in (101, 102)
        for what in ("system-services ping", "protocols bgp")
    ]


def test_a_direct_link_site_keeps_its_direct_link_bgp_on_the_gre_underlay_unit() -> None:
    """The GRE rides the Direct Link, whose own BGP session with IBM arrives on the same
    side: without `protocols bgp` on the unit, commit drops that session and the GRE with it."""
    text = render(sample("direct-link-dc"), "vsrx")["dc-west.vsrx.set"]
    assert WAN_NOTE.format("ping, bgp") in text.splitlines()
    assert (
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "protocols bgp" in text
    )


def test_an_ipsec_site_lets_ike_in_and_says_what_it_replaces() -> None:
    text = render(sample("private-ipsec"), "vsrx")["dc-east.vsrx.set"]
    assert WAN_NOTE.format("ping, ike") in text.splitlines()
    assert not lines(text, "ge-0/0/0.0 host-inbound-traffic protocols")  # no Direct Link


# --- 7. The vSRX's TCP MSS clamp is box-wide ------------------------------------------------


def test_the_vsrx_header_says_the_gre_clamp_is_box_wide() -> None:
    text = render(sample("powervs-gre-bgp"), "vsrx")["vra-dal12.vsrx.set"]
    head = text.split("\nset ", 1)[0].splitlines()
    assert (
        "# security flow tcp-mss all-tcp mss 1436 clamps every TCP session through this vSRX, "
        "not only the GRE tunnels' (Juniper, tcp-mss (Security Flow))" in head
    )
    assert "set security flow tcp-mss all-tcp mss 1436" in text


# --- 7. The router's own subnet, exported over any kind of link -----------------------------


def test_advertising_the_routers_own_subnet_into_its_gre_to_powervs_warns() -> None:
    """Hosts on the VRA's subnet answer through the BCR, and the subnet holds the tunnel's
    own endpoint (before: only GRE to a Direct Link site was warned of)."""
    plan = sample("powervs-tgw-gre")
    plan["routers"]["vra-wdc06"]["advertise"].append("10.186.22.0/26")
    found = [f.format() for f in check_text(dump(plan), "plan.yaml").warnings]
    assert found == [
        "plan.yaml:26:3: VRC903 connections.tgw-wdc06: warning: vra-wdc06 advertises its own "
        "private subnet 10.186.22.0/26 to the Transit Gateway to PowerVS wdc06-per over "
        "tgw-wdc06, but hosts there use the BCR (10.186.22.1) as their gateway, not vra-wdc06: "
        "their replies leave by the BCR, not by this link, so they are lost or dropped by a "
        "stateful firewall on the way; 10.186.22.0/26 also holds 10.186.22.10, this tunnel's "
        "own endpoint on vra-wdc06, which the Transit Gateway to PowerVS wdc06-per must keep "
        "reaching outside the tunnel; advertise the subnets routed through the router (its "
        "`connected:` VLANs) instead, with `advertise:` on the router or the link"
    ]


def test_advertising_the_routers_own_subnet_over_ipsec_warns_too() -> None:
    plan = sample("private-ipsec")
    plan["routers"]["vra-dal12"]["advertise"] = ["10.148.252.64/26"]
    found = [f.format() for f in check_text(dump(plan), "plan.yaml").warnings]
    assert [f.split(": warning: ")[0].split(" ", 1)[1] for f in found] == [
        "VRC903 connections.cc-dal12",
        "VRC903 connections.vpn-dc-east",
        "VRC903 connections.vpn-branch-01",
    ]


def test_no_sample_advertises_a_routers_own_subnet() -> None:
    """The samples are what plans start from: none exports the BCR-gatewayed subnet."""
    for path in sorted(SAMPLES.glob("*.yaml")):
        if path.name.endswith(".lock.yaml"):
            continue
        checked = check_text(path.read_text(), path.name)
        assert not [f for f in checked.warnings if f.rule == "VRC903"], path.name


def test_vyatta_link_filters_accept_icmp_errors_from_transit_hops() -> None:
    """A hop that cannot forward a full-size packet answers "fragmentation needed" from its
    own address, which no planned source covers: dropping it breaks path-MTU discovery
    (RFC 1191), so large transfers hang while BGP and ping stay up."""
    text = render(sample("private-ipsec"), "vyatta")["vra-dal12.vyatta.set"]
    assert lines(text, "FW-cc-dal12-IN rule 1 ") + lines(text, "FW-cc-dal12-IN rule 2 ") == [
        "set security firewall name FW-cc-dal12-IN rule 1 action accept",
        "set security firewall name FW-cc-dal12-IN rule 1 protocol icmp",
        "set security firewall name FW-cc-dal12-IN rule 1 icmp name destination-unreachable",
        "set security firewall name FW-cc-dal12-IN rule 2 action accept",
        "set security firewall name FW-cc-dal12-IN rule 2 protocol icmp",
        "set security firewall name FW-cc-dal12-IN rule 2 icmp name time-exceeded",
    ]


def test_vsrx_link_filters_accept_icmp_errors_before_discarding_the_rest() -> None:
    text = render(sample("private-ipsec"), "vsrx")["vra-dal12.vsrx.set"]
    terms = lines(text, "firewall filter FW-cc-dal12-IN term")
    assert terms[-6:] == [
        "set firewall filter FW-cc-dal12-IN term planned then accept",
        "set firewall filter FW-cc-dal12-IN term icmp-errors from protocol icmp",
        "set firewall filter FW-cc-dal12-IN term icmp-errors from icmp-type unreachable",
        "set firewall filter FW-cc-dal12-IN term icmp-errors from icmp-type time-exceeded",
        "set firewall filter FW-cc-dal12-IN term icmp-errors then accept",
        "set firewall filter FW-cc-dal12-IN term other then discard",
    ]


# --- 5. One ASN model for a workspace behind a Transit Gateway ------------------------------


def _cc_and_tgw(ws_asn: int | None = None) -> dict[str, Any]:
    """One VRA with a cloud connection to dal12 (64999) and a Transit Gateway GRE to a wdc06
    workspace: IBM's table gives wdc06 64999 too, and the workspace keeps it behind the
    gateway's 64490 (IBM's route reports: the origin ASN after the gateway's own segment)."""
    wdc06: dict[str, Any] = {"location": "wdc06", "subnets": ["172.20.10.0/24"]}
    if ws_asn is not None:
        wdc06["asn"] = ws_asn
    return {
        "version": 1,
        "routers": {
            "vra1": {
                "vendor": "vyatta",
                "asn": 64880,
                "private": {"address": "10.186.22.10/26", "gateway": "10.186.22.1"},
            }
        },
        "powervs": {
            "dal12-prod": {"location": "dal12", "subnets": ["192.168.50.0/24"]},
            "wdc06-per": wdc06,
        },
        "pools": {"tunnels": ["172.16.10.0/24"]},
        "connections": {
            "cc-dal12": {"router": "vra1", "powervs": "dal12-prod", "via": "cloud-connection"},
            "tgw-wdc06": {
                "router": "vra1",
                "powervs": "wdc06-per",
                "via": "transit-gateway",
                "transit_gateway": {
                    "gateway_ip": "192.168.255.1",
                    "asn": 64490,
                    "zone": "us-east-1",
                },
            },
        },
    }


def test_a_workspace_behind_a_transit_gateway_keeps_its_own_asn_in_the_path() -> None:
    """Before, the planner saw only 64490 behind the gateway: dal12's subnet went out with
    64999 in its path and wdc06 (64999) dropped it. Now the Vyatta re-originates it."""
    checked = check_text(dump(_cc_and_tgw()), "plan.yaml")
    link = checked.address_plan.connections["tgw-wdc06"]
    assert (link.peer_asn, link.workspace_asn, link.far_asns) == (64490, 64999, {64490, 64999})
    text = render(_cc_and_tgw())["vra1.vyatta.set"]
    assert lines(text, "static route 192.168.50.0/24") == [
        "set protocols static route 192.168.50.0/24 next-hop 172.16.10.5",
        "set protocols static route 192.168.50.0/24 description 'cc-dal12: re-originated so AS "
        "64999 accepts it'",
    ]


def test_a_workspace_asn_the_plan_sets_behind_a_transit_gateway_is_used() -> None:
    """`asn:` on the workspace is no longer ignored behind a gateway: a different ASN means
    no loop, so nothing is re-originated towards it."""
    checked = check_text(dump(_cc_and_tgw(ws_asn=65100)), "plan.yaml")
    assert checked.address_plan.connections["tgw-wdc06"].workspace_asn == 65100
    text = render(_cc_and_tgw(ws_asn=65100))["vra1.vyatta.set"]
    assert not lines(text, "static route 192.168.50.0/24")


def test_the_vsrx_refuses_what_as_override_cannot_rewrite_behind_a_gateway() -> None:
    assert errors(_cc_and_tgw(), "vsrx") == [
        "plan.yaml:26:3: VRC909 connections.tgw-wdc06: 192.168.50.0/24 reaches vra1 with AS "
        "64999 in its path, and tgw-wdc06 sends it to a Transit Gateway whose PowerVS "
        "workspace is AS 64999 too: the workspace drops it as a loop (RFC 4271 9.1.2), and "
        "`as-override` rewrites only the gateway's AS 64490; do not send 192.168.50.0/24 over "
        "tgw-wdc06 (`advertise:` on the link), or give the workspaces different ASNs where IBM "
        "allows it"
    ]


def test_the_lab_stands_the_workspace_in_with_the_planners_asn() -> None:
    """One model: the lab's stand-in for a workspace behind a gateway runs the ASN the
    planner's routing used (`PlannedLink.workspace_asn`)."""
    from vra_config.lab.topology import build

    for ws_asn, expected in ((None, 64999), (65100, 65100)):
        checked = check_text(dump(_cc_and_tgw(ws_asn)), "plan.yaml")
        topology = build(checked.address_plan)
        assert topology.nodes["wdc06-per"].asn == expected
        assert topology.nodes["tgw-wdc06-tgw"].asn == 64490


def test_check_refuses_the_loop_behind_a_gateway_for_a_router_the_plan_names_a_vsrx() -> None:
    plan = _cc_and_tgw()
    plan["routers"]["vra1"]["vendor"] = "vsrx"
    with pytest.raises(PlanError) as info:
        check_text(dump(plan), "plan.yaml")
    assert [f.format() for f in info.value.errors] == errors(_cc_and_tgw(), "vsrx")
