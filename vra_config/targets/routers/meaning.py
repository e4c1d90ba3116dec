"""What a router's rendered text means for its routing, per vendor: the one place where the
Vyatta and vSRX designs differ in behaviour, read by the vSRX pack and by the lab's FRR model.

The intent (`intent/router.py`) holds one design and marks the parts only some OSes need:
`StaticRoute.reoriginate` (a prefix that would loop into a neighbour's AS, made local so
`network` originates it), `StaticRoute.for_ipsec_policy` (a route that puts a policy-based
IPsec peer's prefixes in the RIB) and `BgpNeighbor.own_as_in_path`. Each vendor expresses
them its own way, and `meaning(intent, vendor)` says how, as data:

- **Vyatta 5600 (DANOS).** Everything as the intent has it: the re-originating statics and
  `network` (the 5600's BGP has no `as-override`), the policy-based statics through the
  public gateway, and DANOS's routing defaults. DANOS's `protocols next-hop` YANG defaults
  `ip nht resolve-via-default` and `ipv6 nht resolve-via-default` to enabled, and its
  translator writes both into every frr.conf (github.com/danos/vyatta-protocols-frr:
  `yang/vyatta-protocols-frr-next-hop-v1.yang`, leaf `resolve-via-default`, and
  `scripts/frr/configs/commands/next_hop.json`): a BGP or static next hop may
  resolve through the default route.
- **Junos on the vSRX.** The path is rewritten instead: `as-override` with
  `advertise-peer-as` on each session that would drop its own AS (Juniper: `as-override`,
  "replace all occurrences of the peer AS number in the AS path with its own AS number";
  `advertise-peer-as`), so no re-originating static and no local origination of those
  prefixes. A route-based VPN with traffic selectors gets a route to each selector's
  remote prefix through its st0 unit from Junos itself, only while the tunnel is up
  (Juniper, "auto route insertion"; protocol `ari-ts` from Junos 22.2:
  https://apps.juniper.net/feature-explorer/feature/7498), so the policy statics are not
  written either. Junos resolves BGP next hops without a `nht` knob: nothing to add.

The vSRX pack renders `static_routes` and `as_override` from here, and the lab's FRR model
(`frr.py`) runs all of it, so the lab runs what each vendor's text means and the two cannot
drift. The Vyatta pack reads the intent directly, which is what `meaning(…, "vyatta")` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

from vra_config.intent.records import RouterIntent, StaticRoute
from vra_config.vendors import vsrx, vyatta

VYATTA = vyatta.NAME
VSRX = vsrx.NAME
VENDORS = (VYATTA, VSRX)


@dataclass(frozen=True)
class SelectorRoute:
    """A route the OS installs itself while an IPsec tunnel is up (Junos ARI-TS)."""

    prefix: IPv4Network
    unit: int  # the st0 unit the VPN is bound to
    connection: str


@dataclass(frozen=True, kw_only=True)
class Meaning:
    """The routing a vendor's rendering of one intent configures."""

    vendor: str
    #: static routes the text configures
    static_routes: tuple[StaticRoute, ...]
    #: routes the OS adds itself through a tunnel, and removes when the tunnel is down
    selector_routes: tuple[SelectorRoute, ...]
    #: prefixes BGP originates from a non-BGP route (`network`, or a Junos export of one)
    originated: tuple[IPv4Network, ...]
    #: BGP neighbours (by connection) whose own AS is replaced with ours on what we send
    as_override: frozenset[str]
    #: next hops may resolve through the default route (DANOS `ip nht resolve-via-default`)
    nht_resolve_via_default: bool


def rewrites_as_path(vendor: str) -> bool:
    """Whether the vendor rewrites a looping AS path (`as-override`) instead of
    re-originating the prefix: only Junos here (the 5600's BGP has no `as-override`)."""
    return vendor == VSRX


def meaning(intent: RouterIntent, vendor: str) -> Meaning:
    """What `vendor`'s rendering of `intent` configures for routing."""
    if vendor not in VENDORS:
        raise ValueError(f"no routing model for vendor {vendor!r}")
    if not rewrites_as_path(vendor):
        return Meaning(
            vendor=vendor,
            static_routes=intent.static_routes,
            selector_routes=(),
            originated=intent.bgp_networks,
            as_override=frozenset(),
            nht_resolve_via_default=True,
        )
    kept = tuple(r for r in intent.static_routes if not (r.reoriginate or r.for_ipsec_policy))
    selectors = _selector_routes(intent)
    # a prefix originated only because it was re-originated is now a BGP route, sent on
    # with as-override; one the device also routes otherwise stays originated
    routed = {r.prefix for r in kept} | {s.prefix for s in selectors} | set(intent.own_prefixes)
    reoriginated = {r.prefix for r in intent.static_routes if r.reoriginate}
    originated = tuple(p for p in intent.bgp_networks if p not in reoriginated or p in routed)
    # as-override rewrites only the neighbour's AS: a prefix that loops at an ASN behind it
    # (a workspace behind a Transit Gateway, `loops_behind`) is not helped by it
    overridden = frozenset(
        n.connection for n in intent.bgp_neighbors if set(n.own_as_in_path) - set(n.loops_behind)
    )
    return Meaning(
        vendor=vendor,
        static_routes=kept,
        selector_routes=selectors,
        originated=originated,
        as_override=overridden,
        nht_resolve_via_default=False,
    )


def _selector_routes(intent: RouterIntent) -> tuple[SelectorRoute, ...]:
    """One route per distinct remote selector of each VPN with traffic selectors; Junos
    inserts none for 0.0.0.0/0 (Juniper, "reverse route insertion")."""
    out: dict[tuple[IPv4Network, int], SelectorRoute] = {}
    for p in intent.ipsec_peers:
        assert p.number is not None or not p.policies
        for _, remote in p.policies:
            if remote.prefixlen == 0 or p.number is None:
                continue
            out.setdefault((remote, p.number), SelectorRoute(remote, p.number, p.connection))
    return tuple(sorted(out.values(), key=lambda s: (s.prefix, s.unit)))
