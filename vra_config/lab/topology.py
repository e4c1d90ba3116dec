"""The lab's picture of a plan: nodes, wires, source networks and what must reach what.

Pure: it reads the checked plan and its intents and returns data; nothing runs here.

- Every router, and every site that names a `vendor` (its end is rendered), is a node
  configured by the FRR rendering of its `RouterIntent`.
- Every PowerVS workspace is a stand-in for IBM's PowerVS router; a Transit Gateway
  connection adds a stand-in for the Transit Gateway between the router and the workspace.
- Every link is a wire: a veth pair carrying the link's inner addresses (tunnel /30, VTI /30,
  Megaport peering). GRE and IPsec encapsulation are not emulated.
- A device's connected networks are what it really holds: a router its private and public
  subnets, a router or site its `connected` networks, a workspace its `subnets`. Any other
  prefix a device advertises gets a host address (/32) for pings, but no route: the
  rendered configuration must provide one (`routes`), as on the real device.
- Expected reachability comes from the plan's own routing model (`routing.link_routes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.intent.records import RouterIntent
from vra_config.intent.router import router_intents
from vra_config.intent.routing import link_routes
from vra_config.planner.records import AddressPlan, PlannedLink
from vra_config.targets.routers import frr
from vra_config.targets.routers.bgp import policy_names

#: Where the lab numbers the wires IBM's side has inside itself (Transit Gateway to
#: workspace): RFC 6598 shared space, skipping anything the plan uses.
INTERNAL_POOL = IPv4Network("100.64.0.0/10")


@dataclass(frozen=True)
class WireEnd:
    node: str
    interface: str
    address: IPv4Interface
    #: the route-maps on this end's BGP session, (in, out); None on a static link
    policies: tuple[str, str] | None


@dataclass(frozen=True)
class Wire:
    """One link of the lab: a veth pair, and the BGP session (if any) across it."""

    name: str  # the plan's connection (or `<connection>-ibm` inside IBM's side)
    a: WireEnd
    b: WireEnd
    bgp: bool

    def end(self, node: str) -> WireEnd:
        return self.a if self.a.node == node else self.b

    def other(self, node: str) -> WireEnd:
        return self.b if self.a.node == node else self.a


@dataclass(frozen=True)
class Node:
    name: str
    kind: str  # "router", "site", "powervs" or "transit-gateway"
    asn: int | None
    #: the networks the node holds (a veth LAN each): (interface, address)
    lans: tuple[tuple[str, IPv4Interface], ...]
    #: host addresses (/32 on the loopback) in networks the node advertises but does not hold
    hosts: tuple[IPv4Address, ...]
    #: prefixes the node's BGP originates with `network`
    originates: tuple[IPv4Network, ...]
    intent: RouterIntent | None  # None for IBM's stand-ins


@dataclass(frozen=True)
class Network:
    """A source network of the reachability matrix and the address that answers in it."""

    prefix: IPv4Network
    owner: str
    host: IPv4Address


@dataclass(frozen=True)
class Topology:
    nodes: dict[str, Node]
    wires: tuple[Wire, ...]
    networks: tuple[Network, ...]
    #: per node: the plan's prefixes its routing table must hold (own ones included)
    expected: dict[str, frozenset[IPv4Network]]
    #: every prefix the plan places somewhere, for leak checks
    planned: frozenset[IPv4Network]
    #: what the lab does not emulate for this plan, said in the output
    notes: tuple[str, ...]
    failed: tuple[str, ...] = ()

    def expected_reach(self, source: Network, target: Network) -> bool:
        """The plan's answer: each end's routing table holds the other's network."""
        return (
            target.prefix in self.expected[source.owner]
            and source.prefix in self.expected[target.owner]
        )


def built_devices(address_plan: AddressPlan) -> list[str]:
    """The devices the lab runs: every router, and every site that names a vendor."""
    plan = address_plan.plan
    sites = [n for n, s in plan.sites.items() if s.vendor is not None]
    return sorted([*plan.routers, *sites])


def _powervs_asn(address_plan: AddressPlan, workspace: str, link: PlannedLink) -> int:
    """The workspace's own ASN, as the planner models it (`PlannedLink.workspace_asn`, from
    `planner.links.workspace_asn`): the peer's over a cloud connection or VXC, the
    workspace's own behind a Transit Gateway."""
    assert link.workspace_asn is not None, workspace
    return link.workspace_asn


def _first_host(net: IPv4Network) -> IPv4Address:
    return net.network_address if net.prefixlen == 32 else net.network_address + 1


def _device_end(link: PlannedLink, intent: RouterIntent, is_router: bool) -> WireEnd:
    address = link.router_address if is_router else link.peer_address
    number = link.tunnel if is_router else link.peer_tunnel
    assert address is not None
    family = {"ipsec": "vti", "megaport": None}.get(link.via, "gre")
    interface = frr.interface_name(family, number, link.vlan)
    policies = None
    for n in intent.bgp_neighbors:
        if n.connection == link.name:
            names = policy_names(n)
            policies = (names["rm_in"], names["rm_out"])
    return WireEnd(intent.name, interface, address, policies)


def build(address_plan: AddressPlan, failed: tuple[str, ...] = ()) -> Topology:
    """The lab topology of a checked plan; `failed` names connections brought down."""
    plan = address_plan.plan
    intents = router_intents(address_plan)
    devices = built_devices(address_plan)
    notes: list[str] = [
        "tunnels are point-to-point links: GRE and IPsec encapsulation are not emulated",
    ]
    nodes: dict[str, Node] = {}
    for name in devices:
        nodes[name] = _device_node(address_plan, name, intents[name])
        if intents[name].filters:
            notes.append(f"{name}: the inbound firewall filters (firewall: true) are not emulated")
    wires: list[Wire] = []
    stand_in_asn: dict[str, int] = {}
    used = _used_prefixes(address_plan)
    internal = (
        s for s in INTERNAL_POOL.subnets(new_prefix=30) if not any(s.overlaps(u) for u in used)
    )
    for name in sorted(address_plan.connections):
        link = address_plan.connections[name]
        if link.routing == "policy" or link.router_address is None:
            notes.append(f"{name}: policy-based IPsec is not emulated")
            continue
        if link.peer_kind != "powervs":
            if link.peer not in nodes:
                notes.append(f"{name}: {link.peer} names no vendor, so it is not run")
                continue
            a = _device_end(link, intents[link.router], True)
            b = _device_end(link, intents[link.peer], False)
            wires.append(Wire(name, a, b, link.routing == "bgp"))
            continue
        workspace = link.peer
        stand_in_asn.setdefault(workspace, _powervs_asn(address_plan, workspace, link))
        a = _device_end(link, intents[link.router], True)
        assert link.peer_address is not None
        index = len(wires)
        if link.via == "transit-gateway":
            tgw = f"{name}-tgw"
            nodes[tgw] = Node(tgw, "transit-gateway", link.peer_asn, (), (), (), None)
            wires.append(Wire(name, a, WireEnd(tgw, f"l{index}", link.peer_address, _IBM), True))
            subnet = next(internal)
            low, high = list(subnet.hosts())
            wires.append(
                Wire(
                    f"{name}-ibm",
                    WireEnd(tgw, f"l{index + 1}", IPv4Interface(f"{low}/30"), _IBM),
                    WireEnd(workspace, f"l{index + 1}", IPv4Interface(f"{high}/30"), _IBM),
                    True,
                )
            )
            notes.append(f"{name}: Transit Gateway {tgw} joins the router to {workspace}")
        else:
            b = WireEnd(workspace, f"l{index}", link.peer_address, _IBM)
            wires.append(Wire(name, a, b, link.routing == "bgp"))
    for workspace, ws in sorted(plan.powervs.items()):
        if workspace not in stand_in_asn:
            notes.append(f"PowerVS {workspace} has no link to a device the lab runs")
            continue
        lans = tuple(
            (f"lan{i}", IPv4Interface(f"{_first_host(p)}/{p.prefixlen}"))
            for i, p in enumerate(ws.subnets)
        )
        nodes[workspace] = Node(
            workspace, "powervs", stand_in_asn.get(workspace), lans, (), tuple(ws.subnets), None
        )
    networks = _networks(address_plan, nodes)
    live = {n: link for n, link in address_plan.connections.items() if n not in failed}
    return Topology(
        nodes,
        tuple(wires),
        networks,
        _expected(address_plan, live, nodes),
        frozenset(_own_prefixes(address_plan)),
        tuple(notes),
        failed,
    )


#: The stand-ins' policy names: IBM's documented filter in, everything it has out.
_IBM = ("IBM-IN", "IBM-OUT")


def _device_node(address_plan: AddressPlan, name: str, intent: RouterIntent) -> Node:
    plan = address_plan.plan
    lans: list[tuple[str, IPv4Interface]] = []
    router = plan.routers.get(name)
    device = router if router is not None else plan.sites[name]
    if router is not None:
        lans.append(("priv", router.private.address))
        if router.public is not None:
            lans.append(("pub", router.public.address))
        own = router.advertise
    else:
        own = plan.sites[name].networks
    # what the plan says the device holds as connected networks: a VLAN it is the gateway
    # of, a site's LAN; anything else it advertises needs a route the configuration renders
    lans += [
        (f"lan{i}", IPv4Interface(f"{_first_host(p)}/{p.prefixlen}"))
        for i, p in enumerate(device.connected)
    ]
    held = [address for _, address in lans]
    hosts = tuple(_first_host(p) for p in own if not any(a.ip in p or a.network == p for a in held))
    kind = "router" if router is not None else "site"
    return Node(name, kind, intent.asn, tuple(lans), hosts, intent.bgp_networks, intent)


def _own_prefixes(address_plan: AddressPlan) -> list[IPv4Network]:
    plan = address_plan.plan
    out = [p for r in plan.routers.values() for p in r.advertise]
    out += [p for s in plan.sites.values() for p in s.networks]
    out += [p for w in plan.powervs.values() for p in w.subnets]
    return out


def _used_prefixes(address_plan: AddressPlan) -> list[IPv4Network]:
    used = _own_prefixes(address_plan)
    used += [link.subnet for link in address_plan.connections.values() if link.subnet]
    plan = address_plan.plan
    used += [r.private.address.network for r in plan.routers.values()]
    used += [r.public.address.network for r in plan.routers.values() if r.public]
    return used


def _networks(address_plan: AddressPlan, nodes: dict[str, Node]) -> tuple[Network, ...]:
    """One source network per planned prefix of a node the lab runs, with its answering host."""
    plan = address_plan.plan
    out: list[Network] = []
    for name, node in sorted(nodes.items()):
        if node.kind == "router":
            own = plan.routers[name].advertise
        elif node.kind == "site":
            own = plan.sites[name].networks
        elif node.kind == "powervs":
            own = plan.powervs[name].subnets
        else:
            continue
        held = [address for _, address in node.lans]
        for prefix in own:
            inside = [a.ip for a in held if a.ip in prefix]
            host = inside[0] if inside else _first_host(prefix)
            out.append(Network(prefix, name, host))
    return tuple(sorted(out, key=lambda n: (n.prefix, n.owner)))


def _expected(
    address_plan: AddressPlan, live: dict[str, PlannedLink], nodes: dict[str, Node]
) -> dict[str, frozenset[IPv4Network]]:
    """Per node, the plan's prefixes its table must hold: its own, and what its links bring."""
    plan = address_plan.plan
    routes = link_routes(plan, live)
    expected: dict[str, set[IPv4Network]] = {name: set() for name in nodes}
    for name, node in nodes.items():
        if node.kind == "router":
            expected[name] |= set(plan.routers[name].advertise)
        elif node.kind == "site":
            expected[name] |= set(plan.sites[name].networks)
        elif node.kind == "powervs":
            expected[name] |= set(plan.powervs[name].subnets)
    for name, link in live.items():
        r = routes[name]
        if link.router in expected:
            expected[link.router] |= set(r.peer_exports)
        if link.peer in expected:
            expected[link.peer] |= set(r.router_exports)
    return {name: frozenset(prefixes) for name, prefixes in expected.items()}
