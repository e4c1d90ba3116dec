"""The lab's FRR template data, as typed records: what each template under `templates/frr/`
reads, field by field (see `vyatta_context.py` for why records rather than dicts)."""

from __future__ import annotations

from dataclasses import dataclass

from vra_config.targets.routers.bgp import RouterBlock


@dataclass(frozen=True, kw_only=True)
class Interface:
    name: str
    address: str


@dataclass(frozen=True, kw_only=True)
class Route:
    """`ip route PREFIX VIA`, with its description as a comment above it."""

    prefix: str
    via: str
    description: str


@dataclass(frozen=True, kw_only=True)
class PrefixRule:
    seq: int
    prefix: str


@dataclass(frozen=True, kw_only=True)
class PrefixList:
    name: str
    rules: tuple[PrefixRule, ...]


@dataclass(frozen=True, kw_only=True)
class RouteMap:
    name: str
    prefix_list: str | None
    deny: int
    local_preference: int | None
    prepend: str | None


@dataclass(frozen=True, kw_only=True)
class Neighbor:
    address: str
    remote_as: int
    description: str
    keepalive: int
    holdtime: int
    connect: int | None
    import_map: str
    export_map: str
    multihop: int | None
    as_override: bool


@dataclass(frozen=True, kw_only=True)
class FrrContext:
    """Everything `router.j2` and its includes read for one device (but the header)."""

    hostname: str
    nht_resolve_via_default: bool
    interfaces: tuple[Interface, ...]
    routes: tuple[Route, ...]
    prefix_lists: tuple[PrefixList, ...]
    route_maps: tuple[RouteMap, ...]
    bgp: RouterBlock[Neighbor] | None
