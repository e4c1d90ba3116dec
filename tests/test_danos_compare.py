"""Issue 18 item 6: the pasted Vyatta text routes as the lab does.

Every sample's routers are rendered with `--vendor vyatta`, translated by DANOS's own
translator (`../shared/tools/danos-frr`, the code a DANOS router runs to write its frr.conf)
and compared with the FRR the lab runs for that router: no routing difference is allowed.
Skipped only where ../shared is missing (CI has it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLES
from vendor_compare import DANOS_FRR, Compared, compare, compare_once, rendered

needs_danos_frr = pytest.mark.skipif(
    not DANOS_FRR.exists(), reason=f"{DANOS_FRR} is missing (CI has ../shared)"
)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Compared]:
    return compare_once(DANOS_FRR, "vyatta", tmp_path_factory)


@needs_danos_frr
def test_every_vyatta_router_routes_as_the_lab_runs_it(results: list[Compared]) -> None:
    assert len(results) >= 12  # every sample's routers, both members of the VRA pair
    differing = [r for r in results if r.exit_code != 0]
    assert not differing, "\n\n".join(
        f"{r.sample} {r.file.name} (lab device {r.device}):\n{r.output}" for r in differing
    )
    assert all("Routing: equivalent" in r.output for r in results)


@needs_danos_frr
def test_both_members_of_a_vra_pair_are_compared(results: list[Compared]) -> None:
    """`render --out` writes one file per VRRP member; each is checked against the lab."""
    members = sorted(r.file.name for r in results if r.sample == "vra-ha-tgw-redundant")
    assert members == ["vra-ha-a.vyatta.set", "vra-ha-b.vyatta.set"]


@needs_danos_frr
def test_without_danos_nht_defaults_the_comparison_fails(tmp_path: Path) -> None:
    """The comparison is not blind: the lab's FRR as it was before (no `nht
    resolve-via-default`) differs from what DANOS writes in exactly those two lines."""
    plan = SAMPLES / "powervs-gre-bgp.yaml"
    (file,) = rendered(plan, "vyatta", tmp_path / "out")
    lab = GOLDEN / "powervs-gre-bgp.frr.conf"
    old = tmp_path / "old.frr.conf"
    old.write_text(
        "".join(
            line
            for line in lab.read_text(encoding="utf-8").splitlines(keepends=True)
            if "nht resolve-via-default" not in line
        ),
        encoding="utf-8",
    )
    code, said = compare(DANOS_FRR, file, old, "vra-dal12")
    assert code == 1, said
    assert "Routing differences (2):" in said
    assert "zebra  ip nht resolve-via-default    on                 off" in said
    assert "zebra  ipv6 nht resolve-via-default  on                 off" in said
