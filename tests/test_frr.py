"""The FRR rendering the lab runs: golden files per sample, and no plan text can add a line."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest
from conftest import GOLDEN, Golden, sample_plans
from hypothesis import given
from hypothesis import strategies as st

from vra_config.intent.records import BgpNeighbor, GreTunnel, RouterIntent, StaticRoute
from vra_config.lab.configs import all_configs
from vra_config.lab.topology import build
from vra_config.pipeline import check_file
from vra_config.plan.values import TEXT_MAX, TEXT_RE
from vra_config.targets.routers import frr

PLANS = sample_plans()


#: The golden file of the lab's FRR per `lab --vendor`: `SAMPLE.frr.conf` is what the
#: Vyatta text means (the file the DANOS comparison reads), `SAMPLE.vsrx.frr.conf` the vSRX's.
FRR_GOLDEN = {"vyatta": "{}.frr.conf", "vsrx": "{}.vsrx.frr.conf"}


@pytest.mark.parametrize("vendor", sorted(FRR_GOLDEN))
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_frr_golden(plan: Path, vendor: str, golden: Golden) -> None:
    """What the lab loads into FRR for each sample and `--vendor`: the devices, then IBM's
    stand-ins."""
    checked = check_file(plan)
    text = all_configs(build(checked.address_plan, vendor=vendor), plan.name)
    golden.check(GOLDEN / FRR_GOLDEN[vendor].format(plan.stem), text)


#: The first word of every line the FRR rendering may print (FRR user guide, see frr.py).
KEYWORDS = {
    "!", "frr", "hostname", "interface", "ip", "exit", "route-map", "match", "router", "bgp",
    "neighbor", "address-family", "network", "exit-address-family", "ipv6",
}  # fmt: skip


def _intent(text: str) -> RouterIntent:
    n = BgpNeighbor(
        connection="cc-x",
        address=IPv4Address("172.16.3.5"),
        local_address=IPv4Address("172.16.3.6"),
        remote_as=64999,
        description=text,
        accept=(IPv4Network("192.168.50.0/24"),),
        advertise=(IPv4Network("10.1.0.0/16"),),
        keepalive=30,
        holdtime=90,
        multihop=16,
    )
    return RouterIntent(
        name="vra-x",
        asn=64880,
        router_id=IPv4Address("10.0.0.1"),
        tunnels=(
            GreTunnel(
                connection="cc-x",
                number=0,
                description=text,
                local_ip=IPv4Address("10.0.0.1"),
                remote_ip=IPv4Address("172.16.3.1"),
                address=IPv4Interface("172.16.3.6/30"),
                mtu=1476,
                tcp_mss=1436,
            ),
        ),
        static_routes=(
            StaticRoute(
                prefix=IPv4Network("172.16.3.1/32"),
                description=text,
                next_hop=IPv4Address("10.0.0.2"),
            ),
        ),
        bgp_neighbors=(n,),
        bgp_networks=(IPv4Network("10.1.0.0/16"),),
    )


@given(
    st.from_regex(TEXT_RE, fullmatch=True).filter(lambda t: len(t) <= TEXT_MAX and t == t.strip())
)
def test_plan_text_never_adds_a_line(text: str) -> None:
    """Any description the plan model accepts stays inside its one line."""
    plain = frr.render(_intent("plain"), "p.yaml").splitlines()
    lines = frr.render(_intent(text), "p.yaml").splitlines()
    assert len(lines) == len(plain)
    for line in lines:
        assert line.split()[0] in KEYWORDS, line
    described = [line for line in lines if " description " in line or line.startswith("! ")]
    assert all(re.search(r"(description |! ).*", line) for line in described)


def test_multihop_networks_and_routes_where_the_intent_says() -> None:
    text = frr.render(_intent("x"), "p.yaml")
    assert " neighbor 172.16.3.5 ebgp-multihop 16\n" in text
    assert "remove-private-AS" not in text  # it keeps the peer's AS: re-origination instead
    assert "  network 10.1.0.0/16\n" in text
    assert "ip route 172.16.3.1/32 10.0.0.2\n" in text
