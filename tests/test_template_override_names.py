"""An override written for the packs' old dict contexts fails loudly, before anything is written.

The vSRX contexts became frozen records (issue 23), and Python reserves `from` and `import`,
so zones.j2 reads `p.from_zone`/`p.to_zone` and policy.j2/bgp.j2 `g.import_policy`; the
README says an override still using `p.from` fails with VRC801 naming the attribute.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES, run_cli


def test_an_override_with_the_old_names_is_refused_naming_the_attribute(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parent.parent / "templates" / "vsrx" / "zones.j2"
    old = shipped.read_text(encoding="utf-8").replace(
        "{{ p.from_zone }} to-zone {{ p.to_zone }}", "{{ p.from }} to-zone {{ p.to }}"
    )
    assert "p.from }}" in old, "zones.j2 no longer reads p.from_zone: update this test"
    (tmp_path / "zones.j2").write_text(old, encoding="utf-8")
    out = tmp_path / "out"
    plan = SAMPLES / "powervs-gre-bgp.yaml"
    result = run_cli(
        [
            "render",
            "--locked",
            "--vendor",
            "vsrx",
            "--templates",
            str(tmp_path),
            "--out",
            str(out),
            str(plan),
        ]
    )
    assert result.exit_code == 1
    assert "VRC801 the template override failed:" in result.stderr
    assert "has no attribute 'from'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()


def test_the_shipped_template_with_the_new_names_renders(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parent.parent / "templates" / "vsrx" / "zones.j2"
    (tmp_path / "zones.j2").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    plan = SAMPLES / "powervs-gre-bgp.yaml"
    plain = run_cli(["render", "--locked", "--vendor", "vsrx", str(plan)])
    result = run_cli(
        ["render", "--locked", "--vendor", "vsrx", "--templates", str(tmp_path), str(plan)]
    )
    assert result.exit_code == 0 == plain.exit_code
    assert result.stdout == plain.stdout
