"""Issue 11, items 4-8: each test here failed before its fix.

4. an allocation equal to its pool is no overlap;
5. a locked allocation outside every pool is a warning naming the lock line and the pools;
6. review output (keys redacted) cannot be pasted and committed;
7. a broken --templates override is reported like a plan error, without a traceback;
8. key files that are empty or not UTF-8 say so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from test_planner import base_plan, cc, planned, tgw

from vra_config.planner.lock import parse_lock

# --- 4. an allocation equal to its pool ----------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "link"),
    [("172.16.0.0/29", cc()), ("172.16.0.0/30", tgw())],
    ids=["cloud-connection-/29", "transit-gateway-/30"],
)
def test_a_pool_exactly_the_size_of_its_one_allocation_is_no_overlap(
    pool: str, link: dict[str, Any]
) -> None:
    data = base_plan(a=link)
    data["pools"] = {"tunnels": [pool]}
    ap = planned(data)
    assert [f.format() for f in ap.findings] == []
    assert str(ap.connections["a"].subnet) == pool


# --- 5. a locked allocation outside every pool ----------------------------------------------


def _write(tmp: Path, data: dict[str, Any]) -> Path:
    plan = tmp / "plan.yaml"
    plan.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return plan


def test_a_locked_subnet_outside_every_pool_is_a_warning_naming_the_lock_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = base_plan(a=cc(), b=cc(powervs="ws2"))
    _write(tmp_path, data)
    assert run_cli(["plan", "plan.yaml"]).exit_code == 0
    data["pools"] = {"tunnels": ["172.16.8.0/24"]}  # the pool moved; the lock did not
    _write(tmp_path, data)
    run = run_cli(["check", "--locked", "plan.yaml"])
    assert run.exit_code == 0
    # the base plan's 10.20.0.0/16 has no route: a warning of its own (VRC901), first in file order
    assert run.stderr.splitlines()[0].startswith("plan.yaml:11:5: VRC901 routers.vra1.advertise[0]")
    assert run.stderr.split("\n", 1)[1] == (
        "plan.yaml:45:3: VRC506 connections.a: warning: locked subnet 172.16.0.0/29 (line 6 of "
        "plan.lock.yaml) is outside every pool of the plan (pools.tunnels: 172.16.8.0/24); "
        "it is kept, so the link does not move: if that is on purpose, acknowledge it with "
        "`accept`, otherwise restore the lock from git or pin the subnet\n"
        "plan.yaml:50:3: VRC506 connections.b: warning: locked subnet 172.16.0.8/29 (line 7 of "
        "plan.lock.yaml) is outside every pool of the plan (pools.tunnels: 172.16.8.0/24); "
        "it is kept, so the link does not move: if that is on purpose, acknowledge it with "
        "`accept`, otherwise restore the lock from git or pin the subnet\n"
    )
    assert run.stdout.startswith("plan.yaml: ok: 2 routers, 2 connections, 3 warnings")


def test_the_lock_knows_the_line_of_each_entry() -> None:
    first = planned(base_plan(a=cc(), b=cc(powervs="ws2")))
    lock = parse_lock(first.lock.to_yaml("plan.yaml"), "plan.lock.yaml")
    assert (lock.file, dict(lock.lines)) == ("plan.lock.yaml", {"a": 6, "b": 7})


# --- 8. key files that are empty or not UTF-8 ------------------------------------------------


def _key_errors(tmp: Path, content: bytes | None, environ: dict[str, str]) -> list[str]:
    from test_scenarios import ipsec_plan, render_text

    from vra_config.plan.findings import PlanError

    psk: dict[str, str] = {"env": "VRA_PSK_DC_EAST"}
    if content is not None:
        (tmp / "key.txt").write_bytes(content)
        psk = {"file": "key.txt"}
    with pytest.raises(PlanError) as info:
        render_text(
            ipsec_plan(psk=psk),
            show_secrets=True,
            environ={"VRA_PSK_BRANCH_01": "x" * 20, **environ},
        )
    return [f.format() for f in info.value.errors]


@pytest.mark.parametrize(
    ("content", "environ", "message"),
    [
        (b"", {}, "the key file key.txt is empty; put the pre-shared key in it"),
        (b"\n", {}, "the key file key.txt is empty; put the pre-shared key in it"),
        (
            b"\xff\xfek\x00e\x00y\x00",
            {},
            "the key file key.txt is not UTF-8 text (byte 0xff at offset 0); save the key as "
            "UTF-8 text",
        ),
        (
            None,
            {"VRA_PSK_DC_EAST": ""},
            "environment variable VRA_PSK_DC_EAST is empty; export the pre-shared key in it",
        ),
    ],
    ids=["empty", "only-a-newline", "utf-16", "empty-variable"],
)
def test_a_key_that_is_empty_or_not_text_says_so(
    content: bytes | None,
    environ: dict[str, str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _key_errors(tmp_path, content, environ) == [
        f"plan.yaml:15:5: VRC606 connections.vpn-dc-east.psk: {message}"
    ]


# --- 7. a broken --templates override ---------------------------------------------------------

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "powervs-gre-bgp.yaml"


@pytest.mark.parametrize(
    ("static", "message"),
    [
        (
            '{% include "../../etc/passwd" %}\n',
            "tpl/static.j2:1:1: VRC801 the template override failed: template "
            "'../../etc/passwd' not found (templates include only files of --templates or "
            "of the pack); fix it, or remove static.j2 from --templates to use the pack's",
        ),
        (
            '{% include "missing.j2" %}\n',
            "tpl/static.j2:1:1: VRC801 the template override failed: template 'missing.j2' not "
            "found (templates include only files of --templates or of the pack); fix it, or "
            "remove static.j2 from --templates to use the pack's",
        ),
        (
            "{# ok #}\n{% if %}\n",
            "tpl/static.j2:2:1: VRC801 the template override failed: syntax error: Expected an "
            "expression, got 'end of statement block'; fix it, or remove static.j2 from "
            "--templates to use the pack's",
        ),
        (
            "{# ok #}\n\n{{ 1/0 }}\n",
            "tpl/static.j2:3:1: VRC801 the template override failed: ZeroDivisionError: "
            "division by zero; fix it, or remove static.j2 from --templates to use the pack's",
        ),
        (
            "{{ no_such_name }}\n",
            "tpl/static.j2:1:1: VRC801 the template override failed: 'no_such_name' is "
            "undefined; fix it, or remove static.j2 from --templates to use the pack's",
        ),
    ],
    ids=["traversal", "missing-include", "syntax", "raises", "undefined"],
)
def test_a_broken_template_override_is_a_located_error_not_a_traceback(
    static: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, tmp_path / "plan.yaml")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "static.j2").write_text(static, encoding="utf-8")
    run = run_cli(["render", "--vendor", "vyatta", "--templates", "tpl", "plan.yaml"])
    assert (run.exit_code, run.stdout) == (1, "")
    assert "Traceback" not in run.stderr
    assert run.stderr == f"{message}\n1 error, 0 warnings: nothing was written\n"


# --- 6. review output cannot be pasted with placeholder keys ---------------------------------

IPSEC = SAMPLE.parent / "private-ipsec.yaml"


@pytest.mark.parametrize(
    ("vendor", "key_leaf"),
    [("vyatta", " authentication pre-shared-secret "), ("vsrx", " pre-shared-key ascii-text ")],
)
def test_review_output_withholds_keys_so_it_cannot_commit(vendor: str, key_leaf: str) -> None:
    """The review copy prints no key line, only a comment where it would be: both vendors
    refuse to commit a peer without a key (DANOS `authentication mode` commit check: "No
    'pre-shared-secret' specified for peer"; Junos IKE policy `junos:must`: "IKE policy must
    have either local certificate or pre-shared key configured"), so a pasted review copy
    fails at commit instead of bringing up a tunnel keyed with a string published in the
    repository, and every line it prints is valid."""
    from vra_config.pipeline import check_file, render_checked

    files = render_checked(check_file(IPSEC), vendor)
    lines = [line for text in files.values() for line in text.splitlines()]
    assert not [line for line in lines if key_leaf in line]
    withheld = [line for line in lines if "is withheld (--show-secrets)" in line]
    assert withheld == [
        "# REVIEW COPY: the pre-shared key of vpn-dc-east is withheld (--show-secrets)",
        "# REVIEW COPY: the pre-shared key of vpn-branch-01 is withheld (--show-secrets)",
        "# REVIEW COPY: the pre-shared key of vpn-dc-east is withheld (--show-secrets)",
    ]
    assert not any("REDACTED" in line for line in lines)
    for text in files.values():
        assert "# REVIEW COPY: pre-shared keys are withheld on purpose" in text
