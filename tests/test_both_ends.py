"""Both ends of every link agree, read from the rendered configuration itself.

For every sample, every link between two rendered devices is checked on the `set` lines the
two routers would get: tunnel endpoints mirrored, inner addresses distinct in one subnet, each
BGP neighbour the other's tunnel address with the other's ASN, identical IKE and ESP
proposals, the same key reference. For links to PowerVS, the router side is checked against
IBM's rules for the IBM side that `plan` prints.
"""

from __future__ import annotations

import shlex
from collections import defaultdict
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path

import pytest
from conftest import sample_plans

from vra_config.intent.pairs import member_names
from vra_config.pipeline import check_file, render_checked
from vra_config.planner.report import allocations

Tree = dict[str, list[list[str]]]


def parse(text: str) -> list[list[str]]:
    return [shlex.split(line)[1:] for line in text.splitlines() if line.startswith("set ")]


def values(lines: list[list[str]], *prefix: str) -> list[str]:
    """The word after `prefix` on every line that starts with it."""
    n = len(prefix)
    return [line[n] for line in lines if tuple(line[:n]) == prefix and len(line) > n]


def one(lines: list[list[str]], *prefix: str) -> str:
    found = values(lines, *prefix)
    assert len(found) == 1, (prefix, found)
    return found[0]


def rendered(plan: Path) -> dict[str, list[list[str]]]:
    """Both ends with keys shown (a review copy withholds them): one dummy key per variable,
    so that equal keys on two ends prove one reference."""
    checked = check_file(plan)
    names = {
        link.ipsec.psk.value
        for link in checked.address_plan.connections.values()
        if link.ipsec is not None and link.ipsec.psk.kind == "env"
    }
    environ = {name: f"key-{i}" for i, name in enumerate(sorted(names))}
    files = render_checked(checked, "vyatta", show_secrets=True, environ=environ)
    out = {name.split(".")[0]: parse(text) for name, text in files.items()}
    # A VRA pair's end is each member's; they are identical outside VRRP (tests/test_ha.py).
    for member, pair in sorted(member_names(check_file(plan).plan).items(), reverse=True):
        out[pair] = out[member]
    return out


def tunnel_of(lines: list[list[str]], kind: str, description_has: str) -> str:
    for line in lines:
        is_description = line[:2] == ["interfaces", kind] and line[3:4] == ["description"]
        if is_description and description_has in line[4]:
            return line[2]
    raise AssertionError(f"no {kind} for {description_has}")


def bgp_neighbors(lines: list[list[str]]) -> dict[str, str]:
    out = {}
    for line in lines:
        if line[:2] == ["protocols", "bgp"] and line[3] == "neighbor" and line[5] == "remote-as":
            out[line[4]] = line[6]
    return out


def bgp_asn(lines: list[list[str]]) -> str:
    asns = {line[2] for line in lines if line[:2] == ["protocols", "bgp"]}
    assert len(asns) == 1
    return asns.pop()


LINKS = [
    (plan, row)
    for plan in sample_plans()
    for row in allocations(check_file(plan, locked=True).address_plan)
]


@pytest.mark.parametrize(
    ("plan", "row"), LINKS, ids=[f"{p.stem}:{r['connection']}" for p, r in LINKS]
)
def test_both_ends_agree(plan: Path, row: dict[str, object]) -> None:
    devices = rendered(plan)
    name, via = str(row["connection"]), row["via"]
    a = devices[str(row["router"])]
    b = devices.get(str(row["peer"]))
    if via in ("cloud-connection", "transit-gateway", "gre"):
        tun = tunnel_of(a, "tunnel", str(name))
        address = IPv4Interface(one(a, "interfaces", "tunnel", tun, "address"))
        remote = one(a, "interfaces", "tunnel", tun, "remote-ip")
        assert remote == row["remote_ip"]
        assert str(address) == row["router_address"]
        if via == "cloud-connection":
            side = row["ibm_side"]
            assert isinstance(side, dict)
            # IBM's rule: remote-ip = first host of the /29, the /32 route to it via the
            # private gateway, the router's address the second host of the second half
            assert remote == side["powervs_gre_source"]
            assert one(a, "interfaces", "tunnel", tun, "local-ip") == side["gre_destination"]
            assert values(a, "protocols", "static", "route", f"{remote}/32", "next-hop")
        if via == "gre" and b is not None:
            tun_b = tunnel_of(b, "tunnel", str(name))
            assert one(b, "interfaces", "tunnel", tun_b, "remote-ip") == one(
                a, "interfaces", "tunnel", tun, "local-ip"
            )
            assert one(b, "interfaces", "tunnel", tun_b, "local-ip") == remote
            address_b = IPv4Interface(one(b, "interfaces", "tunnel", tun_b, "address"))
            assert address_b.network == address.network and address_b.ip != address.ip
    if via == "ipsec" and b is not None:
        peer_a = str(row["remote_ip"])
        local_a = one(
            a, "security", "vpn", "ipsec", "site-to-site", "peer", peer_a, "local-address"
        )
        peer_lines_b = [line for line in b if line[4:6] == ["peer", local_a]]
        assert peer_lines_b, "the far end has no peer for this router"
        assert (
            one(b, "security", "vpn", "ipsec", "site-to-site", "peer", local_a, "local-address")
            == peer_a
        )
        for side, other in ((a, peer_a), (b, local_a)):
            psk = one(
                side,
                "security",
                "vpn",
                "ipsec",
                "site-to-site",
                "peer",
                other,
                "authentication",
                "pre-shared-secret",
            )
            assert psk == one(
                a,
                "security",
                "vpn",
                "ipsec",
                "site-to-site",
                "peer",
                peer_a,
                "authentication",
                "pre-shared-secret",
            )
        for group in ("ike-group", "esp-group"):
            key = f"{group[:3].upper()}-{name}"
            lines_a = sorted(line[4:] for line in a if line[3:5] == [group, key])
            lines_b = sorted(line[4:] for line in b if line[3:5] == [group, key])
            assert lines_a and lines_a == lines_b, group
        if row["router_address"]:
            vti_a = tunnel_of(a, "vti", str(name))
            vti_b = tunnel_of(b, "vti", str(name))
            addr_a = IPv4Interface(one(a, "interfaces", "vti", vti_a, "address"))
            addr_b = IPv4Interface(one(b, "interfaces", "vti", vti_b, "address"))
            assert addr_a.network == addr_b.network and addr_a.ip != addr_b.ip
    if row["routing"] == "bgp":
        neighbors_a = bgp_neighbors(a)
        peer_address = str(row["peer_address"])
        assert neighbors_a[peer_address] == str(row["peer_asn"])
        IPv4Address(peer_address)
        if b is not None:
            router_address = str(IPv4Interface(str(row["router_address"])).ip)
            assert bgp_neighbors(b)[router_address] == bgp_asn(a)
            assert neighbors_a[peer_address] == bgp_asn(b)


def test_every_link_of_every_sample_is_covered() -> None:
    kinds = defaultdict(int)
    for _, row in LINKS:
        kinds[row["via"]] += 1
    assert set(kinds) == {"cloud-connection", "transit-gateway", "gre", "ipsec", "megaport"}
