"""A router's BGP links to one PowerVS workspace are ranked (issue 13 item 4): the first
is preferred both ways, the others are backups (lower local-preference on what they learn,
the router's AS prepended on what they send), rendered the same on Vyatta, vSRX and FRR; a
single link sets no preference. Split from tests/test_redundant.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES, dump, lines, render_locked, run_cli, sample

from vra_config.intent.router import router_intents
from vra_config.pipeline import check_file, check_text
from vra_config.plan.findings import PlanError
from vra_config.plan.model import Plan
from vra_config.planner.addresses import plan_addresses
from vra_config.targets.routers import frr

SAMPLE = SAMPLES / "vra-ha-tgw-redundant.yaml"
TWO_CC = ROOT / "tests" / "lab" / "two-cloud-connections.yaml"


def test_the_backup_is_less_preferred_both_ways_on_every_renderer(tmp_path: Path) -> None:
    vyatta = render_locked(SAMPLE, "vyatta").stdout
    assert (
        lines(vyatta, "set local-preference")
        == ["set policy route route-map RM-tgw-dal-2-IN rule 10 set local-preference 90"] * 2
    )  # one file per member of the pair, both identical here
    assert (
        lines(vyatta, "as-path-prepend")
        == ["set policy route route-map RM-tgw-dal-2-OUT rule 10 set as-path-prepend '64880'"] * 2
    )
    # a VRA pair is refused for the vSRX (VRC952): the same router, stand-alone, is a vSRX
    single = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    del single["routers"]["vra-ha"]["ha"]
    single["routers"]["vra-ha"]["vendor"] = "vsrx"
    plan = tmp_path / SAMPLE.name
    plan.write_text(yaml.safe_dump(single, sort_keys=False), encoding="utf-8")
    vsrx = run_cli(["render", "--vendor", "vsrx", str(plan)]).stdout
    assert lines(vsrx, "then local-preference") == [
        "set policy-options policy-statement IMPORT-tgw-dal-2 term planned then local-preference 90"
    ]
    assert lines(vsrx, "as-path-prepend") == [
        "set policy-options policy-statement EXPORT-tgw-dal-2 term planned then "
        'as-path-prepend "64880"'
    ]
    checked = check_file(SAMPLE, locked=True)
    text = frr.render(router_intents(checked.address_plan)["vra-ha"], SAMPLE.name)
    block = text[text.index("route-map RM-tgw-dal-2-IN permit 10") :]
    assert block.splitlines()[1:3] == [
        " match ip address prefix-list PL-tgw-dal-2-IN",
        " set local-preference 90",
    ]
    block = text[text.index("route-map RM-tgw-dal-2-OUT permit 10") :]
    assert block.splitlines()[1:3] == [
        " match ip address prefix-list PL-tgw-dal-2-OUT",
        " set as-path prepend 64880",
    ]


def test_a_single_link_to_a_workspace_sets_no_preference() -> None:
    for name in ("powervs-tgw-gre", "powervs-gre-bgp"):
        text = render_locked(SAMPLES / f"{name}.yaml", "vyatta").stdout
        assert "local-preference" not in text
        assert "prepend" not in text


def test_two_cloud_connections_to_one_workspace_first_by_name_is_preferred() -> None:
    """Item 4: allowed; each its own /29, tunnel and session; the second is the backup."""
    checked = check_file(TWO_CC, locked=True)
    assert not checked.address_plan.errors
    links = checked.address_plan.connections
    assert [(str(links[n].subnet), links[n].backup) for n in ("cc-dal12-a", "cc-dal12-b")] == [
        ("172.16.3.0/29", 0),
        ("172.16.3.8/29", 1),
    ]
    vyatta = render_locked(TWO_CC, "vyatta").stdout
    assert lines(vyatta, "rule 10 set") == [
        "set policy route route-map RM-cc-dal12-b-IN rule 10 set local-preference 90",
        "set policy route route-map RM-cc-dal12-b-OUT rule 10 set as-path-prepend '64880'",
    ]


def test_a_re_originated_prefix_follows_the_preferred_tunnel_not_the_first_name() -> None:
    """A prefix re-originated towards a neighbour in its own AS (here a second Transit Gateway
    connection in 64490) gets its static route to the link BGP prefers: the first tunnel listed
    (tgw-dal-z), not the first by name (tgw-dal-a, the backup)."""
    plan = sample("vra-ha-tgw-redundant")
    plan["connections"]["tgw-dal"]["transit_gateway"]["tunnels"] = [
        {"name": "tgw-dal-z", "gateway_ip": "192.168.255.1", "asn": 64490, "zone": "us-south-1"},
        {"name": "tgw-dal-a", "gateway_ip": "192.168.255.5", "asn": 64490, "zone": "us-south-2"},
    ]
    plan["powervs"]["dal12-per"] = {"location": "dal12", "subnets": ["172.20.20.0/24"]}
    plan["connections"]["tgw-dal12"] = {
        "router": "vra-ha",
        "powervs": "dal12-per",
        "via": "transit-gateway",
        "transit_gateway": {"gateway_ip": "192.168.255.9", "asn": 64490, "zone": "us-south-1"},
    }
    ap = plan_addresses(Plan.model_validate(plan))
    assert ap.errors == ()
    preferred = ap.connections["tgw-dal-z"].peer_address
    assert preferred is not None
    intent = router_intents(ap)["vra-ha"]
    (route,) = [r for r in intent.static_routes if r.reoriginate and len(r.arrivals) > 1]
    assert str(route.prefix) == "172.20.10.0/24"
    assert (route.next_hop, route.arrivals) == (preferred.ip, ("tgw-dal-z", "tgw-dal-a"))
    # ... and `check`, the gate, refuses it for the Vyatta the plan names, as its pack does:
    # the static would outlive tgw-dal-z's far end and keep the backup from taking over
    # (issue 19 item 1, tests/test_survive_failure.py)
    with pytest.raises(PlanError) as info:
        check_text(dump(plan), "plan.yaml")
    assert [f.rule for f in info.value.errors] == ["VRC907"]
