"""Designs that commit but do not work (issue 10): one regression test per change-board item.

Each test states the behaviour a router needs after `commit`, not only that a line exists:
which route makes a prefix announceable, which zone lets IKE in, which PRF both ends offer.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import SAMPLES

from vra_config.pipeline import check_text, render_checked
from vra_config.plan.findings import PlanError


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text())
    return data


def render(plan: dict[str, Any], vendor: str | None = None) -> dict[str, str]:
    return render_checked(check_text(yaml.safe_dump(plan, sort_keys=False), "plan.yaml"), vendor)


def errors(plan: dict[str, Any], vendor: str | None = None) -> list[str]:
    with pytest.raises(PlanError) as info:
        render(plan, vendor)
    return [f.format() for f in info.value.errors]


def warnings(plan: dict[str, Any]) -> list[str]:
    return [
        f.format() for f in check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml").warnings
    ]


def lines(text: str, *words: str) -> list[str]:
    return [line for line in text.splitlines() if all(w in line for w in words)]


# --- 1. Same-ASN PowerVS transit ----------------------------------------------------------


def test_vyatta_re_originates_the_far_locations_subnets_so_64999_never_reaches_64999() -> None:
    files = render(sample("proxy-multi-location"))
    dal12 = files["gw-dal12.vyatta.set"]
    # in the RIB by a static route to the backbone peer, originated by `network`: the path
    # dal12's PowerVS router sees is 64880 alone (FRR keeps the peer's AS under
    # remove-private-as, and the 5600's BGP has no as-override)
    assert lines(dal12, "static route 192.168.80.0/24") == [
        "set protocols static route 192.168.80.0/24 next-hop 172.16.30.18",
        "set protocols static route 192.168.80.0/24 description 'gw-backbone: re-originated "
        "so AS 64999 accepts it'",
    ]
    assert "set protocols bgp 64880 address-family ipv4-unicast network 192.168.80.0/24" in dal12
    assert "remove-private-as" not in "".join(files.values())
    wdc06 = files["gw-wdc06.vyatta.set"]
    assert "set protocols static route 192.168.50.0/24 next-hop 172.16.30.17" in wdc06


def test_vsrx_rewrites_the_peer_as_instead_of_remove_private() -> None:
    text = render(sample("proxy-multi-location"), "vsrx")["gw-dal12.vsrx.set"]
    assert lines(text, "protocols bgp group cc-dal12")[-3:-1] == [
        "set protocols bgp group cc-dal12 as-override",
        "set protocols bgp group cc-dal12 advertise-peer-as",
    ]
    assert "remove-private" not in text
    assert "as-override" not in "".join(lines(text, "group gw-backbone"))  # no loop there


# --- 2 and 10. A vSRX site lets IKE in, and its zones hold its interfaces -------------------


def test_a_vsrx_site_accepts_ike_on_its_wan_interface() -> None:
    text = render(sample("private-ipsec"), "vsrx")["dc-east.vsrx.set"]
    # interface-level host-inbound-traffic replaces the zone's: set it on the interface
    assert lines(text, "security-zone untrust") == [
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "system-services ping",
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "system-services ike",
    ]
    # the LAN is bound to the zone the policies name, so they match something
    assert "set security zones security-zone trust interfaces ge-0/0/1.0" in text


def test_site_zone_and_interfaces_come_from_the_plan() -> None:
    plan = sample("private-ipsec")
    plan["sites"]["dc-east"].update(
        vendor="vsrx", interface="ge-0/0/3.0", wan_zone="INTERNET", lan_interface="ge-0/0/4.0"
    )
    text = render(plan)["dc-east.vsrx.set"]
    assert (
        "security-zone INTERNET interfaces ge-0/0/3.0 host-inbound-traffic system-services ike"
        in text
    )
    assert "set security zones security-zone trust interfaces ge-0/0/4.0" in text
    assert "external-interface ge-0/0/3.0" in text


def test_a_gre_only_site_binds_its_underlay_interface_too() -> None:
    text = render(sample("direct-link-dc"), "vsrx")["dc-west.vsrx.set"]
    # ... keeping the Direct Link's own BGP session there (issue 19 item 4)
    assert lines(text, "security-zone untrust") == [
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "system-services ping",
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "protocols bgp",
    ]


# --- 3. GRE recursion and the asymmetric return path --------------------------------------


def test_a_direct_link_site_routes_the_tunnel_endpoint_by_its_direct_link() -> None:
    for vendor, expected in (
        ("vyatta", "set protocols static route 10.72.14.10/32 next-hop 172.31.255.1"),
        ("vsrx", "set routing-options static route 10.72.14.10/32 next-hop 172.31.255.1"),
    ):
        assert expected in render(sample("direct-link-dc"), vendor)[f"dc-west.{vendor}.set"]


def test_advertising_the_tunnel_endpoint_to_a_site_without_a_host_route_is_an_error() -> None:
    plan = sample("direct-link-dc")
    del plan["sites"]["dc-west"]["direct_link"]
    plan["routers"]["vra-dal10"]["advertise"] = ["10.72.14.0/26"]
    assert errors(plan) == [
        "plan.yaml:40:3: VRC902 "
        "connections.gre-dc-west: vra-dal10 advertises 10.72.14.0/26 to dc-west "
        "through this GRE tunnel, but 10.72.14.0/26 holds 10.72.14.10, the tunnel's own "
        "destination at dc-west: once dc-west learns it, the tunnel's outer packets are routed "
        "into the tunnel and it flaps (GRE recursion); give the site `direct_link: "
        "{bgp_subnet}` so vra-config renders a host route to the endpoint, or do not "
        "advertise 10.72.14.0/26 over this link (`advertise:`)"
    ]


def test_advertising_the_routers_own_subnet_to_a_direct_link_site_warns_of_asymmetry() -> None:
    plan = sample("direct-link-dc")
    plan["routers"]["vra-dal10"]["advertise"] = ["10.72.14.0/26", "10.72.20.0/24"]
    # (the cloud connection to PowerVS gets its own VRC903: tests/test_survive_failure.py)
    assert [w for w in warnings(plan) if "gre-dc-west" in w] == [
        "p.yaml:43:3: VRC903 "
        "connections.gre-dc-west: warning: vra-dal10 advertises its own private "
        "subnet 10.72.14.0/26 to dc-west, but hosts there use the BCR (10.72.14.1) as their "
        "gateway, not vra-dal10: their replies to dc-west return by the BCR and the Direct "
        "Link, not through this tunnel, and a stateful firewall at the site drops them; "
        "advertise the subnets routed through the router (its `connected:` VLANs) instead, "
        "with `advertise:` on the router or the link"
    ]


# --- 4. IKE with AES-GCM between a Vyatta and a vSRX ---------------------------------------


def gcm_plan(integrity: str, encryption: str = "aes256gcm") -> dict[str, Any]:
    plan = sample("private-ipsec")
    plan["connections"]["vpn-dc-east"]["ike"] = {"encryption": encryption, "integrity": integrity}
    plan["sites"]["dc-east"]["vendor"] = "vsrx"
    return plan


def test_ike_aes256gcm_needs_the_sha384_prf_junos_binds_to_it() -> None:
    assert errors(gcm_plan("sha256")) == [
        "plan.yaml:56:18: VRC704 "
        "connections.vpn-dc-east.ike.integrity: with IKE aes256gcm the vSRX "
        "uses a fixed PRF, sha384, while the plan's ike.integrity (sha256) is the PRF the other "
        "end offers, so IKE never negotiates (Juniper `prf-algorithm` reference, "
        "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/"
        "statement/prf-algorithm-edit-security-ike-proposal.html); set ike.integrity: sha384, "
        "or use a CBC cipher"
    ]
    files = render(gcm_plan("sha384"))
    vyatta = files["vra-dal12.vyatta.set"]
    assert "set security vpn ipsec ike-group IKE-vpn-dc-east proposal 1 hash sha2_384" in vyatta
    junos = files["dc-east.vsrx.set"]
    assert "set security ike proposal vpn-dc-east encryption-algorithm aes-256-gcm" in junos
    assert not lines(junos, "ike proposal", "authentication-algorithm")


def test_ike_aes128gcm_is_refused_on_the_vsrx_as_its_prf_is_undocumented() -> None:
    (message,) = errors(gcm_plan("sha256", "aes128gcm"))
    assert "Juniper documents only for aes256gcm (sha384)" in message


# --- 5. Advertised prefixes the router has no route to -------------------------------------


def test_an_advertised_prefix_without_a_route_is_a_warning() -> None:
    plan = sample("powervs-gre-bgp")
    del plan["routers"]["vra-dal12"]["routes"]
    assert warnings(plan) == [
        "p.yaml:14:7: VRC901 "
        "routers.vra-dal12.advertise[0]: warning: 10.20.0.0/16 is advertised, but "
        "vra-dal12 has no route to exactly it that vra-config renders, and BGP sends only "
        "prefixes in the routing table (FRR `bgp network import-check`, "
        "https://docs.frrouting.org/en/latest/bgp.html; Junos exports only active routes): add "
        "it to `routes:` (with its next hop) or to `connected:` under routers.vra-dal12, or "
        "make sure vra-dal12 already has that route"
    ]


def test_the_planned_route_is_rendered_on_both_vendors() -> None:
    plan = sample("powervs-gre-bgp")
    vyatta = render(plan, "vyatta")["vra-dal12.vyatta.set"]
    assert "set protocols static route 10.20.0.0/16 next-hop 10.148.252.90" in vyatta
    assert "set protocols bgp 64880 address-family ipv4-unicast network 10.20.0.0/16" in vyatta
    junos = render(plan, "vsrx")["vra-dal12.vsrx.set"]
    assert "set routing-options static route 10.20.0.0/16 next-hop 10.148.252.90" in junos


def test_a_route_whose_next_hop_is_on_no_subnet_of_the_router_is_an_error() -> None:
    plan = sample("powervs-gre-bgp")
    plan["routers"]["vra-dal12"]["routes"] = [{"prefix": "10.20.0.0/16", "next_hop": "10.1.1.1"}]
    assert errors(plan) == [
        "plan.yaml:17:17: VRC906 "
        "routers.vra-dal12.routes[0].next_hop: next hop 10.1.1.1 is on none of "
        "vra-dal12's subnets (10.148.252.64/26, 169.55.223.72/29), so the route would never be "
        "active; use a gateway on one of them (the private one is the BCR)"
    ]


# --- 6. vSRX TCP MSS for plain GRE ---------------------------------------------------------


def test_vsrx_clamps_native_gre_with_all_tcp_and_st0_with_ipsec_vpn() -> None:
    text = render(sample("private-ipsec"), "vsrx")["vra-dal12.vsrx.set"]
    assert lines(text, "set security flow tcp-mss") == [
        "set security flow tcp-mss all-tcp mss 1436",
        "set security flow tcp-mss ipsec-vpn mss 1360",
    ]


# --- 7. Transit Gateway MTU against the underlay -------------------------------------------


def test_a_tunnel_mtu_the_underlay_cannot_carry_is_an_error() -> None:
    plan = sample("powervs-tgw-gre")
    plan["connections"]["tgw-wdc06"]["mtu"] = 9000
    assert errors(plan) == [
        "plan.yaml:33:10: VRC904 connections.tgw-wdc06.mtu: a GRE tunnel MTU of 9000 needs an "
        "underlay of 9024 bytes, but vra-wdc06's underlay_mtu is 1500 (GRE adds 24 bytes, RFC "
        "2784, https://www.rfc-editor.org/rfc/rfc2784); lower mtu to 1476 or less, or set "
        "vra-wdc06's underlay_mtu if its network carries jumbo frames"
    ]


def test_a_jumbo_underlay_takes_ibms_9000_and_tcp_is_still_clamped() -> None:
    plan = sample("powervs-tgw-gre")
    plan["routers"]["vra-wdc06"]["underlay_mtu"] = 9100
    plan["connections"]["tgw-wdc06"]["mtu"] = 9000
    text = render(plan)["vra-wdc06.vyatta.set"]
    assert "set interfaces tunnel tun0 mtu 9000" in text
    assert "set interfaces tunnel tun0 ip tcp-mss limit 8960" in text


def test_a_transit_gateway_tunnel_without_a_clamp_is_an_error() -> None:
    plan = sample("powervs-tgw-gre")
    plan["connections"]["tgw-wdc06"]["tcp_mss"] = "off"
    (message,) = errors(plan)
    assert message.startswith(
        "plan.yaml:33:14: VRC905 "
        "connections.tgw-wdc06.tcp_mss: a Transit Gateway GRE tunnel always "
        "needs a TCP MSS clamp"
    )


# --- 11. eBGP multihop on Transit Gateway sessions -----------------------------------------


def test_ebgp_multihop_is_rendered_on_both_vendors() -> None:
    plan = sample("powervs-tgw-gre")
    plan["connections"]["tgw-wdc06"]["ebgp_multihop"] = 16
    vyatta = render(plan, "vyatta")["vra-wdc06.vyatta.set"]
    assert "set protocols bgp 64880 neighbor 172.16.10.1 ebgp-multihop 16" in vyatta
    junos = render(plan, "vsrx")["vra-wdc06.vsrx.set"]
    assert "set protocols bgp group tgw-wdc06 multihop ttl 16" in junos


# --- 12. Dead-peer detection on policy-based peers -----------------------------------------


def test_policy_based_peers_detect_dead_peers_too() -> None:
    vyatta = render(sample("private-ipsec"), "vyatta")["vra-dal12.vyatta.set"]
    assert lines(vyatta, "ike-group IKE-vpn-branch-01 dead-peer-detection") == [
        "set security vpn ipsec ike-group IKE-vpn-branch-01 dead-peer-detection action restart",
        "set security vpn ipsec ike-group IKE-vpn-branch-01 dead-peer-detection interval 30",
        "set security vpn ipsec ike-group IKE-vpn-branch-01 dead-peer-detection timeout 120",
    ]
    junos = render(sample("private-ipsec"), "vsrx")["vra-dal12.vsrx.set"]
    assert lines(junos, "ike gateway vpn-branch-01 dead-peer-detection") == [
        "set security ike gateway vpn-branch-01 dead-peer-detection probe-idle-tunnel",
        "set security ike gateway vpn-branch-01 dead-peer-detection interval 30",
        "set security ike gateway vpn-branch-01 dead-peer-detection threshold 4",
    ]
