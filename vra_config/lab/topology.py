"""The lab's picture of a plan: nodes, wires, source networks and what must reach what.

Pure: it reads the checked plan and its intents and returns data; nothing runs here.

- Every router, and every site that names a `vendor` (its end is rendered), is a node
  configured by the FRR rendering of its `RouterIntent`, as its vendor's text means it
  (`targets/routers/meaning.py`): `--vendor` for all, else each device's `vendor:`.
- Every PowerVS workspace is a stand-in for IBM's PowerVS router; a Transit Gateway
  connection adds a stand-in for the Transit Gateway between the router and the workspace.
- Every link is a wire: a veth pair carrying the link's inner addresses (tunnel /30, VTI /30,
  Megaport peering). GRE and IPsec encapsulation are not emulated.
- A device's connected networks are what it really holds: a router its private and public
  subnets, a router or site its `connected` networks, a workspace its `subnets`. Any other
  prefix a device advertises gets a host address (/32) for pings, but no route: the
  rendered configuration must provide one (`routes`), as on the real device.
- Expected reachability comes from the plan's own routing model (`routing.link_routes`).
- A VRA pair (`ha:`) is its two members (`_split_pairs`), each a node with `pair` set, joined
  by the private and public VLANs (VRRP runs there, `lab/vrrp.py`); the pair's links end on
  the master member (the higher priority), and what the pair holds is the master's. The
  lab's `vrrp` module wires each link so that both members reach its far end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from vra_config.intent.ends import End, ends
from vra_config.intent.pairs import member_intents
from vra_config.intent.records import RouterIntent
from vra_config.intent.router import router_intents
from vra_config.intent.routing import link_routes
from vra_config.planner.records import AddressPlan, PlannedLink
from vra_config.targets.routers import frr
from vra_config.targets.routers.bgp import policy_names
from vra_config.targets.routers.meaning import VYATTA, meaning
from vra_config.vendors import pair_style
from vra_config.vendors.common import VRRP

#: Where the lab numbers the wires IBM's side has inside itself (Transit Gateway to
#: workspace): RFC 6598 shared space, skipping anything the plan uses.
INTERNAL_POOL = IPv4Network("100.64.0.0/10")


@dataclass(frozen=True, kw_only=True)
class WireEnd:
    node: str
    interface: str
    address: IPv4Interface
    #: the route-maps on this end's BGP session, (in, out); None on a static link
    policies: tuple[str, str] | None


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
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
    #: whose text the node runs ("vyatta" or "vsrx"); None for IBM's stand-ins
    vendor: str | None = None
    #: the VRA pair this node is a member of (a VRRP member run as its own node), else None;
    #: the failure matrix powers off every member (`failures.power_off_candidates`)
    pair: str | None = None


@dataclass(frozen=True, kw_only=True)
class Network:
    """A source network of the reachability matrix and the address that answers in it."""

    prefix: IPv4Network
    owner: str
    host: IPv4Address
    #: the owner's LAN interface behind which `host` sits in the owner's hosts namespace
    #: (a host of the subnet, not a router address); None: `host` is on the owner's loopback
    lan: str | None = None


@dataclass(frozen=True, kw_only=True)
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
    #: what the lab does not run, named in the PASS line: sites without a vendor, links
    #: not emulated, workspaces with no link to a device it runs
    skipped: tuple[str, ...] = ()

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


def device_vendors(address_plan: AddressPlan, vendor: str | None) -> dict[str, str]:
    """Whose text each device the lab runs means: `vendor` (as `render --vendor`) for all,
    else the device's own `vendor:`; a router that names none runs as a Vyatta 5600."""
    plan = address_plan.plan
    out: dict[str, str] = {}
    for name in built_devices(address_plan):
        device = plan.routers.get(name) or plan.sites[name]
        out[name] = vendor or device.vendor or VYATTA
    return out


def _powervs_asn(workspace: str, link: PlannedLink) -> int:
    """The workspace's own ASN, as the planner models it (`PlannedLink.workspace_asn`, from
    `planner.links.workspace_asn`): the peer's over a cloud connection or VXC, the
    workspace's own behind a Transit Gateway."""
    assert link.workspace_asn is not None, workspace
    return link.workspace_asn


def _first_host(net: IPv4Network) -> IPv4Address:
    return net.network_address if net.prefixlen == 32 else net.network_address + 1


def _device_end(link: PlannedLink, end: End, intent: RouterIntent) -> WireEnd:
    """The wire end on a device the lab runs: its tunnel or VLAN interface, as the `frr`
    pack names it, with this end's inner address and the route-maps of its BGP session."""
    assert end.address is not None
    family = link.kind.interface_family
    interface = frr.interface_name(family, end.number, link.vlan)
    policies = None
    for n in intent.bgp_neighbors:
        if n.connection == link.name:
            names = policy_names(n)
            policies = (names["rm_in"], names["rm_out"])
    return WireEnd(node=end.device, interface=interface, address=end.address, policies=policies)


@dataclass(kw_only=True)
class _Parts:
    """What `build` collects, in the order the lab reports it (notes and skips are printed
    as they were added)."""

    nodes: dict[str, Node] = field(default_factory=dict)
    wires: list[Wire] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: each workspace's stand-in ASN, set by its first link the lab runs
    stand_in_asn: dict[str, int] = field(default_factory=dict)


def build(
    address_plan: AddressPlan, failed: tuple[str, ...] = (), vendor: str | None = None
) -> Topology:
    """The lab topology of a checked plan; `failed` names connections brought down; `vendor`
    (vyatta or vsrx) is whose text every device runs, else each device's own `vendor:`."""
    intents = router_intents(address_plan)
    parts = _Parts(
        notes=["tunnels are point-to-point links: GRE and IPsec encapsulation are not emulated"]
    )
    _add_devices(parts, address_plan, intents, vendor)
    _add_links(parts, address_plan, intents)
    _add_workspaces(parts, address_plan)
    networks = _networks(address_plan, parts.nodes, parts.wires)
    live = {n: link for n, link in address_plan.connections.items() if n not in failed}
    topology = Topology(
        nodes=parts.nodes,
        wires=tuple(parts.wires),
        networks=networks,
        expected=expected_for(address_plan, live, parts.nodes),
        planned=frozenset(_own_prefixes(address_plan)),
        notes=tuple(parts.notes),
        failed=failed,
        skipped=tuple(parts.skipped),
    )
    return _split_pairs(address_plan, topology)


def _add_devices(
    parts: _Parts,
    address_plan: AddressPlan,
    intents: Mapping[str, RouterIntent],
    vendor: str | None,
) -> None:
    """A node per device the lab runs, and the notes on how each runs."""
    plan = address_plan.plan
    vendors = device_vendors(address_plan, vendor)
    if vendors:
        runs = ", ".join(f"{n} as {v}" for n, v in sorted(vendors.items()))
        parts.notes.append(f"each device routes as its rendered text means: {runs}")
    parts.skipped += [
        f"site {n} (no vendor)" for n, s in sorted(plan.sites.items()) if s.vendor is None
    ]
    for name in built_devices(address_plan):
        device = plan.routers.get(name) or plan.sites[name]
        if device.vendor is None and vendor is None:
            parts.notes.append(f"{name} names no vendor: it runs as a Vyatta 5600 (DANOS) would")
        parts.nodes[name] = _device_node(address_plan, name, intents[name], vendors[name])
        if intents[name].filters:
            parts.notes.append(
                f"{name}: the inbound firewall filters (firewall: true) are not emulated"
            )


def _add_links(
    parts: _Parts, address_plan: AddressPlan, intents: Mapping[str, RouterIntent]
) -> None:
    """A wire per link the lab emulates: between two devices it runs, or from a device to
    the stand-in of a workspace (through a Transit Gateway's stand-in where there is one)."""
    used = _used_prefixes(address_plan)
    internal = (
        s for s in INTERNAL_POOL.subnets(new_prefix=30) if not any(s.overlaps(u) for u in used)
    )
    for name in sorted(address_plan.connections):
        link = address_plan.connections[name]
        near, far = ends(link)
        if link.routing == "policy" or link.router_address is None:
            parts.notes.append(f"{name}: policy-based IPsec is not emulated")
            parts.notes += _selector_notes(
                name, [parts.nodes[d] for d in (link.router, link.peer) if d in parts.nodes]
            )
            parts.skipped.append(f"link {name} (policy-based IPsec)")
        elif far is None:
            _add_workspace_link(
                parts, link, _device_end(link, near, intents[near.device]), internal
            )
        elif far.device not in parts.nodes:
            parts.notes.append(f"{name}: {far.device} names no vendor, so it is not run")
            parts.skipped.append(f"link {name} (to {far.device}, which is not run)")
        else:
            a = _device_end(link, near, intents[near.device])
            b = _device_end(link, far, intents[far.device])
            parts.wires.append(Wire(name=name, a=a, b=b, bgp=link.routing == "bgp"))


def _add_workspace_link(
    parts: _Parts, link: PlannedLink, near: WireEnd, internal: Iterator[IPv4Network]
) -> None:
    """The wire from a router to a workspace's stand-in; behind a Transit Gateway, to the
    gateway's stand-in and from there, over a wire of IBM's own (numbered from `internal`),
    to the workspace's."""
    name, workspace = link.name, link.peer
    assert link.peer_address is not None
    parts.stand_in_asn.setdefault(workspace, _powervs_asn(workspace, link))
    index = len(parts.wires)
    if not link.kind.gateway_in_front:
        far = WireEnd(
            node=workspace, interface=f"l{index}", address=link.peer_address, policies=_IBM
        )
        parts.wires.append(Wire(name=name, a=near, b=far, bgp=link.routing == "bgp"))
        return
    tgw = f"{name}-tgw"
    parts.nodes[tgw] = Node(
        name=tgw,
        kind="transit-gateway",
        asn=link.peer_asn,
        lans=(),
        hosts=(),
        originates=(),
        intent=None,
    )
    parts.wires.append(
        Wire(
            name=name,
            a=near,
            b=WireEnd(node=tgw, interface=f"l{index}", address=link.peer_address, policies=_IBM),
            bgp=True,
        )
    )
    low, high = list(next(internal).hosts())
    parts.wires.append(
        Wire(
            name=f"{name}-ibm",
            a=WireEnd(
                node=tgw,
                interface=f"l{index + 1}",
                address=IPv4Interface(f"{low}/30"),
                policies=_IBM,
            ),
            b=WireEnd(
                node=workspace,
                interface=f"l{index + 1}",
                address=IPv4Interface(f"{high}/30"),
                policies=_IBM,
            ),
            bgp=True,
        )
    )
    parts.notes.append(f"{name}: Transit Gateway {tgw} joins the router to {workspace}")


def _add_workspaces(parts: _Parts, address_plan: AddressPlan) -> None:
    """A stand-in per workspace with a link the lab runs, holding the workspace's subnets."""
    for workspace, ws in sorted(address_plan.plan.powervs.items()):
        if workspace not in parts.stand_in_asn:
            parts.notes.append(f"PowerVS {workspace} has no link to a device the lab runs")
            parts.skipped.append(f"PowerVS {workspace} (no link to a device the lab runs)")
            continue
        lans = tuple(
            (f"lan{i}", IPv4Interface(f"{_first_host(p)}/{p.prefixlen}"))
            for i, p in enumerate(ws.subnets)
        )
        asn = parts.stand_in_asn.get(workspace)
        parts.nodes[workspace] = Node(
            name=workspace,
            kind="powervs",
            asn=asn,
            lans=lans,
            hosts=(),
            originates=tuple(ws.subnets),
            intent=None,
        )


#: The pair's VLANs, joined between its members: (interface, the member's address field).
PAIR_VLANS = (("priv", "private"), ("pub", "public"))


def _split_pairs(address_plan: AddressPlan, topology: Topology) -> Topology:
    """Every VRA pair as its two members: the master (first, higher priority) takes the
    pair's links, networks and expected routes; the backup holds the pair's own prefixes
    (its static routes) and no session until it takes over."""
    nodes, wires = dict(topology.nodes), list(topology.wires)
    networks, expected = list(topology.networks), dict(topology.expected)
    notes = list(topology.notes)
    for name, router in sorted(address_plan.plan.routers.items()):
        pair = nodes.get(name)
        if (
            router.ha is None
            or pair_style(router.vendor) != VRRP
            or pair is None
            or not pair.intent
        ):
            continue
        members = list(member_intents(pair.intent, router).values())
        master = members[0].name
        del nodes[name]
        lans = tuple(lan for lan in pair.lans if lan[0] not in dict(PAIR_VLANS))
        for m in members:
            nodes[m.name] = replace(pair, name=m.name, lans=lans, intent=m, pair=name)
        for vlan, address_field in PAIR_VLANS:
            own = [getattr(router.ha.members[m.name], address_field) for m in members]
            if all(own):
                a, b = (
                    WireEnd(node=m.name, interface=vlan, address=e, policies=None)
                    for m, e in zip(members, own, strict=True)
                )
                wires.append(Wire(name=f"{name}-{vlan}", a=a, b=b, bgp=False))
        wires = [_retarget(w, name, master) for w in wires]
        # a network on the pair's VLANs answers at its VIP (keepalived's, on the master):
        # the VLAN is the wire between the members, with no probe host behind it
        vips = dict(pair.lans)
        networks = [
            (
                replace(n, owner=master, lan=None, host=vips[n.lan].ip)
                if n.lan in dict(PAIR_VLANS)
                else replace(n, owner=master)
            )
            if n.owner == name
            else n
            for n in networks
        ]
        expected[master] = expected.pop(name)
        for m in members[1:]:
            expected[m.name] = frozenset(router.advertise)
        notes.append(
            f"{name}: VRRP pair of {', '.join(m.name for m in members)} (keepalived); a "
            "tunnel's inner address follows the VIPs, as a tunnel on a VIP passes packets only "
            "on the master"
        )
    return replace(
        topology,
        nodes=nodes,
        wires=tuple(wires),
        networks=tuple(sorted(networks, key=lambda n: (n.prefix, n.owner))),
        expected=expected,
        notes=tuple(notes),
    )


def _retarget(wire: Wire, old: str, new: str) -> Wire:
    """`wire` with its end on node `old` moved to node `new`."""
    a = replace(wire.a, node=new) if wire.a.node == old else wire.a
    b = replace(wire.b, node=new) if wire.b.node == old else wire.b
    return replace(wire, a=a, b=b)


def take_over(topology: Topology, old: str, new: str) -> Topology:
    """The topology after pair member `old` powered off, with `new` the master: `new` ends
    the pair's links and holds its networks (a no-op when `old` was the backup); `old` and
    the VLAN wires to it are gone."""
    nodes = {n: node for n, node in topology.nodes.items() if n != old}
    wires = tuple(
        _retarget(w, old, new)
        for w in topology.wires
        if not (
            old in (w.a.node, w.b.node)
            and {w.a.node, w.b.node} <= set(topology.nodes)
            and topology.nodes[w.a.node].pair is not None
            and topology.nodes[w.b.node].pair is not None
        )
    )
    expected = {n: e for n, e in topology.expected.items() if n != old}
    expected[new] = topology.expected[old] | topology.expected.get(new, frozenset())
    networks = tuple(replace(n, owner=new) if n.owner == old else n for n in topology.networks)
    return replace(topology, nodes=nodes, wires=wires, networks=networks, expected=expected)


def as_master(topology: Topology, new: str) -> Topology:
    """The topology with pair member `new` as its pair's master (VRRP moved the VIPs to it
    and, with no preemption, left them there): `new` ends the pair's links and holds its
    networks and routes; the other member stays, as the backup. Unchanged when `new` is
    already the master (or not a pair member)."""
    pair = topology.nodes[new].pair
    if pair is None:
        return topology
    old = next(
        (
            end.node
            for w in topology.wires
            for end in (w.a, w.b)
            if end.node != new
            and topology.nodes[end.node].pair == pair
            and topology.nodes[w.other(end.node).node].pair is None
        ),
        None,
    )
    if old is None:
        return topology
    wires = tuple(
        w if topology.nodes[w.other(old).node].pair == pair else _retarget(w, old, new)
        for w in topology.wires
    )
    expected = dict(topology.expected)
    expected[old], expected[new] = topology.expected[new], topology.expected[old]
    networks = tuple(replace(n, owner=new) if n.owner == old else n for n in topology.networks)
    return replace(topology, wires=wires, networks=networks, expected=expected)


def _selector_notes(connection: str, ends: list[Node]) -> list[str]:
    """What a vSRX end of a non-emulated VPN does not get: Junos installs its traffic-selector
    routes only while the tunnel is up, and the lab has no tunnel (nor `st0.N`)."""
    out = []
    for node in ends:
        if node.intent is None or node.vendor is None:
            continue
        routes = [
            f"{s.prefix} via {frr.selector_interface(s.unit)}"
            for s in meaning(node.intent, node.vendor).selector_routes
            if s.connection == connection
        ]
        if routes:
            out.append(
                f"{connection}: {node.name} (vSRX) installs {', '.join(routes)} only while the "
                "tunnel is up; the lab has no such tunnel, so the lab installs and advertises "
                "none of them"
            )
    return out


#: The stand-ins' policy names: IBM's documented filter in, everything it has out.
_IBM = ("IBM-IN", "IBM-OUT")


def _device_node(address_plan: AddressPlan, name: str, intent: RouterIntent, vendor: str) -> Node:
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
    originates = meaning(intent, vendor).originated
    return Node(
        name=name,
        kind=kind,
        asn=intent.asn,
        lans=tuple(lans),
        hosts=hosts,
        originates=originates,
        intent=intent,
        vendor=vendor,
    )


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


def _networks(
    address_plan: AddressPlan, nodes: dict[str, Node], wires: list[Wire]
) -> tuple[Network, ...]:
    """One source network per planned prefix of a node the lab runs, with its answering host.

    The host is an address of the subnet that no router, gateway or next hop of the plan
    uses (the highest free one), on a host behind the owner's LAN: a router's own address
    would also be another router's GRE endpoint or next hop, and answer for reasons that
    have nothing to do with the route being checked. A prefix the owner does not hold as
    a LAN keeps its /32 on the owner's loopback (`Node.hosts`)."""
    used = {a.ip for n in nodes.values() for _, a in n.lans}
    used |= {h for n in nodes.values() for h in n.hosts}
    used |= {end.address.ip for w in wires for end in (w.a, w.b)}
    for n in nodes.values():
        if n.intent is not None:
            used |= {r.next_hop for r in n.intent.static_routes if r.next_hop is not None}
    out: list[Network] = []
    for name, node in sorted(nodes.items()):
        for prefix in _own_of(address_plan, name, node):
            lan = next(((i, a) for i, a in node.lans if a.ip in prefix), None)
            if lan is None:
                out.append(Network(prefix=prefix, owner=name, host=_first_host(prefix)))
                continue
            interface, address = lan
            space = prefix if prefix.prefixlen >= address.network.prefixlen else address.network
            host = next((h for h in reversed(list(space.hosts())) if h not in used), None)
            if host is None:  # a /31 or /32 LAN has no room: the router answers itself
                out.append(Network(prefix=prefix, owner=name, host=address.ip))
                continue
            used.add(host)
            out.append(Network(prefix=prefix, owner=name, host=host, lan=interface))
    return tuple(sorted(out, key=lambda n: (n.prefix, n.owner)))


def _own_of(address_plan: AddressPlan, name: str, node: Node) -> tuple[IPv4Network, ...]:
    """The planned prefixes that are a node's own networks (none for a Transit Gateway)."""
    plan = address_plan.plan
    if node.kind == "router":
        return plan.routers[name].advertise
    if node.kind == "site":
        return plan.sites[name].networks
    if node.kind == "powervs":
        return plan.powervs[name].subnets
    return ()


def lab_hosts(topology: Topology) -> dict[str, list[tuple[str, IPv4Interface, IPv4Address]]]:
    """Per node, the probe hosts behind its LANs: (LAN interface, host address with the
    LAN's prefix length, the node's address there as the host's gateway)."""
    out: dict[str, list[tuple[str, IPv4Interface, IPv4Address]]] = {}
    for net in topology.networks:
        if net.lan is None:
            continue
        node = topology.nodes[net.owner]
        gateway = dict(node.lans)[net.lan]
        host = IPv4Interface(f"{net.host}/{gateway.network.prefixlen}")
        # a VRA pair's members hold the same LANs: a host behind each, for either as master
        holders = [
            n
            for n, other in sorted(topology.nodes.items())
            if n == net.owner or (node.pair is not None and other.pair == node.pair)
        ]
        for holder in holders:
            out.setdefault(holder, []).append((net.lan, host, gateway.ip))
    return out


def overlaps(topology: Topology) -> list[str]:
    """Every two networks of the lab that overlap (a LAN and a wire, two wires, two LANs of
    different devices), named: the kernel would route one into the other and the lab would
    prove nothing. Members of one HA pair share their LANs, as on the real segment."""
    spaces: list[tuple[str, str | None, IPv4Network]] = []
    for name, node in sorted(topology.nodes.items()):
        for interface, address in node.lans:
            spaces.append(
                (f"LAN {address.network} of {name} ({interface})", node.pair, address.network)
            )
    for w in topology.wires:
        spaces.append((f"link {w.name} ({w.a.address.network})", None, w.a.address.network))
    found: list[str] = []
    for i, (what, pair, net) in enumerate(spaces):
        for other, other_pair, other_net in spaces[i + 1 :]:
            if pair is not None and pair == other_pair and net == other_net:
                continue
            if net.overlaps(other_net):
                found.append(f"{what} overlaps {other}")
    return found


def expected_for(
    address_plan: AddressPlan, live: dict[str, PlannedLink], nodes: dict[str, Node]
) -> dict[str, frozenset[IPv4Network]]:
    """Per node, the plan's prefixes its table must hold: its own, and what its links bring.

    A VRA pair's members (`Node.pair`) are judged as the pair (either may be its master):
    the result has the pair's name and each member's, all with what the pair must hold."""
    plan = address_plan.plan
    routes = link_routes(plan, live)
    members = {name: node.pair for name, node in nodes.items() if node.pair is not None}
    planned = {n: x for n, x in nodes.items() if n not in members}
    for member, pair in members.items():
        planned.setdefault(pair, replace(nodes[member], name=pair, pair=None))
    nodes = planned
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
    for member, pair in members.items():
        expected[member] = expected[pair]
    return {name: frozenset(prefixes) for name, prefixes in expected.items()}
