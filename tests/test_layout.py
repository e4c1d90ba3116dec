"""The package layout keeps the flow: no import circle, and no arrow against the stages.

Read from the source with `ast`, so lazy imports inside functions count too (a circle that
only closes at run time is still a circle). docs/architecture.md describes the rules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vra_config"

#: The stages in flow order: each may import only those before it.
STAGES = ("plan", "planner", "intent", "targets")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Each module of ours → the modules of ours it imports (anywhere in the file)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in modules:
                        graph[name].add(full)
                    elif node.module in modules:
                        graph[name].add(node.module)
            elif isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules}
    return graph


GRAPH = _graph()


def _reach(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_no_module_imports_itself_through_others() -> None:
    circles = sorted(m for m in GRAPH if m in _reach(m))
    assert circles == []


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_earlier_stages(stage: str) -> None:
    allowed = {*STAGES[: STAGES.index(stage) + 1], "writer", "errors", "vendors"}
    against = sorted(
        f"{m} -> {n}"
        for m in GRAPH
        if _stage(m) == stage
        for n in GRAPH[m]
        if _stage(n) not in allowed
    )
    assert against == []


def test_the_running_configuration_feeds_the_planner_plain_data() -> None:
    assert not any(
        _stage(n) == "running" for m in GRAPH if _stage(m) == "planner" for n in GRAPH[m]
    )
    assert {
        n
        for m in GRAPH
        if _stage(m) == "running"
        for n in GRAPH[m]
        if _stage(n) not in ("running", "vendors")
    } == {"vra_config.planner.records"}
    assert GRAPH["vra_config.running.config"] == set()


def test_the_vendor_modules_import_nothing_of_ours_but_each_other() -> None:
    """Data only, so every stage may read them (docs/architecture.md, "one home per vendor")."""
    vendor_modules = [m for m in GRAPH if _stage(m) == "vendors"]
    assert len(vendor_modules) >= 4  # the registry, the shape, descriptions and two vendors
    outside = sorted(
        f"{m} -> {n}" for m in vendor_modules for n in GRAPH[m] if _stage(n) != "vendors"
    )
    assert outside == []


def test_the_lock_does_not_import_the_output_writer() -> None:
    assert "vra_config.output" not in _reach("vra_config.planner.lock")


def test_the_test_map_names_every_test_module() -> None:
    """`tests/conftest.py` says what is covered where; a new test module joins that map."""
    tests = Path(__file__).resolve().parent
    text = (tests / "conftest.py").read_text(encoding="utf-8")
    unnamed = sorted(p.name for p in tests.glob("test_*.py") if f"`{p.name}`" not in text)
    assert unnamed == [], "add these to the map in tests/conftest.py's docstring"
