"""The near/far view of a link (`intent/ends.py`) and the order of the pair checks
(`planner/ha.py`): what the refactor of issue 23 items 4 and 6 must keep true.

The error goldens pin the pair findings' text, but sorted by place in the file; the order
`pair_findings` emits them in, which ties keep, is pinned here."""

from __future__ import annotations

from conftest import sample_plans

from vra_config.intent.ends import ends
from vra_config.intent.router import router_intents
from vra_config.pipeline import check_file
from vra_config.plan.loader import load_text
from vra_config.planner.ha import pair_findings

# every sample; the GRE and IPsec ones have a device at the far end
PLANS = sample_plans()


def test_the_far_end_is_the_near_end_seen_from_the_other_side() -> None:
    """Whatever one end calls its own, the other calls the far one's: addresses, tunnel
    endpoints and devices swap, so a swapped field cannot go unnoticed."""
    mirrored = 0
    for plan in PLANS:
        for link in check_file(plan).address_plan.connections.values():
            near, far = ends(link)
            assert (near.device, near.at_router_end) == (link.router, True)
            if far is None:
                assert link.peer_kind == "powervs"
                continue
            mirrored += 1
            assert (far.device, far.other) == (near.other, near.device)
            assert (far.address, far.far_address) == (near.far_address, near.address)
            assert (far.local_ip, far.remote_ip) == (near.remote_ip, near.local_ip)
            assert (far.remote_as, far.number) == (link.router_asn, link.peer_tunnel)
            assert (far.other_kind, far.zone, far.backup, far.behind) == ("router", None, 0, ())
    assert mirrored > 0  # the samples hold links between devices


def test_each_end_of_a_device_link_sends_what_the_other_receives() -> None:
    """The intent of both ends, built from one `End` each, agrees on the session and on
    the prefixes: one end's advertise is the other's accept."""
    checked = 0
    for plan in PLANS:
        address_plan = check_file(plan).address_plan
        intents = router_intents(address_plan)
        for link in address_plan.connections.values():
            near, far = ends(link)
            if far is None or link.routing != "bgp":
                continue
            a = next(n for n in intents[near.device].bgp_neighbors if n.connection == link.name)
            b = next(n for n in intents[far.device].bgp_neighbors if n.connection == link.name)
            assert (a.address, a.local_address) == (b.local_address, b.address)
            assert (a.advertise, a.accept) == (b.accept, b.advertise)
            checked += 1
    assert checked > 0


#: Two pairs breaking every IBM rule `pair_findings` checks, most more than once.
BROKEN_PAIRS = """\
version: 1
routers:
  vra-b:
    asn: 64880
    private: {address: 10.186.22.10/26, gateway: 10.186.22.1}
    ha:
      private_group: 1
      public_group: 3
      sync_group: vgroup1
      advertise_interval: 9
      members:
        m1: {private: 10.186.22.10/26, public: 169.60.10.21/29, priority: 255}
        m2: {private: 10.186.22.10/26, public: 169.60.10.21/29, priority: 255}
        m3: {private: 10.186.22.13/26, priority: 200}
        m4: {private: 10.186.22.14/26, priority: 200}
        vra-a: {private: 10.186.22.15/26, priority: 200}
  vra-a:
    asn: 64881
    private: {address: 10.186.22.20/26, gateway: 10.186.22.1}
    public: {address: 169.60.10.20/29, gateway: 169.60.10.17}
    ha:
      private_group: 1
      sync_group: vgroup1
      members:
        m1: {private: 10.186.22.20/26, priority: 254}
        m2: {private: 10.186.22.22/26, public: 169.60.10.20/29, priority: 254}
        m3: {private: 10.186.22.22/26, priority: 254}
"""

#: What `pair_findings` said of it before its rules were split into one check each
#: (recorded from `main` at the split): per pair by name, the member count, each member's
#: own checks in member order, the shared priorities and addresses, the public group,
#: the advert interval; the shared VRRP groups of all pairs last.
EXPECTED_ORDER = [
    ("vra-a.ha.members", "VRC950"),
    ("vra-a.ha.members.m1.private", "VRC950"),
    ("vra-a.ha.members.m1.public", "VRC950"),
    ("vra-a.ha.members.m2.public", "VRC950"),
    ("vra-a.ha.members.m3.public", "VRC950"),
    ("vra-a.ha.members.m2.priority", "VRC951"),
    ("vra-a.ha.members.m3.private", "VRC950"),
    ("vra-a.ha.public_group", "VRC950"),
    ("vra-b.ha.members", "VRC950"),
    ("vra-b.ha.members.m1", "VRC950"),
    ("vra-b.ha.members.m1.private", "VRC950"),
    ("vra-b.ha.members.m1.public", "VRC950"),
    ("vra-b.ha.members.m1.priority", "VRC951"),
    ("vra-b.ha.members.m2", "VRC950"),
    ("vra-b.ha.members.m2.private", "VRC950"),
    ("vra-b.ha.members.m2.public", "VRC950"),
    ("vra-b.ha.members.m2.priority", "VRC951"),
    ("vra-b.ha.members.m3", "VRC950"),
    ("vra-b.ha.members.vra-a", "VRC950"),
    ("vra-b.ha.members.m4.priority", "VRC951"),
    ("vra-b.ha.members.m2.private", "VRC950"),
    ("vra-b.ha.members.m2.public", "VRC950"),
    ("vra-b.ha.public_group", "VRC950"),
    ("vra-b.ha.advertise_interval", "VRC951"),
    ("vra-b.ha.private_group", "VRC951"),
]


def test_pair_findings_come_in_the_order_they_always_did() -> None:
    found = list(pair_findings(load_text(BROKEN_PAIRS).plan))
    got = [(".".join(str(p) for p in f.path[1:]), f.rule) for f in found]
    assert got == EXPECTED_ORDER
    assert all(f.path[0] == "routers" for f in found)
