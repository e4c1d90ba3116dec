"""Issue 20, items 8-11 and 13-16: no input ever gets a traceback, a corrupted lock or a
half-done run. Each test is a case that was tried and went wrong before."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, run_cli

from vra_config.plan import source as source_module
from vra_config.plan.findings import PlanError
from vra_config.plan.source import read_source
from vra_config.planner.lock import parse_lock

sys.path.insert(0, str(ROOT / "benchmarks"))
import gen_plan

LOCK_LINE = (
    '"cc-dal12": {"router": "vra-dal12", "via": "cloud-connection", "peer": "dal12-prod", '
    '"subnet": "172.16.3.0/29", "tunnel": 0}'
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The single-router GRE sample and its lock, in a directory of their own."""
    shutil.copy(SAMPLES / "powervs-gre-bgp.yaml", tmp_path / "plan.yaml")
    shutil.copy(SAMPLES / "powervs-gre-bgp.lock.yaml", tmp_path / "plan.lock.yaml")
    return tmp_path / "plan.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# --- item 8: `via` of the wrong type, `tcp_mss: off` ---------------------------------------


@pytest.mark.parametrize(("via", "shown"), [("[gre]", "a list"), ("{kind: gre}", "a mapping")])
def test_via_of_the_wrong_type_is_a_located_error(plan: Path, via: str, shown: str) -> None:
    _edit(plan, "via: cloud-connection ", f"via: {via} ")
    run = run_cli(["check", str(plan)])
    assert (run.exit_code, run.stderr) == (
        1,
        f"{plan}:44:5: VRC030 connections.cc-dal12.via: {shown} is not a kind of connection; "
        "write one of cloud-connection, transit-gateway, gre, ipsec, megaport\n"
        "1 error, 0 warnings: nothing was written\n",
    )


def test_tcp_mss_off_as_the_readme_writes_it_is_off(plan: Path) -> None:
    _edit(plan, "via: cloud-connection ", "via: cloud-connection\n    tcp_mss: off\n   ")
    run = run_cli(["check", "--locked", str(plan)])
    assert run.exit_code == 0, run.stderr
    rendered = run_cli(["render", "--locked", str(plan)])
    assert rendered.exit_code == 0, rendered.stderr
    assert "adjust-mss" not in rendered.stdout  # off: no clamp at all


def test_tcp_mss_true_is_still_refused(plan: Path) -> None:
    _edit(plan, "via: cloud-connection ", "via: cloud-connection\n    tcp_mss: on\n   ")
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert "VRC029 connections.cc-dal12.tcp_mss: true is not a TCP MSS" in run.stderr


def test_the_schema_allows_tcp_mss_off_read_as_yaml_1_1_false() -> None:
    run = run_cli(["schema"])
    schema = json.loads(run.stdout)
    text = json.dumps(schema)
    assert '{"enum": ["auto", "off", false]}' in text


# --- item 9: the lock file ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1e999", "Infinity"),
        ("Infinity", "Infinity"),
        ("NaN", "NaN"),
        ("-1", "-1"),
        ("999999999999", "999999999999"),
        ("1.0", "1.0"),
        ("true", "true"),
        ('"3"', '"3"'),
    ],
)
def test_a_lock_tunnel_number_out_of_the_vendors_range_is_refused(
    plan: Path, value: str, shown: str
) -> None:
    lock = plan.with_name("plan.lock.yaml")
    _edit(lock, '"tunnel": 0', f'"tunnel": {value}')
    run = run_cli(["check", "--locked", str(plan)])
    assert (run.exit_code, run.stderr) == (
        1,
        f"{lock}:6:1: VRC507 the lock file is damaged (entry cc-dal12: tunnel {shown} is not "
        "a tunnel number; one is a whole number from 0 to 9999); restore it from git, or "
        "delete it to allocate afresh (addresses may then change)\n"
        "1 error, 0 warnings: nothing was written\n",
    )


def test_a_lock_number_of_5000_digits_is_damaged_not_a_value_error(plan: Path) -> None:
    lock = plan.with_name("plan.lock.yaml")
    _edit(lock, '"tunnel": 0', '"tunnel": ' + "9" * 5000)
    run = run_cli(["check", "--locked", str(plan)])
    assert (run.exit_code, run.stderr) == (
        1,
        f"{lock}: VRC507 the lock file is damaged (the number 999999999999... is 5000 digits "
        "long; no lock holds one); restore it from git, or delete it to allocate afresh "
        "(addresses may then change)\n1 error, 0 warnings: nothing was written\n",
    )


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ('"router": "vra-dal12"', '"router": "vra\\ud800"', "entry cc-dal12: router holds"),
        ('"cc-dal12":', '"cc\\u001b[2K":', "entry cc\\x1b[2K: the name holds"),
    ],
)
def test_a_lock_string_that_cannot_be_printed_is_damaged(
    plan: Path, old: str, new: str, why: str
) -> None:
    lock = plan.with_name("plan.lock.yaml")
    _edit(lock, old, new)
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert run.stderr.startswith(
        f"{lock}:6:1: VRC507 the lock file is damaged ({why} a control character or a lone "
        "surrogate); restore it from git"
    ), run.stderr


@pytest.mark.parametrize("version", ["true", "1.0", '"1"'])
def test_a_lock_version_that_only_compares_equal_to_1_is_refused(plan: Path, version: str) -> None:
    lock = plan.with_name("plan.lock.yaml")
    _edit(lock, '{"version": 1,', f'{{"version": {version},')
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert "VRC507 the lock file is damaged (expected a mapping with version: 1)" in run.stderr


def test_a_lock_nested_3000_deep_is_damaged_not_a_recursion_error(plan: Path) -> None:
    lock = plan.with_name("plan.lock.yaml")
    lock.write_text("[" * 3000 + "]" * 3000)
    run = run_cli(["check", "--locked", str(plan)])
    assert (run.exit_code, run.stderr) == (
        1,
        f"{lock}: VRC507 the lock file is damaged (nested too deeply; a lock is three levels "
        "deep); restore it from git, or delete it to allocate afresh (addresses may then "
        "change)\n1 error, 0 warnings: nothing was written\n",
    )


def test_an_alias_bomb_in_a_block_yaml_lock_stops(plan: Path) -> None:
    lock = plan.with_name("plan.lock.yaml")
    rows = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    lock.write_text("\n".join(rows) + "\n")
    run = run_cli(["check", "--locked", str(plan)])
    assert run.exit_code == 1
    assert run.stderr.startswith(
        f"{lock}:7:45: VRC507 the lock file is damaged (aliases add more than 1,000,000 values "
        "to this file; refusing it (a YAML alias bomb?))"
    )


def test_a_connection_twice_in_the_lock_is_refused(plan: Path) -> None:
    lock = plan.with_name("plan.lock.yaml")
    _edit(lock, LOCK_LINE, LOCK_LINE + ",\n" + LOCK_LINE.replace('"tunnel": 0', '"tunnel": 5'))
    run = run_cli(["check", "--locked", str(plan)])
    assert (run.exit_code, run.stderr) == (
        1,
        f'{lock}:7:1: VRC507 the lock file is damaged ("cc-dal12" appears twice; keep one of '
        "them); restore it from git, or delete it to allocate afresh (addresses may then "
        "change)\n1 error, 0 warnings: nothing was written\n",
    )


def test_a_connection_twice_in_a_block_yaml_lock_is_refused() -> None:
    text = (
        "version: 1\nconnections:\n"
        "  c1: {router: r, via: gre, tunnel: 1}\n"
        "  c1: {router: r, via: gre, tunnel: 2}\n"
    )
    with pytest.raises(PlanError) as caught:
        parse_lock(text, "x.lock.yaml")
    assert caught.value.findings[0].format() == (
        "x.lock.yaml:4:3: VRC507 the lock file is damaged (duplicate key `c1` (first at line "
        "3); YAML would keep only the last one: merge the two or rename one); restore it from "
        "git, or delete it to allocate afresh (addresses may then change)"
    )


def test_a_good_block_yaml_lock_still_reads() -> None:
    lock = parse_lock(
        "version: 1\nconnections:\n  c1:\n    router: r\n    via: gre\n    tunnel: 7\n",
        "x.lock.yaml",
    )
    assert lock.connections["c1"].tunnel == 7
    assert lock.where("c1") == "line 3 of x.lock.yaml"


def test_a_lock_that_is_a_symlink_is_not_replaced(plan: Path) -> None:
    lock = plan.with_name("plan.lock.yaml")
    kept = plan.with_name("kept.lock.yaml")
    lock.rename(kept)
    lock.symlink_to(kept.name)
    before = kept.read_bytes()
    _edit(
        plan,
        "via: cloud-connection ",
        "via: cloud-connection\n  cc-two:\n    router: "
        "vra-dal12\n    powervs: dal12-prod\n    via: cloud-connection ",
    )
    run = run_cli(["plan", str(plan)])
    assert run.exit_code == 1
    assert run.stderr == (
        f"{lock}: cannot write the lock file: it is a symbolic link; vra-config does not "
        "replace or write through links: make it a regular file (copy the target over the "
        "link); nothing changed\n"
    )
    assert lock.is_symlink() and kept.read_bytes() == before


def test_an_unchanged_lock_behind_a_symlink_is_fine(tmp_path: Path) -> None:
    plan = tmp_path / "powervs-gre-bgp.yaml"  # the lock's header names the plan
    shutil.copy(SAMPLES / plan.name, plan)
    lock = plan.with_name("powervs-gre-bgp.lock.yaml")
    kept = plan.with_name("kept.lock.yaml")
    shutil.copy(SAMPLES / lock.name, kept)
    lock.symlink_to(kept.name)
    run = run_cli(["plan", str(plan)])
    assert run.exit_code == 0, run.stderr
    assert lock.is_symlink()


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_lock_that_is_not_a_regular_file_is_refused(plan: Path, special: str) -> None:
    lock = plan.with_name("plan.lock.yaml")
    lock.unlink()
    if special == "fifo":
        os.mkfifo(lock)
    else:
        lock.symlink_to(special)
    run = run_cli(["check", str(plan)])
    assert (run.exit_code, run.stderr) == (
        1,
        f"{lock}: VRC507 cannot read the lock file: not a regular file (a device, FIFO or "
        "socket)\n1 error, 0 warnings: nothing was written\n",
    )


# --- item 10: --running ---------------------------------------------------------------------


def test_running_with_a_5000_digit_unit_number_is_read(plan: Path) -> None:
    running = plan.with_name("running.set")
    running.write_text(f"set interfaces tunnel tun{'9' * 5000} address 10.9.9.1/30\n")
    run = run_cli(["check", "--running", str(running), str(plan)])
    assert run.exit_code == 0, run.stderr


def test_running_with_a_unicode_digit_is_read(plan: Path) -> None:
    running = plan.with_name("running.set")
    running.write_text("set interfaces tunnel tun\u00b2 address 10.9.9.1/30\n")
    run = run_cli(["check", "--running", str(running), str(plan)])
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_running_that_is_not_a_regular_file_is_refused(
    plan: Path, special: str, tmp_path: Path
) -> None:
    path = special
    if special == "fifo":
        path = str(tmp_path / "fifo")
        os.mkfifo(path)
    for command in (["check"], ["diff"]):
        run = run_cli([*command, "--running", path, str(plan)])
        assert (run.exit_code, run.stderr) == (
            2,
            f"vra-config: error: --running {path}: cannot read it (not a regular file (a "
            "device, FIFO or socket))\n",
        )


def test_a_running_file_over_the_limit_is_refused(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vra_config.writer

    monkeypatch.setattr(vra_config.writer, "RUNNING_BYTES_MAX", 1024 * 1024)
    running = plan.with_name("running.set")
    running.write_text("set system host-name x\n" * 50_000)
    run = run_cli(["check", "--running", str(running), str(plan)])
    assert (run.exit_code, run.stderr) == (
        2,
        f"vra-config: error: --running {running}: cannot read it (larger than 1 MiB)\n",
    )


def test_a_plan_that_is_a_device_is_a_usage_error(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.symlink_to("/dev/zero")
    run = run_cli(["check", str(plan)])
    assert (run.exit_code, run.stderr) == (
        2,
        f"vra-config: error: {plan}: not a regular file; give the plan file\n",
    )


def test_a_key_file_that_is_a_device_is_refused(tmp_path: Path) -> None:
    for name in ("private-ipsec.yaml", "private-ipsec.lock.yaml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    plan = tmp_path / "private-ipsec.yaml"
    _edit(plan, "psk: {env: VRA_PSK_DC_EAST}", "psk: {file: /dev/zero}")
    os.environ["VRA_PSK_BRANCH_01"] = "abcdefghijklmnopqrstuvwxyz0123456789"
    try:
        run = run_cli(["render", "--show-secrets", str(plan)])
    finally:
        del os.environ["VRA_PSK_BRANCH_01"]
    assert run.exit_code == 1
    assert (
        "VRC606 connections.vpn-dc-east.psk: cannot read the key file /dev/zero: not a regular "
        "file (a device, FIFO or socket)"
    ) in run.stderr


# --- item 11: control characters in what the user typed -------------------------------------


@pytest.mark.parametrize("name", ["a\nb.yaml", "a\x1b[2Kb.yaml", "a\u202eb.yaml"])
def test_a_plan_file_name_with_a_control_character_is_a_usage_error(
    tmp_path: Path, name: str
) -> None:
    plan = tmp_path / name
    shutil.copy(SAMPLES / "powervs-gre-bgp.yaml", plan)
    for command in (["plan"], ["render"], ["render", "--out", str(tmp_path / "out")]):
        run = run_cli([*command, str(plan)])
        shown = str(plan).encode("unicode_escape").decode("ascii")
        assert (run.exit_code, run.stderr) == (
            2,
            f"vra-config: error: {shown}: the file name holds a control character; rename the "
            "file (letters, digits, - _ . and spaces are safe)\n",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no lock, no output


def test_the_lock_header_never_holds_a_raw_line_break() -> None:
    from vra_config.planner.lock import Lock

    text = Lock().to_yaml("a\nset system x.yaml")
    assert "\nset system" not in text
    assert "allocated for a\\nset system x.yaml." in text


# --- item 13: nothing lost, nothing half-done -----------------------------------------------


def test_sigterm_during_render_out_leaves_no_temporary_file(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = (
        "import os, signal, sys\n"
        "real = os.fsync\n"
        "def fsync(fd):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(fd)\n"
        "os.fsync = fsync\n"
        f"sys.argv = ['vra-config', 'render', '--locked', '--out', {str(out)!r}, {str(plan)!r}]\n"
        "from vra_config.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_a_temporary_file_left_by_a_killed_run_does_not_fail_render_check(
    plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "--locked", "--out", str(out), str(plan)]).exit_code == 0
    rendered = out / "vra-dal12.vyatta.set"
    (out / ".vra-dal12.vyatta.set.k2j4x.tmp").write_text(rendered.read_text())  # SIGKILL's
    run = run_cli(["render", "--check", "--out", str(out), str(plan)])
    assert (run.exit_code, run.stderr) == (0, "")


def test_a_failed_lock_write_after_router_files_names_them(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vra_config.planner.lock as lock_module

    plan.with_name("plan.lock.yaml").unlink()  # a first run: the lock is to be written

    def disk_full(path: Path, lock: object, plan_name: str) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lock_module, "write_lock", disk_full)
    out = tmp_path / "out"
    run = run_cli(["render", "--out", str(out), str(plan)])
    assert run.exit_code == 1
    written = out / "vra-dal12.vyatta.set"
    assert run.stderr == (
        f"{written}: written\n"
        f"{plan.with_name('plan.lock.yaml')}: cannot write the lock file: No space left on "
        "device; the lock is unchanged, but these files were already written with its new "
        f"allocations: {written}; fix the cause and run again so that the lock matches them\n"
    )


def test_a_device_that_fails_to_render_leaves_nothing_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vra_config.targets.routers.render as render_module
    from vra_config.targets.environment import RenderBug

    for name in ("vra-ha-tgw-redundant.yaml", "vra-ha-tgw-redundant.lock.yaml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    real = render_module.iter_rendered

    def second_fails(*args: object, **kwargs: object) -> Iterator[tuple[str, str]]:
        stream = real(*args, **kwargs)  # type: ignore[arg-type]
        yield next(stream)
        raise RenderBug("the second device failed")

    monkeypatch.setattr(render_module, "iter_rendered", second_fails)
    run = run_cli(["render", str(tmp_path / "vra-ha-tgw-redundant.yaml")])
    assert run.exit_code == 1
    assert run.stdout == ""
    assert "nothing was written" in run.stderr


def test_show_secrets_over_an_identical_0644_file_leaves_it_0600(tmp_path: Path) -> None:
    for name in ("private-ipsec.yaml", "private-ipsec.lock.yaml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    plan = tmp_path / "private-ipsec.yaml"
    out = tmp_path / "out"
    keys = {
        "VRA_PSK_DC_EAST": "abcdefghijklmnopqrstuvwxyz0123456789",
        "VRA_PSK_BRANCH_01": "0123456789abcdefghijklmnopqrstuvwxyz",
    }
    os.environ.update(keys)
    try:
        first = run_cli(["render", "--show-secrets", "--out", str(out), str(plan)])
        assert first.exit_code == 0, first.stderr
        files = sorted(out.iterdir())
        for path in files:
            path.chmod(0o644)
        again = run_cli(["render", "--show-secrets", "--out", str(out), str(plan)])
    finally:
        for key in keys:
            del os.environ[key]
    assert again.exit_code == 0, again.stderr
    assert files and all(p.stat().st_mode & 0o777 == 0o600 for p in files)
    assert f"{files[0]}: mode 0644 narrowed to 0600" in again.stderr


# --- item 14: diff --base is a revision, never an option ------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("base", ["--output=PATH", "-p", "HEAD --output=PATH", "nosuchrev"])
def test_diff_base_that_is_not_a_commit_is_a_usage_error(
    plan: Path, tmp_path: Path, base: str
) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "plan")
    target = tmp_path / "written"
    base = base.replace("PATH", str(target))
    run = run_cli(["diff", f"--base={base}", str(plan)])
    assert run.exit_code == 2
    assert run.stderr.startswith(f"vra-config: error: --base {base}: ")
    assert not any(p.name.startswith("written") for p in tmp_path.iterdir())


def test_diff_base_head_still_works(plan: Path, tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "plan")
    run = run_cli(["diff", "--base=HEAD", str(plan)])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("no change to any router or to IBM's side between")


# --- item 15: escaping, key material, duplicate and hostile acknowledgements ----------------


def test_escape_sequences_in_a_plan_cannot_fake_an_ok_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SAMPLES / "powervs-gre-bgp.yaml", plan)
    _edit(
        plan,
        "via: cloud-connection ",
        'via: cloud-connection\n    "\\r\\e[2Kplan.yaml: ok: 1 router\\n": 1\n   ',
    )
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert "\x1b" not in run.stderr and "\r" not in run.stderr
    first = run.stderr.splitlines()[0]
    assert first.startswith(f"{plan}:45:5: VRC020 connections.cc-dal12.")
    assert "`\\r\\x1b[2Kplan.yaml: ok: 1 router\\n`" in first


def test_a_numeric_pre_shared_key_is_never_echoed(tmp_path: Path) -> None:
    for name in ("private-ipsec.yaml", "private-ipsec.lock.yaml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    plan = tmp_path / "private-ipsec.yaml"
    _edit(plan, "psk: {env: VRA_PSK_DC_EAST}", "psk: 73914025581137")
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert "73914025581137" not in run.stderr
    assert (
        "VRC029 connections.vpn-dc-east.psk: a key is given as {env: VARIABLE} or {file: PATH} "
        "(a literal key works but is a warning); got a number"
    ) in run.stderr


def test_duplicate_accept_entries_are_refused(tmp_path: Path) -> None:
    plan = tmp_path / "after.yaml"
    text = (ROOT / "tests" / "accept" / "after.yaml").read_text()
    assert "accept:" in text
    head, _, _ = text.partition("accept:")
    plan.write_text(
        head
        + "accept:\n"
        + "  - id: VRC101\n    at: powervs.ws1.subnets[1]\n    reason: carried inside GRE only\n"
        + "  - id: VRC101\n    at: powervs.ws1.subnets[1]\n    reason: another story\n"
    )
    run = run_cli(["check", str(plan)])
    assert run.exit_code == 1
    assert (
        f"{plan}:23:5: VRC040 accept[1]: acknowledges VRC101 at powervs.ws1.subnets[1] again "
        "(first at accept[0]); keep one entry with one reason"
    ) in run.stderr


def test_an_accept_reason_is_escaped_in_the_markdown_comment() -> None:
    from vra_config.review import _md

    assert _md("see [x](https://e.invalid) <img src=x> | *y*") == (
        "see \\[x\\]\\(https://e.invalid\\) \\<img src=x\\> \\| \\*y\\*"
    )
    assert _md("carried only inside the GRE tunnel to vra1, never advertised to IBM") == (
        "carried only inside the GRE tunnel to vra1, never advertised to IBM"
    )


# --- item 16: a large plan is not an alias bomb ---------------------------------------------


def test_a_plan_of_more_values_than_the_alias_bound_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only what aliases add counts towards the bound: a plan of more plain values than the
    bound is read whole. Run at a bound of 1,000: the rule is the same at any bound, and a
    million plain values cost 30-47 s of the suite's CPU to parse while proving nothing more
    (how long a large plan takes is for benchmarks/, not a test); the real bound is held by
    the alias bomb of the next test."""
    monkeypatch.setattr(source_module, "MAX_ALIAS_VALUES", 1_000)
    values = 1_010  # more than the bound, none of them aliased
    text = "version: 1\nbig: [" + ", ".join(["1"] * values) + "]\n"
    source = read_source(text, "big.yaml")
    assert isinstance(source.data, dict) and len(source.data["big"]) == values
    # ... and the lowered bound is the one in force: 11 aliases of 101 values are refused
    bomb = "version: 1\na: &a [" + ", ".join(["x"] * 100) + "]\n"
    bomb += "".join(f"b{i}: *a\n" for i in range(11))
    with pytest.raises(PlanError) as caught:
        read_source(bomb, "bomb.yaml")
    assert caught.value.findings[0].rule == "VRC011"


def test_aliases_are_counted_by_what_they_add() -> None:
    rows = ["version: 1", "a0: &a0 [" + ", ".join(["x"] * 1000) + "]"]
    rows += [f"b{i}: *a0" for i in range(1100)]  # 1,100 aliases of 1,001 values each
    with pytest.raises(PlanError) as caught:
        read_source("\n".join(rows) + "\n", "p.yaml")
    assert caught.value.findings[0].format() == (
        "p.yaml:1002:7: VRC011 aliases add more than 1,000,000 values to this file; refusing "
        "it (a YAML alias bomb?)"
    )


def test_gen_plan_makes_plans_past_32k_connections() -> None:
    plan = gen_plan.generate(40_000)
    connections = plan["connections"]
    assert isinstance(connections, dict)
    assert sum(1 for name in connections if name.startswith("gre-")) == 40_000
    powervs = plan["powervs"]
    assert isinstance(powervs, dict)
    subnets = [s for ws in powervs.values() for s in ws["subnets"]]
    assert len(subnets) == len(set(subnets))


def test_gen_plan_keeps_the_benchmark_shape_up_to_10000() -> None:
    plan = gen_plan.generate(16)
    powervs = plan["powervs"]
    assert isinstance(powervs, dict)
    assert powervs["ws-00000"]["subnets"][0].endswith("/26")


def test_gen_plan_says_its_limit() -> None:
    with pytest.raises(SystemExit):
        gen_plan.main([str(gen_plan.MAX_CONNECTIONS + 1)])


def test_diff_base_outside_a_repository_says_so(plan: Path) -> None:
    run = run_cli(["diff", "--base=HEAD", str(plan)])
    assert (run.exit_code, run.stderr) == (
        2,
        f"vra-config: error: --base HEAD: {plan.parent} is not in a git repository\n",
    )


def test_a_running_file_name_cannot_add_a_line_to_diff_running_output(
    plan: Path, tmp_path: Path
) -> None:
    running = tmp_path / "r\nset system login user evil.set"
    running.write_text("set interfaces dataplane dp0p192p1 address 10.148.252.83/26\n")
    run = run_cli(["diff", "--vendor", "vyatta", "--running", str(running), str(plan)])
    assert run.exit_code == 0, run.stderr
    assert "\nset system login user evil.set" not in run.stdout
    assert (
        run.stdout.startswith("# vra-config: vra-dal12: ")
        and "commands from r\\nset system login user evil.set to the plan" in run.stdout
    )
