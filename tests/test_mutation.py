"""Mutated samples: no traceback, exit 0, 1 or 2, and a green `check` means render works.

Every sample is mutated the ways a hand-edited plan goes wrong (a value of another type, a
key dropped or written twice, values swapped between fields, control characters typed into
a string) and run through the CLI in-process. Whatever the input:

- no exception escapes (a traceback for the user) and the exit code is 0, 1 or 2;
- when `check` passes, `render` (each device's own vendor) and `render --target` for every
  IBM-side target pass too;
- for each vendor pack, when `check --vendor V` passes, `render --vendor V` passes too.

Deterministic (`derandomize=True`), so CI runs the same cases every time.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_cli, sample_plans
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vra_config.targets.ibm import TARGETS
from vra_config.targets.routers import PACKS

SAMPLES = {p.name: p for p in sample_plans()}
PLANS = {name: yaml.safe_load(p.read_text(encoding="utf-8")) for name, p in SAMPLES.items()}
ODD = [
    0,
    -1,
    65536,
    4294967296,
    1.5,
    True,
    None,
    "",
    "x",
    "0.0.0.0/0",
    "10.0.0.1",
    "255.255.255.255",
    [],
    {},
    ["a"],
    {"k": 1},
    "a\x1bb",
    "a\nb",
    "a\x00b",
]
CONTROL = ["\x00", "\x07", "\x1b[2K", "\r", "\n", "\t", "\x7f", "\u202e"]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the plan: mapping keys and list indexes."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        tree = tree[part]
    return tree


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    return _parent(tree, path)[path[-1]]


@st.composite
def mutated(draw: st.DrawFn, name: str) -> str:
    """The sample NAME's plan, mutated, as text."""
    plan = copy.deepcopy(PLANS[name])
    duplicate: tuple[Any, ...] | None = None
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):  # mostly one edit: more pass check
        paths = _paths(plan)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["type", "drop", "swap", "control", "duplicate"]))
        parent = _parent(plan, path)
        if op == "type":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD)))
        elif op == "drop":
            del parent[path[-1]]
        elif op == "swap":
            other = draw(st.sampled_from(paths))
            if other[: len(path)] == path or path[: len(other)] == other:
                continue  # one inside the other
            a, b = _get(plan, path), _get(plan, other)
            parent[path[-1]], _parent(plan, other)[other[-1]] = b, a
        elif op == "control":
            value = parent[path[-1]]
            text = value if isinstance(value, str) else str(value)
            at = draw(st.integers(0, len(text)))
            parent[path[-1]] = text[:at] + draw(st.sampled_from(CONTROL)) + text[at:]
        elif isinstance(parent, dict):
            duplicate = path
    text = yaml.safe_dump(plan, sort_keys=False, allow_unicode=True, width=10_000)
    if duplicate is not None:
        text = _duplicate_key(text, duplicate)
    return text


def _duplicate_key(text: str, path: tuple[Any, ...]) -> str:
    """Write the top-level key of `path` twice (YAML keeps only the last: VRC013)."""
    key = str(path[0])
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            end = i + 1
            while end < len(lines) and lines[end].startswith((" ", "-")):
                end += 1
            return "".join(lines[:end] + lines[i:end] + lines[end:])
    return text


def _run(args: list[str]) -> int:
    run = run_cli(args)  # raises on any exception but SystemExit
    assert run.exit_code in (0, 1, 2), (args, run.exit_code, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    return run.exit_code


#: Mutations per sample: 90 x 9 samples = 810, as many as the 800 drawn across all samples
#: when the sample was drawn too (each got its share by chance); one test per sample lets
#: parallel workers share them, where one 800-case test was the suite's longest.
MUTATIONS_PER_SAMPLE = 90


@pytest.mark.parametrize("name", sorted(PLANS))
@settings(
    max_examples=MUTATIONS_PER_SAMPLE,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_samples_never_crash_and_check_gates_render(name: str, data: st.DataObject) -> None:
    text = data.draw(mutated(name), label="mutated plan")
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / name
        plan.write_text(text, encoding="utf-8")
        lock = SAMPLES[name].with_name(SAMPLES[name].stem + ".lock.yaml")
        if lock.exists():
            (Path(tmp) / lock.name).write_text(lock.read_text(encoding="utf-8"), "utf-8")
        if _run(["check", str(plan)]) != 0:
            event("check refused the plan")
            return
        event("check passed: render, targets and each pack's check --vendor run")
        routers = (yaml.safe_load(text) or {}).get("routers") or {}
        # a router without `vendor:` renders only with --vendor (exit 2 without): below
        vendored = all(isinstance(r, dict) and r.get("vendor") for r in routers.values())
        if vendored and _run(["render", str(plan)]) != 0:
            raise AssertionError(f"check passed, render failed:\n{text}")
        for target in sorted(TARGETS):
            assert _run(["render", "--target", target, str(plan)]) == 0, (target, text)
        for vendor in sorted(PACKS):
            if _run(["check", "--vendor", vendor, str(plan)]) == 0:
                assert _run(["render", "--vendor", vendor, str(plan)]) == 0, (vendor, text)
