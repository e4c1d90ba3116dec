"""Work `check` did once and `render` reuses changes nothing it prints.

Issue 22 keeps the vendor guards' template data (`Checked.contexts`) for the render, and
reads each BGP session's loops from its paths in order (`intent.router._crossing`). These
tests hold both to the old behaviour: the same text with and without the kept data, the
kept data really taken, and the new loop reading equal to the old lookup per prefix; and
the garbage collector, paused while a plan is checked, to being on again afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from ipaddress import IPv4Network
from pathlib import Path

import pytest
from conftest import vra_pair_for_vsrx
from hypothesis import given
from hypothesis import strategies as st

from vra_config import pipeline
from vra_config.intent.router import _crossing
from vra_config.targets.routers import PACKS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
WITH_LOCK = sorted(p for p in SAMPLES.glob("*.yaml") if p.with_suffix(".lock.yaml").exists())
PLANS = [p for p in WITH_LOCK if not p.name.endswith(".lock.yaml")]


#: Every sample with every pack that renders it (a VRA pair is refused for the vSRX, VRC952).
RENDERED = [(p, v) for p in PLANS for v in sorted(PACKS) if not vra_pair_for_vsrx(p, v)]


@pytest.mark.parametrize(("plan", "vendor"), RENDERED, ids=lambda x: getattr(x, "stem", x))
def test_render_with_the_guards_data_prints_what_a_fresh_render_prints(
    plan: Path, vendor: str
) -> None:
    checked = pipeline.check_file(plan, vendor=vendor, keep_contexts=True)
    assert checked.contexts, "the guards ran on a sound plan and kept their data"
    fresh = replace(checked, contexts=None)
    assert pipeline.render_checked(checked, vendor) == pipeline.render_checked(fresh, vendor)


def test_render_takes_the_guards_data_instead_of_building_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked = pipeline.check_file(
        SAMPLES / "powervs-gre-bgp.yaml", vendor="vyatta", keep_contexts=True
    )
    assert pipeline.check_file(SAMPLES / "powervs-gre-bgp.yaml").contexts is None  # opt-in
    calls: list[str] = []
    real = PACKS["vyatta"].context

    def counted(intent: object, secrets: Mapping[str, str]) -> object:
        calls.append(getattr(intent, "name", "?"))
        return real(intent, secrets)  # type: ignore[arg-type]

    monkeypatch.setattr(PACKS["vyatta"], "context", counted)
    pipeline.render_checked(checked, "vyatta")
    assert calls == []
    pipeline.render_checked(checked, "vyatta", show_secrets=True)  # data with keys: built
    assert calls


_NETS = [IPv4Network(f"10.{i}.0.0/16") for i in range(12)]
_ASNS = st.frozensets(st.integers(64512, 64520), max_size=4)


@given(
    st.lists(st.sampled_from(_NETS), unique=True, max_size=10),
    st.dictionaries(st.sampled_from(_NETS), _ASNS, max_size=10),
    st.sets(st.integers(64512, 64520), max_size=3),
    st.booleans(),
)
def test_crossing_is_the_old_lookup_per_prefix(
    advertise: list[IPv4Network],
    extra: dict[IPv4Network, frozenset[int]],
    asns: set[int],
    keyed_by_advertise: bool,
) -> None:
    """Old: `tuple(p for p in advertise if asns & paths.get(p, frozenset()))`, for paths
    keyed by `advertise` in its order (what `link_routes` gives) and for any other keys."""
    in_order = {p: extra.get(p, frozenset()) for p in advertise}
    paths = in_order if keyed_by_advertise else extra
    old = tuple(p for p in advertise if asns & paths.get(p, frozenset()))
    assert _crossing(tuple(advertise), paths, asns) == old


def test_the_collector_is_back_on_after_a_check_and_after_a_refused_one(tmp_path: Path) -> None:
    import gc

    from vra_config.plan.findings import PlanError

    assert gc.isenabled()
    pipeline.check_file(SAMPLES / "powervs-gre-bgp.yaml")
    assert gc.isenabled()
    broken = tmp_path / "broken.yaml"
    broken.write_text("routers: {r1: {asn: 70000000000}}\n")
    with pytest.raises(PlanError):
        pipeline.check_file(broken)
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        pipeline.check_file(SAMPLES / "powervs-gre-bgp.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()
