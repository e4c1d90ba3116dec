"""Issue 24 item 3: the vSRX text routes as the lab runs it with `--vendor vsrx`.

Every sample's routers are rendered with `--vendor vsrx`, read by `../shared/tools/junos-frr`
(an independent, sourced reading of Junos semantics: its SEMANTICS.md) and compared by
behaviour with the FRR the lab runs for that router: no routing difference is allowed.
Skipped only where ../shared is missing (CI has it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLES
from vendor_compare import JUNOS_FRR, Compared, compare, compare_once, rendered

needs_junos_frr = pytest.mark.skipif(
    not JUNOS_FRR.exists(), reason=f"{JUNOS_FRR} is missing (CI has ../shared)"
)

#: The junos-frr warnings the samples raise, each read and accepted (see docs/lab.md):
#: U09: the origin and MED of an exported non-BGP route are not modelled (FRR `network`
#: sends origin IGP; Juniper's pages do not state the default). Neither side's policies
#: match on origin or MED, so no routing decision here depends on it.
ACCEPTED_WARNINGS = {"U09"}
WARNING = re.compile(r"warning: (?:UNCONFIRMED|approximation) \(([UM]\d+)")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Compared]:
    return compare_once(JUNOS_FRR, "vsrx", tmp_path_factory)


@needs_junos_frr
def test_every_vsrx_router_routes_as_the_lab_runs_it(results: list[Compared]) -> None:
    assert len(results) >= 10  # every router of every sample the vSRX pack renders
    differing = [r for r in results if r.exit_code != 0]
    assert not differing, "\n\n".join(
        f"{r.sample} {r.file.name} (lab device {r.device}):\n{r.output}" for r in differing
    )
    assert all("Routing: equivalent" in r.output for r in results)


@needs_junos_frr
def test_only_the_accepted_warnings_appear(results: list[Compared]) -> None:
    """A new UNCONFIRMED or approximation warning is read before it is accepted."""
    seen = {m for r in results for m in WARNING.findall(r.output)}
    assert seen == ACCEPTED_WARNINGS


@needs_junos_frr
def test_the_vyatta_model_does_not_route_as_the_vsrx_text(tmp_path: Path) -> None:
    """Why the lab needs a vSRX model: the vSRX text rewrites the path (`as-override`) where
    the Vyatta model re-originates (static route plus `network`), and junos-frr says so
    (the comparison is not blind)."""
    plan = SAMPLES / "proxy-multi-location.yaml"
    files = rendered(plan, "vsrx", tmp_path / "out")
    file = next(f for f in files if f.name == "gw-dal12.vsrx.set")
    code, said = compare(JUNOS_FRR, file, GOLDEN / "proxy-multi-location.frr.conf", "gw-dal12")
    assert code == 1, said
    # and DANOS's nht defaults, which the Junos text does not have
    assert "Routing differences (6):" in said
    assert "ip route          192.168.80.0/24 via 172.16.30.18" in said
    assert "neighbor 172.16.30.5 / as-override" in said
    assert "ip nht resolve-via-default" in said


@needs_junos_frr
def test_traffic_selector_routes_go_through_st0_in_both_readings(
    results: list[Compared],
) -> None:
    """Junos installs a route to each traffic selector's remote prefix via the VPN's st0 unit
    (Juniper, auto route insertion): the lab's vSRX model has the same route, not the
    Vyatta design's static route through the public gateway."""
    lab = (GOLDEN / "private-ipsec.vsrx.frr.conf").read_text(encoding="utf-8")
    assert "ip route 10.120.0.0/24 st0.1\n" in lab
    assert "ip route 10.120.0.0/24 169.55.223.73" not in lab
    (ipsec,) = [r for r in results if r.sample == "private-ipsec" and r.device == "vra-dal12"]
    assert ipsec.exit_code == 0, ipsec.output
