"""One home per vendor (issue 23 item 1): the vendor modules, the link descriptions, and
what a new vendor still lacks.

Testing strategy: descriptions and object names are written by one side (the intents and
packs) and read back by another (`running/ownership.py`); the property tests feed names the
plan admits through both directions, so a change to either side that the other does not
follow fails here, not on a router. The sample plans check that what the intents actually
write is read back (every link description in every sample names its connection).
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import get_args

import pytest
from conftest import sample_plans
from hypothesis import assume, given
from hypothesis import strategies as st

from vra_config.intent.router import router_intents
from vra_config.pipeline import check_file
from vra_config.plan.model import CONNECTION_KINDS
from vra_config.plan.values import NAME_RE, TEXT_RE, VENDORS, Vendor
from vra_config.running.ownership import ownership
from vra_config.targets.base import RouterPack
from vra_config.targets.environment import templates_root
from vra_config.targets.routers import PACKS, paste
from vra_config.vendors import VENDORS as REGISTRY
from vra_config.vendors import VendorFacts, facts, missing
from vra_config.vendors.descriptions import about, connection_in, link_descriptions

names = st.from_regex(NAME_RE, fullmatch=True)
vias = st.sampled_from(sorted(CONNECTION_KINDS))


@given(connection=names, via=vias, powervs=names, other=names)
def test_a_link_description_reads_back_as_its_connection(
    connection: str, via: str, powervs: str, other: str
) -> None:
    for text in link_descriptions(connection, via, powervs, other):
        assert connection_in(text) == connection, text


@given(connection=names, what=st.from_regex(TEXT_RE, fullmatch=True))
def test_a_description_about_a_connection_reads_back(connection: str, what: str) -> None:
    assert connection_in(about(connection, what)) == connection


@given(word=names, connection=names, what=st.from_regex(TEXT_RE, fullmatch=True))
def test_a_description_that_only_contains_ours_names_nothing(
    word: str, connection: str, what: str
) -> None:
    """Ours only from its first character: `x cc-1: ...` is someone else's text."""
    assert connection_in(f"{word} {about(connection, what)}") is None


def _roots_naming(vendor: VendorFacts, role: str, name: str) -> list[tuple[str, ...]]:
    """Every object root the vendor's `OWNED` rules would tie to a name of `role`."""
    out = []
    for rule in vendor.OWNED:
        if rule.how != "name" or (rule.roles is not None and role not in rule.roles):
            continue
        for pattern, depth in vendor.ROOTS:
            head = pattern[: len(rule.root)]
            if any(w is not None and w != r for w, r in zip(head, rule.root, strict=True)):
                continue
            if rule.length not in (None, depth) or len(head) < len(rule.root):
                continue
            root = ["_" if w is None else w for w in pattern[:depth]]  # never a plan name
            if pattern[rule.at] is not None:
                continue  # a keyword, not a name, stands there
            root[rule.at] = name
            out.append(tuple(root))
    return out


@pytest.mark.parametrize("vendor", sorted(REGISTRY))
@given(connection=names, other=names)
def test_every_object_name_is_owned_for_its_connection_only(
    vendor: str, connection: str, other: str
) -> None:
    """`object_names` gives back what `ownership` owns: each name the packs make is tied to
    its connection by some rule, and not to another connection's."""
    module = facts(vendor)
    mine = module.object_names(connection)
    theirs = module.object_names(other)
    assume(not set(mine.values()) & set(theirs.values()))
    owner = ownership([], vendor, [connection])
    for role, name in mine.items():
        roots = _roots_naming(module, role, name)
        assert roots, f"{vendor}: no rule owns a {role} ({name})"
        assert all(owner.owns(root) for root in roots), (role, roots)
        foreign = _roots_naming(module, role, theirs[role])
        assert not any(owner.owns(root) for root in foreign), (role, foreign)


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.stem)
def test_every_link_description_in_the_samples_names_its_connection(plan: Path) -> None:
    """What the intents write (whichever module writes it) is what `running/` reads."""
    address_plan = check_file(plan).address_plan
    for intent in router_intents(address_plan).values():
        described = [
            *((t.connection, t.description) for t in intent.tunnels),
            *((v.connection, v.description) for v in intent.vtis),
            *((v.connection, v.description) for v in intent.vlan_interfaces),
            *((n.connection, n.description) for n in intent.bgp_neighbors),
        ]
        for connection, text in described:
            own_words = address_plan.connections[connection].description  # the plan's text
            expected = {connection, None} if own_words else {connection}
            assert connection_in(text) in expected, text


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.stem)
def test_the_intents_write_what_the_description_module_writes(plan: Path) -> None:
    """Until intent/router.py calls `link_descriptions` itself, its text and the module's
    must be the same, so the reader reads what is on the routers."""
    address_plan = check_file(plan).address_plan
    links = address_plan.connections
    for device, intent in router_intents(address_plan).items():
        interfaces = [*intent.tunnels, *intent.vtis, *intent.vlan_interfaces]
        for item in [*interfaces, *intent.bgp_neighbors]:
            link = links[item.connection]
            if link.description:
                continue  # the plan's own words
            other = link.peer if device == link.router else link.router
            interface, neighbor = link_descriptions(link.name, link.via, link.powervs, other)
            expected = neighbor if item in intent.bgp_neighbors else interface
            assert item.description == expected


def test_the_plan_the_registry_and_the_packs_name_the_same_vendors() -> None:
    assert get_args(Vendor) == VENDORS == tuple(REGISTRY)
    assert set(PACKS) == set(REGISTRY)
    assert all(name == facts(name).NAME for name in REGISTRY)


def lacks(name: str, vendor: object = None, pack: object = None) -> list[str]:
    """What vendor `name` still needs before `render --vendor NAME` works: its vendor module
    (registered, with every `VendorFacts` name), its pack (in `PACKS`, with every
    `RouterPack` name), its templates, its paste steps, and the plan's `Vendor` type.
    `vendor` and `pack` stand in for modules not registered yet."""
    found = []
    vendor = REGISTRY.get(name, vendor)
    if vendor is None:
        found.append(f"vra_config/vendors/{name}.py in vendors.VENDORS")
    else:
        found += [f"vendors/{name}.py: {n}" for n in missing(vendor)]
    pack = PACKS.get(name, pack)
    if pack is None:
        found.append(f"vra_config/targets/routers/{name}.py in PACKS")
    else:
        wanted = [*RouterPack.__annotations__, "context", "comment"]
        found += [f"targets/routers/{name}.py: {n}" for n in wanted if not hasattr(pack, n)]
    if not (templates_root() / name / "router.j2").is_file():
        found.append(f"templates/{name}/router.j2")
    if name not in paste.STEPS:
        found.append(f"paste.STEPS[{name!r}]")
    if name not in get_args(Vendor):
        found.append(f"plan.values.Vendor: {name!r}")
    return found


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_registered_vendor_lacks_nothing(name: str) -> None:
    assert lacks(name) == []


def test_a_new_vendor_is_told_what_it_still_lacks() -> None:
    vyos = types.ModuleType("vyos")
    vyos.NAME, vyos.TITLE, vyos.QUOTE = "vyos", "VyOS", "'"
    assert lacks("vyos", vendor=vyos) == [
        "vendors/vyos.py: PAIRS",
        "vendors/vyos.py: AS_OVERRIDE",
        "vendors/vyos.py: ROOTS",
        "vendors/vyos.py: OWNED",
        "vendors/vyos.py: MULTI",
        "vendors/vyos.py: MULTI_LISTS",
        "vendors/vyos.py: SECRETS",
        "vendors/vyos.py: quote",
        "vendors/vyos.py: object_names",
        "vendors/vyos.py: tunnel_interface",
        "vendors/vyos.py: tunnel_in",
        "vra_config/targets/routers/vyos.py in PACKS",
        "templates/vyos/router.j2",
        "paste.STEPS['vyos']",
        "plan.values.Vendor: 'vyos'",
    ]
