"""IBM's side first, the router second: a Transit Gateway GRE's Local BGP ASN is assigned by
IBM at creation, so the IBM side must render without it and the router must wait for it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES, run_cli

TFCHECK = ROOT.parent / "shared" / "tools" / "tfcheck" / "tfcheck"
ASN_LINE = '      asn: 64490                     # IBM\'s "Local BGP ASN", shown after creation\n'


def plan_without_asn(tmp_path: Path) -> Path:
    """powervs-tgw-gre with the Transit Gateway's ASN left out, as before `apply`."""
    text = (SAMPLES / "powervs-tgw-gre.yaml").read_text(encoding="utf-8")
    assert ASN_LINE in text
    plan = tmp_path / "tgw.yaml"
    plan.write_text(text.replace(ASN_LINE, ""), encoding="utf-8")
    lock = (SAMPLES / "powervs-tgw-gre.lock.yaml").read_text(encoding="utf-8")
    (tmp_path / "tgw.lock.yaml").write_text(lock, encoding="utf-8")
    return plan


def test_ibm_side_renders_without_the_assigned_asn_and_warns(tmp_path: Path) -> None:
    plan = plan_without_asn(tmp_path)
    for target in ("terraform", "ibmcloud"):
        run = run_cli(["render", "--locked", "--target", target, str(plan)])
        assert run.exit_code == 0, run.stderr
        assert "(assigned by IBM at creation)" in run.stdout
        assert (
            f"{plan}:40:5: VRC980 connections.tgw-wdc06.transit_gateway.asn: warning: the "
            "Transit Gateway assigns this Local BGP ASN when the connection is created; IBM's "
            "side can be rendered and applied now; the router cannot be rendered until then: "
            "apply IBM's side first (`vra-config render --target terraform|ibmcloud`), then "
            "`ibmcloud tg connection GATEWAY_ID CONNECTION_ID --output json` shows it as "
            "local_bgp_asn (the Terraform output's `read_local_bgp_asn` is that command); then "
            "set `asn:` here"
        ) in run.stderr.splitlines()


def test_check_refuses_what_router_render_refuses(tmp_path: Path) -> None:
    """check is the gate: a plan whose router cannot be rendered yet does not pass it."""
    plan = plan_without_asn(tmp_path)
    run = run_cli(["check", "--locked", str(plan)])
    assert run.exit_code == 1
    assert (
        f"{plan}:40:5: VRC980 connections.tgw-wdc06.transit_gateway.asn: the Transit Gateway "
        "assigns this Local BGP ASN when the connection is created; the router's BGP session "
        "needs it, so the router cannot be rendered yet: apply IBM's side first"
    ) in run.stderr


def test_the_router_waits_for_the_asn(tmp_path: Path) -> None:
    plan = plan_without_asn(tmp_path)
    run = run_cli(["render", "--locked", "--vendor", "vyatta", str(plan)])
    assert run.exit_code == 1
    assert run.stdout == ""
    assert (
        f"{plan}:40:5: VRC980 connections.tgw-wdc06.transit_gateway.asn: the Transit Gateway "
        "assigns this Local BGP ASN when the connection is created; the router's BGP session "
        "needs it, so the router cannot be rendered yet: apply IBM's side first"
    ) in run.stderr
    assert run.stderr.endswith("1 error, 0 warnings: nothing was written\n")


def test_terraform_outputs_how_to_read_the_asn_and_attaches_the_workspace(
    tmp_path: Path,
) -> None:
    plan = plan_without_asn(tmp_path)
    run = run_cli(["render", "--locked", "--target", "terraform", str(plan)])
    text = run.stdout
    assert (
        '    read_local_bgp_asn = "ibmcloud tg connection ${var.transit_gateway_id} '
        '${ibm_tg_connection.tgw_wdc06.connection_id} --output json"'
    ) in text.splitlines()
    block = re.search(r'resource "ibm_tg_connection" "wdc06_per_powervs" \{\n(.*?)\n\}', text, re.S)
    assert block is not None
    assert block.group(1).splitlines() == [
        "  count        = var.wdc06_per_attach ? 1 : 0",
        "  gateway      = var.transit_gateway_id",
        '  name         = "wdc06-per-powervs"',
        '  network_type = "power_virtual_server"',
        "  network_id   = var.wdc06_per_workspace_crn",
    ]
    out = tmp_path / "tf"
    out.mkdir()
    (out / "main.tf").write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, str(TFCHECK), str(out)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("2 resources, 0 findings")


def test_public_gateway_ip_is_refused_before_apply(tmp_path: Path) -> None:
    text = (SAMPLES / "powervs-tgw-gre.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "public.yaml"
    plan.write_text(text.replace("gateway_ip: 192.168.255.1", "gateway_ip: 169.60.1.1"))
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert (
        f"{plan}:41:19: VRC981 connections.tgw-wdc06.transit_gateway.gateway_ip: 169.60.1.1 is "
        "not an RFC 1918 address; IBM requires a GRE's Local gateway IP to be one (10.0.0.0/8, "
        "172.16.0.0/12 or 192.168.0.0/16), which `terraform plan` does not check and the API "
        "does at apply; choose one that no network on the gateway uses "
        "(https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-transit-gateway-cli)"
    ) in run.stderr.splitlines()


def test_ibmcloud_uses_the_current_gre_command_and_numeric_asns() -> None:
    run = run_cli(
        ["render", "--locked", "--target", "ibmcloud", str(SAMPLES / "powervs-tgw-gre.yaml")]
    )
    assert "ibmcloud tg connection-gre-create " in run.stdout
    assert "connection-create-gre" not in run.stdout
    redundant = run_cli(
        ["render", "--locked", "--target", "ibmcloud", str(SAMPLES / "vra-ha-tgw-redundant.yaml")]
    ).stdout
    body = re.search(r"'\", (.*)' > tgw_dal\.rgre\.json", redundant)
    assert body is not None
    tunnels = json.loads("{" + body.group(1))["tunnels"]
    assert [t["remote_bgp_asn"] for t in tunnels] == [64880, 64880]  # a number, as IBM's example
    assert (
        "comma-separated (id1,id2)"
        in run_cli(
            ["render", "--locked", "--target", "ibmcloud", str(SAMPLES / "powervs-gre-bgp.yaml")]
        ).stdout
    )


def test_a_workspace_behind_both_kinds_of_link_is_asked_for_once(tmp_path: Path) -> None:
    """Its CRN is needed by the Transit Gateway attachment and by the cloud connection: the
    script's `${NAME:?...}` guard for it appears once."""
    text = (SAMPLES / "powervs-tgw-gre.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "both.yaml"
    plan.write_text(
        text
        + "  cc-wdc06:\n    router: vra-wdc06\n    powervs: wdc06-per\n"
        + "    via: cloud-connection\n    speed: 1000\n",
        encoding="utf-8",
    )
    run = run_cli(["render", "--target", "ibmcloud", str(plan)])
    assert run.exit_code == 0, run.stderr
    guards = [line for line in run.stdout.splitlines() if "wdc06_per_workspace_crn:?" in line]
    assert len(guards) == 1
