"""The plan's values: every scalar a plan holds, parsed with a message that says what was meant.

Prefixes, addresses, names, free text, secrets, interface names, zones and speeds reach
router configuration, so they are parsed here, strictly, before any stage sees them; each
parser raises a `PydanticCustomError` whose kind `model_errors.py` maps to a rule. `model.py`
assembles them into the plan's models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import AddressValueError, IPv4Address, IPv4Interface, IPv4Network, NetmaskValueError
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from vra_config.vendors import VENDORS as REGISTERED

#: The vendors a plan may name are the registry's (`vendors/`); the Literal spells them again
#: because pydantic and mypy read a type, and tests/test_vendors.py holds the two equal.
Vendor = Literal["vyatta", "vsrx"]
VENDORS: tuple[str, ...] = tuple(REGISTERED)
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


def show_kind(value: object) -> str:
    """What kind of value a user wrote, without the value: for fields that hold secrets."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text" if value else "empty text"
    return show_value(value)  # nothing, a list or a mapping: no key material in those words


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
    """`auto` (clamp when the tunnel MTU needs it), `off`, or a fixed MSS in bytes.

    YAML 1.1 (PyYAML's dialect) reads a bare `off` (and `no`, `false`) as the boolean false,
    so `tcp_mss: off` as the README writes it arrives as False: that is `off`. True has no
    documented meaning here and stays an error.
    """
    if value is False:
        return "off"
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
        {
            "anyOf": [
                # false: YAML 1.1 reads a bare `off` as false (editors using the schema do too)
                {"enum": ["auto", "off", False]},
                {"type": "integer", "minimum": 536, "maximum": 8960},
            ]
        }
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
        # never the value itself: a number or a mapping here may be the key
        {"got": show_kind(value)},
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
