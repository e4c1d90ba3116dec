"""Shared test helpers: golden files, an in-process CLI runner, plans as data, cached renders.

Golden files are the reviewed, exact output users see. They change only when a test run is
given `--update-golden`, and the diff is then reviewed like code. A golden that no longer
matches leaves `<golden>.actual` beside it (git-ignored) and fails with the head of a unified
diff, so the change can be read, and copied over the golden once it is right.

What is covered where:

- Whole samples, byte for byte: `test_golden.py` (`samples/*.yaml` → `golden/`, every vendor
  pack, the `plan` table and JSON), `test_targets.py` (IBM's side: Terraform, ibmcloud),
  `test_frr.py` (the lab's FRR rendering), `test_errors.py` (`errors/*.yaml` → the exact
  message and exit code), `test_check_formats.py` (JSON, SARIF, GitHub annotations).
- One behaviour per small plan: `test_features.py` (`features/<feature>.yaml` → goldens per
  vendor beside it, plus one targeted assertion of the lines the feature is about).
- Behaviours by feature, each a file named for it: `test_same_asn_transit.py`,
  `test_direct_link_routing.py`, `test_vsrx_zones.py`, `test_ipsec_negotiation.py`,
  `test_advertised_routes.py`, `test_tunnel_mtu_mss.py`, `test_ebgp_multihop.py` (issue 10);
  `test_pool_and_lock_edges.py`, `test_keys.py`, `test_template_override.py` (issue 11);
  `test_redundant_transit_gateway.py`, `test_backup_ranking.py` (issue 13);
  `test_survive_failure.py` (issue 19); `test_ha.py` (VRA pairs), `test_cluster.py`
  (vSRX chassis clusters), `test_mixed_vendors.py`, `test_both_ends.py` and
  `test_ibm_side_agrees.py` (the two ends of a link agree), `test_ibm_two_step.py` (IBM's
  side before its ASN is known), `test_headers.py` (commit-safety headers),
  `test_scenarios.py` (keys, legacy suites, transit).
- The stages: `test_planner.py` (allocation, properties), `test_kinds.py` (the link kind
  table, and no module testing `via` strings), `test_route_space.py` (the route checks'
  index answers as a scan would), `test_link_ends.py` (a link's near and far ends mirror
  each other), `test_accept.py`, `test_rules.py` (rules, severities, sources cited from the
  rule), `test_vocabulary.py` (one exception base, exported), `test_gate.py` (check refuses
  what render would), `test_vendors.py` (the vendor modules, descriptions written and read
  back, what a new vendor lacks), `test_ibm_contract.py` (IBM templates read exactly their
  records), `test_delta.py` and `test_review.py` (running configuration, diffs),
  `test_verify.py`, `test_layout.py` (import direction).
- The CLI and its documentation: `test_cli.py`, `test_render_spool.py` (stdout holds
  nothing unless every device rendered), `test_docs_examples.py` (every console
  example in README.md and docs/ is what the program prints).
- Hostile input: `test_hostile.py`, `test_injection.py`, `test_mutation.py`,
  `test_target_quoting.py`, `test_robust.py` (issue 20).
- Speed without timing anything: `test_speed_caches.py` (the caches change no output),
  `test_guard_reuse.py` (check's kept template data renders what a fresh build does),
  `test_benchmarks.py` (the benchmark's floor prints what vra-config prints).
- The lab (root and FRR, else skipped with the reason): `test_lab.py` (every sample, broken
  designs caught), `test_lab_failures.py` (the failure matrix), `test_lab_vrrp.py` (a VRA
  pair's failover), `test_lab_vendor.py` (what each vendor's text means),
  `test_lab_verified.py` (the lab judged by verify's code), `test_lab_compare.py` (the
  comparison, without FRR); the vendors' translators: `test_danos_compare.py`,
  `test_junos_compare.py`.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from vra_config.cli import app
from vra_config.pipeline import check_text, render_checked
from vra_config.plan.findings import PlanError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
FEATURES = Path(__file__).resolve().parent / "features"
#: how many lines of a golden's unified diff a failure shows (the whole is in `.actual`)
DIFF_HEAD = 40


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff!)",
    )


#: Test modules by how long they take (`pytest --durations=0`), longest first. The suite runs
#: on parallel workers (`-n 4 --maxschedchunk 1`, README): starting the long ones first keeps a
#: worker from picking up a one-minute lab matrix while the others have finished. The lab
#: modules mostly wait on FRR's BGP and keepalived's VRRP timers; the others are CPU-bound.
SLOW_FIRST = (
    "test_lab_failures",
    "test_robust",
    "test_mutation",
    "test_survive_failure",
    "test_lab",
    "test_lab_vrrp",
    "test_lab_vendor",
    "test_injection",
    "test_hostile",
    "test_lab_verified",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slow modules first (a stable sort: order within a module is kept). Serially
    this changes nothing but the order."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))


@dataclass(frozen=True)
class Golden:
    update: bool

    def check(self, path: Path, actual: str) -> None:
        """Compare `actual` with the golden at `path`; on a mismatch (or a missing golden)
        write it to `<path>.actual` and fail with the head of the diff, so the reviewer sees
        what changed without re-running anything. A match removes a stale `.actual`."""
        beside = path.with_name(path.name + ".actual")
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            beside.unlink(missing_ok=True)
            return
        if not path.exists():
            beside.write_text(actual, encoding="utf-8")
            pytest.fail(
                f"{path} is missing; the output is in {beside.name}: review it, then run "
                "pytest --update-golden",
                pytrace=False,
            )
        expected = path.read_text(encoding="utf-8")
        if actual == expected:
            beside.unlink(missing_ok=True)
            return
        beside.write_text(actual, encoding="utf-8")
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=path.name,
            tofile=beside.name,
        )
        head = "".join(itertools.islice(diff, DIFF_HEAD))
        pytest.fail(
            f"output differs from {path.name} (the whole output is in {beside}):\n{head}",
            pytrace=False,
        )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str]) -> Run:
    """Run `vra-config ARGS` in this process; any exception other than exit is a failure."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


@functools.cache
def render_locked(plan: Path, vendor: str) -> Run:
    """`vra-config render --locked --vendor VENDOR PLAN`, run once per session.

    Many tests read the same committed plan's render (the golden test, the feature
    assertions, the cluster and backup tests); `--locked` writes nothing and a `Run` is
    frozen, so one run serves them all. A test that must prove two runs agree runs the CLI.
    """
    return run_cli(["render", "--locked", "--vendor", vendor, str(plan)])


def sample_plans() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*.yaml") if not p.name.endswith(".lock.yaml"))


def feature_plans() -> list[Path]:
    return sorted(p for p in FEATURES.glob("*.yaml") if not p.name.endswith(".lock.yaml"))


def unacknowledged(stderr: str) -> list[str]:
    """What a command said on stderr besides the findings the plan acknowledges (`accept:`),
    which are shown wherever reviewers look; a clean sample says nothing else."""
    return [line for line in stderr.splitlines() if ": acknowledged: " not in line]


def vra_pair_for_vsrx(plan: Path, vendor: str) -> bool:
    """A plan with a VRA pair (`ha:`) rendered for the vSRX: refused (VRC952), not rendered.

    A vSRX pair is a chassis cluster (`cluster:`); the pack would make a VRA pair one
    stand-alone vSRX on the reth addresses, with no failover.
    """
    routers = (yaml.safe_load(plan.read_text(encoding="utf-8")) or {}).get("routers") or {}
    return vendor == "vsrx" and any("ha" in (r or {}) for r in routers.values())


# --- plans as data: a sample read into a dict, changed by a test, checked and rendered -----


def sample(name: str) -> dict[str, Any]:
    """The sample `samples/NAME.yaml` as data, for a test to change one thing in it."""
    data: dict[str, Any] = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text())
    return data


def dump(plan: dict[str, Any]) -> str:
    """A plan as YAML, in the order the test built it (line numbers in messages follow it)."""
    return yaml.safe_dump(plan, sort_keys=False)


def write_plan(path: Path, plan: dict[str, Any]) -> Path:
    """Write a plan as JSON (a subset of YAML: one key per line, so messages' lines are
    stable) for tests that drive the CLI or the lock file."""
    path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    return path


def render(plan: dict[str, Any], vendor: str | None = None, **options: Any) -> dict[str, str]:
    """Check and render a plan given as data, as `plan.yaml`: file name → text."""
    return render_checked(check_text(dump(plan), "plan.yaml"), vendor, **options)


def errors(plan: dict[str, Any], vendor: str | None = None, **options: Any) -> list[str]:
    """The errors that stop `render` of a plan given as data, formatted as users see them."""
    with pytest.raises(PlanError) as info:
        render(plan, vendor, **options)
    return [f.format() for f in info.value.errors]


def warnings(plan: dict[str, Any]) -> list[str]:
    """The warnings `check` gives a plan given as data (as `plan.yaml`)."""
    return [f.format() for f in check_text(dump(plan), "plan.yaml").warnings]


def lines(text: str, *words: str) -> list[str]:
    """The lines of `text` that hold every one of `words`, in order."""
    return [line for line in text.splitlines() if all(w in line for w in words)]


def base_plan(**connections: dict[str, Any]) -> dict[str, Any]:
    """Two classic routers and two PowerVS workspaces, with `connections` between them."""
    return {
        "version": 1,
        "routers": {
            "vra1": {
                "asn": 64880,
                "private": {"address": "10.148.252.83/26", "gateway": "10.148.252.65"},
                "advertise": ["10.20.0.0/16"],
            },
            "vra2": {
                "asn": 64881,
                "private": {"address": "10.148.252.84/26", "gateway": "10.148.252.65"},
                "advertise": ["10.21.0.0/16"],
            },
        },
        "powervs": {
            "ws1": {"location": "dal12", "subnets": ["192.168.50.0/24"]},
            "ws2": {"location": "wdc04", "subnets": ["203.0.113.0/24"]},
        },
        "pools": {"tunnels": ["172.16.0.0/22"]},
        "connections": connections,
    }
