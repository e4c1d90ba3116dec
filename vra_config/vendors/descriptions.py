"""Link descriptions, written and read back in one place.

The intents write a description on every object a link makes (tunnel, VTI, VLAN unit, BGP
neighbour, route, filter); `running/ownership.py` reads them back from a router's running
configuration to tell the plan's objects from the rest, and to find the objects of a
connection the plan no longer has. Like a vyos.vyos parser entry, each form is written and
read here, next to each other, so a change to one cannot leave the other behind; a
Hypothesis test (tests/test_vendors.py) checks that reading what is written gives the
connection back. Vendor-neutral: the same text goes to every OS, quoted by the pack.
"""

from __future__ import annotations

import re

#: What the PowerVS link kinds are called in a description.
KIND_LABELS = {"cloud-connection": "cloud connection", "transit-gateway": "Transit Gateway"}

#: A connection (and a device or workspace) name as the plan admits it (`plan/values.py`
#: NAME_RE, without the length bound, which the reader need not enforce).
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"


def about(connection: str, what: str) -> str:
    """The description of an object that serves one connection: `<connection>: <what>`."""
    return f"{connection}: {what}"


def link_descriptions(
    connection: str, via: str, powervs: str | None, other: str
) -> tuple[str, str]:
    """(interface, BGP neighbour) descriptions of one end of a link; names only, never
    addresses. `other` is the far end's name, `powervs` the workspace of a PowerVS link."""
    if via in KIND_LABELS:
        neighbor = about(
            connection,
            f"PowerVS {powervs}" if via == "cloud-connection" else f"TGW, PowerVS {powervs}",
        )
        return f"PowerVS {powervs} via {KIND_LABELS[via]} {connection}", neighbor
    if via == "megaport":
        return (
            about(connection, f"Megaport VXC to PowerVS {powervs}"),
            about(connection, f"PowerVS {powervs} via Megaport"),
        )
    kind = "GRE" if via == "gre" else "IPsec"
    return f"{kind} {connection} to {other}", about(connection, other)


#: Each written form, as the reader recognises it; `c` is the connection.
_READ = (
    re.compile(rf"^PowerVS {_NAME} via (?:{'|'.join(KIND_LABELS.values())}) (?P<c>{_NAME})$"),
    re.compile(rf"^(?:GRE|IPsec) (?P<c>{_NAME}) to {_NAME}$"),
    re.compile(rf"^(?P<c>{_NAME}): "),
)


def connection_in(description: str) -> str | None:
    """The connection a description written here names, or None for any other text."""
    for pattern in _READ:
        match = pattern.match(description)
        if match:
            return match.group("c")
    return None
