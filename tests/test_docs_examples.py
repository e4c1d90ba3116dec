"""Every console example in README.md and docs/ is what the program prints.

A `console` block is a transcript: `$ vra-config ...` lines are run (in a copy of the
samples, so nothing in the repository is written), and the lines after each, up to the next
`$` line, must be its output (stdout, then stderr). A line `...` stands for any number of
lines. `$` lines that are not vra-config (`. .venv/bin/activate`, `sudo vra-config lab`)
are not run and must show no output. The quick start's shell commands are checked too: the
first one installs and runs a sample, and the docs never call `vra-config` before saying how
to put it on PATH.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def transcripts() -> list[tuple[str, str, list[str]]]:
    """(where, command, expected lines) for every `$ vra-config` line of every doc."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            line_no = text[: block.start()].count("\n") + 2
            lines = block.group(1).splitlines()
            i = 0
            while i < len(lines):
                if not lines[i].startswith("$ "):
                    i += 1
                    continue
                command, expected = lines[i][2:], []
                j = i + 1
                while j < len(lines) and not lines[j].startswith("$ "):
                    expected.append(lines[j])
                    j += 1
                where = f"{doc.relative_to(ROOT)}:{line_no + i}"
                out.append((where, command, expected))
                i = j
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """`expected` equals `actual`, where a `...` line matches any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


EXAMPLES = transcripts()


def test_the_docs_have_console_examples() -> None:
    assert len([e for e in EXAMPLES if e[1].startswith("vra-config ")]) >= 6


@pytest.mark.parametrize(("where", "command", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_console_example(
    where: str,
    command: str,
    expected: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not command.startswith("vra-config "):
        assert expected == [], f"{where}: `{command}` is not run, so it must show no output"
        return
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copytree(ROOT / "tests" / "verify", tmp_path / "tests" / "verify")
    monkeypatch.chdir(tmp_path)
    run = run_cli(shlex.split(command)[1:])
    actual = (run.stdout + run.stderr).splitlines()
    assert matches(expected, actual), f"{where}: `{command}` printed:\n" + "\n".join(actual)


def test_quick_start_installs_runs_then_puts_vra_config_on_path() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    install = blocks[0].strip()
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert ".venv/bin/vra-config render" in install
    suite = (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )
    assert suite in quick
    # ... and CI runs the tests with exactly the README's pytest command (workers and all)
    readme_pytest = [c.strip().split(" && ")[-1] for c in blocks if suite in c]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_pytest = [line.split(" && ")[-1] for line in ci.splitlines() if " -m pytest" in line]
    assert readme_pytest == ci_pytest == [".venv/bin/python -m pytest -n 4 --maxschedchunk 1"]
    # every later example calls `vra-config` by name: the quick start activates it first
    first_bare = readme.index("$ vra-config ")
    assert readme.index("$ . .venv/bin/activate") < first_bare
