"""One behaviour per small plan: `tests/features/<feature>.yaml`, rendered for every vendor pack.

A sample's golden holds many features at once, so a change to one pack shows up as diffs
scattered over several samples. Here each plan is about 20 lines and exercises one feature,
as Aerleon's regression tests do (a tiny policy per behaviour, one targeted assertion, and a
full reference file): `<feature>.<vendor>.set` beside the plan is the whole render, and the
test named after the feature asserts the line(s) the feature is about, so a failure says
which behaviour broke before anyone reads a diff. A pack that refuses a feature has
`<feature>.<vendor>.err` instead: the exact message and nothing on stdout.

Each plan has its lock beside it and is rendered with `--locked`, so nothing is written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    FEATURES,
    Golden,
    feature_plans,
    lines,
    render_locked,
    run_cli,
    unacknowledged,
)

from vra_config.targets.routers import PACKS

PLANS = feature_plans()


def rendered(feature: str, vendor: str) -> str:
    """The feature plan's render for `vendor` (the run the golden test checks)."""
    run = render_locked(FEATURES / f"{feature}.yaml", vendor)
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_every_feature_named_in_the_brief_has_a_plan() -> None:
    assert {p.stem for p in PLANS} >= {
        "gre-only",
        "ipsec-policy",
        "megaport-vlan",
        "vrrp-pair",
        "chassis-cluster",
        "backup-link",
        "same-asn-transit",
        "direct-link",
        "transit-gateway",
    }


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_feature_plan_passes_check_against_its_lock(plan: Path) -> None:
    """Each plan is a valid plan (a refusal is a pack's, not the plan's), its lock current."""
    run = run_cli(["check", "--locked", str(plan)])
    assert (run.exit_code, unacknowledged(run.stderr)) == (0, [])
    assert run.stdout.startswith(f"{plan}: ok: "), run.stdout


@pytest.mark.parametrize("vendor", sorted(PACKS))
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_feature_golden(plan: Path, vendor: str, golden: Golden) -> None:
    run = render_locked(plan, vendor)
    rendered_file = FEATURES / f"{plan.stem}.{vendor}.set"
    refused_file = FEATURES / f"{plan.stem}.{vendor}.err"
    if run.exit_code == 0:
        assert unacknowledged(run.stderr) == []
        assert not refused_file.exists(), f"{refused_file.name} is stale: the pack renders it"
        golden.check(rendered_file, run.stdout)
        return
    assert (run.exit_code, run.stdout) == (1, "")
    assert not rendered_file.exists(), f"{rendered_file.name} is stale: the pack refuses it"
    golden.check(refused_file, run.stderr.replace(str(plan), plan.name))


# --- one targeted assertion per feature ------------------------------------------------------


def test_gre_only_splits_the_29_by_ibms_rule() -> None:
    """The PowerVS GRE source is the /29's first address, the router's tunnel address the
    last of the second half as a /30, and the source is routed by the private gateway (the
    appliance's default route is public)."""
    text = rendered("gre-only", "vyatta")
    assert lines(text, "tun0 remote-ip") + lines(text, "tun0 address") + lines(
        text, "/32 next-hop"
    ) == [
        "set interfaces tunnel tun0 remote-ip 172.16.3.1",
        "set interfaces tunnel tun0 address 172.16.3.6/30",
        "set protocols static route 172.16.3.1/32 next-hop 10.148.252.65",
    ]


def test_transit_gateway_tunnel_goes_to_the_gateway_ip_on_a_30() -> None:
    """The GRE ends at IBM's `gateway_ip`, the tunnel is a /30 (router .2, IBM .1), and the
    session is with IBM's Transit Gateway ASN, not PowerVS's."""
    text = rendered("transit-gateway", "vsrx")
    assert lines(text, "tunnel destination") + lines(text, "inet address") + lines(
        text, "peer-as"
    ) == [
        "set interfaces gr-0/0/0 unit 0 tunnel destination 192.168.255.1",
        "set interfaces gr-0/0/0 unit 0 family inet address 172.16.10.2/30",
        "set protocols bgp group tgw1 peer-as 64490",
    ]


def test_ipsec_policy_mode_pairs_prefixes_on_both_vendors() -> None:
    """Policy-based IPsec is prefix pairs, not a VTI: the 5600's tunnel prefixes and Junos's
    traffic selectors, both from the router's advertised prefix to the site's networks."""
    assert {
        "vyatta": lines(rendered("ipsec-policy", "vyatta"), "tunnel 1"),
        "vsrx": lines(rendered("ipsec-policy", "vsrx"), "traffic-selector"),
    } == {
        "vyatta": [
            "set security vpn ipsec site-to-site peer 192.0.2.20 tunnel 1 local prefix "
            "10.20.0.0/16",
            "set security vpn ipsec site-to-site peer 192.0.2.20 tunnel 1 remote prefix "
            "10.120.0.0/24",
        ],
        "vsrx": [
            "set security ipsec vpn vpn1 traffic-selector ts1 local-ip 10.20.0.0/16",
            "set security ipsec vpn vpn1 traffic-selector ts1 remote-ip 10.120.0.0/24",
        ],
    }


def test_megaport_vlan_is_a_tagged_sub_interface_without_gre() -> None:
    """A VXC is a VLAN on the port towards Megaport carrying the /30 itself: a `vif` on the
    5600, a unit with `vlan-id` on Junos; no tunnel at all."""
    vyatta, vsrx = rendered("megaport-vlan", "vyatta"), rendered("megaport-vlan", "vsrx")
    assert (
        lines(vyatta, "172.18.0.1/30"),
        lines(vsrx, "unit 101 vlan-id") + lines(vsrx, "172.18.0.1/30"),
        "tunnel" in vyatta + vsrx,
    ) == (
        ["set interfaces dataplane dp0p192p1 vif 101 address 172.18.0.1/30"],
        [
            "set interfaces ge-0/0/2 unit 101 vlan-id 101",
            "set interfaces ge-0/0/2 unit 101 family inet address 172.18.0.1/30",
        ],
        False,
    )


def test_vrrp_pair_members_differ_in_priority_and_tunnel_from_the_vip() -> None:
    """One file per member, each with its own VRRP priority, both sourcing the GRE on the
    pair's virtual address (the vSRX refusal is `vrrp-pair.vsrx.err`)."""
    text = rendered("vrrp-pair", "vyatta")
    assert lines(text, "vrrp-group 1 priority") + lines(text, "tun0 local-ip") == [
        "set interfaces bonding dp0bond0 vrrp vrrp-group 1 priority 254",
        "set interfaces bonding dp0bond0 vrrp vrrp-group 1 priority 253",
        "set interfaces tunnel tun0 local-ip 10.186.22.10",
        "set interfaces tunnel tun0 local-ip 10.186.22.10",
    ]


def test_chassis_cluster_sources_gre_on_reth0_never_on_a_node() -> None:
    """One configuration for the cluster; the GRE starts on reth0.0's address, and neither
    node's management address appears anywhere."""
    text = rendered("chassis-cluster", "vsrx")
    assert (lines(text, "tunnel source"), "10.186.30.40" in text or "10.186.30.41" in text) == (
        ["set interfaces gr-0/0/0 unit 0 tunnel source 10.186.30.10"],
        False,
    )


def test_backup_link_is_less_preferred_both_ways_on_both_vendors() -> None:
    """The second link to the workspace (cc-b) lowers local-preference on what it learns and
    prepends the router's AS on what it sends; the first (cc-a) sets neither."""
    assert {
        "vyatta": lines(rendered("backup-link", "vyatta"), "rule 10 set"),
        "vsrx": lines(rendered("backup-link", "vsrx"), "term planned then", "-cc-b"),
    } == {
        "vyatta": [
            "set policy route route-map RM-cc-b-IN rule 10 set local-preference 90",
            "set policy route route-map RM-cc-b-OUT rule 10 set as-path-prepend '64880'",
        ],
        "vsrx": [
            "set policy-options policy-statement IMPORT-cc-b term planned then local-preference 90",
            "set policy-options policy-statement IMPORT-cc-b term planned then accept",
            "set policy-options policy-statement EXPORT-cc-b term planned then as-path-prepend "
            '"64880"',
            "set policy-options policy-statement EXPORT-cc-b term planned then accept",
        ],
    }


def test_same_asn_transit_hides_64999_each_vendor_its_way() -> None:
    """Each gateway re-originates the far location's subnet on the 5600 (a static route to
    the backbone peer, then `network`); the vSRX rewrites the peer AS on the PowerVS
    sessions instead. Neither strips private ASNs."""
    vyatta, vsrx = rendered("same-asn-transit", "vyatta"), rendered("same-asn-transit", "vsrx")
    assert (
        lines(vyatta, "24 next-hop") + lines(vyatta, "network 192.168."),
        lines(vsrx, "as-override"),
        "remove-private" in vyatta + vsrx,
    ) == (
        [
            "set protocols static route 192.168.80.0/24 next-hop 172.16.30.2",
            "set protocols static route 192.168.50.0/24 next-hop 172.16.30.1",
            "set protocols bgp 64880 address-family ipv4-unicast network 192.168.80.0/24",
            "set protocols bgp 64881 address-family ipv4-unicast network 192.168.50.0/24",
        ],
        ["set protocols bgp group cc1 as-override", "set protocols bgp group cc2 as-override"],
        False,
    )


def test_direct_link_site_routes_the_tunnel_endpoint_by_its_direct_link_peer() -> None:
    """The site's host route to the VRA's GRE endpoint goes via its Direct Link BGP peer
    (the first address of `bgp_subnet`), so the tunnel never routes itself."""
    assert {v: lines(rendered("direct-link", v), "10.72.14.10/32 next-hop") for v in PACKS} == {
        "vyatta": ["set protocols static route 10.72.14.10/32 next-hop 172.31.255.1"],
        "vsrx": ["set routing-options static route 10.72.14.10/32 next-hop 172.31.255.1"],
    }
