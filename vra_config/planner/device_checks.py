"""What `check` must find about a device that render, the router or the lab would find later.

- A BGP identifier of 0.0.0.0 or 255.255.255.255 (VRC134): RFC 6286 requires a non-zero
  identifier, and RFC 4271 a unicast host address, so a peer refuses the OPEN ("Bad BGP
  Identifier").
- A VRA pair member whose own address is off the pair's subnet (VRC135): VRRP's virtual
  address lives on the member's interface subnet, so the member could not hold it.
- An IPsec VTI MTU that does not fit the underlay once ESP is added (VRC920), counted per
  proposal from the RFCs that define each part.
- vSRX-only settings on a site declared a Vyatta (VRC711, a warning): ignored there.
- Names that collide in the lab (VRC410): it runs every router, site and PowerVS workspace
  as a network namespace, and a Transit Gateway link's gateway as `<connection>-tgw`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from ipaddress import IPv4Address

from vra_config.plan.findings import Finding
from vra_config.plan.model import IpsecLink, Plan, TransitGatewayConnection
from vra_config.planner.records import PlannedLink

BAD_ROUTER_IDS = {
    IPv4Address("0.0.0.0"): "zero",
    IPv4Address("255.255.255.255"): "the limited broadcast address",
}

#: ESP over IPv4 in tunnel mode, as a VTI sends it (bytes), per part and its source:
#: the outer IPv4 header (RFC 791) 20; UDP for NAT traversal (RFC 3948) 8, counted always,
#: since NAT may sit on the path; the ESP header, SPI and sequence number (RFC 4303) 8;
#: the ESP trailer's pad length and next header (RFC 4303) 2, after padding to the cipher's
#: block (RFC 4303 section 2.4: at least 4-byte alignment).
IPV4_HEADER, NAT_T, ESP_HEADER, ESP_TRAILER = 20, 8, 8, 2
#: Per cipher: (IV bytes, block bytes, ICV bytes of its own): AES-CBC has a 16-byte IV and
#: block (RFC 3602); AES-GCM an 8-byte IV, a 16-byte ICV and no block but ESP's 4-byte
#: alignment (RFC 4106); 3DES-CBC an 8-byte IV and block (RFC 2451).
CIPHER = {
    "aes128": (16, 16, 0),
    "aes256": (16, 16, 0),
    "aes128gcm": (8, 4, 16),
    "aes256gcm": (8, 4, 16),
    "3des": (8, 8, 0),
}
#: ICV of the integrity algorithm: HMAC-SHA-1-96 and HMAC-MD5-96 12 (RFC 2404, RFC 2403),
#: HMAC-SHA-256-128 16, -384-192 24, -512-256 32 (RFC 4868).
ICV = {"sha1": 12, "md5": 12, "sha256": 16, "sha384": 24, "sha512": 32}


def esp_packet(mtu: int, encryption: str, integrity: str | None) -> int:
    """The outer packet an inner packet of `mtu` bytes becomes, at most."""
    iv, block, icv = CIPHER[encryption]
    icv += ICV[integrity] if integrity is not None else 0
    padded = -(-(mtu + ESP_TRAILER) // block) * block
    return IPV4_HEADER + NAT_T + ESP_HEADER + iv + padded + icv


def router_id_findings(plan: Plan) -> Iterator[Finding]:
    devices = [("routers", n, r.router_id) for n, r in sorted(plan.routers.items())]
    devices += [("sites", n, s.router_id) for n, s in sorted(plan.sites.items())]
    for section, name, router_id in devices:
        if router_id in BAD_ROUTER_IDS:
            yield Finding(
                (section, name, "router_id"),
                f"router_id {router_id} is {BAD_ROUTER_IDS[router_id]}, which BGP peers refuse "
                "as a BGP identifier (Bad BGP Identifier; RFC 6286, RFC 4271 section 6.2); "
                "use one of the device's own addresses",
                rule="VRC134",
            )


def pair_subnet_findings(plan: Plan) -> Iterator[Finding]:
    for name, router in sorted(plan.routers.items()):
        if router.ha is None:
            continue
        for host, member in sorted(router.ha.members.items()):
            sides = [("private", member.private, router.private.address)]
            if member.public is not None and router.public is not None:
                sides.append(("public", member.public, router.public.address))
            for side, own, vip in sides:
                if own.ip not in vip.network or own.network != vip.network:
                    yield Finding(
                        ("routers", name, "ha", "members", host, side),
                        f"{own} is not on {vip.network}, the subnet of the pair's virtual "
                        f"address {vip.ip}; VRRP holds the virtual address on the member's "
                        "own interface subnet: write the address `show interfaces` gives on "
                        f"{host}",
                        rule="VRC135",
                    )


def ipsec_mtu_findings(plan: Plan, links: Iterable[PlannedLink]) -> Iterator[Finding]:
    for link in links:
        conn = plan.connections.get(link.name)
        if not isinstance(conn, IpsecLink) or conn.mode != "vti" or link.mtu is None:
            continue
        ends = [plan.routers.get(link.router) or plan.sites.get(link.router)]
        ends.append(plan.routers.get(link.peer) or plan.sites.get(link.peer))
        names = [link.router, link.peer]
        underlay, owner = min(
            (d.underlay_mtu, n) for d, n in zip(ends, names, strict=True) if d is not None
        )
        size = esp_packet(link.mtu, conn.esp.encryption, conn.esp.integrity)
        if size <= underlay:
            continue
        fits = link.mtu
        while fits > 0 and esp_packet(fits, conn.esp.encryption, conn.esp.integrity) > underlay:
            fits -= 1
        yield Finding(
            ("connections", link.name, "mtu"),
            f"an IPsec VTI MTU of {link.mtu} with ESP {conn.esp.encryption}"
            + (f"/{conn.esp.integrity}" if conn.esp.integrity else "")
            + f" sends packets of up to {size} bytes (outer IPv4 20, NAT-T UDP 8, ESP header "
            "8, IV, padding, trailer 2 and ICV: RFC 4303, RFC 3948, RFC 3602, RFC 4106, RFC "
            f"4868), but {owner}'s underlay_mtu is {underlay}; lower mtu to {fits} or less, or "
            f"set {owner}'s underlay_mtu if its network carries larger frames",
            rule="VRC920",
        )


#: A site's settings that only the vSRX pack reads.
VSRX_SITE_FIELDS = ("lan_interface", "wan_zone", "zone", "loopback_filter")


def vyatta_site_findings(plan: Plan) -> Iterator[Finding]:
    """vSRX-only settings on a site that declares `vendor: vyatta` are silently ignored."""
    for name, site in sorted(plan.sites.items()):
        if site.vendor != "vyatta":
            continue
        for key in VSRX_SITE_FIELDS:
            if getattr(site, key) is not None:
                yield Finding(
                    ("sites", name, key),
                    f"`{key}` is read only when the site is rendered for the vSRX; {name} is "
                    "a vyatta, whose configuration ignores it: remove it (or set vendor: vsrx)",
                    severity="warning",
                    rule="VRC711",
                )


_LABEL = {"routers": "router", "sites": "site", "powervs": "PowerVS workspace"}


def lab_name_findings(plan: Plan) -> Iterator[Finding]:
    """Every name the lab gives a namespace must be unique (`vra_config/lab/topology.py`)."""
    taken: dict[str, tuple[str, ...]] = {}
    for name in sorted(plan.routers):
        taken.setdefault(name, ("routers", name))
    for name, site in sorted(plan.sites.items()):
        if site.vendor is not None:  # a site without one is not run in the lab
            taken.setdefault(name, ("sites", name))
    for name in sorted(plan.powervs):
        if name in taken:
            yield Finding(
                ("powervs", name),
                f"PowerVS workspace {name} has the name of {_LABEL[taken[name][0]]} {name}; the "
                "lab runs each as a device of that name: rename one",
                rule="VRC410",
            )
        taken.setdefault(name, ("powervs", name))
    for name, conn in sorted(plan.connections.items()):
        if not isinstance(conn, TransitGatewayConnection):
            continue
        tgw = f"{name}-tgw"
        if tgw in taken:
            section, owner = taken[tgw][0], taken[tgw][1]
            yield Finding(
                taken[tgw],
                f"{_LABEL[section]} {owner} has the name the lab gives the Transit Gateway of "
                f"connection {name} ({tgw}); rename one",
                rule="VRC410",
            )
