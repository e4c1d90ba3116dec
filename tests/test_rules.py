"""The rule registry: every finding the code base can raise has a registered, documented ID.

These tests read the source, so a finding added later (by anyone) without an ID, with an ID
that is not registered, or with one docs/errors.md does not list, fails here before a user
ever sees it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import Golden, run_cli

from vra_config.plan.findings import Finding, Mark
from vra_config.plan.rules import (
    FAMILIES,
    JUNIPER_RETH,
    RULES,
    TGW_REDUNDANT_GRE,
    TGW_UNBOUND_GRE,
    VRA_VRRP,
    VSRX_HA_DEFAULT,
    Severity,
    Source,
    explain,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "vra_config").rglob("*.py"))
ID_RE = re.compile(r"\bVRC\d{3}\b")


def _finding_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                calls.append((path, node))
    return calls


def test_the_code_base_constructs_findings() -> None:
    assert len(_finding_calls()) > 60


@pytest.mark.parametrize(
    ("path", "call"),
    _finding_calls(),
    ids=lambda v: f"{v.name}" if isinstance(v, Path) else f"line{getattr(v, 'lineno', '')}",
)
def test_every_finding_names_a_registered_rule(path: Path, call: ast.Call) -> None:
    rule = next((k.value for k in call.keywords if k.arg == "rule"), None)
    where = f"{path.relative_to(ROOT)}:{call.lineno}"
    assert rule is not None, f"{where}: Finding(...) without rule="
    if isinstance(rule, ast.Constant):
        assert rule.value in RULES, f"{where}: {rule.value} is not in vra_config.plan.rules"


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _downgrades() -> list[tuple[str, str]]:
    """(rule, where) of every `Finding(...)` that says it is milder than its rule."""
    out = []
    for path, call in _finding_calls():
        rule = _keyword(call, "rule")
        if _keyword(call, "downgraded") is not None and isinstance(rule, ast.Constant):
            out.append((str(rule.value), f"{path.relative_to(ROOT)}:{call.lineno}"))
    return out


@pytest.mark.parametrize(
    ("path", "call"),
    _finding_calls(),
    ids=lambda v: f"{v.name}" if isinstance(v, Path) else f"line{getattr(v, 'lineno', '')}",
)
def test_a_literal_severity_is_the_rules_unless_the_finding_says_why(
    path: Path, call: ast.Call
) -> None:
    """The severity comes from the rule (VRC902 was registered an error, emitted a warning)."""
    rule = _keyword(call, "rule")
    given = _keyword(call, "severity") or (call.args[2] if len(call.args) > 2 else None)
    if not isinstance(rule, ast.Constant) or not isinstance(given, ast.Constant):
        return  # computed: Finding refuses a mismatch when it is built (the tests below)
    where = f"{path.relative_to(ROOT)}:{call.lineno}"
    registered = RULES[rule.value].severity
    if given.value != registered:
        assert given.value == "warning", f"{where}: {rule.value} above its rule's {registered}"
        assert _keyword(call, "downgraded") is not None, (
            f"{where}: {rule.value} is a {registered} but this finding is a {given.value}: "
            "say why with `downgraded=`, or register a rule of its own"
        )


def test_every_downgrade_is_documented_beside_its_rule() -> None:
    """A user reading docs/errors.md learns when a rule's finding is only a warning."""
    docs = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert {rule for rule, _ in _downgrades()} == {"VRC902", "VRC980"}
    for rule, where in _downgrades():
        row = re.search(rf"^\| {rule} \|[^|]*\| ([^|]*)\|", docs, flags=re.M)
        assert row is not None and "a warning" in row.group(1), f"{where}: {rule} undocumented"


def test_a_finding_takes_its_rules_severity() -> None:
    assert Finding((), "x", rule="VRC902").severity == "error"
    assert Finding((), "x", rule="VRC901").severity == "warning"
    assert Finding((), "x", rule="VRC901").is_error is False


def test_a_downgrade_needs_a_reason_and_keeps_it_through_replace() -> None:
    with pytest.raises(ValueError, match="VRC902 finding has severity 'warning', its rule 'error'"):
        Finding((), "x", "warning", rule="VRC902")
    milder = Finding((), "x", "warning", rule="VRC902", downgraded="the site is not ours")
    assert milder.severity == "warning" and not milder.is_error
    moved = replace(milder, file="plan.yaml", mark=Mark(3, 1))
    assert moved.downgraded == "the site is not ours" and moved.severity == "warning"
    assert "not ours" not in moved.format()


@pytest.mark.parametrize(
    ("severity", "rule", "downgraded", "match"),
    [
        ("error", "VRC901", None, "VRC901 finding has severity 'error', its rule 'warning'"),
        ("error", "VRC901", "why", "VRC901 finding has severity 'error', its rule 'warning'"),
        ("error", "VRC902", "why", "VRC902 finding has `downgraded=` but the rule's severity"),
        (None, "VRC902", "", "VRC902 finding has `downgraded=`"),
        ("warning", "VRC902", "", "VRC902 finding has severity 'warning', its rule 'error'"),
    ],
)
def test_a_severity_other_than_the_rules_is_refused(
    severity: Severity | None, rule: str, downgraded: str | None, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        Finding((), "x", severity, rule=rule, downgraded=downgraded)


def test_severity_is_defined_once() -> None:
    defined = [
        path.relative_to(ROOT).as_posix()
        for path in SOURCES
        if re.search(r"^Severity\b.*=", path.read_text(encoding="utf-8"), flags=re.M)
    ]
    assert defined == ["vra_config/plan/rules.py"]


def test_every_id_written_in_the_code_is_registered() -> None:
    for path in SOURCES:
        for rule_id in ID_RE.findall(path.read_text(encoding="utf-8")):
            assert rule_id in RULES, f"{path.relative_to(ROOT)}: {rule_id} is not registered"


def test_an_unregistered_rule_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="VRC999"):
        Finding((), "x", rule="VRC999")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_well_formed(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert re.fullmatch(r"VRC\d{3}", rule.id)
    assert int(rule.id[3:]) // 100 in FAMILIES
    assert rule.title and rule.rationale.endswith(".")
    for source in rule.sources:
        assert source.url.startswith("https://"), source
    text = explain(rule_id)
    assert "ibm-facts" not in text and "shared/" not in text


def test_irrecoverable_rules_are_never_acknowledgeable() -> None:
    """Overlaps, exhausted pools, a wrong ASN on a link, unsafe text: never accepted."""
    for rule_id in ("VRC028", "VRC201", "VRC301", "VRC302", "VRC306", "VRC502", "VRC504"):
        assert not RULES[rule_id].acknowledgeable, rule_id


def test_docs_list_every_rule_and_only_rules() -> None:
    docs = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (VRC\d{3}) \|", docs, flags=re.M))
    assert listed == set(RULES)
    assert set(ID_RE.findall(docs)) <= set(RULES)


@pytest.mark.parametrize("rule_id", ["VRC101", "VRC201", "VRC028"])
def test_explain_prints_the_rule(rule_id: str, golden: Golden) -> None:
    run = run_cli(["explain", rule_id.lower()])
    assert run.exit_code == 0 and not run.stderr
    golden.check(ROOT / "tests" / "errors" / f"explain-{rule_id}.txt", run.stdout)


def test_explain_of_an_unknown_id_is_a_usage_error_listing_the_rules() -> None:
    run = run_cli(["explain", "VRC999"])
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        f"vra-config: error: VRC999: no such rule; the rules are {', '.join(sorted(RULES))}\n"
    )


def test_no_user_facing_text_cites_internal_sources_or_paths_outside_the_project() -> None:
    """Messages, docs, templates, samples and error goldens cite public pages only."""
    places = [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("templates/**/*.j2")]
    places += [*ROOT.glob("samples/*.yaml"), *ROOT.glob("tests/errors/*.out"), *SOURCES]
    for path in places:
        text = path.read_text(encoding="utf-8")
        for banned in ("ibm-facts", "../shared", "shared/reference", "shared/tools"):
            assert banned not in text, f"{path.relative_to(ROOT)} mentions {banned}"


# --- sources: a message cites its rule's registered page ---------------------------------

_TGW = "https://cloud.ibm.com/docs/transit-gateway?topic=transit-gateway-"

#: Every page a message cites through its rule (`RULES[rule].cite` or `.citing(source,
#: address=)`), with the exact text the message printed when the page was pasted in: the
#: citation still prints those bytes, so the swap left every message as it was (the goldens
#: show it too, for the messages a golden plan raises).
#: (module, rule, source, address, printed)
CITED: list[tuple[str, str, Source | None, bool, str]] = [
    ("vra_config.planner.ha", "VRC950", None, False, VRA_VRRP.url),
    ("vra_config.planner.ha", "VRC951", None, False, VRA_VRRP.url),
    ("vra_config.planner.cluster", "VRC952", None, False, VSRX_HA_DEFAULT.url),
    ("vra_config.planner.cluster", "VRC953", JUNIPER_RETH, False, JUNIPER_RETH.url),
    (
        "vra_config.planner.links",
        "VRC904",
        None,
        True,
        "RFC 2784, https://www.rfc-editor.org/rfc/rfc2784",
    ),
    ("vra_config.planner.validation", "VRC302", None, False, _TGW + "helpful-tips"),
    (
        "vra_config.planner.validation",
        "VRC303",
        None,
        False,
        "https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-ordering-direct-link-connect",
    ),
    (
        "vra_config.planner.validation",
        "VRC304",
        None,
        False,
        "https://cloud.ibm.com/docs/power-iaas?topic=power-iaas-network-architecture-diagrams-former",
    ),
    (
        "vra_config.planner.validation",
        "VRC121",
        None,
        False,
        "https://cloud.ibm.com/docs/dl?topic=dl-how-to-order-ibm-cloud-dl-connect",
    ),
    (
        "vra_config.targets.routers.vsrx",
        "VRC704",
        None,
        False,
        "https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/"
        "statement/prf-algorithm-edit-security-ike-proposal.html",
    ),
    (
        "vra_config.targets.ibm.side",
        "VRC705",
        TGW_UNBOUND_GRE,
        False,
        _TGW + "unbound-gre-connection",
    ),
    ("vra_config.planner.assigned", "VRC981", None, False, _TGW + "transit-gateway-cli"),
    (
        "vra_config.plan.model",
        "VRC960",
        TGW_REDUNDANT_GRE,
        False,
        _TGW + "redundant-gre-connection",
    ),
    # VRC901's reason is prose around the address: only the address is the rule's.
    (
        "vra_config.intent.design",
        "VRC901",
        None,
        False,
        "https://docs.frrouting.org/en/latest/bgp.html",
    ),
]

#: Where an address may sit outside a rule: `plan/rules.py` is where the addresses live, and
#: `plan/values.py`'s value errors (VRC029, any malformed value) have no rule page of their
#: own, so the Transit Gateway zone and PowerVS location pages stay in their messages.
UNCITED = {
    "vra_config/plan/rules.py",
    "vra_config/plan/values.py",
}


def _module_text(module: str) -> str:
    return (ROOT / Path(*module.split("."))).with_suffix(".py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "rule", "source", "address", "printed"),
    CITED,
    ids=[f"{r}-{m.rsplit('.', 1)[1]}" for m, r, *_ in CITED],
)
def test_a_message_citing_its_rule_prints_what_it_pasted_before(
    module: str, rule: str, source: Source | None, address: bool, printed: str
) -> None:
    assert RULES[rule].citing(source, address=address) == printed
    text = _module_text(module)
    assert f"RULES['{rule}']" in text  # a paste left beside it: the test below finds it


def _joined_strings(node: ast.AST) -> list[str]:
    """The text of every string in `node`, an f-string's literal parts joined (so an address
    split across implicitly concatenated lines reads whole)."""
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value for v in node.values if isinstance(v, ast.Constant))]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return [s for child in ast.iter_child_nodes(node) for s in _joined_strings(child)]


def pasted_addresses(source: str) -> list[str]:
    """Where a module pastes a page's address into a finding instead of citing its rule.

    A paste is an `https://` string inside a call with `rule=` (`Finding(...)`, a pack's
    `problems.add(...)`), a module constant named `*_SOURCE` holding one, or any module
    constant holding one that such a call reads."""
    tree = ast.parse(source)
    addressed: dict[str, int] = {}
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and any(
                "https://" in s for s in _joined_strings(node.value)
            ):
                addressed[target.id] = node.lineno
                if target.id.endswith("_SOURCE"):
                    found.append(f"{node.lineno}: {target.id}")
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not any(k.arg == "rule" for k in call.keywords):
            continue
        if any("https://" in s for s in _joined_strings(call)):
            found.append(f"{call.lineno}: an address in the message")
        for name in ast.walk(call):
            used = name.id if isinstance(name, ast.Name) else getattr(name, "attr", None)
            if used in addressed and not used.endswith("_SOURCE"):
                found.append(f"{call.lineno}: {used} (line {addressed[used]})")
    return found


def test_findings_cite_their_rule_instead_of_pasting_an_address() -> None:
    """A finding's page comes from its rule (`RULES[id].cite`), so `explain` lists every page
    a message cites; only `plan/rules.py` and the value errors of `plan/values.py` hold
    addresses (UNCITED)."""
    pasted = {
        path.relative_to(ROOT).as_posix(): pasted_addresses(path.read_text(encoding="utf-8"))
        for path in SOURCES
        if path.relative_to(ROOT).as_posix() not in UNCITED
    }
    assert {path: found for path, found in pasted.items() if found} == {}


def test_the_paste_finder_sees_each_kind_of_paste() -> None:
    source = (
        'DOC_SOURCE = "https://a.example/doc"\n'
        'PAGE = ("https://b.example/"\n    "page")\n'
        'PLAIN = "no address"\n'
        "def f():\n"
        '    Finding((), f"see {PAGE} or {PLAIN}", rule="VRC001")\n'
        '    problems.add((), "see " "https://c.example/", rule="VRC002")\n'
        '    Finding((), f"see {RULES[\'VRC003\'].cite}", rule="VRC003")\n'
        '    print("https://d.example/ is not a finding")\n'
    )
    assert pasted_addresses(source) == [
        "1: DOC_SOURCE",
        "6: PAGE (line 2)",
        "7: an address in the message",
    ]


def test_a_message_cannot_cite_a_page_its_rule_does_not_register() -> None:
    with pytest.raises(ValueError, match="VRC904 does not register"):
        RULES["VRC904"].citing(TGW_UNBOUND_GRE)
    with pytest.raises(ValueError, match="VRC029 does not register"):
        RULES["VRC029"].citing()
    assert RULES["VRC029"].cite == ""


def test_a_citation_is_the_address_or_the_rfc() -> None:
    assert TGW_UNBOUND_GRE.cited() == TGW_UNBOUND_GRE.cited(address=True) == TGW_UNBOUND_GRE.url
    assert RULES["VRC904"].cite == "RFC 2784"
