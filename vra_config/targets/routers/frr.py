"""FRR (FRRouting 8.4+): the rendering `vra-config lab` runs in its network namespaces.

It turns the same vendor-neutral `RouterIntent` the Vyatta and vSRX packs read into one
integrated `frr.conf` per device, so the lab proves the plan's routing, not a second copy of
it. FRR is the routing suite the VRA's own OS (DANOS) is built on, and it keeps its defaults
here (`bgp network import-check` and `bgp ebgp-requires-policy` are on), as on the VRA.

Not a public `--vendor`: FRR configures routing only. The GRE, VTI/IPsec and VLAN devices of
a Linux gateway are made outside FRR (iproute2, strongSwan), and the inbound firewall filters
are netfilter rules, so this file alone would not be paste-ready for an FRR gateway. The lab
makes the links itself (point-to-point veth pairs with these interface names).

Every keyword is in FRR's user guide (https://docs.frrouting.org/en/stable-8.4/):
- `frr defaults traditional`, `hostname`: basic.html ("frr defaults");
- `interface NAME` / `ip address A.B.C.D/M`: zebra.html;
- `ip route PREFIX NEXTHOP|INTERFACE`: static.html;
- `ip prefix-list NAME seq N permit PREFIX`: filter.html; `route-map NAME permit|deny N`,
  `match ip address prefix-list NAME`: routemap.html;
- `router bgp ASN`, `bgp router-id`, `neighbor PEER remote-as|description|timers`,
  `address-family ipv4 unicast`, `network`, `neighbor PEER route-map NAME in|out`,
  `neighbor PEER ebgp-multihop N`, `neighbor PEER as-override`: bgp.html;
- `ip nht resolve-via-default`, `ipv6 nht resolve-via-default`: zebra.html ("nexthop
  tracking").

Per vendor, it runs what that vendor's text means (`meaning.py`, shared with the vSRX pack):
for Vyatta the intent's re-originating statics plus `network`, the policy-based statics and
DANOS's `nht resolve-via-default`; for vSRX `as-override` on the sessions that need it and
the traffic-selector routes Junos installs through `st0.N` (an interface route: FRR
installs it only while that interface is up, as Junos keeps it only while the tunnel is).
"""

from __future__ import annotations

from collections.abc import Mapping

from vra_config.intent.records import BgpNeighbor, RouterIntent, StaticRoute
from vra_config.targets.routers.bgp import RouterBlock, policy_names, router_block
from vra_config.targets.routers.frr_context import (
    FrrContext,
    Interface,
    Neighbor,
    PrefixList,
    PrefixRule,
    Route,
    RouteMap,
)
from vra_config.targets.routers.meaning import VYATTA, Meaning, SelectorRoute, meaning
from vra_config.vendors.descriptions import about

TITLE = "FRR"
SUFFIX = "frr.conf"
RULE_STEP = 10
#: The catch-all deny sits after every permit a route-map has (route-map sequence 1-65535).
DENY_SEQUENCE = 65535


def comment(text: str) -> str:
    """A comment line: FRR's configuration reader skips lines that start with `!`."""
    return f"! {text}"


def interface_name(family: str | None, number: int | None, vlan: int | None = None) -> str:
    """The Linux interface a link end is: `tunN` (GRE), `vtiN` (VTI) or `vlanN` (a VXC)."""
    if family == "gre":
        return f"tun{number}"
    if family == "vti":
        return f"vti{number}"
    return f"vlan{vlan}"


def selector_interface(unit: int) -> str:
    """The st0 unit a Junos VPN is bound to, by its Junos name (a valid Linux name too)."""
    return f"st0.{unit}"


def context(
    intent: RouterIntent, secrets: Mapping[str, str] | None = None, vendor: str = VYATTA
) -> FrrContext:
    """Template data for one device, as `vendor`'s text means it. FRR can express everything
    the intent holds for routing, so nothing is refused; what is not routing (IPsec,
    firewall filters) is left out."""
    del secrets  # FRR holds no keys: IPsec is not configured by FRR
    m = meaning(intent, vendor)
    prefix_lists, route_maps, bgp = _bgp(intent, m)
    return FrrContext(
        hostname=intent.name,
        nht_resolve_via_default=m.nht_resolve_via_default,
        interfaces=_interfaces(intent),
        routes=tuple(_route(r) for r in m.static_routes)
        + tuple(_selector_route(s) for s in m.selector_routes),
        prefix_lists=prefix_lists,
        route_maps=route_maps,
        bgp=bgp,
    )


def _interfaces(intent: RouterIntent) -> tuple[Interface, ...]:
    out = [
        Interface(name=interface_name("gre", t.number), address=str(t.address))
        for t in intent.tunnels
    ]
    out += [
        Interface(name=interface_name("vti", v.number), address=str(v.address)) for v in intent.vtis
    ]
    out += [
        Interface(name=interface_name(None, None, v.vlan), address=str(v.address))
        for v in intent.vlan_interfaces
    ]
    return tuple(sorted(out, key=lambda i: i.name))


def _route(r: StaticRoute) -> Route:
    via = str(r.next_hop) if r.next_hop is not None else interface_name(r.family, r.number)
    return Route(prefix=str(r.prefix), via=via, description=r.description)


def _selector_route(s: SelectorRoute) -> Route:
    return Route(
        prefix=str(s.prefix),
        via=selector_interface(s.unit),
        description=about(s.connection, "traffic selector, installed by Junos while up"),
    )


def _route_map(
    n: BgpNeighbor, direction: str, prefix_list: str | None, asn: int | None
) -> RouteMap:
    """One direction's route-map; a backup link as the packs render it (routemap.html:
    `set local-preference`, `set as-path prepend`)."""
    return RouteMap(
        name=policy_names(n)[f"rm_{direction}"],
        prefix_list=prefix_list,
        deny=DENY_SEQUENCE,
        local_preference=n.local_preference if direction == "in" else None,
        prepend=" ".join([str(asn)] * n.prepend) if direction == "out" else None,
    )


def _bgp(
    intent: RouterIntent, m: Meaning
) -> tuple[tuple[PrefixList, ...], tuple[RouteMap, ...], RouterBlock[Neighbor] | None]:
    """(prefix lists, route-maps, the router block); policies sorted by name, so the text is
    byte-stable whatever order the links were walked in."""
    prefix_lists: list[PrefixList] = []
    route_maps: list[RouteMap] = []
    neighbors: list[Neighbor] = []
    for n in intent.bgp_neighbors:
        names = policy_names(n)
        for direction, prefixes in (("in", n.accept), ("out", n.advertise)):
            pl = names[f"pl_{direction}"]
            if prefixes:
                rules = tuple(
                    PrefixRule(seq=(i + 1) * RULE_STEP, prefix=str(p))
                    for i, p in enumerate(prefixes)
                )
                prefix_lists.append(PrefixList(name=pl, rules=rules))
            route_maps.append(_route_map(n, direction, pl if prefixes else None, intent.asn))
        neighbors.append(
            Neighbor(
                address=str(n.address),
                remote_as=n.remote_as,
                description=n.description,
                keepalive=n.keepalive,
                holdtime=n.holdtime,
                connect=n.connect_retry,
                import_map=names["rm_in"],
                export_map=names["rm_out"],
                multihop=n.multihop,
                as_override=n.connection in m.as_override,
            )
        )
    return (
        tuple(sorted(prefix_lists, key=lambda p: p.name)),
        tuple(sorted(route_maps, key=lambda r: r.name)),
        router_block(intent, neighbors, m.originated),
    )


def render(intent: RouterIntent, plan_name: str, vendor: str = VYATTA) -> str:
    """The `frr.conf` of one device, as `vendor`'s rendering of it routes."""
    from vra_config.targets.environment import environment, template_vars

    variables = template_vars(context(intent, vendor=vendor))
    variables["header"] = [
        comment(f"vra-config: router {intent.name} ({intent.role}), {TITLE}"),
        comment(f"routing as the {vendor} text means it"),
        comment(f"plan: {plan_name}"),
        comment("For vra-config lab; GRE, IPsec and firewall filters are not FRR's."),
    ]
    text = environment("frr").get_template("router.j2").render(variables)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line) + "\n"
