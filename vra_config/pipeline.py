"""The pipeline end to end, for the CLI and the library API: plan → addresses → text.

It joins the stages and locates their findings in the plan file; it does no printing and
writes nothing (the CLI decides what to write, the library caller gets data back).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vra_config.errors import VraConfigError
from vra_config.intent.design import design_findings
from vra_config.intent.routing import LinkRoutes, link_routes
from vra_config.plan.accept import acknowledge
from vra_config.plan.findings import Finding, Mark, PlanError, PlanPath, sorted_located
from vra_config.plan.loader import LoadedPlan, load_file, load_text
from vra_config.plan.model import Plan
from vra_config.planner import assigned
from vra_config.planner.addresses import plan_addresses
from vra_config.planner.lock import Lock, lock_path, read_lock
from vra_config.planner.records import AddressPlan, InUse
from vra_config.planner.redundant import origins_of, relocate, relocate_findings
from vra_config.writer import KEY_BYTES_MAX, read_bytes_bounded

if TYPE_CHECKING:
    from vra_config.intent.records import RouterIntent
    from vra_config.targets.base import PackContext

#: A pack's template data for one device, with the intent it was built from: what the vendor
#: guards of `check` built, for `render` to reuse (`Checked.contexts`).
Guarded = tuple["RouterIntent", "PackContext"]

# Rendering (jinja2, the vendor packs, intent) is imported by the functions that render, so
# `check` and `plan` do not pay for it.


class UsageError(VraConfigError):
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
    #: What crosses each link, when the design checks worked it out (render reuses it);
    #: None when they did not run (the plan's only errors were acknowledged).
    routes: Mapping[str, LinkRoutes] | None
    #: Each device's intent, when the vendor guards worked it out: render reuses it rather
    #: than working it out again (1.7 s of a 10,000-connection render); None when they did
    #: not run.
    intents: Mapping[str, RouterIntent] | None = None
    #: Each (device, pack)'s template data as the vendor guards built it, keys withheld, when
    #: the check was asked to keep it (`keep_contexts`): a render without `--show-secrets`
    #: reuses it rather than building it again; None otherwise.
    contexts: Mapping[tuple[str, str], Guarded] | None = None

    @property
    def acknowledged(self) -> tuple[Finding, ...]:
        """The findings the plan accepts on purpose (`accept:`), each with its reason."""
        return tuple(f for f in self.warnings if f.accepted is not None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a plan is read and checked, as it was after.

    Checking builds millions of objects that live until the end (nodes, records, prefixes)
    and almost no reference cycles. Each time enough of them pile up the collector walks
    every object alive: 16 full collections at 10,000 connections, 40% of `check`'s CPU
    time (measured: 10-12 s with it, 5-6 s without, peak memory the same, 373 MB in
    process). Reference counting still frees everything that is not a cycle; the collector
    is back on, if it was on, when the check ends or raises.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_loaded(
    loaded: LoadedPlan,
    lock: Lock,
    lock_file: Path | None,
    locked: bool,
    running: Mapping[str, tuple[str, str]] | None = None,
    vendor: str | None = None,
    ibm_side_only: bool = False,
    keep_contexts: bool = False,
) -> Checked:
    """Plan addresses; raise `PlanError` with every finding if any is an error.

    `ibm_side_only` is `render --target terraform|ibmcloud`: IBM's side is applied before
    the Transit Gateway assigns its Local BGP ASN, so a missing one is a warning there; for
    `check` and the routers it is an error (VRC980), since no router can be rendered yet.

    `running` maps a router to (file name, text) of its running configuration: what it uses
    that the plan does not own is avoided. `vendor` is `check --vendor`: every device is
    held to that pack, as `render --vendor` would render it; without it each device to its
    own `vendor:`, and a router that names none to every pack.

    `keep_contexts` keeps the template data the vendor guards build (`Checked.contexts`) for
    a render to reuse. Off by default: at 10,000 connections it is 80 MB more at the peak of
    `check` (297 to 378 MB, past the 300 MB target) for 1-2 s less CPU in the render.
    """
    with collector_paused():
        return _check_loaded(
            loaded, lock, lock_file, locked, running, vendor, ibm_side_only, keep_contexts
        )


def _check_loaded(
    loaded: LoadedPlan,
    lock: Lock,
    lock_file: Path | None,
    locked: bool,
    running: Mapping[str, tuple[str, str]] | None,
    vendor: str | None,
    ibm_side_only: bool,
    keep_contexts: bool,
) -> Checked:
    """`check_loaded` with the collector paused: the addresses, then (on a sound plan) the
    design, the routers' intents and the vendor guards, then the lock."""
    vendor = vendor.lower() if vendor is not None else None  # `--vendor VSRX` is vsrx
    address_plan = plan_addresses(loaded.plan, lock, _in_use(loaded, running))
    findings = list(loaded.errors)
    findings += [f for f in address_plan.findings if not _refers_to_invalid(f, loaded)]
    waiting = assigned.missing_asns(loaded.plan, "warning" if ibm_side_only else "error")
    findings += waiting
    sound = _SoundPlan()
    if not any(f.is_error for f in findings):
        # Design checks read the routing of a sound plan: on a broken one they would only
        # repeat, less clearly, what is already wrong.
        sound = _sound_plan_checks(address_plan, vendor, bool(waiting), keep_contexts)
        findings += sound.findings
    findings += assigned.public_gateway_ips(loaded.plan)
    findings = acknowledge(findings, loaded.plan.accept)
    if locked and not any(f.is_error for f in findings):
        findings += _lock_would_change(loaded, address_plan, lock_file)
    located = sorted_located(findings, loaded.file, loaded.marks)
    if any(f.is_error for f in located):
        raise PlanError(located)
    return Checked(
        loaded.file,
        loaded.plan,
        address_plan,
        tuple(located),
        loaded.marks,
        lock_file,
        sound.routes,
        sound.intents,
        sound.contexts,
    )


def _in_use(loaded: LoadedPlan, running: Mapping[str, tuple[str, str]] | None) -> dict[str, InUse]:
    """What each router's running configuration uses that the plan does not own (`--running
    ROUTER=FILE`); a router or site the plan lacks is a usage error."""
    unknown = sorted(set(running or {}) - set(loaded.plan.routers) - set(loaded.plan.sites))
    if unknown:
        raise UsageError(f"--running {unknown[0]}=...: no such router or site in the plan")
    if not running:  # the running-config reader (6 ms to import) only when one is given
        return {}
    from vra_config.running.inuse import in_use

    names = loaded.plan.link_names()
    return {router: in_use(text, file, names) for router, (file, text) in running.items()}


@dataclass(frozen=True, kw_only=True)
class _SoundPlan:
    """What the checks of a plan with no error found, and worked out on the way (render
    reuses it); empty when they did not run."""

    findings: tuple[Finding, ...] = ()
    routes: Mapping[str, LinkRoutes] | None = None
    intents: Mapping[str, RouterIntent] | None = None
    contexts: dict[tuple[str, str], Guarded] | None = None


def _sound_plan_checks(
    address_plan: AddressPlan, vendor: str | None, waiting: bool, keep_contexts: bool
) -> _SoundPlan:
    """The design checks; on a design with no error, the routers' intents held to every
    pack that renders them (unless an ASN IBM assigns is still missing: no intent yet), and
    IBM's side."""
    routes = link_routes(address_plan.plan, address_plan.connections)
    findings = design_findings(address_plan, routes)
    if any(f.is_error for f in findings):
        return _SoundPlan(findings=tuple(findings), routes=routes)
    intents: Mapping[str, RouterIntent] | None = None
    contexts: dict[tuple[str, str], Guarded] | None = None
    if not waiting:
        from vra_config.intent.router import router_intents

        intents = router_intents(address_plan, routes)
        guarded, kept = vendor_guards(address_plan, vendor, intents, keep_contexts)
        findings += guarded
        contexts = kept if keep_contexts else None
    findings += ibm_side_findings(address_plan)
    return _SoundPlan(findings=tuple(findings), routes=routes, intents=intents, contexts=contexts)


def _lock_would_change(
    loaded: LoadedPlan, address_plan: AddressPlan, lock_file: Path | None
) -> list[Finding]:
    """`--locked`: every allocation the lock does not hold yet is an error (VRC504)."""
    name = lock_file.name if lock_file else "the lock"
    origins = origins_of(loaded.plan)
    return [
        Finding(
            relocate(("connections", change.connection), origins),
            f"--locked: {name} would change ({change.what}); run `vra-config plan` and "
            "commit the lock",
            rule="VRC504",
        )
        for change in address_plan.lock_changes
    ]


def _refers_to_invalid(finding: Finding, loaded: LoadedPlan) -> bool:
    """A "no such router/workspace" finding about an item that exists but failed validation."""
    path = finding.path
    if len(path) == 3 and path[0] == "connections" and path[2] in ("router", "powervs"):
        conn = loaded.plan.connections.get(str(path[1]))
        if conn is not None:
            section = "routers" if path[2] == "router" else "powervs"
            return (section, getattr(conn, str(path[2]))) in loaded.invalid
    return False


def check_file(
    path: Path,
    locked: bool = False,
    running: Mapping[str, tuple[str, str]] | None = None,
    vendor: str | None = None,
    ibm_side_only: bool = False,
    keep_contexts: bool = False,
) -> Checked:
    """Load a plan file and its lock (beside it) and check them (the collector paused for
    both: reading a large plan is most of the objects the check builds)."""
    with collector_paused():
        loaded = load_file(path)
        lock_file = lock_path(path)
        return check_loaded(
            loaded,
            read_lock(lock_file),
            lock_file,
            locked,
            running,
            vendor,
            ibm_side_only,
            keep_contexts,
        )


def check_text(
    text: str, file: str = "<plan>", lock: Lock | None = None, vendor: str | None = None
) -> Checked:
    """Check plan text (no files): for the library API and tests."""
    return check_loaded(load_text(text, file), lock or Lock(), None, False, None, vendor)


def vendor_findings(
    address_plan: AddressPlan,
    routes: Mapping[str, LinkRoutes],
    vendor: str | None,
    intents: Mapping[str, RouterIntent] | None = None,
) -> list[Finding]:
    """What the vendor packs would refuse at render time, found by `check` (`vendor_guards`;
    `intents`, when the caller has them already, are not worked out again)."""
    if intents is None:
        from vra_config.intent.router import router_intents

        intents = router_intents(address_plan, routes)
    return vendor_guards(address_plan, vendor, intents, keep=False)[0]


def vendor_guards(
    address_plan: AddressPlan,
    vendor: str | None,
    intents: Mapping[str, RouterIntent],
    keep: bool,
) -> tuple[list[Finding], dict[tuple[str, str], Guarded]]:
    """What the vendor packs would refuse at render time, and the template data they built.

    The packs' guards run (their `context`, not the templates) for each device's vendor as
    `render` would choose it: `vendor` (`--vendor`) for every device, else each device's
    own `vendor:`. A router that names none is rendered only with `--vendor`, which `check`
    cannot know, so it is held to every pack and the message says so. A site that names no
    vendor is never rendered. Keys are not read: the guards see the withheld key, as a
    review render does, so what they build is what a render without `--show-secrets`
    would build: with `keep` it is kept, by (device, pack), for that render
    (`Checked.contexts`); without, each is dropped once its guards ran.
    """
    from vra_config.intent.pairs import expand_pairs
    from vra_config.targets.base import REDACTED_KEY, VendorError
    from vra_config.targets.routers import PACKS

    if vendor is not None and vendor not in PACKS:
        packs = ", ".join(sorted(PACKS))
        raise UsageError(f"vendor {vendor} has no template pack yet; available: {packs}")
    plan = address_plan.plan
    secrets = {n: REDACTED_KEY for n, link in address_plan.connections.items() if link.ipsec}
    found: dict[Finding, None] = {}
    built: dict[tuple[str, str], Guarded] = {}
    for name in sorted(intents):
        site = plan.sites.get(name)
        own = site.vendor if site is not None else plan.routers[name].vendor
        if site is not None and own is None:
            continue
        chosen = vendor or own
        for pack in [chosen] if chosen is not None else sorted(PACKS):
            if pack not in PACKS:
                continue  # the model admits only vendors with a pack
            for finding in pair_vendor_findings(plan, {name: pack}):
                found[_assumed(finding, name, pack, chosen)] = None
            members, _ = expand_pairs({name: intents[name]}, {name: pack}, plan)
            for member in sorted(members):
                try:
                    context = PACKS[pack].context(members[member], secrets)
                except VendorError as exc:
                    for finding in exc.findings:
                        found[_assumed(finding, name, pack, chosen)] = None
                else:
                    if keep:
                        built[(member, pack)] = (members[member], context)
    return list(found), built


def ibm_side_findings(address_plan: AddressPlan) -> list[Finding]:
    """What `render --target terraform|ibmcloud` would refuse (IBM's naming rules), found
    by `check` too: the IBM-side records are built, not printed."""
    from vra_config.targets.base import TargetError
    from vra_config.targets.ibm.side import ibm_side

    try:
        ibm_side(address_plan)
    except TargetError as exc:
        return list(exc.findings)
    return []


def _assumed(finding: Finding, device: str, pack: str, chosen: str | None) -> Finding:
    """A pack's finding about a router with no `vendor:`, saying which pack was assumed."""
    if chosen is not None:
        return finding
    return replace(
        finding,
        message=f"{finding.message} (router {device} names no vendor, so check holds it to "
        f"every pack, here {pack}; set `vendor:` or run `check --vendor`)",
    )


def pair_vendor_findings(plan: Plan, vendors: Mapping[str, str]) -> list[Finding]:
    """A VRA pair (`ha:`) rendered for the vSRX: a vSRX pair is a chassis cluster, not VRRP,
    so the pack would make it one stand-alone vSRX bound to reth1.0 with no failover."""
    from vra_config.plan.rules import RULES
    from vra_config.planner.cluster import VRRP_FIELDS
    from vra_config.vendors import pair_style
    from vra_config.vendors.common import CHASSIS_CLUSTER

    out = []
    for name, vendor in sorted(vendors.items()):
        router = plan.routers.get(name)
        if router is None or router.ha is None or router.cluster is not None:
            continue
        # a pack whose pairs are chassis clusters, for a router that does not name it (one
        # that does, with `ha:`, is refused earlier)
        if pair_style(vendor) == CHASSIS_CLUSTER and router.vendor != vendor:
            out.append(
                Finding(
                    ("routers", name, "ha"),
                    f"router {name} is a VRA pair (`ha:`), rendered here for the vSRX, whose "
                    f"high-availability pair is a chassis cluster, not VRRP: {VRRP_FIELDS} "
                    "do not exist on it, and the render would be one stand-alone vSRX with "
                    "no failover. Render it for vyatta, or describe the vSRX pair with "
                    f"`cluster:` naming node0 and node1 ({RULES['VRC952'].cite})",
                    rule="VRC952",
                )
            )
    return out


def vendors_for(plan: Plan, vendor: str | None, devices: list[str]) -> dict[str, str]:
    """The vendor of each device to render: `--vendor` for all, else each one's `vendor:`.

    Every router is rendered; a site only when it names a vendor (its end is yours to
    configure, but the plan may describe a gateway vra-config does not manage).
    """
    from vra_config.targets.routers import PACKS

    packs = ", ".join(sorted(PACKS))
    vendor = vendor.lower() if vendor is not None else None  # `--vendor VSRX` is vsrx
    if vendor is not None and vendor not in PACKS:
        raise UsageError(f"vendor {vendor} has no template pack yet; available: {packs}")
    out: dict[str, str] = {}
    for name in devices:
        site = plan.sites.get(name)
        own = site.vendor if site is not None else plan.routers[name].vendor
        if site is not None and own is None:
            continue
        chosen = vendor or own
        if chosen is None:
            raise UsageError(
                f"router {name} names no vendor; pass --vendor (one of {packs}) or set "
                "`vendor:` on every router"
            )
        if chosen not in PACKS:
            raise UsageError(
                f"{name} is a {chosen}, which has no template pack yet; pass --vendor {packs}"
            )
        out[name] = chosen
    return out


def resolve_secrets(
    checked: Checked, show: bool, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The key text to print per IPsec connection: the key itself only when `show`.

    Keys are read here, at the edge, and only when asked for: for output meant for review
    the packs get `targets.base.REDACTED_KEY` and withhold the key line, so neither vendor
    commits the copy; it never holds a key, nor a placeholder that both ends would share.
    """
    from vra_config.targets.base import REDACTED_KEY

    env = os.environ if environ is None else environ
    base = Path(checked.file).parent
    out: dict[str, str] = {}
    problems: list[Finding] = []
    for name, link in checked.address_plan.connections.items():
        if link.ipsec is None:
            continue
        secret = link.ipsec.psk
        path: PlanPath = ("connections", name, "psk")
        if not show:
            out[name] = REDACTED_KEY  # the packs withhold the key line (targets/base.py)
        elif secret.kind == "literal":
            out[name] = secret.value
        else:
            key, problem = _read_key(secret.kind, secret.value, env, base)
            if problem is not None:
                problems.append(Finding(path, problem, rule="VRC606"))
                continue
            out[name] = key
    if problems:
        raise PlanError(sorted_located(problems, checked.file, checked.marks))
    return out


def _read_key(kind: str, value: str, env: Mapping[str, str], base: Path) -> tuple[str, str | None]:
    """(key, None), or ("", what is wrong with it): a key that is missing, empty or not text
    is named as such, not left to a vendor's alphabet check or a codec's message."""
    if kind == "env":
        if value not in env:
            return "", (
                f"environment variable {value} is not set; export it before rendering with "
                "--show-secrets"
            )
        if not env[value]:
            return "", f"environment variable {value} is empty; export the pre-shared key in it"
        return env[value], None
    target = base / value
    try:  # bounded, regular files only: {file: /dev/zero} would never end
        raw = read_bytes_bounded(target, KEY_BYTES_MAX)
    except OSError as exc:
        return "", f"cannot read the key file {target}: {exc.strerror}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "", (
            f"the key file {target} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); save the key as UTF-8 text"
        )
    key = text.rstrip("\r\n")
    if not key:
        return "", f"the key file {target} is empty; put the pre-shared key in it"
    return key, None


@dataclass(frozen=True, kw_only=True)
class RenderJob:
    """What rendering a checked plan needs, worked out once: the devices to print with their
    intents and vendors, the plan's file name for the headers, the template override, the
    key text per IPsec connection and the header notes (acknowledged findings).

    `render` hands it to the pack driver; `verify` reads its intents and vendors, so a
    verification sheet never describes a device that render would skip."""

    intents: Mapping[str, RouterIntent]
    vendors: Mapping[str, str]
    plan_name: str
    templates: Path | None
    secrets: Mapping[str, str]
    notes: Sequence[str]
    #: The vendor guards' template data (`Checked.contexts`) when `secrets` are the withheld
    #: keys they were built with; None with `--show-secrets`, whose data holds the keys.
    contexts: Mapping[tuple[str, str], Guarded] | None = None


def render_job(
    checked: Checked,
    vendor: str | None,
    router: str | None,
    templates: Path | None,
    show_secrets: bool,
    environ: Mapping[str, str] | None,
) -> RenderJob:
    """The `RenderJob` of `render` with these options; `PlanError` or `UsageError` when a
    device cannot be rendered (an ASN IBM has yet to assign, an unknown `--router`...)."""
    from vra_config.intent.pairs import expand_pairs, member_names
    from vra_config.intent.router import router_intents
    from vra_config.planner.report import header_notes

    waiting = assigned.missing_asns(checked.plan, "error")
    if waiting:  # the router's BGP session needs what IBM assigns at creation
        raise PlanError(sorted_located(waiting, checked.file, checked.marks))
    intents = checked.intents
    if intents is None:
        intents = router_intents(checked.address_plan, checked.routes)
    names = sorted(intents)
    members = member_names(checked.plan)
    if router in members:  # one member of a VRA pair: its pair, then that member alone
        names = [members[router]]
    elif router is not None:
        if router not in intents:
            known = ", ".join(names) or "none"
            raise UsageError(f"--router {router}: no such router or site in the plan ({known})")
        names = [router]
    vendors = vendors_for(checked.plan, vendor, names)
    if pairs := pair_vendor_findings(checked.plan, vendors):
        raise PlanError(sorted_located(pairs, checked.file, checked.marks))
    expanded, vendors = expand_pairs(intents, vendors, checked.plan)
    if router in vendors and router in members:
        vendors = {router: vendors[router]}
    if router in checked.plan.sites and router not in vendors:
        raise UsageError(f"--router {router}: the site names no vendor, so it is not rendered")
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates}: not a directory")
    return RenderJob(
        intents=expanded,
        vendors=vendors,
        plan_name=Path(checked.file).name,
        templates=templates,
        secrets=resolve_secrets(checked, show_secrets, environ),
        notes=header_notes(checked.acknowledged),
        contexts=None if show_secrets else checked.contexts,
    )


def render_checked(
    checked: Checked,
    vendor: str | None = None,
    router: str | None = None,
    templates: Path | None = None,
    show_secrets: bool = False,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """`{file name: text}` for every device (or the one named) of a checked plan."""
    return dict(stream_checked(checked, vendor, router, templates, show_secrets, environ))


def stream_checked(
    checked: Checked,
    vendor: str | None = None,
    router: str | None = None,
    templates: Path | None = None,
    show_secrets: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, str]]:
    """(file name, text) device by device. What the job refuses (usage, a pair a vendor
    cannot be, keys) is raised here; what a vendor cannot express is raised as located
    findings once the iteration reaches the end, before which a caller prints nothing."""
    from vra_config.targets.routers.render import iter_rendered

    job = render_job(checked, vendor, router, templates, show_secrets, environ)
    rendered = iter_rendered(
        job.intents,
        job.vendors,
        job.plan_name,
        job.templates,
        job.secrets,
        job.notes,
        built=job.contexts,
    )
    return _located(rendered, checked)


def _located(rendered: Iterator[tuple[str, str]], checked: Checked) -> Iterator[tuple[str, str]]:
    """The renders, with a pack's refusal turned into findings located in the plan."""
    from vra_config.targets.base import VendorError

    try:
        yield from rendered
    except VendorError as exc:
        # A redundant GRE's tunnel is found where the plan lists it; the members of a VRA
        # pair share their links, so the same finding about both is said once.
        found = relocate_findings(list(dict.fromkeys(exc.findings)), origins_of(checked.plan))
        raise PlanError(sorted_located(found, checked.file, checked.marks)) from None


def render_ibm_side(checked: Checked, target: str) -> dict[str, str]:
    """`{file name: text}` of IBM's end of every link (`render --target terraform|ibmcloud`);
    `{}` when the plan has no Transit Gateway or cloud-connection link."""
    from vra_config.targets.base import TargetError
    from vra_config.targets.ibm import TARGETS
    from vra_config.targets.ibm.render import render_target

    if target not in TARGETS:
        raise UsageError(f"--target {target}: use one of {', '.join(sorted(TARGETS))}")
    try:
        return render_target(checked.address_plan, target, Path(checked.file).name)
    except TargetError as exc:
        raise PlanError(sorted_located(exc.findings, checked.file, checked.marks)) from None


def device_intents(
    checked: Checked, vendor: str | None = None, router: str | None = None
) -> tuple[dict[str, RouterIntent], dict[str, str]]:
    """The intent and vendor of every device `render` would print (or the one named): what
    `verify` builds its sheets from, so a sheet never describes a router render skips."""
    job = render_job(checked, vendor, router, None, False, {})
    return dict(job.intents), dict(job.vendors)
