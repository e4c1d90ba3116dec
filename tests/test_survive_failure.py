"""Designs that survive failure (issue 19 items 1, 4, 5, 6 and 7): one test per item that
states what a router must do when a part fails, not only which line exists."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import SAMPLES

from vra_config.pipeline import check_text, render_checked
from vra_config.plan.findings import PlanError
from vra_config.planner.redundant import MAX_BACKUPS


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text())
    return data


def dump(plan: dict[str, Any]) -> str:
    return yaml.safe_dump(plan, sort_keys=False)


def render(plan: dict[str, Any], vendor: str | None = None) -> dict[str, str]:
    return render_checked(check_text(dump(plan), "plan.yaml"), vendor)


def errors(plan: dict[str, Any], vendor: str | None = None) -> list[str]:
    with pytest.raises(PlanError) as info:
        render(plan, vendor)
    return [f.format() for f in info.value.errors]


def lines(text: str, *words: str) -> list[str]:
    return [line for line in text.splitlines() if all(w in line for w in words)]


# --- 6. Backups ranked within bounds -------------------------------------------------------


def _many_tgw_links(count: int) -> dict[str, Any]:
    """One router with `count` single-tunnel Transit Gateway GREs to one workspace."""
    return {
        "version": 1,
        "routers": {
            "vra1": {
                "vendor": "vyatta",
                "asn": 64880,
                "private": {"address": "10.186.22.10/26", "gateway": "10.186.22.1"},
                "advertise": ["10.30.0.0/16"],
                "routes": [{"prefix": "10.30.0.0/16", "next_hop": "10.186.22.20"}],
            }
        },
        "powervs": {"ws1": {"location": "dal10", "subnets": ["172.20.10.0/24"]}},
        "pools": {"tunnels": ["172.16.10.0/24"]},
        "connections": {
            f"tgw{i:02d}": {
                "router": "vra1",
                "powervs": "ws1",
                "via": "transit-gateway",
                "transit_gateway": {
                    "gateway_ip": f"192.168.255.{4 * i + 1}",
                    "asn": 64490,
                    "zone": "us-south-1",
                },
            }
            for i in range(count)
        },
    }


def test_the_last_backup_that_can_be_ranked_keeps_a_local_preference_above_zero() -> None:
    assert 100 - 10 * MAX_BACKUPS > 0
    files = render(_many_tgw_links(MAX_BACKUPS + 1), "vsrx")
    text = files["vra1.vsrx.set"]
    prefs = [int(line.rsplit(" ", 1)[1]) for line in lines(text, "then local-preference")]
    assert sorted(prefs, reverse=True) == [100 - 10 * n for n in range(1, MAX_BACKUPS + 1)]
    vyatta = render(_many_tgw_links(MAX_BACKUPS + 1), "vyatta")["vra1.vyatta.set"]
    assert min(int(x.rsplit(" ", 1)[1]) for x in lines(vyatta, "set local-preference")) == 10


def test_a_twelfth_link_to_one_workspace_is_refused_where_it_is_written() -> None:
    with pytest.raises(PlanError) as info:
        check_text(dump(_many_tgw_links(12)), "plan.yaml").address_plan  # noqa: B018
    found = [f.format() for f in info.value.errors]
    assert found == [
        "plan.yaml:103:3: VRC961 connections.tgw10: tgw10 would be backup 10 of vra1's 12 BGP "
        "links to PowerVS ws1, and at most 9 backups can be ranked: a backup learns at "
        "local-preference 100 - 10 x its rank, which must stay above 0, the least the Vyatta "
        "5600 and Junos take (backup 10 would get 0); keep at most 10 links from vra1 to ws1 "
        "(the last one ranked is tgw09)",
        "plan.yaml:111:3: VRC961 connections.tgw11: tgw11 would be backup 11 of vra1's 12 BGP "
        "links to PowerVS ws1, and at most 9 backups can be ranked: a backup learns at "
        "local-preference 100 - 10 x its rank, which must stay above 0, the least the Vyatta "
        "5600 and Junos take (backup 11 would get -10); keep at most 10 links from vra1 to ws1 "
        "(the last one ranked is tgw09)",
    ]
