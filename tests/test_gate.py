"""`check` is the gate: what `render` refuses for a device's vendor, `check` refuses too.

The plans that `check` used to pass are in `tests/errors/gate-*.yaml` (exact text there);
these tests cover what needs an option (`--vendor`), a warning (exit 0), or `render` too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, run_cli

from vra_config.pipeline import check_text, render_checked
from vra_config.plan.findings import PlanError

HA = "vra-ha-tgw-redundant.yaml"
VRC952 = (
    "{file}:31:5: VRC952 routers.vra-ha.ha: router vra-ha is a VRA pair (`ha:`), rendered "
    "here for the vSRX, whose high-availability pair is a chassis cluster, not VRRP: "
    "private_group, public_group, sync_group, advertise_interval, member priorities do not "
    "exist on it, and the render would be one stand-alone vSRX with no failover. Render it "
    "for vyatta, or describe the vSRX pair with `cluster:` naming node0 and node1 "
    "(https://github.com/ibm-cloud-docs/vsrx/blob/master/defaults/vsrx_ha_default.conf)\n"
    "1 error, 0 warnings: nothing was written\n"
)


@pytest.fixture()
def ha_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in (HA, HA.replace(".yaml", ".lock.yaml")):
        shutil.copy(SAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return HA


@pytest.mark.parametrize("command", [["render", "--vendor", "vsrx"], ["check", "--vendor", "vsrx"]])
def test_a_vra_pair_for_the_vsrx_is_refused(ha_plan: str, command: list[str]) -> None:
    """It used to render as a stand-alone vSRX bound to reth1.0, silently (item 5)."""
    run = run_cli([*command, ha_plan])
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr == VRC952.format(file=ha_plan)


def test_a_vra_pair_checks_and_renders_for_its_own_vendor(ha_plan: str) -> None:
    assert run_cli(["check", ha_plan]).exit_code == 0
    assert run_cli(["check", "--vendor", "vyatta", ha_plan]).exit_code == 0
    assert run_cli(["render", ha_plan]).exit_code == 0


def test_check_vendor_must_have_a_pack(ha_plan: str) -> None:
    run = run_cli(["check", "--vendor", "cisco", ha_plan])
    assert run.exit_code == 2
    assert (
        run.stderr
        == "vra-config: error: vendor cisco has no template pack yet; available: vsrx, vyatta\n"
    )


def _ipsec(**site: object) -> dict[str, object]:
    plan = yaml.safe_load((SAMPLES / "private-ipsec.yaml").read_text(encoding="utf-8"))
    plan["sites"]["dc-east"].update(site)
    return plan  # type: ignore[no-any-return]


def test_check_vendor_finds_what_render_vendor_refuses() -> None:
    """A Vyatta-declared plan that the vSRX cannot take: `check --vendor vsrx` says so, with
    the rule and place `render --vendor vsrx` gives (item 1)."""
    plan = _ipsec()
    plan["connections"]["vpn-dc-east"]["ike"] = {"encryption": "aes256gcm", "integrity": "sha256"}
    text = yaml.safe_dump(plan, sort_keys=False)
    checked = check_text(text, "p.yaml")  # both ends declare vyatta: fine for them
    with pytest.raises(PlanError) as rendered:
        render_checked(checked, vendor="vsrx")
    with pytest.raises(PlanError) as gated:
        check_text(text, "p.yaml", vendor="vsrx")
    assert [f.format() for f in gated.value.findings] == [
        f.format() for f in rendered.value.findings
    ]
    assert [f.rule for f in gated.value.findings] == ["VRC704"]


def test_vsrx_settings_on_a_vyatta_site_are_a_warning() -> None:
    """`lan_interface` on a Vyatta site was silently ignored (item 6)."""
    text = yaml.safe_dump(_ipsec(lan_interface="dp0p192p1"), sort_keys=False)
    warnings = [f.format() for f in check_text(text, "p.yaml").warnings]
    assert warnings == [
        "p.yaml:28:20: VRC711 sites.dc-east.lan_interface: warning: `lan_interface` is read "
        "only when the site is rendered for the vSRX; dc-east is a vyatta, whose "
        "configuration ignores it: remove it (or set vendor: vsrx)"
    ]


def test_a_route_through_the_bcr_is_not_a_replacement() -> None:
    """IBM's own 10.0.0.0/8 route via the BCR, written in the plan, is allowed (VRC130 is
    about another next hop)."""
    plan = yaml.safe_load((SAMPLES / "powervs-gre-bgp.yaml").read_text(encoding="utf-8"))
    router = plan["routers"]["vra-dal12"]
    router["routes"].append({"prefix": "10.0.0.0/8", "next_hop": router["private"]["gateway"]})
    assert check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml").warnings == ()


def test_ipsec_mtu_that_fits_passes() -> None:
    """The largest VTI MTU the message offers is accepted: the count is exact, not rounded."""
    plan = _ipsec()
    plan["connections"]["vpn-dc-east"]["mtu"] = 1406
    plan["connections"]["vpn-dc-east"]["esp"] = {"encryption": "aes256", "integrity": "sha512"}
    check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml")
    plan["connections"]["vpn-dc-east"]["mtu"] = 1407
    with pytest.raises(PlanError) as exc:
        check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml")
    assert [f.rule for f in exc.value.findings] == ["VRC920"]


def test_a_lan_route_over_a_gre_endpoint_with_its_host_route_is_fine() -> None:
    """A Direct Link site's GRE end gets a host route to the far endpoint, which a shorter
    LAN route (10.0.0.0/8 here) does not override; a host route of the plan's own through
    the LAN does (VRC131)."""
    plan = yaml.safe_load((SAMPLES / "direct-link-dc.yaml").read_text(encoding="utf-8"))
    routes = plan["sites"]["dc-west"]["routes"]
    routes.append({"prefix": "10.0.0.0/8", "next_hop": "10.59.255.2"})
    check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml")
    routes.append({"prefix": "10.72.14.10/32", "next_hop": "10.59.255.2"})
    with pytest.raises(PlanError) as exc:
        check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml")
    assert [f.format() for f in exc.value.findings] == [
        "p.yaml:27:15: VRC131 sites.dc-west.routes[2].prefix: the route to 10.72.14.10/32 via "
        "10.59.255.2 covers 10.72.14.10, the far end of gre-dc-west, so dc-west sends the "
        "tunnel's own packets into the LAN and the tunnel never comes up; remove it: "
        "vra-config renders the host route to 10.72.14.10 via 172.31.255.1"
    ]


def test_a_cluster_node_management_address_is_not_a_next_hop() -> None:
    """fxp0 is the node's own address: a route through it loops back into the cluster."""
    plan = yaml.safe_load((SAMPLES / "vsrx-cluster-gre.yaml").read_text(encoding="utf-8"))
    plan["routers"]["vsrx-dal"]["routes"][0]["next_hop"] = "10.186.30.40"
    with pytest.raises(PlanError) as exc:
        check_text(yaml.safe_dump(plan, sort_keys=False), "p.yaml")
    assert [f.format() for f in exc.value.findings if f.is_error] == [
        "p.yaml:17:17: VRC132 routers.vsrx-dal.routes[0].next_hop: next hop 10.186.30.40 is "
        "vsrx-dal's own address; a route through itself never resolves: use the LAN router "
        "that reaches 10.40.0.0/16"
    ]
