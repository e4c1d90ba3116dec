"""One failure vocabulary: every exception vra-config raises to callers shares one base.

A library caller catches `vra_config.VraConfigError` for "vra-config refused", or one
precise class; these tests read the source, so an exception class added later (by anyone)
outside the vocabulary fails here, not in a caller's `except`.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from typer._click.exceptions import ClickException

import vra_config
from vra_config.errors import VraConfigError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vra_config"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exception_classes() -> list[tuple[Path, type[BaseException]]]:
    """Every exception class defined at the top of a module of ours, with its file."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if not names:
            continue
        module = importlib.import_module(_module(path))
        for name in names:
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                found.append((path, cls))
    return found


EXCEPTIONS = _exception_classes()
PUBLIC = [(p, c) for p, c in EXCEPTIONS if not c.__name__.startswith("_")]
PRIVATE = [(p, c) for p, c in EXCEPTIONS if c.__name__.startswith("_")]


def test_the_package_defines_the_exceptions_the_vocabulary_names() -> None:
    assert {c.__name__ for _, c in PUBLIC} == {
        "VraConfigError",
        "PlanError",
        "UsageError",
        "OutputError",
        "TargetError",
        "VendorError",
        "RenderBug",
        "CannotRun",
        "Overlap",
        "LabError",
        "CaptureError",
        "NotRegular",
        "LockIsLink",
    }


@pytest.mark.parametrize(("path", "cls"), PUBLIC, ids=lambda v: getattr(v, "__name__", ""))
def test_every_public_exception_derives_from_the_base_and_is_exported(
    path: Path, cls: type[BaseException]
) -> None:
    where = f"{path.relative_to(ROOT)}: {cls.__name__}"
    assert issubclass(cls, VraConfigError), f"{where} does not derive from VraConfigError"
    assert cls.__name__ in vra_config.__all__, f"{where} is not in vra_config.__all__"
    assert getattr(vra_config, cls.__name__) is cls, where


@pytest.mark.parametrize(("path", "cls"), PRIVATE, ids=lambda v: getattr(v, "__name__", ""))
def test_a_private_exception_never_reaches_a_caller(path: Path, cls: type[BaseException]) -> None:
    """A private one is caught in its own module, or is click's to print (the CLI's usage)."""
    if issubclass(cls, ClickException):
        return
    caught = {
        ast.unparse(h.type)
        for h in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(h, ast.ExceptHandler) and h.type is not None
    }
    assert cls.__name__ in caught, f"{path.relative_to(ROOT)}: {cls.__name__} is never caught"


@pytest.mark.parametrize(
    ("name", "also"),
    [
        ("NotRegular", OSError),
        ("LockIsLink", OSError),
        ("CaptureError", ValueError),
        ("RenderBug", RuntimeError),
        ("LabError", RuntimeError),
        ("VendorError", vra_config.TargetError),
        ("Overlap", vra_config.CannotRun),
    ],
)
def test_a_precise_exception_keeps_the_class_callers_already_catch(
    name: str, also: type[BaseException]
) -> None:
    """As CPython's `AddressValueError` stays a `ValueError`: no `except` changes meaning."""
    assert issubclass(getattr(vra_config, name), also)


def test_an_os_error_keeps_its_fields_under_the_base() -> None:
    err = vra_config.LockIsLink(Path("/tmp/plan.lock"))
    assert isinstance(err, VraConfigError) and isinstance(err, OSError)
    assert err.filename == "/tmp/plan.lock" and err.errno == 0


def test_all_lists_each_lazy_name_once_and_nothing_it_cannot_give() -> None:
    assert len(vra_config.__all__) == len(set(vra_config.__all__))
    for name in vra_config.__all__:
        assert getattr(vra_config, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = vra_config.Nope  # type: ignore[attr-defined]


def test_the_base_imports_nothing_of_ours() -> None:
    """Every stage imports it, so it must sit below all of them (tests/test_layout.py)."""
    tree = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert [m for m in imported if m.startswith("vra_config")] == []


def test_importing_the_package_loads_no_stage() -> None:
    """The exported exceptions load lazily, so `vra-config --help` stays quick."""
    code = "import sys, vra_config; print(sorted(m for m in sys.modules if 'vra_config' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['vra_config']"


def test_docs_errors_md_says_what_each_exception_means() -> None:
    docs = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = {
        line.split("`")[1]
        for line in docs.splitlines()
        if line.startswith("| `") and line.split("`")[1] in vra_config.__all__
    }
    assert rows == {c.__name__ for _, c in PUBLIC}
