"""A vendor-neutral parameter sheet for a far end vra-config does not render.

A site without `vendor:` is a gateway someone configures by hand (any firewall that is
neither a 5600 nor a vSRX). It still has to agree with the rendered end on every number, so
it gets those numbers, read from its own `RouterIntent` (the same records both ends of a
link are built from): IKE and ESP proposals and lifetimes, its identities, its tunnel
addresses and MTU, its BGP session and the prefixes it must advertise and accept. The key
itself is never printed: only where it comes from.

Algorithm names are the plan's, each with its IKEv2 registry name (IANA "Internet Key
Exchange Version 2 (IKEv2) Parameters", Transform Types 1-4, www.iana.org/assignments/
ikev2-parameters; RFC 7296 3.3.2), which every vendor's documentation maps to its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network

from vra_config.intent.records import IpsecPeer, LinkEnd, RouterIntent
from vra_config.plan.values import Secret

#: The plan's encryption names, as the IKEv2 registry (Transform Type 1) and key length say.
ENCRYPTION = {
    "aes128": "ENCR_AES_CBC, 128-bit key",
    "aes256": "ENCR_AES_CBC, 256-bit key",
    "aes128gcm": "ENCR_AES_GCM_16 (16-octet ICV), 128-bit key",
    "aes256gcm": "ENCR_AES_GCM_16 (16-octet ICV), 256-bit key",
    "3des": "ENCR_3DES",
}
#: Integrity (Transform Type 3); IKE also uses the same hash as its PRF (Type 2).
INTEGRITY = {
    "md5": "AUTH_HMAC_MD5_96",
    "sha1": "AUTH_HMAC_SHA1_96",
    "sha256": "AUTH_HMAC_SHA2_256_128",
    "sha384": "AUTH_HMAC_SHA2_384_192",
    "sha512": "AUTH_HMAC_SHA2_512_256",
}
#: Pseudo-random functions (Transform Type 2): IKE's PRF from the same hash.
PRF = {
    "md5": "PRF_HMAC_MD5",
    "sha1": "PRF_HMAC_SHA1",
    "sha256": "PRF_HMAC_SHA2_256",
    "sha384": "PRF_HMAC_SHA2_384",
    "sha512": "PRF_HMAC_SHA2_512",
}
#: Diffie-Hellman groups (Transform Type 4).
DH_GROUP = {
    2: "1024-bit MODP",
    5: "1536-bit MODP",
    14: "2048-bit MODP",
    15: "3072-bit MODP",
    16: "4096-bit MODP",
    17: "6144-bit MODP",
    18: "8192-bit MODP",
    19: "256-bit random ECP",
    20: "384-bit random ECP",
}


def _nets(nets: Iterable[IPv4Network]) -> str:
    return ", ".join(str(n) for n in nets) or "none"


def _dh(group: int | str) -> str:
    return "off (no PFS)" if group == "off" else f"group {group} ({DH_GROUP[int(group)]})"


def key_reference(secret: Secret, connection: str) -> str:
    """Where the pre-shared key is, never the key."""
    if secret.kind == "env":
        return f"in environment variable {secret.value} where the plan is rendered"
    if secret.kind == "file":
        return f"in the file {secret.value} (relative to the plan)"
    return (
        f"written in the plan at connections.{connection}.psk (move it to {{env: NAME}} "
        "or {file: PATH})"
    )


def _ipsec(p: IpsecPeer) -> list[str]:
    ike, esp = p.ike, p.esp
    esp_integrity = (
        f"{esp.integrity} ({INTEGRITY[esp.integrity]})"
        if esp.integrity
        else "none (GCM authenticates itself)"
    )
    lines = [
        f"  IKE: version {ike.version}; encryption {ike.encryption} "
        f"({ENCRYPTION[ike.encryption]}); "
        f"integrity {ike.integrity} ({INTEGRITY[ike.integrity]}, PRF {PRF[ike.integrity]}); "
        f"DH {_dh(ike.dh_group)}; lifetime {ike.lifetime} s",
        f"  ESP: tunnel mode; encryption {esp.encryption} ({ENCRYPTION[esp.encryption]}); "
        f"integrity {esp_integrity}; PFS {_dh(esp.pfs)}; lifetime {esp.lifetime} s",
        f"  This end: address and IKE ID {p.local_address} (ID type IPv4 address)",
        f"  Far end: address and IKE ID {p.remote_address} (ID type IPv4 address)",
        f"  Pre-shared key: the one the rendered end uses, {key_reference(p.psk, p.connection)}",
    ]
    if p.vti is None:
        pairs = "; ".join(f"{local} <-> {remote}" for local, remote in p.policies)
        lines.append(f"  Policy-based: one child SA per prefix pair (local <-> remote): {pairs}")
    else:
        lines.append("  Route-based: a tunnel interface (VTI) carries the traffic")
    return lines


def _link_heading(end: LinkEnd | None, connection: str) -> str:
    if end is None:
        return f"Link {connection}"
    return f"Link {connection} ({end.via}) to {end.other} ({end.other_kind})"


def far_end_sheet(intent: RouterIntent, plan_name: str) -> str:
    """The sheet for one unrendered site: identity, then each of its links."""
    lines = [
        f"# vra-config: far end {intent.name} (site, no vendor: not rendered); plan {plan_name}",
        "# Configure this gateway with these values; the other end of each link is rendered "
        "from the same numbers.",
    ]
    asn = f"AS {intent.asn}" if intent.asn is not None else "no ASN (static routing)"
    router_id = f", router ID {intent.router_id}" if intent.router_id else ""
    lines.append(f"{intent.name}: {asn}{router_id}")
    lines.append(f"  networks behind it: {_nets(intent.own_prefixes)}")
    ends = {e.connection: e for e in intent.links}
    connections = sorted(ends) or sorted(
        {p.connection for p in intent.ipsec_peers} | {t.connection for t in intent.tunnels}
    )
    for name in connections:
        end = ends.get(name)
        lines.append("")
        lines.append(_link_heading(end, name))
        for t in (t for t in intent.tunnels if t.connection == name):
            lines.append(
                f"  GRE tunnel: source {t.local_ip}, destination {t.remote_ip}, address "
                f"{t.address}, MTU {t.mtu}" + (f", TCP MSS clamp {t.tcp_mss}" if t.tcp_mss else "")
            )
        for p in (p for p in intent.ipsec_peers if p.connection == name):
            lines += _ipsec(p)
        for v in (v for v in intent.vtis if v.connection == name):
            lines.append(
                f"  VTI: address {v.address}, MTU {v.mtu}"
                + (f", TCP MSS clamp {v.tcp_mss}" if v.tcp_mss else "")
            )
        for n in (n for n in intent.bgp_neighbors if n.connection == name):
            lines.append(
                f"  BGP: neighbour {n.address}, remote AS {n.remote_as}, local AS {intent.asn}, "
                f"source {n.local_address}, keepalive {n.keepalive} s, hold {n.holdtime} s"
                + (f", eBGP multihop {n.multihop}" if n.multihop else "")
            )
            lines.append(f"    advertise exactly: {_nets(n.advertise)}")
            lines.append(f"    accept exactly: {_nets(n.accept)}")
        if end is not None and not any(n.connection == name for n in intent.bgp_neighbors):
            lines.append(f"  No BGP: route {_nets(end.imports)} over this link")
    statics = [r for r in intent.static_routes if not r.for_ipsec_policy]
    if statics:
        lines.append("")
        lines.append("Static routes:")
        for r in statics:
            where = (
                f"via {r.next_hop}" if r.next_hop else f"out of the {r.family} tunnel of the link"
            )
            lines.append(f"  {r.prefix} {where} ({r.description})")
    return "\n".join(lines) + "\n"
