"""Scenario behaviour beyond the samples' golden files: keys, legacy suites, transit."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, run_cli

import vra_config
from vra_config.pipeline import check_text, render_checked
from vra_config.plan.findings import PlanError

IPSEC = SAMPLES / "private-ipsec.yaml"


def ipsec_plan(**changes: object) -> dict[str, object]:
    plan = yaml.safe_load(IPSEC.read_text())
    plan["connections"]["vpn-dc-east"].update(changes)
    return plan


def render_text(plan: dict[str, object], **kwargs: object) -> dict[str, str]:
    return render_checked(check_text(yaml.safe_dump(plan), "plan.yaml"), **kwargs)  # type: ignore[arg-type]


def test_keys_are_redacted_unless_asked_for() -> None:
    redacted = render_text(ipsec_plan())
    assert (
        "# REVIEW COPY: the pre-shared key of vpn-dc-east is withheld (--show-secrets)"
        in redacted["vra-dal12.vyatta.set"]
    )
    assert "authentication pre-shared-secret" not in redacted["vra-dal12.vyatta.set"]
    shown = render_text(
        ipsec_plan(),
        show_secrets=True,
        environ={"VRA_PSK_DC_EAST": "s3cret-Key.1", "VRA_PSK_BRANCH_01": "other:Key"},
    )
    for name in ("vra-dal12.vyatta.set", "dc-east.vyatta.set"):
        assert "authentication pre-shared-secret 's3cret-Key.1'" in shown[name]
    assert "REDACTED" not in "".join(shown.values())


def test_a_missing_key_is_a_located_error() -> None:
    with pytest.raises(PlanError) as info:
        render_text(ipsec_plan(), show_secrets=True, environ={"VRA_PSK_BRANCH_01": "x" * 20})
    assert [f.format() for f in info.value.errors] == [
        "plan.yaml:15:5: VRC606 connections.vpn-dc-east.psk: environment variable "
        "VRA_PSK_DC_EAST is "
        "not set; export it before rendering with --show-secrets"
    ]


def test_a_key_the_5600_refuses_is_an_error() -> None:
    with pytest.raises(PlanError) as info:
        render_text(
            ipsec_plan(),
            show_secrets=True,
            environ={"VRA_PSK_DC_EAST": "has space'quote", "VRA_PSK_BRANCH_01": "fine"},
        )
    # both ends refuse the same key: one finding, at the plan's psk
    assert [f.format() for f in info.value.errors] == [
        "plan.yaml:15:5: VRC701 connections.vpn-dc-east.psk: the pre-shared key holds "
        "characters the "
        "Vyatta 5600 does not take (it allows letters, digits and - + & ! @ # $ % ^ * ( ) , . : "
        "_); generate another"
    ]


def test_key_from_a_file_beside_the_plan_and_0600_output(tmp_path: Path) -> None:
    plan = ipsec_plan(psk={"file": "keys/dc-east.psk"})
    plan["connections"]["vpn-branch-01"]["psk"] = {"file": "keys/branch.psk"}
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "dc-east.psk").write_text("from-a-file.1\n")
    (tmp_path / "keys" / "branch.psk").write_text("branch-key\n")
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan))
    out = tmp_path / "out"
    run = run_cli(["render", "--vendor", "vyatta", "--show-secrets", "--out", str(out), str(path)])
    assert run.exit_code == 0, run.stderr
    text = (out / "dc-east.vyatta.set").read_text()
    assert "pre-shared-secret 'from-a-file.1'" in text
    for written in out.iterdir():
        assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_legacy_allows_a_weak_suite_with_a_reason() -> None:
    plan = ipsec_plan(
        ike={"encryption": "3des", "integrity": "sha1", "dh_group": 2},
        legacy={"reason": "dc-east firmware 4.1 has no AES-GCM; upgrade planned"},
    )
    files = render_text(plan)
    for name in ("vra-dal12.vyatta.set", "dc-east.vyatta.set"):
        assert "ike-group IKE-vpn-dc-east proposal 1 encryption 3des" in files[name]
        assert "ike-group IKE-vpn-dc-east proposal 1 dh-group 2" in files[name]


def test_one_gateway_with_global_routing_transits_between_two_64999_locations() -> None:
    """One router, two cloud connections whose PowerVS routers both use 64999: each location's
    subnets are re-originated (Vyatta) or their path rewritten (vSRX), never sent with 64999."""
    plan = yaml.safe_load((SAMPLES / "proxy-multi-location.yaml").read_text())
    plan["connections"]["cc-wdc06"]["router"] = "gw-dal12"
    del plan["connections"]["gw-backbone"]
    del plan["routers"]["gw-wdc06"]
    # each re-originating static now points into a cloud connection, where VRC908 is found
    plan["accept"] = [
        {"id": "VRC908", "at": f"connections.{c}", "reason": "one path to each location"}
        for c in ("cc-dal12", "cc-wdc06")
    ]
    text = render_text(plan)["gw-dal12.vyatta.set"]
    assert "remove-private-as" not in text
    for prefix, peer in (("192.168.50.0/24", "172.16.30.5"), ("192.168.80.0/24", "172.16.30.13")):
        assert f"set protocols static route {prefix} next-hop {peer}" in text
        assert f"set protocols bgp 64880 address-family ipv4-unicast network {prefix}" in text
    junos = render_text(plan, vendor="vsrx")["gw-dal12.vsrx.set"]
    for group in ("cc-dal12", "cc-wdc06"):
        assert f"set protocols bgp group {group} as-override" in junos
        assert f"set protocols bgp group {group} advertise-peer-as" in junos
    assert "remove-private" not in junos
    assert "next-hop 172.16.30.5" not in junos  # Junos rewrites the path, no static route
    assert "set policy route prefix-list PL-cc-dal12-OUT rule 10 prefix 192.168.80.0/24" in text
    assert "set policy route prefix-list PL-cc-wdc06-OUT rule 10 prefix 192.168.50.0/24" in text


def test_static_routing_between_two_gateways_mirrors_the_routes() -> None:
    plan = yaml.safe_load((SAMPLES / "proxy-multi-location.yaml").read_text())
    plan["connections"]["gw-backbone"]["routing"] = "static"
    del plan["accept"]  # static routes carry the subnets: nothing is re-originated (VRC908)
    files = render_text(plan)
    dal12, wdc06 = files["gw-dal12.vyatta.set"], files["gw-wdc06.vyatta.set"]
    assert "set protocols static interface-route 192.168.80.0/24 next-hop-interface tun1" in dal12
    assert "set protocols static interface-route 192.168.50.0/24 next-hop-interface tun1" in wdc06
    assert "neighbor 172.16.30.18" not in dal12
    # routes learned statically are originated into BGP towards PowerVS
    assert "set protocols bgp 64880 address-family ipv4-unicast network 192.168.80.0/24" in dal12


def test_sites_without_a_vendor_are_described_not_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    files = vra_config.render_plan(IPSEC)
    assert sorted(files) == ["dc-east.vyatta.set", "vra-dal12.vyatta.set"]
    run = run_cli(["render", "--router", "branch-01", str(IPSEC)])
    assert (run.exit_code, run.stderr) == (
        2,
        "vra-config: error: --router branch-01: the site names no vendor, so it is not rendered\n",
    )


def test_direct_link_gre_endpoint_is_routed_via_the_private_gateway(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "direct-link-dc.yaml", tmp_path / "plan.yaml")
    text = vra_config.render_plan(tmp_path / "plan.yaml", router="vra-dal10")[
        "vra-dal10.vyatta.set"
    ]
    assert "set protocols static route 172.17.1.1/32 next-hop 10.72.14.1" in text


def test_firewall_filters_each_link_to_what_its_far_end_may_send() -> None:
    plan = yaml.safe_load((SAMPLES / "megaport-multi-location.yaml").read_text())
    plan["sites"]["mp-edge"]["firewall"] = True
    text = render_text(plan)["mp-edge.vyatta.set"]
    assert "set interfaces dataplane dp0p192p1 vif 101 firewall in FW-vxc-wdc04-IN\n" in text
    rules = [line for line in text.splitlines() if "FW-vxc-wdc04-IN rule" in line]
    assert rules == [
        # ICMP errors from any hop (RFC 1191 path-MTU discovery; issue 19 item 7)
        "set security firewall name FW-vxc-wdc04-IN rule 1 action accept",
        "set security firewall name FW-vxc-wdc04-IN rule 1 protocol icmp",
        "set security firewall name FW-vxc-wdc04-IN rule 1 icmp name destination-unreachable",
        "set security firewall name FW-vxc-wdc04-IN rule 2 action accept",
        "set security firewall name FW-vxc-wdc04-IN rule 2 protocol icmp",
        "set security firewall name FW-vxc-wdc04-IN rule 2 icmp name time-exceeded",
        "set security firewall name FW-vxc-wdc04-IN rule 10 action accept",
        "set security firewall name FW-vxc-wdc04-IN rule 10 source address 172.18.0.4/30",
        "set security firewall name FW-vxc-wdc04-IN rule 20 action accept",
        "set security firewall name FW-vxc-wdc04-IN rule 20 source address 192.168.60.0/24",
    ]
    assert "set security firewall name FW-vxc-wdc04-IN default-action drop\n" in text
    # no firewall unless the plan asks for one
    assert (
        "firewall"
        not in vra_config.render_plan(SAMPLES / "megaport-multi-location.yaml")[
            "mp-edge.vyatta.set"
        ]
    )


def test_vsrx_refuses_what_junos_cannot_express() -> None:
    plan = ipsec_plan(ike={"dh_group": 17})
    with pytest.raises(PlanError) as info:
        render_text(plan, vendor="vsrx")
    assert [f.format() for f in info.value.errors] == [
        "plan.yaml:15:17: VRC702 connections.vpn-dc-east.ike.dh_group: DH group 17 is not "
        "available on "
        "the vSRX (it has 14, 15, 16, 19, 20, 21 and 24); choose another"
    ]
    assert "dh-group 17" in render_text(plan)["vra-dal12.vyatta.set"]  # the 5600 has it


def test_vsrx_needs_its_own_name_for_a_megaport_port() -> None:
    plan = yaml.safe_load((SAMPLES / "megaport-multi-location.yaml").read_text())
    plan["connections"]["vxc-wdc04"]["interface"] = "dp0p192p1"
    with pytest.raises(PlanError) as info:
        render_text(plan, vendor="vsrx")
    assert [f.message for f in info.value.errors] == [
        "dp0p192p1 is not a vSRX physical interface (ge-0/0/2); name the port, the VLAN becomes "
        "its unit"
    ]
    plan["connections"]["vxc-wdc04"]["interface"] = {"vyatta": "dp0p192p1"}
    with pytest.raises(PlanError) as info:
        render_text(plan, vendor="vsrx")
    assert [f.message for f in info.value.errors] == [
        "no vsrx interface name for this link; write `interface: {vsrx: ...}` next to the "
        "other vendor's"
    ]


def test_vsrx_refuses_a_key_it_cannot_quote() -> None:
    with pytest.raises(PlanError) as info:
        render_text(
            ipsec_plan(),
            vendor="vsrx",
            show_secrets=True,
            environ={"VRA_PSK_DC_EAST": 'with"quote', "VRA_PSK_BRANCH_01": "fine-key"},
        )
    assert {f.message for f in info.value.errors} == {
        "the pre-shared key is empty or holds a quote, backslash or control character, which "
        "Junos cannot take in a quoted string; generate another"
    }


def test_vsrx_opens_ibms_loopback_filter_only_for_the_planned_peers() -> None:
    text = vra_config.render_plan(SAMPLES / "powervs-gre-bgp.yaml", vendor="vsrx")[
        "vra-dal12.vsrx.set"
    ]
    terms = [line for line in text.splitlines() if "PROTECT-IN" in line]
    assert terms == [
        "set firewall filter PROTECT-IN term cc-dal12-gre from source-address 172.16.3.1/32",
        "set firewall filter PROTECT-IN term cc-dal12-gre from protocol gre",
        "set firewall filter PROTECT-IN term cc-dal12-gre then accept",
        "set firewall filter PROTECT-IN term cc-dal12-bgp from source-address 172.16.3.5/32",
        "set firewall filter PROTECT-IN term cc-dal12-bgp from protocol tcp",
        "set firewall filter PROTECT-IN term cc-dal12-bgp from port bgp",
        "set firewall filter PROTECT-IN term cc-dal12-bgp then accept",
        "set firewall filter PROTECT-IN term cc-dal12-icmp1 from source-address 172.16.3.1/32",
        "set firewall filter PROTECT-IN term cc-dal12-icmp1 from protocol icmp",
        "set firewall filter PROTECT-IN term cc-dal12-icmp1 then accept",
        "set firewall filter PROTECT-IN term cc-dal12-icmp2 from source-address 172.16.3.5/32",
        "set firewall filter PROTECT-IN term cc-dal12-icmp2 from protocol icmp",
        "set firewall filter PROTECT-IN term cc-dal12-icmp2 then accept",
    ]
    assert "host-inbound-traffic system-services all" not in text
    plan = yaml.safe_load((SAMPLES / "powervs-gre-bgp.yaml").read_text())
    plan["routers"]["vra-dal12"]["loopback_filter"] = None
    assert "PROTECT-IN" not in render_text(plan, vendor="vsrx")["vra-dal12.vsrx.set"]


def test_a_vendor_problem_stops_the_run_before_any_line_is_printed(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(ipsec_plan(ike={"dh_group": 17})))
    run = run_cli(["render", "--vendor", "vsrx", str(plan)])
    assert run.exit_code == 1
    assert run.stdout == ""  # dc-east renders before vra-dal12, but nothing was printed
    assert "DH group 17 is not available on the vSRX" in run.stderr
