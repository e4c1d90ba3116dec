"""From a running router to the plan: set what is missing, delete only what the plan owns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, run_cli, sample_plans, vra_pair_for_vsrx

from vra_config.pipeline import check_file, check_text, render_checked
from vra_config.running.config import parse
from vra_config.running.delta import delta

#: IBM's default standalone vSRX configuration (ibm-cloud-docs/vsrx defaults/vsrx_sa_default.conf,
#: as ../shared/reference/ holds it), copied here so the tests need no file outside the repo.
IBM_VSRX = Path(__file__).resolve().parent / "review" / "ibm-vsrx-default-standalone.conf"


def braces(text: str, vendor: str) -> str:
    """The same configuration in brace form (every word but the last as a block)."""
    out = []
    end = ";" if vendor == "vsrx" else ""
    for s in parse(text):
        words = [w if " " not in w and w else f'"{w}"' for w in s.words]
        out.append(" { ".join(words[:-1]) + " { " + words[-1] + end + " " + "} " * (len(words) - 1))
    return "\n".join(out) + "\n"


def rendered(plan: Path, vendor: str) -> dict[str, str]:
    text = plan.read_text()
    lock = plan.with_name(plan.stem + ".lock.yaml")
    from vra_config.planner.lock import parse_lock

    checked = check_text(
        text, str(plan), parse_lock(lock.read_text(), str(lock)) if lock.exists() else None
    )
    return {name.split(".")[0]: t for name, t in render_checked(checked, vendor).items()}


CASES = [
    (p, v)
    for p in sample_plans()
    for v in ("vyatta", "vsrx")
    if not vra_pair_for_vsrx(p, v)  # refused (VRC952): tests/test_gate.py
]


@pytest.mark.parametrize(("plan", "vendor"), CASES, ids=[f"{p.stem}-{v}" for p, v in CASES])
def test_a_router_running_the_plan_needs_nothing(plan: Path, vendor: str) -> None:
    names = yaml.safe_load(plan.read_text()).get("connections", {})
    for device, text in rendered(plan, vendor).items():
        assert delta(text, text, vendor, names) == [], device
        assert delta(braces(text, vendor), text, vendor, names) == [], device


def test_brace_and_set_forms_of_ibms_vsrx_read_alike() -> None:
    source = IBM_VSRX
    brace = parse(source.read_text())
    flat = parse(source.with_suffix(".set").read_text())
    assert sorted(s.words for s in brace) == sorted(s.words for s in flat)
    assert len(brace) == 106
    assert (
        "interfaces",
        "lo0",
        "unit",
        "0",
        "family",
        "inet",
        "filter",
        "input",
        "PROTECT-IN",
    ) in {s.words for s in brace}


VSRX_PLANS = [p for p in sample_plans() if not vra_pair_for_vsrx(p, "vsrx")]


@pytest.mark.parametrize("plan", VSRX_PLANS, ids=lambda p: p.stem)
def test_ibms_default_vsrx_gets_additions_only(plan: Path) -> None:
    source = IBM_VSRX
    names = yaml.safe_load(plan.read_text()).get("connections", {})
    for device, text in rendered(plan, "vsrx").items():
        lines = delta(source.read_text(), text, "vsrx", names)
        assert not [x for x in lines if x.startswith("delete")], device
        assert len(lines) == len(parse(text)) - _already_there(text, source)


def _already_there(text: str, running: Path) -> int:
    have = {s.words for s in parse(running.read_text())}
    return sum(1 for s in parse(text) if s.words in have)


def test_removing_a_connection_deletes_its_objects_whole(tmp_path: Path) -> None:
    full = rendered(SAMPLES / "private-ipsec.yaml", "vyatta")["vra-dal12"]
    plan = yaml.safe_load((SAMPLES / "private-ipsec.yaml").read_text())
    del plan["connections"]["vpn-dc-east"]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan))
    shutil.copy(SAMPLES / "private-ipsec.lock.yaml", tmp_path / "plan.lock.yaml")
    less = rendered(path, "vyatta")["vra-dal12"]
    lines = delta(full, less, "vyatta", plan["connections"])
    deletes = [x for x in lines if x.startswith("delete")]
    for obj in (
        "delete interfaces vti vti0",
        "delete security vpn ipsec ike-group IKE-vpn-dc-east",
        "delete security vpn ipsec esp-group ESP-vpn-dc-east",
        "delete security vpn ipsec site-to-site peer 198.51.100.10",
        "delete security firewall name FW-vpn-dc-east-IN",
        "delete policy route prefix-list PL-vpn-dc-east-IN",
        "delete policy route route-map RM-vpn-dc-east-OUT",
        "delete protocols bgp 64880 neighbor 169.254.100.2",
    ):
        assert deletes.count(obj) == 1, obj
    # one delete per removed object, never a leaf of it
    assert not [x for x in deletes if "vpn-dc-east" in x and x.count(" ") > 6]
    # the remaining links lose only the dc-east networks they used to carry
    assert not [x for x in deletes if "tun0" in x or "cc-dal12 " in x or "RM-cc-dal12" in x]


def test_what_is_not_the_plans_is_never_deleted() -> None:
    text = rendered(SAMPLES / "powervs-gre-bgp.yaml", "vyatta")["vra-dal12"]
    running = text + (
        "set protocols static route 10.99.0.0/16 next-hop 10.148.252.65\n"
        "set protocols static route 10.99.0.0/16 description 'backup: via the BCR'\n"
        "set interfaces tunnel tun9 description 'GRE old-dc to somewhere'\n"
        "set interfaces tunnel tun9 encapsulation gre\n"
        "set policy route prefix-list PL-old-IN rule 10 action permit\n"
    )
    assert delta(running, text, "vyatta", ["cc-dal12"]) == []


def test_a_removed_connection_is_recognised_by_two_marks() -> None:
    text = rendered(SAMPLES / "powervs-gre-bgp.yaml", "vyatta")["vra-dal12"]
    running = text + (
        "set interfaces tunnel tun9 description 'GRE old-dc to dc9'\n"
        "set interfaces tunnel tun9 encapsulation gre\n"
        "set policy route prefix-list PL-old-dc-IN rule 10 action permit\n"
    )
    assert delta(running, text, "vyatta", ["cc-dal12"]) == [
        "delete interfaces tunnel tun9",
        "delete policy route prefix-list PL-old-dc-IN",
    ]


def test_diff_command_against_a_running_file(tmp_path: Path) -> None:
    running = tmp_path / "running.conf"
    running.write_text(IBM_VSRX.read_text())
    run = run_cli(
        [
            "diff",
            "--vendor",
            "vsrx",
            "--running",
            str(running),
            str(SAMPLES / "powervs-gre-bgp.yaml"),
        ]
    )
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "# vra-config: vra-dal12: 56 commands from running.conf to the plan"
    assert not [x for x in lines if x.startswith("delete")]
    several = run_cli(
        ["diff", "--running", str(running), str(SAMPLES / "proxy-multi-location.yaml")]
    )
    # (the sample's acknowledged findings are shown first, on stderr too)
    assert several.exit_code == 2
    assert several.stderr.endswith(
        "vra-config: error: the plan renders 2 routers: say which one, --running ROUTER=FILE\n"
    )


# --- planning around what is on the router -----------------------------------------------

FOREIGN = (
    "set interfaces tunnel tun0 description 'to the old DC'\n"
    "set interfaces tunnel tun0 encapsulation gre\n"
    "set interfaces tunnel tun0 address 172.16.3.1/30\n"
    "set interfaces dataplane dp0bond0 address 10.148.252.83/26\n"
)


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Path, Path]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SAMPLES / "powervs-gre-bgp.yaml", plan)
    running = tmp_path / "running.set"
    running.write_text(FOREIGN)
    return plan, running


def test_planning_avoids_the_routers_own_tunnels_and_addresses(fresh: tuple[Path, Path]) -> None:
    plan, running = fresh
    run = run_cli(["plan", "--json", "--running", str(running), str(plan)])
    assert run.exit_code == 0, run.stderr
    row = yaml.safe_load(run.stdout)["connections"][0]
    assert (row["subnet"], row["tunnel"]) == ("172.16.3.8/29", 1)


def test_a_pin_onto_the_routers_own_tunnel_or_address_names_the_line(
    fresh: tuple[Path, Path],
) -> None:
    plan, running = fresh
    plan.write_text(
        plan.read_text().replace(
            "    via: cloud-connection            # IBM's /29 split; MTU 1476, MSS 1436",
            "    via: cloud-connection\n    gre: 172.16.3.0/29\n    tunnel: 0",
        )
    )
    run = run_cli(["check", "--running", f"vra-dal12={running}", str(plan)])
    assert run.exit_code == 1
    assert run.stderr == (
        f"{plan}:45:10: VRC201 connections.cc-dal12.gre: tunnel subnet 172.16.3.0/29 covers the "
        "router's subnet 172.16.3.0/30 at line 3 of running.set (the running configuration of "
        "vra-dal12); give each its own address space\n"
        f"{plan}:46:13: VRC505 connections.cc-dal12.tunnel: tunnel 0 on vra-dal12 is already "
        "taken by "
        "line 1 of running.set; pin another number\n"
        "2 errors, 0 warnings: nothing was written\n"
    )


def test_what_an_earlier_render_put_there_is_the_plans_own(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SAMPLES / "private-ipsec.yaml", plan)
    shutil.copy(SAMPLES / "private-ipsec.lock.yaml", tmp_path / "plan.lock.yaml")
    for vendor in ("vyatta", "vsrx"):
        running = tmp_path / f"running.{vendor}"
        running.write_text(
            run_cli(["render", "--vendor", vendor, "--router", "vra-dal12", str(plan)]).stdout
        )
        again = run_cli(["check", "--locked", "--running", f"vra-dal12={running}", str(plan)])
        assert again.exit_code == 0, again.stderr


def test_ibms_default_vsrx_blocks_nothing(tmp_path: Path) -> None:
    run = run_cli(
        ["check", "--locked", "--running", str(IBM_VSRX), str(SAMPLES / "powervs-gre-bgp.yaml")]
    )
    assert run.exit_code == 0, run.stderr


def test_running_for_an_unknown_router_is_a_usage_error(fresh: tuple[Path, Path]) -> None:
    plan, running = fresh
    run = run_cli(["check", "--running", f"nope={running}", str(plan)])
    assert (run.exit_code, run.stderr) == (
        2,
        "vra-config: error: --running nope=...: no such router or site in the plan\n",
    )


@pytest.mark.parametrize("vendor", ["vyatta", "vsrx"])
def test_a_withheld_key_is_neither_deleted_nor_printed(tmp_path: Path, vendor: str) -> None:
    """The review render withholds pre-shared keys: the router's own key must stay, and must
    not appear in the diff (it would, in a `delete` line)."""
    plan = SAMPLES / "private-ipsec.yaml"
    shown = render_checked(
        check_file(plan),
        vendor,
        "vra-dal12",
        show_secrets=True,
        environ={"VRA_PSK_DC_EAST": "abc-Key", "VRA_PSK_BRANCH_01": "def-Key"},
    )
    running = tmp_path / "running.set"
    running.write_text("".join(shown.values()))
    run = run_cli(["diff", "--vendor", vendor, "--running", f"vra-dal12={running}", str(plan)])
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "# vra-config: vra-dal12: 0 commands from running.set to the plan\n"
    assert "abc-Key" not in run.stdout and "def-Key" not in run.stdout
