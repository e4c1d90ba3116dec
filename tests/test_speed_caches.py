"""The caches that make vra-config start fast change nothing it prints.

Speed itself is measured in `benchmarks/`, never here; these tests hold the caches to being
invisible: a compiled template kept between runs is used only while its template is
unchanged, and a cache that cannot be read or written means compiling, not failing.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from vra_config.targets.environment import _BytecodeCache


def _render(templates: Path, cache: jinja2.BytecodeCache) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=cache)
    return env.get_template("t.j2").render(name="gre-1")


def test_a_changed_template_is_compiled_again_not_served_from_the_cache(tmp_path: Path) -> None:
    templates, cache_dir = tmp_path / "t", tmp_path / "cache"
    templates.mkdir()
    cache_dir.mkdir()
    (templates / "t.j2").write_text("set interfaces tunnel {{ name }}\n")
    assert _render(templates, _BytecodeCache(str(cache_dir))) == "set interfaces tunnel gre-1"
    assert list(cache_dir.iterdir())  # compiled once, kept
    (templates / "t.j2").write_text("set protocols bgp {{ name }}\n")
    assert _render(templates, _BytecodeCache(str(cache_dir))) == "set protocols bgp gre-1"


def test_a_broken_cache_entry_means_compiling_again(tmp_path: Path) -> None:
    templates, cache_dir = tmp_path / "t", tmp_path / "cache"
    templates.mkdir()
    cache_dir.mkdir()
    (templates / "t.j2").write_text("set interfaces tunnel {{ name }}\n")
    _render(templates, _BytecodeCache(str(cache_dir)))
    for entry in cache_dir.iterdir():  # cut short, as a full disk or a crash would leave it
        entry.write_bytes(entry.read_bytes()[:40])
    assert _render(templates, _BytecodeCache(str(cache_dir))) == "set interfaces tunnel gre-1"


def test_a_cache_folder_that_cannot_be_written_means_compiling_each_time(tmp_path: Path) -> None:
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "t.j2").write_text("set interfaces tunnel {{ name }}\n")
    missing = tmp_path / "not-there"  # as a read-only install: nothing can be written
    assert _render(templates, _BytecodeCache(str(missing))) == "set interfaces tunnel gre-1"
    assert not missing.exists()
