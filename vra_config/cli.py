"""The `vra-config` command: thin, over `vra_config.pipeline`.

It parses options, calls the pipeline, prints findings and results, writes files and sets the
exit code: 0 done, 1 the plan (or an output file) has a problem, 2 the command was called
wrongly. A user mistake never shows a traceback. Heavy modules are imported inside the
commands so `--help` stays instant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from vra_config import __version__

if TYPE_CHECKING:
    from vra_config.lab.faults import Failure
    from vra_config.pipeline import Checked
    from vra_config.plan.findings import Finding
    from vra_config.planner.records import AddressPlan

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Paste-ready Vyatta 5600 and vSRX configuration for IBM Power Virtual Server GRE, "
    "IPsec and BGP, from one reviewed YAML plan.",
)

PlanArg = Annotated[Path, typer.Argument(help="The plan file (YAML).", show_default=False)]
LockedOpt = Annotated[
    bool,
    typer.Option("--locked", help="Fail (exit 1) instead of changing the lock file; for CI."),
]

RunningOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--running",
        help="A router's running configuration (set or brace form), FILE or ROUTER=FILE: "
        "tunnel numbers and addresses it already uses are avoided.",
    ),
]

T = TypeVar("T")
#: Lock changes listed one by one; a first run on a large plan says how many more.
LOCK_CHANGES_SHOWN = 20
#: Errors printed per run; the rest are counted.
MAX_ERRORS = 200


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")


def _print_findings(findings: Iterable[Finding]) -> None:
    for f in findings:
        _say(f.format())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fail_usage(message: str) -> NoReturn:
    _say(f"vra-config: error: {message}")
    raise typer.Exit(2)


def _guard(action: Callable[[], T]) -> T:
    """Run a pipeline step; turn plan and usage errors into messages and exit codes."""
    from vra_config.output import OutputError
    from vra_config.pipeline import UsageError
    from vra_config.plan.findings import PlanError
    from vra_config.targets.environment import RenderBug

    try:
        return action()
    except PlanError as exc:
        shown = exc.findings[:MAX_ERRORS]
        _print_findings(shown)
        rest = len(exc.findings) - len(shown)
        if rest:
            _say(f"... and {rest} more")
        total_errors = len(exc.errors)
        accepted = sum(1 for f in exc.findings if f.accepted is not None)
        _say(
            f"{_plural(total_errors, 'error')}, "
            f"{_plural(len(exc.findings) - total_errors - accepted, 'warning')}"
            + (f", {accepted} acknowledged" if accepted else "")
            + ": nothing was written"
        )
        raise typer.Exit(1) from None
    except UsageError as exc:
        _fail_usage(str(exc))
    except OutputError as exc:
        _say(f"vra-config: error: {exc}")
        raise typer.Exit(1) from None
    except RenderBug as exc:
        _say(
            f"vra-config: internal error: {exc}; nothing was written. This is a bug in "
            "vra-config, not in your plan: please report it with the plan"
        )
        raise typer.Exit(1) from None


def _running_texts(plan: Path, running: list[str] | None) -> dict[str, tuple[str, str]]:
    """`--running FILE` or `--running ROUTER=FILE` → {router: (file name, text)}."""
    out: dict[str, tuple[str, str]] = {}
    for item in running or []:
        name, _, file = item.rpartition("=")
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail_usage(f"--running {file}: cannot read it ({exc})")
        out[name or "*"] = (path.name, text)
    return out


def _check(plan: Path, locked: bool, running: list[str] | None = None) -> Checked:
    from vra_config.pipeline import check_file

    if not plan.exists():
        _fail_usage(f"{plan}: no such file")
    if plan.is_dir():
        _fail_usage(f"{plan}: is a directory; give the plan file")
    try:
        plan.open("rb").close()
    except OSError as exc:
        _fail_usage(f"{plan}: cannot read it ({exc.strerror})")
    texts = _running_texts(plan, running)
    if "*" in texts:
        from vra_config.plan.loader import load_file

        routers = _guard(lambda: sorted(load_file(plan).plan.routers))
        if len(routers) != 1:
            _fail_usage(
                f"the plan has {len(routers)} routers: say which one, --running ROUTER=FILE"
            )
        texts[routers[0]] = texts.pop("*")
    checked = _guard(lambda: check_file(plan, locked=locked, running=texts))
    _print_findings(checked.warnings)
    return checked


def _write_lock(checked: Checked, locked: bool) -> None:
    from vra_config.planner.lock import write_lock

    if checked.lock_file is None or locked:
        return  # --locked never writes (and refused any allocation change already)
    try:
        write_lock(checked.lock_file, checked.address_plan.lock, Path(checked.file).name)
    except OSError as exc:
        _say(f"{checked.lock_file}: cannot write the lock file: {exc.strerror}; nothing changed")
        raise typer.Exit(1) from None
    changes = checked.address_plan.lock_changes
    for change in changes[:LOCK_CHANGES_SHOWN]:
        _say(f"{checked.lock_file}: {change}")
    if len(changes) > LOCK_CHANGES_SHOWN:
        _say(f"{checked.lock_file}: ... and {len(changes) - LOCK_CHANGES_SHOWN} more changes")


def _print_stream(stream: Iterable[tuple[str, str]]) -> int:
    """Print each device's text as it is rendered, a blank line between; return the count."""
    count = 0
    for _, text in stream:
        sys.stdout.write("\n" + text if count else text)
        count += 1
    sys.stdout.flush()
    return count


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vra-config {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Paste-ready router configuration for IBM Power Virtual Server from one YAML plan."""


@app.command()
def check(plan: PlanArg, locked: LockedOpt = False, running: RunningOpt = None) -> None:
    """Validate a plan: model, IBM ranges, overlaps, ASNs, allocations. Writes nothing."""
    checked = _check(plan, locked, running)
    ap = checked.address_plan
    typer.echo(
        f"{plan}: ok: {_plural(len(checked.plan.routers), 'router')}, "
        f"{_plural(len(ap.connections), 'connection')}, "
        f"{_plural(len(checked.warnings) - len(checked.acknowledged), 'warning')}"
        + (f", {len(checked.acknowledged)} acknowledged" if checked.acknowledged else "")
        + (f"; the lock would change ({len(ap.lock_changes)})" if ap.lock_changes else "")
    )


@app.command("plan")
def plan_cmd(
    plan: PlanArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    locked: LockedOpt = False,
    running: RunningOpt = None,
) -> None:
    """Show every allocation (and what to give IBM); keep them in the lock file."""
    from vra_config.planner.report import (
        acknowledged_rows,
        acknowledged_table,
        allocation_table,
        allocations,
    )

    checked = _check(plan, locked, running)
    rows = allocations(checked.address_plan)
    accepted = acknowledged_rows(checked.acknowledged)
    if as_json:
        typer.echo(
            json.dumps({"plan": str(plan), "connections": rows, "acknowledged": accepted}, indent=2)
        )
    else:
        typer.echo(allocation_table(rows) + acknowledged_table(accepted), nl=False)
    _write_lock(checked, locked)


@app.command()
def render(
    plan: PlanArg,
    vendor: Annotated[
        str | None,
        typer.Option(
            help="The vendor pack for every device (vyatta or vsrx). Default: each one's `vendor:`."
        ),
    ] = None,
    router: Annotated[str | None, typer.Option(help="Render only this router.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write one file per router into this directory (not stdout)."),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(help="A directory whose templates override the pack's, by file name."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --out, overwrite files vra-config did not write.")
    ] = False,
    show_secrets: Annotated[
        bool,
        typer.Option(
            "--show-secrets",
            help="Print pre-shared keys (read from the environment or files) instead of "
            "empty ones (a review copy that does not commit); files under --out are then "
            "created mode 0600.",
        ),
    ] = False,
    running: RunningOpt = None,
    check_only: Annotated[
        bool,
        typer.Option(
            "--check",
            help="With --out: write nothing; exit 1 listing the files that differ from a "
            "fresh render (for CI and pre-commit). Implies --locked.",
        ),
    ] = False,
    locked: LockedOpt = False,
    target: Annotated[
        str | None,
        typer.Option(
            help="Render IBM's end of every Transit Gateway and cloud-connection link "
            "instead of the routers': terraform (HCL) or ibmcloud (CLI commands).",
        ),
    ] = None,
) -> None:
    """Print (or write) paste-ready configuration for every router of the plan."""
    from vra_config.pipeline import render_checked, stream_checked

    if check_only and out is None:
        _fail_usage("--check compares files: give the directory with --out")
    locked = locked or check_only
    if target is not None:
        router_only = {
            "--vendor": vendor is not None,
            "--router": router is not None,
            "--templates": templates is not None,
            "--show-secrets": show_secrets,
        }
        for flag, given in router_only.items():
            if given:
                _fail_usage(
                    f"{flag} is for router configuration; --target {target} renders IBM's side"
                )
        _render_ibm_side(plan, target, out, force, check_only, locked, running)
        return
    checked = _check(plan, locked, running)
    if out is None:
        # to stdout device by device: memory holds one router's text, not the estate's
        stream = _guard(lambda: stream_checked(checked, vendor, router, templates, show_secrets))
        printed = _guard(lambda: _print_stream(stream))
        if not printed:
            # A comment, on stdout: what a pipe into a router or a checker receives stays valid.
            typer.echo(
                f"# vra-config: {Path(plan).name}: nothing to render: the plan has no router, "
                "and no site that names a vendor (the addressing was checked)"
            )
        _write_lock(checked, locked)
        return
    files = _guard(lambda: render_checked(checked, vendor, router, templates, show_secrets))
    if check_only:
        from vra_config.targets.base import ROUTER_MARK

        assert out is not None
        _check_outputs(out, files, ROUTER_MARK, f"vra-config render --out {out} {plan}", plan)
        return
    if not files:
        # A comment, on stdout: what a pipe into a router or a checker receives stays valid.
        typer.echo(
            f"# vra-config: {Path(plan).name}: nothing to render: the plan has no router, and "
            "no site that names a vendor (the addressing was checked)"
        )
    else:
        from vra_config.output import write_outputs

        mode = 0o600 if show_secrets else 0o644
        _guard(lambda: write_outputs(out, files, force=force, report=_say, mode=mode))
    _write_lock(checked, locked)


def _check_outputs(out: Path, files: dict[str, str], mark: str, command: str, plan: Path) -> None:
    """`render --check`: exit 1 listing what under `out` differs from a fresh render (files
    with header `mark`: router configs or one IBM-side target's), saying how to refresh."""
    from vra_config.output import stale_outputs

    stale = stale_outputs(out, files, mark)
    for line in stale:
        _say(line)
    if stale:
        _say(f"{len(stale)} rendered files are stale: run `{command}` and commit them")
        raise typer.Exit(1)
    typer.echo(f"{out}: {len(files)} files match a fresh render of {plan}")


def _render_ibm_side(
    plan: Path,
    target: str,
    out: Path | None,
    force: bool,
    check_only: bool,
    locked: bool,
    running: list[str] | None,
) -> None:
    """`render --target`: IBM's end of every link, to stdout or a file under --out."""
    from vra_config.output import write_outputs
    from vra_config.pipeline import render_ibm_side
    from vra_config.targets.base import IBM_SIDE_MARK

    checked = _check(plan, locked, running)
    files = _guard(lambda: render_ibm_side(checked, target))
    if check_only:
        assert out is not None
        command = f"vra-config render --target {target} --out {out} {plan}"
        _check_outputs(out, files, IBM_SIDE_MARK, command, plan)
        return
    if not files:
        typer.echo(
            f"# vra-config: {Path(plan).name}: nothing to render for --target {target}: the "
            "plan has no Transit Gateway or cloud-connection link"
        )
    elif out is None:
        for text in files.values():
            sys.stdout.write(text)
    else:
        _guard(lambda: write_outputs(out, files, force=force, report=_say))
    _write_lock(checked, locked)


@app.command()
def diff(
    plans: Annotated[
        list[Path],
        typer.Argument(help="OLD_PLAN NEW_PLAN, or one PLAN with --base.", show_default=False),
    ],
    base: Annotated[
        str | None,
        typer.Option(help="Compare PLAN with itself (and its lock) at this git revision."),
    ] = None,
    vendor: Annotated[
        str | None, typer.Option(help="The vendor pack for every device (vyatta or vsrx).")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text, or markdown for a pull-request comment.")
    ] = "text",
    running: Annotated[
        list[str] | None,
        typer.Option(
            help="A router's running configuration (set or brace form): FILE, or ROUTER=FILE "
            "when the plan has several. Prints the set/delete commands from it to the plan.",
        ),
    ] = None,
) -> None:
    """Show what a plan change changes on each router, or the commands that take a running
    router to the plan."""
    from vra_config.review import as_markdown, as_text, check_at_revision, review

    if output_format not in ("text", "markdown"):
        _fail_usage(f"--format {output_format}: use text or markdown")
    if running:
        if len(plans) != 1 or base is not None:
            _fail_usage("with --running, give one plan (and no --base)")
        _running_delta(plans[0], running, vendor)
        return
    if base is not None:
        if len(plans) != 1:
            _fail_usage("with --base, give one plan")
        new = _check(plans[0], False)
        old = _guard(lambda: check_at_revision(plans[0], base))
    else:
        if len(plans) != 2:
            _fail_usage("give OLD_PLAN and NEW_PLAN, or one plan with --base REV")
        old = _check(plans[0], False)
        new = _check(plans[1], False)
    result = _guard(lambda: review(old, new, vendor))
    typer.echo(as_markdown(result) if output_format == "markdown" else as_text(result), nl=False)


def _running_delta(plan: Path, running: list[str], vendor: str | None) -> None:
    """Per router: the commands from its running configuration to the plan."""
    from vra_config.pipeline import render_checked, vendors_for
    from vra_config.running.delta import delta

    checked = _check(plan, False)
    files = _guard(lambda: render_checked(checked, vendor))
    by_router = files_by_router(files)
    chosen = _guard(lambda: vendors_for(checked.plan, vendor, sorted(by_router)))
    pairs: dict[str, Path] = {}
    for item in running:
        name, _, file = item.rpartition("=")
        if not name:
            if len(by_router) != 1:
                _fail_usage(
                    f"the plan renders {len(by_router)} routers: say which one, --running "
                    "ROUTER=FILE"
                )
            name = next(iter(by_router))
        if name not in by_router:
            _fail_usage(f"--running {item}: {name} is not a router the plan renders")
        pairs[name] = Path(file)
    names = set(checked.plan.link_names())
    for index, (name, source) in enumerate(sorted(pairs.items())):
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail_usage(f"--running {source}: cannot read it ({exc})")
        lines = delta(text, by_router[name], chosen[name], names)
        if index:
            typer.echo("")
        typer.echo(f"# vra-config: {name}: {len(lines)} commands from {source.name} to the plan")
        for line in lines:
            typer.echo(line)


def files_by_router(files: dict[str, str]) -> dict[str, str]:
    return {name.split(".", 1)[0]: text for name, text in files.items()}


@app.command()
def explain(
    rule_id: Annotated[
        str, typer.Argument(metavar="ID", help="A rule ID such as VRC101.", show_default=False)
    ],
) -> None:
    """Print a finding's rule: what it checks, why, and its public sources."""
    from vra_config.plan.rules import RULES
    from vra_config.plan.rules import explain as explain_rule

    wanted = rule_id.strip().upper()
    if wanted not in RULES:
        _fail_usage(f"{rule_id}: no such rule; the rules are {', '.join(sorted(RULES))}")
    typer.echo(explain_rule(wanted), nl=False)


@app.command()
def lab(
    plan: PlanArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    keep: Annotated[
        bool,
        typer.Option("--keep", help="Leave the lab running and print how to inspect it."),
    ] = False,
    fail: Annotated[
        list[str] | None,
        typer.Option(
            "--fail",
            metavar="LINK[:down]",
            help="After the lab settles, make this connection's far end silent (as a dead "
            "tunnel end is); LINK:down takes the interface down instead (a physical port). "
            "Repeatable.",
        ),
    ] = None,
    failures: Annotated[
        bool,
        typer.Option(
            "--failures",
            help="Fail, one at a time, every link with an alternative and every HA member, "
            "and report what survives, by which path, and how fast.",
        ),
    ] = False,
    locked: LockedOpt = False,
) -> None:
    """Run the plan's routing in FRR, one network namespace per device, and show what
    reaches what. Needs Linux, root, FRR and nftables; exit 0 when behaviour matches the
    plan (with --failures: every pair with an alternative survives every failure), 1 when
    it does not, 2 when the lab cannot run."""
    from vra_config.lab.faults import parse
    from vra_config.lab.topology import built_devices

    if failures and fail:
        _fail_usage("--failures runs every failure itself: give --fail or --failures, not both")
    checked = _check(plan, locked)
    ap = checked.address_plan
    failed = tuple(dict.fromkeys(parse(f) for f in fail or []))
    for f in failed:
        if f.kind == "power-off":
            _fail_usage(f"--fail {f.target}: power-off is run by --failures for HA members")
        if f.target not in ap.connections:
            known = ", ".join(sorted(ap.connections)) or "none"
            _fail_usage(f"--fail {f.target}: no such connection in the plan ({known})")
    if not built_devices(ap):
        reason = "nothing to run: the plan has no router, and no site that names a vendor"
        if as_json:
            typer.echo(json.dumps({"plan": str(plan), "passed": True, "nothing_to_run": reason}))
        else:
            typer.echo(f"{plan}: {reason}")
        return
    from vra_config.lab.netns import LabError
    from vra_config.lab.runner import CannotRun

    try:
        if failures:
            _lab_failures(ap, plan, keep, as_json)
            return
        _lab_once(ap, plan, failed, keep, as_json)
    except CannotRun as exc:
        _say(f"vra-config: cannot run the lab: {exc}")
        raise typer.Exit(2) from None
    except LabError as exc:
        _say(f"vra-config: the lab could not run: {exc}; it was torn down")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        _say("vra-config: interrupted; the lab was torn down" if not keep else "interrupted")
        raise typer.Exit(130) from None


def _lab_once(
    ap: AddressPlan, plan: Path, failed: tuple[Failure, ...], keep: bool, as_json: bool
) -> None:
    from vra_config.lab.report import as_json as lab_json
    from vra_config.lab.report import as_text
    from vra_config.lab.runner import run_lab

    result = run_lab(ap, str(plan), failed, keep, say=_say)
    if as_json:
        typer.echo(json.dumps(lab_json(result), indent=2))
    else:
        typer.echo(as_text(result), nl=False)
    if not result.passed:
        raise typer.Exit(1)


def _lab_failures(ap: AddressPlan, plan: Path, keep: bool, as_json: bool) -> None:
    from vra_config.lab import matrix

    result = matrix.run_matrix(ap, str(plan), keep, say=_say)
    if as_json:
        typer.echo(json.dumps(matrix.as_json(result), indent=2))
    else:
        typer.echo(matrix.as_text(result), nl=False)
    if not result.passed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the plan's JSON Schema (for editors that check YAML as you type)."""
    from vra_config.plan.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="vra-config")
