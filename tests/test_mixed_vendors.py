"""Both ends agree when one end is a Vyatta and the other a vSRX.

Each device renders with its own `vendor:`; the two ends of a link are read back from their
own syntax and compared: endpoints mirrored, one inner subnet, the same proposals in each
vendor's spelling, the same key, BGP neighbours and ASNs crossed.
"""

from __future__ import annotations

import shlex
from ipaddress import IPv4Interface

import yaml
from conftest import SAMPLES

from vra_config.pipeline import check_text, render_checked
from vra_config.targets.routers import vsrx, vyatta


def lines(text: str) -> list[list[str]]:
    return [shlex.split(line)[1:] for line in text.splitlines() if line.startswith("set ")]


def value(config: list[list[str]], *prefix: str) -> str:
    found = [line[len(prefix)] for line in config if tuple(line[: len(prefix)]) == prefix]
    assert len(found) == 1, (prefix, found)
    return found[0]


def render_mixed(sample: str, site: str) -> tuple[list[list[str]], list[list[str]]]:
    plan = yaml.safe_load((SAMPLES / sample).read_text())
    plan["sites"][site]["vendor"] = "vsrx"
    files = render_checked(
        check_text(yaml.safe_dump(plan), sample),
        show_secrets=True,  # a review copy withholds the keys; both ends must hold the same
        environ={"VRA_PSK_DC_EAST": "key-1", "VRA_PSK_BRANCH_01": "key-2"},
    )
    router = next(name for name in files if name.endswith(".vyatta.set"))
    return lines(files[router]), lines(files[f"{site}.vsrx.set"])


def test_ipsec_vti_between_a_vyatta_and_a_vsrx() -> None:
    vra, srx = render_mixed("private-ipsec.yaml", "dc-east")
    peer = "198.51.100.10"
    s2s = ("security", "vpn", "ipsec", "site-to-site", "peer", peer)
    local = value(vra, *s2s, "local-address")
    gw = ("security", "ike", "gateway", "vpn-dc-east")
    assert value(srx, *gw, "address") == local
    assert value(srx, *gw, "local-address") == peer
    assert value(srx, *gw, "version") == "v2-only"
    # one key reference on both ends
    assert value(vra, *s2s, "authentication", "pre-shared-secret") == value(
        srx, "security", "ike", "policy", "vpn-dc-east", "pre-shared-key", "ascii-text"
    )
    # the same proposals, each in its vendor's words (the plan's defaults)
    ike_v = ("security", "vpn", "ipsec", "ike-group", "IKE-vpn-dc-east")
    ike_j = ("security", "ike", "proposal", "vpn-dc-east")
    assert value(vra, *ike_v, "proposal", "1", "encryption") == vyatta.ENCRYPTION["aes256"]
    assert value(srx, *ike_j, "encryption-algorithm") == vsrx.ENCRYPTION["aes256"]
    assert value(vra, *ike_v, "proposal", "1", "hash") == vyatta.HASH["sha256"]
    assert value(srx, *ike_j, "authentication-algorithm") == vsrx.IKE_HASH["sha256"]
    assert value(vra, *ike_v, "proposal", "1", "dh-group") == "20"
    assert value(srx, *ike_j, "dh-group") == "group20"
    assert value(vra, *ike_v, "lifetime") == value(srx, *ike_j, "lifetime-seconds") == "28800"
    esp_v = ("security", "vpn", "ipsec", "esp-group", "ESP-vpn-dc-east")
    esp_j = ("security", "ipsec", "proposal", "vpn-dc-east")
    assert value(vra, *esp_v, "proposal", "1", "encryption") == vyatta.ENCRYPTION["aes256gcm"]
    assert value(srx, *esp_j, "encryption-algorithm") == vsrx.ENCRYPTION["aes256gcm"]
    assert value(vra, *esp_v, "pfs") == "dh-group20"
    assert (
        value(srx, "security", "ipsec", "policy", "vpn-dc-east", "perfect-forward-secrecy", "keys")
        == "group20"
    )
    assert value(vra, *esp_v, "lifetime") == value(srx, *esp_j, "lifetime-seconds") == "3600"
    # the VTI and st0 share one /30
    vti = value(vra, *s2s, "vti", "bind")
    st0 = value(srx, "security", "ipsec", "vpn", "vpn-dc-east", "bind-interface")
    a = IPv4Interface(value(vra, "interfaces", "vti", vti, "address"))
    unit = st0.split(".")[1]
    b = IPv4Interface(value(srx, "interfaces", "st0", "unit", unit, "family", "inet", "address"))
    assert a.network == b.network and a.ip != b.ip
    # BGP: each is the other's neighbour, with the other's ASN
    assert value(vra, "protocols", "bgp", "64880", "neighbor", str(b.ip), "remote-as") == "65010"
    group = ("protocols", "bgp", "group", "vpn-dc-east")
    assert value(srx, *group, "neighbor") == str(a.ip)
    assert value(srx, *group, "peer-as") == "64880"
    assert value(srx, *group, "local-address") == str(b.ip)
    assert value(srx, "routing-options", "autonomous-system") == "65010"


def test_gre_over_direct_link_between_a_vyatta_and_a_vsrx() -> None:
    vra, srx = render_mixed("direct-link-dc.yaml", "dc-west")
    unit = ("interfaces", "gr-0/0/0", "unit", "0")
    assert value(vra, "interfaces", "tunnel", "tun1", "local-ip") == value(
        srx, *unit, "tunnel", "destination"
    )
    assert value(vra, "interfaces", "tunnel", "tun1", "remote-ip") == value(
        srx, *unit, "tunnel", "source"
    )
    a = IPv4Interface(value(vra, "interfaces", "tunnel", "tun1", "address"))
    b = IPv4Interface(value(srx, *unit, "family", "inet", "address"))
    assert a.network == b.network and a.ip != b.ip
    assert value(vra, "interfaces", "tunnel", "tun1", "mtu") == value(
        srx, *unit, "family", "inet", "mtu"
    )
    assert value(vra, "protocols", "bgp", "64880", "neighbor", str(b.ip), "remote-as") == "65020"
    assert value(srx, "protocols", "bgp", "group", "gre-dc-west", "peer-as") == "64880"
