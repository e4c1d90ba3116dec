"""The pipeline end to end, for the CLI and the library API: plan → addresses → text.

It joins the stages and locates their findings in the plan file; it does no printing and
writes nothing (the CLI decides what to write, the library caller gets data back).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vra_config.findings import Finding, Mark, PlanError, PlanPath
from vra_config.intent import router_intents
from vra_config.loader import LoadedPlan, load_file, load_text, sorted_located
from vra_config.lock import Lock, lock_path, read_lock
from vra_config.model import Plan
from vra_config.planner import AddressPlan, plan_addresses
from vra_config.render import render_intents
from vra_config.vendors import PACKS, VendorError


class UsageError(Exception):
    """A mistake in how the tool was called (exit 2), as opposed to one in the plan (exit 1)."""


@dataclass(frozen=True)
class Checked:
    """A plan that passed every check, with its addresses and the warnings it raised."""

    file: str
    plan: Plan
    address_plan: AddressPlan
    warnings: tuple[Finding, ...]
    marks: Mapping[PlanPath, Mark]
    lock_file: Path | None


def check_loaded(loaded: LoadedPlan, lock: Lock, lock_file: Path | None, locked: bool) -> Checked:
    """Plan addresses; raise `PlanError` with every finding if any is an error."""
    address_plan = plan_addresses(loaded.plan, lock)
    findings = list(loaded.errors)
    findings += [f for f in address_plan.findings if not _refers_to_invalid(f, loaded)]
    if locked and address_plan.lock_changes and not any(f.is_error for f in findings):
        name = lock_file.name if lock_file else "the lock"
        findings += [
            Finding(
                ("connections", change.connection),
                f"--locked: {name} would change ({change.what}); run `vra-config plan` and "
                "commit the lock",
            )
            for change in address_plan.lock_changes
        ]
    located = sorted_located(findings, loaded.file, loaded.marks)
    if any(f.is_error for f in located):
        raise PlanError(located)
    return Checked(loaded.file, loaded.plan, address_plan, tuple(located), loaded.marks, lock_file)


def _refers_to_invalid(finding: Finding, loaded: LoadedPlan) -> bool:
    """A "no such router/workspace" finding about an item that exists but failed validation."""
    path = finding.path
    if len(path) == 3 and path[0] == "connections" and path[2] in ("router", "powervs"):
        conn = loaded.plan.connections.get(str(path[1]))
        if conn is not None:
            section = "routers" if path[2] == "router" else "powervs"
            return (section, getattr(conn, str(path[2]))) in loaded.invalid
    return False


def check_file(path: Path, locked: bool = False) -> Checked:
    """Load a plan file and its lock (beside it) and check them."""
    loaded = load_file(path)
    lock_file = lock_path(path)
    return check_loaded(loaded, read_lock(lock_file), lock_file, locked)


def check_text(text: str, file: str = "<plan>", lock: Lock | None = None) -> Checked:
    """Check plan text (no files): for the library API and tests."""
    return check_loaded(load_text(text, file), lock or Lock(), None, locked=False)


def vendors_for(plan: Plan, vendor: str | None, routers: list[str]) -> dict[str, str]:
    """The vendor of each router: `--vendor` for all, else each router's own `vendor:`."""
    if vendor is not None and vendor not in PACKS:
        raise UsageError(
            f"vendor {vendor} has no template pack yet; available: {', '.join(sorted(PACKS))}"
        )
    out: dict[str, str] = {}
    for name in routers:
        chosen = vendor or plan.routers[name].vendor
        if chosen is None:
            raise UsageError(
                f"router {name} names no vendor; pass --vendor (one of {', '.join(sorted(PACKS))}) "
                "or set `vendor:` on every router"
            )
        if chosen not in PACKS:
            raise UsageError(
                f"router {name} is a {chosen}, which has no template pack yet; pass --vendor "
                f"{' or '.join(sorted(PACKS))}"
            )
        out[name] = chosen
    return out


def render_checked(
    checked: Checked,
    vendor: str | None = None,
    router: str | None = None,
    templates: Path | None = None,
) -> dict[str, str]:
    """`{file name: text}` for every router (or the one named) of a checked plan."""
    intents = router_intents(checked.address_plan)
    if router is not None:
        if router not in intents:
            known = ", ".join(sorted(intents)) or "none"
            raise UsageError(f"--router {router}: no such router in the plan (routers: {known})")
        intents = {router: intents[router]}
    vendors = vendors_for(checked.plan, vendor, sorted(intents))
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: not a directory")
    plan_name = Path(checked.file).name
    try:
        return render_intents(intents, vendors, plan_name, templates)
    except VendorError as exc:
        raise PlanError(sorted_located(exc.findings, checked.file, checked.marks)) from None
