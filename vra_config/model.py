"""The plan, as typed data: what a network engineer writes and reviews in a pull request.

Models are strict (no `"64880"` silently becoming an int), frozen (the pipeline never edits
a plan) and reject unknown keys (a typo is an error, not an ignored line). Value types that
reach router config (prefixes, addresses, names, free text) are parsed here with messages
that say what was meant, so every later stage can trust them.

Cross-references (a connection naming a router) and address rules (overlaps, IBM ranges)
belong to the planner, which sees the whole plan at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import AddressValueError, IPv4Address, IPv4Interface, IPv4Network, NetmaskValueError
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

Vendor = Literal["vyatta", "vsrx"]
VENDORS: tuple[str, ...] = ("vyatta", "vsrx")
Routing = Literal["bgp", "static"]

NAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?")
# Printable ASCII, without the characters that end or escape a quoted string on Vyatta
# (single quote) or Junos (double quote, backslash), and without a backtick.
TEXT_RE = re.compile(r"[ !#-&(-\[\]-_a-~]+")
TEXT_MAX = 80


def _need_str(value: object, what: str, example: str) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "vra_type",
            "expected {what} as text such as {example}, got {got}",
            {"what": what, "example": example, "got": show_value(value)},
        )
    return value.strip()


def show_value(value: object) -> str:
    """How a wrong value is quoted back to the user in an error."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def parse_prefix(value: object) -> IPv4Network:
    """A network prefix: `192.168.50.0/24`; host bits set is an error that shows the network."""
    text = _need_str(value, "an IPv4 prefix", "192.168.50.0/24")
    if "/" not in text:
        raise PydanticCustomError(
            "vra_prefix",
            "{text} has no prefix length; write it as a network such as {text}/24",
            {"text": text},
        )
    try:
        return IPv4Network(text, strict=True)
    except ValueError as exc:
        try:
            meant = IPv4Network(text, strict=False)
        except (AddressValueError, NetmaskValueError, ValueError):
            raise PydanticCustomError(
                "vra_prefix",
                "{text} is not an IPv4 prefix ({why}); write a network such as 192.168.50.0/24",
                {"text": text, "why": str(exc)},
            ) from None
        raise PydanticCustomError(
            "vra_prefix",
            "{text} has host bits set; the network is {meant}: write that",
            {"text": text, "meant": str(meant)},
        ) from None


def parse_address(value: object) -> IPv4Address:
    """A single IPv4 address: `10.148.252.65`."""
    text = _need_str(value, "an IPv4 address", "10.148.252.65")
    try:
        return IPv4Address(text)
    except ValueError:
        raise PydanticCustomError(
            "vra_address",
            "{text} is not an IPv4 address; write one such as 10.148.252.65 (no prefix length)",
            {"text": text},
        ) from None


def parse_interface(value: object) -> IPv4Interface:
    """An interface address with its subnet: `10.148.252.83/26` (a host, not the network)."""
    text = _need_str(value, "an interface address", "10.148.252.83/26")
    if "/" not in text:
        raise PydanticCustomError(
            "vra_interface",
            "{text} has no prefix length; write the address with its subnet's length, such as "
            "{text}/26",
            {"text": text},
        )
    try:
        iface = IPv4Interface(text)
    except ValueError:
        raise PydanticCustomError(
            "vra_interface",
            "{text} is not an IPv4 interface address; write one such as 10.148.252.83/26",
            {"text": text},
        ) from None
    net = iface.network
    if net.prefixlen < 31 and iface.ip in (net.network_address, net.broadcast_address):
        which = "network" if iface.ip == net.network_address else "broadcast"
        raise PydanticCustomError(
            "vra_interface",
            "{text} is the {which} address of {net}, not a host; write the router's own address",
            {"text": text, "which": which, "net": str(net)},
        )
    return iface


def _word(text: str, pattern: re.Pattern[str], kind: str, message: str) -> str:
    """`text` if it is one word of `pattern`'s alphabet, else the error `message` says."""
    if not pattern.fullmatch(text):
        raise PydanticCustomError(kind, message, {"text": show_value(text)})
    return text


def parse_name(value: object) -> str:
    """A plan name: it becomes part of router object names, so it is kept to a safe alphabet."""
    _need_str(value, "a name", "vra-dal12")
    return _word(
        str(value),  # not stripped: a name with spaces is refused, not silently changed
        NAME_RE,
        "vra_name",
        "{text} is not a valid name; use 1-32 letters, digits and '-', starting and ending "
        "with a letter or digit (e.g. vra-dal12)",
    )


def parse_text(value: object, most: int = TEXT_MAX) -> str:
    """Free text that lands in a quoted description on the router."""
    if not isinstance(value, str):
        raise PydanticCustomError(
            "vra_type", "expected text, got {got}", {"got": show_value(value)}
        )
    if not value or value != value.strip():
        raise PydanticCustomError(
            "vra_text",
            "text must not be empty or start or end with spaces; write it without them",
            {},
        )
    if len(value) > most:
        raise PydanticCustomError(
            "vra_text",
            "text is {n} characters long; shorten it to at most {max}",
            {"n": len(value), "max": most},
        )
    if not TEXT_RE.fullmatch(value):
        bad = sorted({c for c in value if not TEXT_RE.fullmatch(c)})
        shown = ", ".join(repr(c) for c in bad)
        raise PydanticCustomError(
            "vra_text",
            "text contains {shown}, which cannot be quoted safely in router config; use "
            "printable ASCII without quotes, backslashes or backticks",
            {"shown": shown},
        )
    return value


def _string_schema(fmt: str, example: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "format": fmt, "examples": [example]})


_STR = PlainSerializer(str, return_type=str)
Prefix = Annotated[
    IPv4Network,
    PlainValidator(parse_prefix),
    _STR,
    _string_schema("ipv4-prefix", "192.168.50.0/24"),
]
Address = Annotated[
    IPv4Address, PlainValidator(parse_address), _STR, _string_schema("ipv4", "10.148.252.65")
]
InterfaceAddress = Annotated[
    IPv4Interface,
    PlainValidator(parse_interface),
    _STR,
    _string_schema("ipv4-interface", "10.148.252.83/26"),
]
Name = Annotated[
    str,
    PlainValidator(parse_name),
    WithJsonSchema({"type": "string", "pattern": f"^{NAME_RE.pattern}$"}),
]
Text = Annotated[
    str,
    PlainValidator(parse_text),
    WithJsonSchema({"type": "string", "maxLength": TEXT_MAX, "pattern": f"^{TEXT_RE.pattern}$"}),
]
#: A reason for an acknowledgement: safe text like a description (it is printed in router
#: comments and pull-request markdown), but room for a sentence.
REASON_MAX = 200
Reason = Annotated[
    str,
    PlainValidator(lambda value: parse_text(value, REASON_MAX)),
    WithJsonSchema({"type": "string", "maxLength": REASON_MAX, "pattern": f"^{TEXT_RE.pattern}$"}),
]
Asn = Annotated[int, Field(ge=1, le=4_294_967_295, strict=True)]


def parse_tcp_mss(value: object) -> int | str:
    """`auto` (clamp when the tunnel MTU needs it), `off`, or a fixed MSS in bytes."""
    if value in ("auto", "off"):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and 536 <= value <= 8960:
        return value
    raise PydanticCustomError(
        "vra_tcp_mss",
        "{got} is not a TCP MSS; write auto (clamp to the tunnel MTU less 40 when it is under "
        "1500), off, or a number of bytes from 536 to 8960",
        {"got": show_value(value)},
    )


TcpMss = Annotated[
    int | str,
    PlainValidator(parse_tcp_mss),
    WithJsonSchema(
        {"anyOf": [{"enum": ["auto", "off"]}, {"type": "integer", "minimum": 536, "maximum": 8960}]}
    ),
]


@dataclass(frozen=True)
class Secret:
    """A pre-shared key by reference: `{env: NAME}`, `{file: PATH}`, or (warned) literal."""

    kind: Literal["env", "file", "literal"]
    value: str

    def __str__(self) -> str:
        return "<literal>" if self.kind == "literal" else f"{self.kind}:{self.value}"


ENV_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def parse_secret(value: object) -> Secret:
    """Where a key comes from; the key itself is read only when output needs it."""
    if isinstance(value, str) and value:
        return Secret("literal", value)
    if isinstance(value, dict) and len(value) == 1:
        ((kind, ref),) = value.items()
        if kind == "env" and isinstance(ref, str) and ENV_RE.fullmatch(ref):
            return Secret("env", ref)
        if kind == "file" and isinstance(ref, str) and ref and "\x00" not in ref:
            return Secret("file", ref)
    raise PydanticCustomError(
        "vra_secret",
        "a key is given as {env: VARIABLE} or {file: PATH} (a literal key works but is "
        "a warning); got {got}",
        {"got": show_value(value)},
    )


SecretRef = Annotated[
    Secret,
    PlainValidator(parse_secret),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "object", "properties": {"env": {"type": "string"}}, "required": ["env"]},
                {
                    "type": "object",
                    "properties": {"file": {"type": "string"}},
                    "required": ["file"],
                },
                {"type": "string"},
            ]
        }
    ),
]

IFNAME_RE = re.compile(r"[A-Za-z][-_.0-9A-Za-z/]{0,14}")


def parse_interface_name(value: object) -> str:
    """A router interface name as its OS spells it (dp0p192p1, bond0, ge-0/0/1)."""
    return _word(
        _need_str(value, "an interface name", "dp0p192p1"),
        IFNAME_RE,
        "vra_ifname",
        "{text} is not an interface name; write it as the router shows it (e.g. dp0p192p1)",
    )


@dataclass(frozen=True)
class PerVendor:
    """A name the vendors spell differently: one for all, or one per vendor."""

    default: str | None
    by_vendor: tuple[tuple[str, str], ...] = ()

    def get(self, vendor: str) -> str | None:
        return dict(self.by_vendor).get(vendor, self.default)

    def __str__(self) -> str:
        if self.default is not None:
            return self.default
        return ", ".join(f"{v}: {n}" for v, n in self.by_vendor)


def parse_per_vendor_interface(value: object) -> PerVendor:
    """`dp0p192p1`, or `{vyatta: dp0p192p1, vsrx: ge-0/0/2}` when the plan renders both."""
    if isinstance(value, dict) and value:
        pairs = []
        for vendor, name in sorted(value.items()):
            if vendor not in VENDORS:
                raise PydanticCustomError(
                    "vra_vendor",
                    "{got} is not a vendor; key interface names by {vendors}",
                    {"got": show_value(vendor), "vendors": " or ".join(VENDORS)},
                )
            pairs.append((str(vendor), parse_interface_name(name)))
        return PerVendor(None, tuple(pairs))
    return PerVendor(parse_interface_name(value))


PerVendorInterface = Annotated[
    PerVendor,
    PlainValidator(parse_per_vendor_interface),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ]
        }
    ),
]

ZONE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")


def parse_zone(value: object) -> str:
    """A Junos zone or filter name (also a safe Vyatta name)."""
    return _word(
        _need_str(value, "a zone name", "SL-PRIVATE"),
        ZONE_RE,
        "vra_zone",
        "{text} is not a zone or filter name; use letters, digits, '-' and '_' (at most 63)",
    )


ZoneName = Annotated[
    str,
    PlainValidator(parse_zone),
    WithJsonSchema({"type": "string", "pattern": f"^{ZONE_RE.pattern}$"}),
]

InterfaceName = Annotated[
    str,
    PlainValidator(parse_interface_name),
    WithJsonSchema({"type": "string", "pattern": f"^{IFNAME_RE.pattern}$"}),
]

#: A YAML list of prefixes (strict mode would insist on a Python tuple; items stay strict).
Prefixes = Annotated[tuple[Prefix, ...], Field(strict=False)]


class Model(BaseModel):
    """Base of every plan model: strict, frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Interface(Model):
    """A router interface in IBM Cloud classic: its address with subnet, and the gateway."""

    address: InterfaceAddress
    gateway: Address
    #: The interface (unit) holding the address, as the router names it. Only the public one
    #: is used (the vSRX binds IKE to it; IBM's default is ge-0/0/1.0).
    interface: InterfaceName | None = None

    @model_validator(mode="after")
    def _gateway_on_subnet(self) -> Interface:
        net = self.address.network
        if self.gateway not in net:
            raise PydanticCustomError(
                "vra_gateway",
                "gateway {gw} is not on {net}, the subnet of {addr}; use the gateway IBM shows "
                "for that subnet",
                {"gw": str(self.gateway), "net": str(net), "addr": str(self.address)},
            )
        if self.gateway == self.address.ip:
            raise PydanticCustomError(
                "vra_gateway",
                "gateway {gw} is the router's own address; use the subnet's gateway (the BCR "
                "or FCR address IBM shows)",
                {"gw": str(self.gateway)},
            )
        return self


class Route(Model):
    """A static route the device needs so that an advertised prefix is in its routing table:
    BGP announces only what the RIB holds (DANOS `network` import-check, Junos active
    routes), so a prefix with no route is silently never sent."""

    prefix: Prefix
    next_hop: Address


Routes = Annotated[tuple[Route, ...], Field(strict=False)]
#: The IP MTU of the network a tunnel's outer packets cross: a classic private VLAN, a
#: Direct Link, the Internet. 1500 unless the path is known to carry jumbo frames.
UnderlayMtu = Annotated[int, Field(ge=1280, le=9216)]


#: A VRRP group ID (vyatta-vrrp-v1.yang: 1..255); IBM assigns it on every VRA.
VrrpGroupId = Annotated[int, Field(ge=1, le=255)]


class PairMember(Model):
    """One appliance of a high-availability pair, with the addresses IBM gave it: its own
    (real) private and public addresses, and its VRRP priority. Tunnels never use these:
    they use the pair's virtual addresses (`private.address`, `public.address`)."""

    private: InterfaceAddress
    public: InterfaceAddress | None = None
    #: IBM: the first device 254, the next one lower, never 255 (checked, rule VRC951).
    priority: Annotated[int, Field(ge=1, le=255)]


class Ha(Model):
    """A gateway pair: a VRA high-availability pair (two appliances clustered with VRRP,
    active-passive) or, rendered for the vSRX, a chassis cluster. The router's `private`
    and `public` addresses are then the pair's virtual addresses (VRRP VIPs on the VRA),
    which IBM assigns with the VRRP groups: the plan states them, vra-config never
    invents them."""

    #: The VRRP group of the private virtual address (dp0bond0), as IBM set it.
    private_group: VrrpGroupId
    #: The VRRP group of the public virtual address (dp0bond1); required with `public`.
    public_group: VrrpGroupId | None = None
    #: The one sync group every VRRP group of the pair is in (IBM: one sync-group).
    sync_group: ZoneName
    #: Seconds between VRRP adverts; IBM: 1, 2 on busy networks, never over 5.
    advertise_interval: Annotated[int, Field(ge=1, le=255)] = 1
    #: The two appliances, by host name.
    members: dict[Name, PairMember]


class Router(Model):
    """An edge router in IBM Cloud classic (VRA / Vyatta 5600, or a vSRX)."""

    vendor: Vendor | None = None
    asn: Asn
    router_id: Address | None = None
    private: Interface
    public: Interface | None = None
    advertise: Prefixes = ()
    #: How the prefixes in `advertise` that are not the router's own subnets are reached.
    routes: Routes = ()
    #: Subnets the router is the gateway of (classic VLANs routed through it): already in its
    #: routing table as connected routes, so nothing is rendered for them.
    connected: Prefixes = ()
    underlay_mtu: UnderlayMtu = 1500
    firewall: bool = False
    #: A high-availability pair (see `Ha`); checked by `vra_config.ha`.
    ha: Ha | None = None

    @model_validator(mode="after")
    def _private_interface_unused(self) -> Router:
        if self.private.interface is not None:
            raise PydanticCustomError(
                "vra_unused",
                "`private.interface` is not used by any pack (only the public interface is "
                "named, for IKE); remove it",
                {},
            )
        return self

    #: vSRX: the security zone of the networks behind the router (IBM: SL-PRIVATE).
    zone: ZoneName | None = None
    #: vSRX: the loopback filter IBM provisions, which drops host-bound IKE, ESP, GRE and BGP
    #: unless terms for the planned peers are added; `null` when the router has none.
    loopback_filter: ZoneName | None = "PROTECT-IN"


class DirectLink(Model):
    """The Direct Link a site reaches IBM Cloud over: its BGP peering subnet."""

    bgp_subnet: Prefix


class Site(Model):
    """A gateway of yours outside IBM Cloud: an enterprise data centre, or a router at
    Megaport. vra-config renders its end of each link too when it names a `vendor`."""

    vendor: Vendor | None = None
    asn: Asn | None = None
    router_id: Address | None = None
    address: Address | None = None
    networks: Prefixes = ()
    #: How `networks` are reached from the site's gateway (its LAN next hops).
    routes: Routes = ()
    #: Networks on the site gateway's own interfaces (connected routes).
    connected: Prefixes = ()
    underlay_mtu: UnderlayMtu = 1500
    direct_link: DirectLink | None = None
    firewall: bool = False
    #: The interface (unit) holding `address`: the vSRX binds IKE to it.
    interface: InterfaceName | None = None
    #: vSRX: the zone of `interface`, the WAN or Direct Link side (Juniper's factory
    #: default puts ge-0/0/0.0 in untrust).
    wan_zone: ZoneName | None = None
    #: vSRX: the interface (unit) towards `networks` (Juniper's factory default: ge-0/0/1.0).
    lan_interface: InterfaceName | None = None
    #: vSRX: the security zone of `networks` (default trust).
    zone: ZoneName | None = None
    #: vSRX: a loopback filter to open for the planned peers, if the site has one.
    loopback_filter: ZoneName | None = None


class Workspace(Model):
    """A PowerVS workspace: where it is, its ASN (IBM-assigned) and the subnets it holds."""

    location: Annotated[str, Field(pattern=r"^[a-z]{3}[0-9]{2}$")]
    asn: Asn | None = None
    subnets: Annotated[Prefixes, Field(min_length=1)]


#: IBM availability-zone names (`us-south-1`, `eu-de-2`, `jp-tok-3`): region, then number.
TGW_ZONE_RE = re.compile(r"[a-z]{2}-[a-z]{2,5}-[1-9]")
TGW_ZONE_SOURCE = (
    "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-unbound-gre-connection"
)


def parse_tgw_zone(value: object) -> str:
    """The availability zone a Transit Gateway GRE is bound to (IBM asks for it on creation)."""
    return _word(
        _need_str(value, "an availability zone", "us-south-1"),
        TGW_ZONE_RE,
        "vra_tgw_zone",
        "{text} is not an IBM Cloud availability zone; write the zone the GRE is bound to, "
        f"such as us-south-1 or eu-de-2 ({TGW_ZONE_SOURCE})",
    )


TgwZone = Annotated[
    str,
    PlainValidator(parse_tgw_zone),
    WithJsonSchema({"type": "string", "pattern": f"^{TGW_ZONE_RE.pattern}$"}),
]

#: Cloud-connection speeds (Mbps) that can carry GRE: IBM's list less 10000, where "GRE
#: tunnel cannot be configured with speeds above 5000" (IBM PowerVS CLI reference,
#: https://cloud.ibm.com/docs/power-iaas-cli-plugin?topic=power-iaas-cli-plugin-power-iaas-cli-reference).
GRE_SPEEDS: tuple[int, ...] = (50, 100, 200, 500, 1000, 2000, 5000)


def parse_speed(value: object) -> int:
    """A cloud connection's speed in Mbps, one IBM sells and GRE can run at."""
    if isinstance(value, int) and not isinstance(value, bool) and value in GRE_SPEEDS:
        return value
    raise PydanticCustomError(
        "vra_speed",
        "{got} is not a cloud-connection speed that can carry GRE; write one of {speeds} "
        "(Mbps): IBM sells 10000 too, but GRE cannot be configured above 5000 "
        "(https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-cloud-connections)",
        {"got": show_value(value), "speeds": ", ".join(map(str, GRE_SPEEDS))},
    )


Speed = Annotated[int, PlainValidator(parse_speed), WithJsonSchema({"enum": list(GRE_SPEEDS)})]


class TransitGatewayEnd(Model):
    """The Transit Gateway side of a TGW GRE connection, as IBM shows it after creation."""

    gateway_ip: Address
    asn: Asn
    #: The availability zone the GRE is bound to. The router does not need it; IBM's side
    #: does (`--zone`, Terraform `zone`), so `render --target terraform|ibmcloud` asks for
    #: it as a variable when the plan leaves it out.
    zone: TgwZone | None = None


TunnelNumber = Annotated[int, Field(ge=0, le=9999)]
Mtu = Annotated[int, Field(ge=1280, le=9000)]


class _Link(Model):
    """What every connection has: the device it starts on, and how it is described."""

    router: Name
    description: Text | None = None
    advertise: Prefixes | None = None
    #: vSRX: the security zone of this link's interface on the `router` end.
    zone: ZoneName | None = None


class _TunnelLink(_Link):
    """A connection that is a tunnel interface on the router."""

    tunnel: TunnelNumber | None = None
    mtu: Mtu | None = None
    tcp_mss: TcpMss = "auto"
    routing: Routing = "bgp"


class CloudConnection(_TunnelLink):
    """GRE to a PowerVS workspace over a Direct Link Connect cloud connection (/29 split)."""

    via: Literal["cloud-connection"]
    powervs: Name
    gre: Prefix | None = None
    #: Mbps, for IBM's side only (Terraform `pi_cloud_connection_speed`, CLI `--speed`);
    #: a variable of the rendered Terraform when left out.
    speed: Speed | None = None


class TransitGatewayConnection(_TunnelLink):
    """GRE to a Transit Gateway that a PowerVS (PER) workspace is attached to (/30)."""

    via: Literal["transit-gateway"]
    powervs: Name
    gre: Prefix | None = None
    transit_gateway: TransitGatewayEnd
    #: eBGP TTL for the session; IBM's Transit Gateway GRE troubleshooting suggests raising
    #: it when sessions stay in OpenSent/OpenConfirm.
    ebgp_multihop: Annotated[int, Field(ge=2, le=255)] | None = None


class GreLink(_TunnelLink):
    """GRE to another router of the plan or to a site (over the IBM backbone or a Direct
    Link); both ends are rendered from this one object."""

    via: Literal["gre"]
    peer: Name
    gre: Prefix | None = None
    peer_tunnel: TunnelNumber | None = None


Encryption = Literal["aes128", "aes256", "aes128gcm", "aes256gcm", "3des"]
Integrity = Literal["sha1", "sha256", "sha384", "sha512", "md5"]
DhGroup = Literal[2, 5, 14, 15, 16, 17, 18, 19, 20]


class Ike(Model):
    """IKE (phase 1) proposal, vendor-neutral. Defaults follow IBM's route-based VRA example."""

    version: Literal[1, 2] = 2
    encryption: Encryption = "aes256"
    integrity: Integrity = "sha256"
    dh_group: DhGroup = 20
    lifetime: Annotated[int, Field(ge=300, le=86400)] = 28800


class Esp(Model):
    """ESP (phase 2) proposal, vendor-neutral. GCM carries its own integrity."""

    encryption: Encryption = "aes256gcm"
    integrity: Integrity | None = None
    pfs: DhGroup | Literal["off"] = 20
    lifetime: Annotated[int, Field(ge=300, le=86400)] = 3600

    @model_validator(mode="after")
    def _integrity_fits_encryption(self) -> Esp:
        gcm = self.encryption.endswith("gcm")
        if gcm and self.integrity is not None:
            raise PydanticCustomError(
                "vra_esp",
                "{enc} authenticates itself; remove `integrity` (or choose a CBC cipher)",
                {"enc": self.encryption},
            )
        if not gcm and self.integrity is None:
            raise PydanticCustomError(
                "vra_esp",
                "{enc} needs an `integrity` algorithm such as sha256 (or use aes256gcm)",
                {"enc": self.encryption},
            )
        return self


class Legacy(Model):
    """Consent to weak IPsec algorithms, with the reason a reviewer will read."""

    reason: Text


class IpsecLink(_TunnelLink):
    """Site-to-site IPsec from a router to a site (or another router): route-based on a VTI
    (as IBM recommends) or policy-based for peers that cannot do VTI."""

    via: Literal["ipsec"]
    peer: Name
    mode: Literal["vti", "policy"] = "vti"
    vti: Prefix | None = None
    peer_tunnel: TunnelNumber | None = None
    ike: Ike = Field(default_factory=Ike)
    esp: Esp = Field(default_factory=Esp)
    psk: SecretRef
    legacy: Legacy | None = None


class MegaportLink(_Link):
    """BGP from a router (usually a site at Megaport) to a PowerVS workspace over a Megaport
    VXC: no GRE, a /30 on a VLAN sub-interface."""

    via: Literal["megaport"]
    powervs: Name
    interface: PerVendorInterface
    vlan: Annotated[int, Field(ge=1, le=4094)]
    peering: Prefix | None = None
    powervs_asn: Asn | None = None


Connection = Annotated[
    CloudConnection | TransitGatewayConnection | GreLink | IpsecLink | MegaportLink,
    Field(discriminator="via"),
]
CONNECTION_KINDS: dict[str, type[Model]] = {
    "cloud-connection": CloudConnection,
    "transit-gateway": TransitGatewayConnection,
    "gre": GreLink,
    "ipsec": IpsecLink,
    "megaport": MegaportLink,
}
AnyConnection = CloudConnection | TransitGatewayConnection | GreLink | IpsecLink | MegaportLink


class Pools(Model):
    """Address pools the planner allocates from."""

    tunnels: Prefixes = ()
    vti: Prefixes = ()


class Accept(Model):
    """A finding acknowledged on purpose: its rule, the plan path it names, and why.

    Shown, with the reason, in check and plan output, in every rendered header and in the
    pull-request markdown. Only rules marked acknowledgeable may be accepted (see
    `vra_config.accept`).
    """

    id: Text
    at: Text
    reason: Reason


class Plan(Model):
    """A whole plan: routers, sites, PowerVS workspaces, the links between them, pools."""

    version: Literal[1]
    routers: dict[Name, Router] = Field(default_factory=dict)
    sites: dict[Name, Site] = Field(default_factory=dict)
    powervs: dict[Name, Workspace] = Field(default_factory=dict)
    classic_subnets: Prefixes = ()
    connections: dict[Name, Connection] = Field(default_factory=dict)
    pools: Pools = Field(default_factory=Pools)
    accept: Annotated[tuple[Accept, ...], Field(strict=False)] = ()


def json_schema() -> dict[str, Any]:
    """The plan's JSON Schema, for editors that validate YAML while typing."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "vra-config plan v1"
    return schema
