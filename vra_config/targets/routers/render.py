"""Render router intents into configuration text with a pack's jinja2 templates.

The pack (`PACKS[vendor]`, a `RouterPack`) turns a `RouterIntent` into template data; the
templates under `templates/<vendor>/` print it; the text is then checked line by line: every
line is a `set` command or a comment, none twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import jinja2

from vra_config.intent.records import RouterIntent
from vra_config.plan.findings import Finding, Mark, PlanError
from vra_config.targets.base import (
    REDACTED_KEY,
    REDACTED_NOTE,
    ROUTER_MARK,
    PackContext,
    RouterPack,
    VendorError,
)
from vra_config.targets.environment import RenderBug, environment, template_vars
from vra_config.targets.routers import pack, paste
from vra_config.vendors import pair_style
from vra_config.vendors.common import CHASSIS_CLUSTER

ENTRY_TEMPLATE = "router.j2"


def render_router(
    intent: RouterIntent,
    vendor: str,
    plan_name: str,
    override: Path | None = None,
    secrets: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    context: PackContext | None = None,
) -> str:
    """The configuration text for one device (raises `VendorError` for what it cannot take).

    `secrets` maps a connection name to the key text to print for it; `notes` are header
    comment lines (the plan's acknowledged findings, so whoever pastes the file sees them).
    `context` is the pack's template data when the caller built it already (`iter_rendered`
    does, at its guard pass), so it is not built twice.
    """
    module = pack(vendor)
    if context is None:
        context = module.context(intent, secrets or {})
    variables = template_vars(context)
    variables["header"] = _header(intent, vendor, module, plan_name, secrets or {}, notes)
    env = environment(vendor, str(override) if override else None)
    if override is None:
        return normalise(env.get_template(ENTRY_TEMPLATE).render(variables), module)
    try:
        text = env.get_template(ENTRY_TEMPLATE).render(variables)
        return normalise(text, module)
    except Exception as exc:  # a user's template may raise anything: report it, located
        raise PlanError([template_finding(exc, override)]) from None


def _header(
    intent: RouterIntent,
    vendor: str,
    module: RouterPack,
    plan_name: str,
    secrets: Mapping[str, str],
    notes: Sequence[str],
) -> list[str]:
    """The comment lines a device's file opens with: whose it is, how to paste, commit and
    undo it, the plan's acknowledged findings, and what the reader must know about it."""
    lines = [
        f"{ROUTER_MARK}{intent.name} ({intent.role}), {module.TITLE}",
        f"plan: {plan_name}",
        *paste.steps(vendor, intent.name, plan_name),
        *notes,
    ]
    if intent.cluster is not None and pair_style(vendor) != CHASSIS_CLUSTER:
        lines.append(
            f"{intent.name} is a vSRX chassis cluster in the plan; rendered for {module.TITLE} "
            "it is one stand-alone router on the cluster's reth addresses, with no failover"
        )
    if any(secrets.get(p.connection) == REDACTED_KEY for p in intent.ipsec_peers):
        lines.append(REDACTED_NOTE)
    return [module.comment(line) for line in lines]


def template_finding(exc: BaseException, override: Path) -> Finding:
    """A failure while rendering with `--templates`, as a plan error: file, line, what.

    The template is the user's, so its mistakes are reported like a plan's (exit 1, no
    traceback). Jinja rewrites tracebacks so that template frames carry the template's
    file name and line; the innermost one is where it failed.
    """
    file, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = exc.filename, exc.lineno
        what = f"syntax error: {exc.message}"
    else:
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith(".j2"):
                file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
        if isinstance(exc, jinja2.TemplateNotFound):
            what = (
                f"template {exc.name!r} not found (templates include only files of "
                "--templates or of the pack)"
            )
        elif isinstance(exc, jinja2.UndefinedError | RenderBug):
            what = str(exc)
        else:
            what = f"{type(exc).__name__}: {exc}"
    shown = _shown_template(file, override)
    name = Path(shown).name if shown else "the template"
    return Finding(
        (),
        f"the template override failed: {what}; fix it, or remove {name} from --templates "
        "to use the pack's",
        file=shown or str(override),
        mark=Mark(line, 1) if line else None,
        rule="VRC801",
    )


def _shown_template(filename: str | None, override: Path) -> str | None:
    """A template's path as the user wrote `--templates`, or the pack's file name."""
    if filename is None:
        return None
    path = Path(filename)
    try:
        return str(override / path.resolve().relative_to(override.resolve()))
    except ValueError:
        return f"{path.name} (the pack's own)"


def normalise(text: str, module: RouterPack) -> str:
    """Trim each line, drop blank ones, and check the output's shape."""
    lines = [line.rstrip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    seen: set[str] = set()
    comment_prefix = module.comment("").rstrip()
    for line in lines:
        if not (line.startswith("set ") or line.startswith(comment_prefix)):
            raise RenderBug(f"a template printed a line that is not a set command: {line!r}")
        if line in seen and line.startswith("set "):
            raise RenderBug(f"a template printed a line twice: {line!r}")
        seen.add(line)
    return "\n".join(lines) + "\n"


def output_name(router: str, vendor: str) -> str:
    """The file a router's configuration is written to under `--out`."""
    return f"{router}.{pack(vendor).SUFFIX}"


def iter_rendered(
    intents: Mapping[str, RouterIntent],
    vendors: Mapping[str, str],
    plan_name: str,
    override: Path | None = None,
    secrets: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    built: Mapping[tuple[str, str], tuple[RouterIntent, PackContext]] | None = None,
) -> Iterator[tuple[str, str]]:
    """(file name, text) for every device in `vendors`, in name order, one at a time, so
    memory holds one router's template data and text, each built once.

    What a vendor cannot express does not stop at the first device: every device's template
    data is still built, and all the problems are raised together (`VendorError`) after the
    last one, with no text yielded once one is found. Nothing reaches a user before that:
    the CLI spools stdout and prints only when the iteration ends, `render_checked` collects
    a dict, and `--out` writes nothing unless all rendered. `built` is the data `check`'s
    vendor guards built, by (device, pack), from the same `secrets`: a device's is taken
    when it was built from this very intent, not built again.
    """
    problems: list[Finding] = []
    for name in sorted(vendors):
        intent, vendor = intents[name], vendors[name]
        guarded = (built or {}).get((name, vendor))
        if guarded is not None and (guarded[0] is intent or guarded[0] == intent):
            context = guarded[1]
        else:
            try:
                context = pack(vendor).context(intent, secrets or {})
            except VendorError as exc:
                problems += exc.findings
                continue
        if problems:  # a refused run prints nothing: only the other devices' problems count
            continue
        text = render_router(intent, vendor, plan_name, override, secrets, notes, context)
        yield output_name(name, vendor), text
    if problems:
        raise VendorError(problems)
