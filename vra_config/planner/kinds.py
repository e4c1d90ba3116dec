"""Each kind of link (`via`) as one record: every fact the stages ask about a kind, in one row.

Before this table, the facts sat in six tables in five modules and in string tests of `via`
wherever a stage needed one. A stage now reads an attribute (`link.kind.interface_family`),
and the one piece of code that truly differs per kind, how the subnet splits into both ends'
addresses, is a function the row names (`splits`). Adding a kind IBM offers is a row here,
its split, and its model in `plan/model.py`; `tests/test_kinds.py` checks the table covers
every `via` the model accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from vra_config.plan import rules
from vra_config.plan.model import AnyConnection, Via
from vra_config.planner import ibm, splits
from vra_config.planner.prefixes import Use


@dataclass(frozen=True, kw_only=True)
class StaticRefused:
    """Why a kind runs BGP only: who would learn no route back, and IBM's page saying so."""

    peer: str  # as VRC307's sentence names it: "PowerVS", "the Transit Gateway"
    source: str


@dataclass(frozen=True, kw_only=True)
class LinkKind:
    """What vra-config knows about one kind of link, whatever stage asks."""

    via: Via
    #: How VRC903 names the far end; `{}` is the workspace (or the device, on a device link).
    far_name: str
    #: Size of the subnet the link takes, and the sentence VRC501 quotes for a wrong pin.
    subnet_prefixlen: int
    size_rule: str
    #: The key that pins the subnet in the plan (`gre:`, `vti:`, `peering:`).
    subnet_key: Literal["gre", "vti", "peering"]
    #: The pool the subnet is allocated from (a VTI falls back to `tunnels` without `vti`).
    pool: Literal["tunnels", "vti"]
    #: The family its tunnel number counts in (tunN / vtiN); None: not a tunnel (a VLAN).
    interface_family: Literal["gre", "vti"] | None
    #: A PowerVS workspace (through IBM) or another device of the plan.
    far_end: Literal["powervs", "device"]
    #: Whether the BGP peer is a gateway in front of the workspace with an ASN of its own
    #: (a Transit Gateway), rather than the workspace's router itself.
    gateway_in_front: bool
    #: Whether the link must start on a router in IBM Cloud classic (`routers:`).
    starts_on_classic: bool
    #: The tunnel MTU when the plan gives none; None: not a tunnel.
    default_mtu: int | None
    #: Whether the far end may send more than the underlay carries, so TCP MSS is always
    #: clamped (a Transit Gateway runs 9000 bytes whatever the classic VLAN takes).
    always_clamp_mss: bool
    #: Whether a router's several links of this kind to one workspace are ranked, one
    #: preferred and the others backups (`redundant.preference`).
    ranks_backups: bool
    #: Set where IBM runs BGP on every link of the kind, so `routing: static` is refused.
    static_refused: StaticRefused | None
    #: Both ends' addresses from the subnet.
    split: splits.Split

    @property
    def subnet_use(self) -> Use:
        """What the subnet is to the overlap and reserved-range checks."""
        return "vti" if self.pool == "vti" else "tunnel"


#: GRE to a router or site: like IBM's VRA GRE example (1500 less 24 bytes of GRE/IPv4).
GRE_MTU = 1476
#: IPsec VTI: IBM documents no MTU. 1400 (MSS 1360) leaves room for ESP with AES-GCM or
#: AES-CBC + HMAC, NAT-T and the outer IPv4 header on a 1500-byte path; it is the value
#: Cisco's and Juniper's route-based VPN guides use. Set `mtu` to override.
IPSEC_MTU = 1400

KINDS: Mapping[Via, LinkKind] = MappingProxyType(
    {
        "cloud-connection": LinkKind(
            via="cloud-connection",
            far_name="PowerVS {}",
            subnet_prefixlen=ibm.CLOUD_CONNECTION_GRE_PREFIXLEN,
            size_rule="IBM's cloud-connection GRE uses a /29 split in two /30 halves "
            f"({rules.PVS_CLOUD_CONNECTIONS.url})",
            subnet_key="gre",
            pool="tunnels",
            interface_family="gre",
            far_end="powervs",
            gateway_in_front=False,
            starts_on_classic=True,
            default_mtu=ibm.CLOUD_CONNECTION_MTU,
            always_clamp_mss=False,
            ranks_backups=True,
            static_refused=StaticRefused(peer="PowerVS", source=rules.PVS_CLOUD_CONNECTIONS.url),
            split=splits.cloud_connection_ends,
        ),
        "transit-gateway": LinkKind(
            via="transit-gateway",
            far_name="the Transit Gateway to PowerVS {}",
            subnet_prefixlen=ibm.TRANSIT_GATEWAY_GRE_PREFIXLEN,
            size_rule="a Transit Gateway GRE puts both tunnel IPs in one /30 "
            f"({rules.TGW_CLI.url})",
            subnet_key="gre",
            pool="tunnels",
            interface_family="gre",
            far_end="powervs",
            gateway_in_front=True,
            starts_on_classic=True,
            default_mtu=ibm.TRANSIT_GATEWAY_MTU,
            always_clamp_mss=True,
            ranks_backups=True,
            static_refused=StaticRefused(
                peer="the Transit Gateway", source=rules.TGW_GRE_TROUBLESHOOTING.url
            ),
            split=splits.transit_gateway_ends,
        ),
        "gre": LinkKind(
            via="gre",
            far_name="{}",
            subnet_prefixlen=30,
            size_rule="a GRE tunnel between two routers uses a /30",
            subnet_key="gre",
            pool="tunnels",
            interface_family="gre",
            far_end="device",
            gateway_in_front=False,
            starts_on_classic=True,
            default_mtu=GRE_MTU,
            always_clamp_mss=False,
            ranks_backups=False,
            static_refused=None,
            split=splits.gre_ends,
        ),
        "ipsec": LinkKind(
            via="ipsec",
            far_name="{}",
            subnet_prefixlen=30,
            size_rule="a VTI between two routers uses a /30",
            subnet_key="vti",
            pool="vti",
            interface_family="vti",
            far_end="device",
            gateway_in_front=False,
            starts_on_classic=True,
            default_mtu=IPSEC_MTU,
            always_clamp_mss=False,
            ranks_backups=False,
            static_refused=None,
            split=splits.ipsec_ends,
        ),
        "megaport": LinkKind(
            via="megaport",
            far_name="PowerVS {}",
            subnet_prefixlen=30,
            size_rule="a Megaport VXC peering uses a /30",
            subnet_key="peering",
            pool="tunnels",
            interface_family=None,
            far_end="powervs",
            gateway_in_front=False,
            starts_on_classic=False,
            default_mtu=None,
            always_clamp_mss=False,
            ranks_backups=False,
            static_refused=None,
            split=splits.megaport_ends,
        ),
    }
)


def kind_of(conn: AnyConnection) -> LinkKind:
    """The row for a connection of the plan."""
    return KINDS[conn.via]
