"""FRR's zebra, staticd and bgpd in one lab namespace, and vtysh queries to them.

Each node gets its own directory for configuration, pid files, logs, the zebra API socket
(`-z`) and the vty sockets (`--vty_socket`), so the lab never reads or writes /etc/frr or
/var/run/frr and never talks to the host's FRR service (FRR user guide, "Common Invocation
Options": https://docs.frrouting.org/en/stable-8.4/basic.html#common-invocation-options).
The daemons run in the foreground, children of this process, so teardown knows their pids.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vra_config.lab.netns import LabError, spawn

#: Where distributions put FRR's daemons: Debian and Ubuntu use /usr/lib/frr.
DAEMON_DIRS = (Path("/usr/lib/frr"), Path("/usr/libexec/frr"), Path("/usr/sbin"))
DAEMONS = ("zebra", "staticd", "bgpd")
START_WAIT = 10.0  # seconds for zebra's API socket to appear
STOP_WAIT = 3.0
QUERY_WAIT = 10.0


@dataclass(frozen=True)
class Frr:
    """An FRR installation: the directory holding the daemons, and vtysh."""

    daemons: Path
    vtysh: Path


def find_frr() -> Frr | None:
    vtysh = shutil.which("vtysh")
    for folder in DAEMON_DIRS:
        if all((folder / d).is_file() for d in DAEMONS) and vtysh:
            return Frr(folder, Path(vtysh))
    return None


def node_dir(root: Path, node: str, config: str) -> Path:
    """The node's directory, with its frr.conf, writable by the user FRR drops to."""
    folder = root / node
    folder.mkdir(mode=0o755)
    (folder / "frr.conf").write_text(config, encoding="utf-8")
    try:
        user = pwd.getpwnam("frr")
        os.chown(folder, user.pw_uid, user.pw_gid)
    except KeyError:
        folder.chmod(0o777)  # an FRR built without its own user runs as root anyway
    return folder


def start(frr: Frr, namespace: str, folder: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    """zebra first (the others connect to its API socket), then staticd and bgpd.

    Each process joins `processes` the moment it exists, so an interrupted start still
    leaves teardown every pid."""
    api = folder / "zserv.api"
    for daemon in DAEMONS:
        command = [
            str(frr.daemons / daemon),
            "-f", str(folder / "frr.conf"),
            "-i", str(folder / f"{daemon}.pid"),
            "-z", str(api),
            "--vty_socket", str(folder),
            "--log", f"file:{folder / f'{daemon}.log'}",
        ]  # fmt: skip
        spawn(namespace, command, folder / f"{daemon}.out", processes)
        if daemon == "zebra":
            _wait_for(api, processes[-1], folder)
    _static_routes(frr, folder)


def _static_routes(frr: Frr, folder: Path) -> None:
    """Give staticd its routes through vtysh: FRR 8.4's staticd refuses `ip route` in a file
    given with -f ("No such command"), and vtysh hands each line to the daemon that owns it."""
    routes = [
        line.strip()
        for line in (folder / "frr.conf").read_text().splitlines()
        if line.startswith("ip route ")
    ]
    if not routes:
        return
    deadline = time.monotonic() + START_WAIT
    while not (folder / "staticd.vty").exists():
        if time.monotonic() > deadline:
            raise LabError(f"staticd made no vty socket in {START_WAIT:.0f} s")
        time.sleep(0.05)
    command = [str(frr.vtysh), "--vty_socket", str(folder), "-c", "configure terminal"]
    for route in routes:
        command += ["-c", route]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=QUERY_WAIT
        )
    except subprocess.TimeoutExpired:
        raise LabError("vtysh did not answer while the static routes were set") from None
    if done.returncode != 0:
        raise LabError(f"staticd refused the static routes: {done.stdout.strip()}")


def _wait_for(path: Path, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_WAIT
    while not path.exists():
        if process.poll() is not None:
            said = (folder / "zebra.out").read_text(errors="replace").strip()
            raise LabError(f"zebra stopped at start ({said or 'no output'})")
        if time.monotonic() > deadline:
            raise LabError(f"zebra made no API socket in {START_WAIT:.0f} s")
        time.sleep(0.05)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM, a bounded wait, then SIGKILL for any that did not stop."""
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    for p in processes:
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def query(frr: Frr, folder: Path, command: str) -> Any:
    """One `show ... json` command's answer; {} when FRR has nothing to say."""
    try:
        done = subprocess.run(
            [str(frr.vtysh), "--vty_socket", str(folder), "-c", command],
            capture_output=True,
            text=True,
            check=False,
            timeout=QUERY_WAIT,
        )
    except subprocess.TimeoutExpired:
        return {}  # a daemon too busy to answer counts as one with nothing to say
    try:
        return json.loads(done.stdout) if done.stdout.strip() else {}
    except json.JSONDecodeError:
        return {}


def query_many(frr: Frr, folder: Path, commands: list[str]) -> list[Any]:
    """Several `show ... json` commands in one vtysh process (each vtysh start connects to
    every daemon, which is most of its cost); their answers in order. If they cannot be
    told apart (a command that printed nothing, or not JSON), each is asked on its own."""
    try:
        done = subprocess.run(
            [
                str(frr.vtysh),
                "--vty_socket",
                str(folder),
                *[a for c in commands for a in ("-c", c)],
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=QUERY_WAIT,
        )
    except subprocess.TimeoutExpired:
        return [{} for _ in commands]
    answers = split_answers(done.stdout)
    if len(answers) == len(commands):
        return answers
    return [query(frr, folder, c) for c in commands]


def split_answers(text: str) -> list[Any]:
    """The JSON documents vtysh printed one after another, in order (up to the first that
    does not parse)."""
    decoder = json.JSONDecoder()
    answers: list[Any] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return answers
        try:
            answer, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return answers
        answers.append(answer)
