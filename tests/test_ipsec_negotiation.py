"""IPsec that both ends negotiate and keep alive: IKE with AES-GCM between a Vyatta and a
vSRX (the PRF Junos binds to it), and dead-peer detection on policy-based peers (issue 10
items 4 and 12; split from tests/test_behaviour.py)."""

from __future__ import annotations

from typing import Any

from conftest import errors, lines, render, sample


def gcm_plan(integrity: str, encryption: str = "aes256gcm") -> dict[str, Any]:
    plan = sample("private-ipsec")
    plan["connections"]["vpn-dc-east"]["ike"] = {"encryption": encryption, "integrity": integrity}
    plan["sites"]["dc-east"]["vendor"] = "vsrx"
    return plan


def test_ike_aes256gcm_needs_the_sha384_prf_junos_binds_to_it() -> None:
    assert errors(gcm_plan("sha256")) == [
        "plan.yaml:56:18: VRC704 "
        "connections.vpn-dc-east.ike.integrity: with IKE aes256gcm the vSRX "
        "uses a fixed PRF, sha384, while the plan's ike.integrity (sha256) is the PRF the other "
        "end offers, so IKE never negotiates (Juniper `prf-algorithm` reference, "
        "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/"
        "statement/prf-algorithm-edit-security-ike-proposal.html); set ike.integrity: sha384, "
        "or use a CBC cipher"
    ]
    files = render(gcm_plan("sha384"))
    vyatta = files["vra-dal12.vyatta.set"]
    assert "set security vpn ipsec ike-group IKE-vpn-dc-east proposal 1 hash sha2_384" in vyatta
    junos = files["dc-east.vsrx.set"]
    assert "set security ike proposal vpn-dc-east encryption-algorithm aes-256-gcm" in junos
    assert not lines(junos, "ike proposal", "authentication-algorithm")


def test_ike_aes128gcm_is_refused_on_the_vsrx_as_its_prf_is_undocumented() -> None:
    (message,) = errors(gcm_plan("sha256", "aes128gcm"))
    assert "Juniper documents only for aes256gcm (sha384)" in message


def test_policy_based_peers_detect_dead_peers_too() -> None:
    vyatta = render(sample("private-ipsec"), "vyatta")["vra-dal12.vyatta.set"]
    assert lines(vyatta, "ike-group IKE-vpn-branch-01 dead-peer-detection") == [
        "set security vpn ipsec ike-group IKE-vpn-branch-01 dead-peer-detection action restart",
        "set security vpn ipsec ike-group IKE-vpn-branch-01 dead-peer-detection interval 30",
        "set security vpn ipsec ike-group IKE-vpn-branch-01 dead-peer-detection timeout 120",
    ]
    junos = render(sample("private-ipsec"), "vsrx")["vra-dal12.vsrx.set"]
    assert lines(junos, "ike gateway vpn-branch-01 dead-peer-detection") == [
        "set security ike gateway vpn-branch-01 dead-peer-detection probe-idle-tunnel",
        "set security ike gateway vpn-branch-01 dead-peer-detection interval 30",
        "set security ike gateway vpn-branch-01 dead-peer-detection threshold 4",
    ]
