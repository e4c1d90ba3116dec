"""From a running router to the plan: set what is missing, delete only what the plan owns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, run_cli, sample_plans

from vra_config import existing
from vra_config.delta import delta
from vra_config.pipeline import check_text, render_checked

#: IBM's default standalone vSRX configuration (ibm-cloud-docs/vsrx defaults/vsrx_sa_default.conf,
#: as ../shared/reference/ holds it), copied here so the tests need no file outside the repo.
IBM_VSRX = Path(__file__).resolve().parent / "review" / "ibm-vsrx-default-standalone.conf"


def braces(text: str, vendor: str) -> str:
    """The same configuration in brace form (every word but the last as a block)."""
    out = []
    end = ";" if vendor == "vsrx" else ""
    for s in existing.parse(text):
        words = [w if " " not in w and w else f'"{w}"' for w in s.words]
        out.append(" { ".join(words[:-1]) + " { " + words[-1] + end + " " + "} " * (len(words) - 1))
    return "\n".join(out) + "\n"


def rendered(plan: Path, vendor: str) -> dict[str, str]:
    text = plan.read_text()
    lock = plan.with_name(plan.stem + ".lock.yaml")
    from vra_config.lock import parse_lock

    checked = check_text(
        text, str(plan), parse_lock(lock.read_text(), str(lock)) if lock.exists() else None
    )
    return {name.split(".")[0]: t for name, t in render_checked(checked, vendor).items()}


CASES = [(p, v) for p in sample_plans() for v in ("vyatta", "vsrx")]


@pytest.mark.parametrize(("plan", "vendor"), CASES, ids=[f"{p.stem}-{v}" for p, v in CASES])
def test_a_router_running_the_plan_needs_nothing(plan: Path, vendor: str) -> None:
    names = yaml.safe_load(plan.read_text()).get("connections", {})
    for device, text in rendered(plan, vendor).items():
        assert delta(text, text, vendor, names) == [], device
        assert delta(braces(text, vendor), text, vendor, names) == [], device


def test_brace_and_set_forms_of_ibms_vsrx_read_alike() -> None:
    source = IBM_VSRX
    brace = existing.parse(source.read_text())
    flat = existing.parse(source.with_suffix(".set").read_text())
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


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.stem)
def test_ibms_default_vsrx_gets_additions_only(plan: Path) -> None:
    source = IBM_VSRX
    names = yaml.safe_load(plan.read_text()).get("connections", {})
    for device, text in rendered(plan, "vsrx").items():
        lines = delta(source.read_text(), text, "vsrx", names)
        assert not [x for x in lines if x.startswith("delete")], device
        assert len(lines) == len(existing.parse(text)) - _already_there(text, source)


def _already_there(text: str, running: Path) -> int:
    have = {s.words for s in existing.parse(running.read_text())}
    return sum(1 for s in existing.parse(text) if s.words in have)


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
    assert lines[0] == "# vra-config: vra-dal12: 54 commands from running.conf to the plan"
    assert not [x for x in lines if x.startswith("delete")]
    several = run_cli(
        ["diff", "--running", str(running), str(SAMPLES / "proxy-multi-location.yaml")]
    )
    assert (several.exit_code, several.stderr) == (
        2,
        "vra-config: error: the plan renders 2 routers: say which one, --running ROUTER=FILE\n",
    )
