"""The `vra-config` command: thin, over `vra_config.pipeline`.

It parses options, calls the pipeline, prints findings and results, writes files and sets the
exit code: 0 done, 1 the plan (or an output file) has a problem, 2 the command was called
wrongly. A user mistake never shows a traceback. Heavy modules are imported inside the
commands so `--help` stays instant.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core
from typer import _click as click
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError

from vra_config import __version__

if TYPE_CHECKING:
    from vra_config.intent.records import RouterIntent
    from vra_config.lab.faults import Failure
    from vra_config.pipeline import Checked
    from vra_config.plan.findings import Finding
    from vra_config.planner.records import AddressPlan

app = typer.Typer(
    # `vra-config --install-completion` writes the shell's completion (Typer's own).
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
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
    """One line to stderr, escaped: file names and plan text cannot draw on the terminal."""
    from vra_config.plan.findings import escape

    sys.stderr.write(escape(text) + "\n")


def _print_findings(findings: Iterable[Finding]) -> None:
    for f in findings:
        _say(f.format())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _why(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read, in words (not Python's `[Errno 2] ...: 'x'`)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
    said = exc.strerror or str(exc)  # the first letter only: "FIFO", "MiB" keep their case
    return (said[:1].lower() + said[1:]).rstrip(".")


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


def _read_running(file: str) -> str:
    """A `--running` file's text: a regular file of bounded size, UTF-8 (else exit 2)."""
    from vra_config.writer import RUNNING_BYTES_MAX, read_bytes_bounded

    try:
        return read_bytes_bounded(Path(file), RUNNING_BYTES_MAX).decode("utf-8")
    except OSError as exc:
        _fail_usage(f"--running {file}: cannot read it ({_why(exc)})")
    except UnicodeDecodeError as exc:
        _fail_usage(f"--running {file}: not UTF-8 text (byte {exc.start}); save it as UTF-8")


def _running_texts(plan: Path, running: list[str] | None) -> dict[str, tuple[str, str]]:
    """`--running FILE` or `--running ROUTER=FILE` → {router: (file name, text)}."""
    out: dict[str, tuple[str, str]] = {}
    for item in running or []:
        name, _, file = item.rpartition("=")
        out[name or "*"] = (Path(file).name, _read_running(file))
    return out


def _check(
    plan: Path,
    locked: bool,
    running: list[str] | None = None,
    vendor: str | None = None,
    ibm_side_only: bool = False,
) -> Checked:
    from vra_config.pipeline import check_file

    if not str(plan).isprintable():
        # the name is printed into the lock's header and every router file's header comment
        _fail_usage(
            f"{plan}: the file name holds a control character; rename the file (letters, "
            "digits, - _ . and spaces are safe)"
        )
    if not plan.exists():
        _fail_usage(f"{plan}: no such file")
    if plan.is_dir():
        _fail_usage(f"{plan}: is a directory; give the plan file")
    if not plan.is_file():  # a device, FIFO or socket: reading it would hang or never end
        _fail_usage(f"{plan}: not a regular file; give the plan file")
    try:
        plan.open("rb").close()  # a regular file (checked above): opening cannot block
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
    checked = _guard(
        lambda: check_file(
            plan, locked=locked, running=texts, vendor=vendor, ibm_side_only=ibm_side_only
        )
    )
    _print_findings(checked.warnings)
    return checked


def _write_lock(checked: Checked, locked: bool, written: Iterable[Path] = ()) -> None:
    """Keep the lock current; `written` are the files this run already wrote (--out), which
    a failure must name: they hold allocations the lock then does not."""
    from vra_config.planner.lock import write_lock

    if checked.lock_file is None or locked:
        return  # --locked never writes (and refused any allocation change already)
    try:
        write_lock(checked.lock_file, checked.address_plan.lock, Path(checked.file).name)
    except OSError as exc:
        done = [str(p) for p in written]
        after = (
            f"; the lock is unchanged, but these files were already written with its new "
            f"allocations: {', '.join(done)}; fix the cause and run again so that the lock "
            "matches them"
            if done
            else "; nothing changed"
        )
        _say(f"{checked.lock_file}: cannot write the lock file: {exc.strerror or exc}{after}")
        raise typer.Exit(1) from None
    changes = checked.address_plan.lock_changes
    for change in changes[:LOCK_CHANGES_SHOWN]:
        _say(f"{checked.lock_file}: {change}")
    if len(changes) > LOCK_CHANGES_SHOWN:
        _say(f"{checked.lock_file}: ... and {len(changes) - LOCK_CHANGES_SHOWN} more changes")


def _print_all(stream: Iterable[tuple[str, str]]) -> int:
    """Render every device first, then print them, a blank line between; return the count.

    Every text is rendered before the first line is printed: a device that fails to render
    must not leave the ones before it on stdout (half an estate, pasted) under a message
    that says nothing was written. The texts wait in an anonymous temporary file rather
    than in memory: at 10,000 connections they are hundreds of megabytes of strings, and
    issue 22 bounds the whole process at 300 MB.
    """
    import shutil
    import tempfile

    from vra_config.output import OutputError

    count = 0
    # newline="" and surrogatepass: the text reaches stdout exactly as a direct write would
    # give it (no newline translation either way). The `with` is below, outside this `try`:
    # an error writing to stdout is not the spool's.
    try:
        spool = tempfile.TemporaryFile(  # noqa: SIM115
            "w+", encoding="utf-8", errors="surrogatepass", newline=""
        )
    except OSError as exc:
        raise OutputError(_unspooled(exc)) from None
    with spool:
        try:
            for _, text in stream:
                spool.write("\n" + text if count else text)
                count += 1
            spool.seek(0)
        except OSError as exc:
            raise OutputError(_unspooled(exc)) from None
        shutil.copyfileobj(spool, sys.stdout)
    sys.stdout.flush()
    return count


def _unspooled(exc: OSError) -> str:
    import tempfile

    return (
        f"cannot hold the rendered configuration in a temporary file under "
        f"{tempfile.gettempdir()} ({exc.strerror or exc}); nothing was printed: free space "
        "there or point TMPDIR elsewhere"
    )


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
def check(
    plan: PlanArg,
    locked: LockedOpt = False,
    running: RunningOpt = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text (default); json for scripts; sarif (SARIF 2.1.0) for code-scanning "
            "UIs; github for GitHub Actions annotations. Machine formats go to stdout, with "
            "the same exit codes.",
        ),
    ] = "text",
    vendor: Annotated[
        str | None,
        typer.Option(
            help="Hold every device to this vendor pack (vyatta or vsrx), as `render --vendor` "
            "renders it. Default: each one's `vendor:`; a router without one to every pack."
        ),
    ] = None,
) -> None:
    """Validate a plan: model, IBM ranges, overlaps, ASNs, allocations, and what each
    device's vendor pack refuses. Writes nothing."""
    from vra_config.check_formats import FORMATS

    if output_format not in FORMATS:
        _fail_usage(f"--format {output_format}: use one of {', '.join(FORMATS)}")
    if output_format != "text":
        _check_machine(plan, locked, running, output_format, vendor)
        return
    checked = _check(plan, locked, running, vendor)
    ap = checked.address_plan
    typer.echo(
        _escaped(f"{plan}: ok: ") + f"{_plural(len(checked.plan.routers), 'router')}, "
        f"{_plural(len(ap.connections), 'connection')}, "
        f"{_plural(len(checked.warnings) - len(checked.acknowledged), 'warning')}"
        + (f", {len(checked.acknowledged)} acknowledged" if checked.acknowledged else "")
        + (f"; the lock would change ({len(ap.lock_changes)})" if ap.lock_changes else "")
    )


def _escaped(text: str) -> str:
    from vra_config.plan.findings import escape

    return escape(text)


def _check_machine(
    plan: Path, locked: bool, running: list[str] | None, fmt: str, vendor: str | None = None
) -> None:
    """`check --format json|sarif|github`: findings on stdout; exit 1 when any is an error."""
    from vra_config.check_formats import Summary, as_github, as_json, as_sarif
    from vra_config.pipeline import check_file
    from vra_config.plan.findings import PlanError
    from vra_config.plan.loader import load_file

    if not plan.is_file():
        _check(plan, locked)  # the usage errors of a missing or unreadable plan (exit 2)
    texts = _running_texts(plan, running)
    findings: tuple[Finding, ...]
    summary: Summary | None = None
    try:
        if "*" in texts:
            routers = sorted(load_file(plan).plan.routers)
            if len(routers) != 1:
                _fail_usage(
                    f"the plan has {len(routers)} routers: say which one, --running ROUTER=FILE"
                )
            texts[routers[0]] = texts.pop("*")
        checked = _guard_usage(
            lambda: check_file(plan, locked=locked, running=texts, vendor=vendor)
        )
        findings = checked.warnings
        ap = checked.address_plan
        summary = Summary(len(checked.plan.routers), len(ap.connections), len(ap.lock_changes))
    except PlanError as exc:
        findings = exc.findings
    name = str(plan)
    if fmt == "json":
        text = as_json(name, findings, summary)
    elif fmt == "sarif":
        text = as_sarif(name, findings)
    else:
        text = as_github(name, findings)
    sys.stdout.write(text)
    sys.stdout.flush()
    if summary is None:
        raise typer.Exit(1)


def _guard_usage(action: Callable[[], T]) -> T:
    """Run a pipeline step; a usage error exits 2 (plan errors are the caller's)."""
    from vra_config.pipeline import UsageError

    try:
        return action()
    except UsageError as exc:
        _fail_usage(str(exc))


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


# Long only by its typer option declarations (the docstring is the --help text); the
# body delegates to the helpers below.
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
    if check_only and out is None:
        _fail_usage("--check compares files: give the directory with --out")
    locked = locked or check_only
    if target is not None:
        _refuse_router_options(
            target, vendor=vendor, router=router, templates=templates, show_secrets=show_secrets
        )
        _render_ibm_side(plan, target, out, force, check_only, locked, running)
        return
    checked = _check(plan, locked, running, vendor)
    if out is None:
        _render_to_stdout(checked, plan, vendor, router, templates, show_secrets)
        _write_lock(checked, locked)
        return
    from vra_config.pipeline import render_checked

    files = _guard(lambda: render_checked(checked, vendor, router, templates, show_secrets))
    if check_only:
        _check_router_files(out, files, plan)
    elif not files:
        _nothing_to_render(plan)
        _write_lock(checked, locked)
    else:
        _write_router_files(checked, out, files, force, show_secrets, locked)


def _check_router_files(out: Path, files: dict[str, str], plan: Path) -> None:
    """`render --check --out DIR`: the router files under DIR against a fresh render."""
    from vra_config.targets.base import ROUTER_MARK

    _check_outputs(out, files, ROUTER_MARK, f"vra-config render --out {out} {plan}", plan)


def _write_router_files(
    checked: Checked,
    out: Path,
    files: dict[str, str],
    force: bool,
    show_secrets: bool,
    locked: bool,
) -> None:
    """`render --out DIR`: one file per device (0600 when it holds keys), then the lock,
    which names the files already written if it cannot be saved."""
    from vra_config.output import write_outputs

    mode = 0o600 if show_secrets else 0o644
    written = _guard(lambda: write_outputs(out, files, force=force, report=_say, mode=mode))
    _write_lock(checked, locked, written)


def _refuse_router_options(
    target: str,
    *,
    vendor: str | None,
    router: str | None,
    templates: Path | None,
    show_secrets: bool,
) -> None:
    """`render --target` prints IBM's side: the options that choose router text are a
    mistake there (exit 2), not something to ignore."""
    router_only = {
        "--vendor": vendor is not None,
        "--router": router is not None,
        "--templates": templates is not None,
        "--show-secrets": show_secrets,
    }
    for flag, given in router_only.items():
        if given:
            _fail_usage(f"{flag} is for router configuration; --target {target} renders IBM's side")


def _render_to_stdout(
    checked: Checked,
    plan: Path,
    vendor: str | None,
    router: str | None,
    templates: Path | None,
    show_secrets: bool,
) -> None:
    """`render` without `--out`: every device's text on stdout once all of them rendered."""
    from vra_config.pipeline import stream_checked

    stream = _guard(lambda: stream_checked(checked, vendor, router, templates, show_secrets))
    if not _guard(lambda: _print_all(stream)):
        _nothing_to_render(plan)


def _nothing_to_render(plan: Path, target: str | None = None) -> None:
    """Say that the plan holds nothing this render prints, as a comment on stdout: what a
    pipe into a router or a checker receives stays valid."""
    if target is None:
        typer.echo(
            f"# vra-config: {Path(plan).name}: nothing to render: the plan has no router, and "
            "no site that names a vendor (the addressing was checked)"
        )
    else:
        typer.echo(
            f"# vra-config: {Path(plan).name}: nothing to render for --target {target}: the "
            "plan has no Transit Gateway or cloud-connection link"
        )


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
    verb = "matches" if len(files) == 1 else "match"
    typer.echo(f"{out}: {_plural(len(files), 'file')} {verb} a fresh render of {plan}")


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

    checked = _check(plan, locked, running, ibm_side_only=True)
    files = _guard(lambda: render_ibm_side(checked, target))
    if check_only:
        assert out is not None
        command = f"vra-config render --target {target} --out {out} {plan}"
        _check_outputs(out, files, IBM_SIDE_MARK, command, plan)
        return
    if not files:
        _nothing_to_render(plan, target)
    elif out is None:
        for text in files.values():
            sys.stdout.write(text)
    else:
        written = _guard(lambda: write_outputs(out, files, force=force, report=_say))
        _write_lock(checked, locked, written)
        return
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
        text = _read_running(str(source))
        lines = delta(text, by_router[name], chosen[name], names)
        if index:
            typer.echo("")
        typer.echo(  # a comment line: a file name's newline must not start a command line
            _escaped(
                f"# vra-config: {name}: {_plural(len(lines), 'command')} from {source.name} "
                "to the plan"
            )
        )
        for line in lines:
            typer.echo(line)


def files_by_router(files: dict[str, str]) -> dict[str, str]:
    return {name.split(".", 1)[0]: text for name, text in files.items()}


@app.command()
def verify(
    plan: PlanArg,
    router: Annotated[
        str | None,
        typer.Option(help="The router to verify (every rendered router when omitted)."),
    ] = None,
    show: Annotated[
        list[Path] | None,
        typer.Option(
            "--show",
            metavar="FILE",
            help="Output captured from the router (a BGP summary, JSON or FRR text, or FRR's "
            "`show ip route json`); judged against the plan. Repeat for several files.",
        ),
    ] = None,
    vendor: Annotated[
        str | None,
        typer.Option(metavar="VENDOR", help="The vendor pack for every device (vyatta or vsrx)."),
    ] = None,
) -> None:
    """Print what to run on each router after pasting and what it must show; with --show,
    judge captured output (exit 0 all as planned, 1 otherwise)."""
    from vra_config.pipeline import device_intents

    checked = _check(plan, False)
    intents, vendors = _guard(lambda: device_intents(checked, vendor, router))
    if not show:
        from vra_config.verify.sheet import render_sheet

        texts = [render_sheet(intents[name], vendors[name], plan.name) for name in sorted(vendors)]
        typer.echo("\n".join(texts), nl=False)
        return
    if len(vendors) != 1:
        _fail_usage(
            f"--show: the plan renders {len(vendors)} routers; say whose output it is with "
            f"--router (one of {', '.join(sorted(vendors))})"
        )
    name = next(iter(vendors))
    _judge(name, intents[name], show)


def _judge(name: str, intent: RouterIntent, files: list[Path]) -> None:
    """Judge each captured file for one router; exit 1 if anything differs from the plan."""
    from vra_config.verify.expect import expected_neighbors, expected_routes
    from vra_config.verify.judge import CaptureError, judge_capture

    neighbors = expected_neighbors(intent)
    routes = expected_routes(intent)
    failed = total = 0
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail_usage(f"--show {file}: cannot read it ({_why(exc)})")
        try:
            rows = judge_capture(neighbors, routes, text)
        except CaptureError as exc:
            _fail_usage(f"--show {file}: {exc}")
        typer.echo(f"{name}: {file}")
        for row in rows:
            mark = "ok  " if row.ok else "FAIL"
            found = row.found if row.ok else f"{row.found} (plan: {row.expected})"
            typer.echo(f"  {mark} {row.subject}: {row.check}: {found}")
        total += len(rows)
        failed += sum(1 for row in rows if not row.ok)
    typer.echo(
        f"{name}: {_plural(total, 'check')}, {failed} not as planned"
        if failed
        else f"{name}: {_plural(total, 'check')}, all as planned"
    )
    if failed:
        raise typer.Exit(1)


@app.command("far-end")
def far_end(
    plan: PlanArg,
    site: Annotated[
        str | None,
        typer.Option(metavar="SITE", help="The site to describe (every site without a vendor)."),
    ] = None,
) -> None:
    """Print a vendor-neutral parameter sheet for each site vra-config does not render (no
    `vendor:`): proposals, identities, tunnel addresses, BGP and prefixes."""
    from vra_config.intent.router import router_intents
    from vra_config.targets.farend import far_end_sheet

    checked = _check(plan, False)
    unrendered = sorted(n for n, s in checked.plan.sites.items() if s.vendor is None)
    if site is not None:
        if site not in checked.plan.sites:
            known = ", ".join(sorted(checked.plan.sites)) or "none"
            _fail_usage(f"--site {site}: no such site in the plan (sites: {known})")
        if site not in unrendered:
            _fail_usage(
                f"--site {site}: it names a vendor, so `vra-config render` prints its "
                "configuration; the parameter sheet is for sites without one"
            )
        unrendered = [site]
    if not unrendered:
        typer.echo(
            f"{plan.name}: every site names a vendor; `vra-config render` prints them all"
            if checked.plan.sites
            else f"{plan.name}: the plan has no site; `vra-config render` prints every router"
        )
        return
    intents = router_intents(checked.address_plan, checked.routes)
    typer.echo("\n".join(far_end_sheet(intents[n], plan.name) for n in unrendered), nl=False)


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


# Long only by its typer option declarations (the docstring is the --help text); the
# body delegates to the helpers below.
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
    power_off: Annotated[
        str | None,
        typer.Option(
            "--power-off",
            metavar="MEMBER",
            help="After the baseline, power off this VRA pair member (its namespace goes "
            "silent) and measure the failover; BGP timers are scaled 1/10.",
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
    vendor: Annotated[
        str | None,
        typer.Option(
            help="Run every device as this vendor's rendered text means it (vyatta or vsrx), "
            "as render --vendor renders it. Default: each one's `vendor:`."
        ),
    ] = None,
) -> None:
    """Run the plan's routing in FRR, one network namespace per device, and show what
    reaches what. Needs Linux, root, FRR and nftables; exit 0 when behaviour matches the
    plan (with --failures: every pair with an alternative survives every failure), 1 when
    it does not, 2 when the lab cannot run."""
    from vra_config.lab.topology import built_devices

    vendor = _lab_options(vendor, fail, power_off, failures)
    # `lab --vendor X` runs what `render --vendor X` prints, so it passes the gate that
    # `check --vendor X` is: without it a router that names no vendor is held to every pack,
    # and a plan only the vSRX can render (a same-ASN backup, VRC907) could not run as one.
    checked = _check(plan, locked, vendor=vendor)
    ap = checked.address_plan
    failed = _lab_faults(ap, fail or [], power_off)
    if not built_devices(ap):
        _lab_nothing_to_run(plan, as_json)
        return
    _renders_for_lab(checked, vendor)
    if failures:
        _run_lab_torn_down_on_failure(lambda: _lab_failures(ap, plan, keep, as_json, vendor), keep)
    else:
        _run_lab_torn_down_on_failure(
            lambda: _lab_once(ap, plan, failed, keep, as_json, vendor, power_off), keep
        )


def _lab_options(
    vendor: str | None, fail: list[str] | None, power_off: str | None, failures: bool
) -> str | None:
    """The lab's options that exclude each other refused (exit 2); the vendor normalised."""
    from vra_config.targets.routers.meaning import VENDORS

    if vendor is not None:
        given, vendor = vendor, vendor.strip().lower()
        if vendor not in VENDORS:
            _fail_usage(f"--vendor {given}: the lab runs {' or '.join(VENDORS)}")
    if failures and fail:
        _fail_usage("--failures runs every failure itself: give --fail or --failures, not both")
    if fail and power_off is not None:
        _fail_usage("--fail and --power-off are separate runs: give one of them")
    if failures and power_off is not None:
        _fail_usage(
            "--failures powers off every VRA pair member itself: give --power-off or "
            "--failures, not both"
        )
    return vendor


def _lab_faults(ap: AddressPlan, fail: list[str], power_off: str | None) -> tuple[Failure, ...]:
    """`--fail` parsed (each once) and checked against the plan's connections, and
    `--power-off` against its pair members: a name the plan lacks is a usage error (exit 2)."""
    from vra_config.lab.faults import parse

    failed = tuple(dict.fromkeys(parse(f) for f in fail))
    for f in failed:
        if f.kind == "power-off":
            _fail_usage(
                f"--fail {f.target}: a power-off is run by --power-off MEMBER or by --failures"
            )
        if f.target not in ap.connections:
            known = ", ".join(sorted(ap.connections)) or "none"
            _fail_usage(f"--fail {f.target}: no such connection in the plan ({known})")
    if power_off is not None:
        from vra_config.intent.pairs import member_names

        members = member_names(ap.plan)
        if power_off not in members:
            known = ", ".join(sorted(members)) or "none"
            _fail_usage(f"--power-off {power_off}: not a member of a VRA pair ({known})")
    return failed


def _lab_nothing_to_run(plan: Path, as_json: bool) -> None:
    """A plan with no device the lab runs passes, saying so (JSON too, for machines)."""
    reason = "nothing to run: the plan has no router, and no site that names a vendor"
    if as_json:
        typer.echo(json.dumps({"plan": str(plan), "passed": True, "nothing_to_run": reason}))
    else:
        typer.echo(f"{plan}: {reason}")


def _run_lab_torn_down_on_failure(run: Callable[[], None], keep: bool) -> None:
    """Run the lab; what stops it (it cannot start, a command fails, Ctrl-C) has already
    torn it down inside the runner, so here it only becomes a message and an exit code."""
    from vra_config.lab.netns import LabError
    from vra_config.lab.runner import CannotRun

    try:
        run()
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
    ap: AddressPlan,
    plan: Path,
    failed: tuple[Failure, ...],
    keep: bool,
    as_json: bool,
    vendor: str | None = None,
    power_off: str | None = None,
) -> None:
    from vra_config.lab.report import as_json as lab_json
    from vra_config.lab.report import as_text
    from vra_config.lab.runner import run_lab

    result = run_lab(ap, str(plan), failed, keep, say=_say, vendor=vendor, power_off=power_off)
    if as_json:
        typer.echo(json.dumps(lab_json(result), indent=2))
    else:
        typer.echo(as_text(result), nl=False)
    if not result.passed:
        raise typer.Exit(1)


def _renders_for_lab(checked: Checked, vendor: str | None) -> None:
    """The lab proves the text `render` prints for the same plan and vendor, so what a pack
    refuses to render (a DH group the vSRX lacks...) is refused here too, with the same
    located findings (exit 1), instead of proving a text nobody can paste."""
    from vra_config.intent.router import router_intents
    from vra_config.lab.topology import device_vendors
    from vra_config.pipeline import resolve_secrets
    from vra_config.plan.findings import sorted_located
    from vra_config.targets.base import VendorError
    from vra_config.targets.routers.render import iter_rendered

    ap = checked.address_plan
    vendors = device_vendors(ap, vendor)
    secrets = resolve_secrets(checked, False)
    try:
        for _ in iter_rendered(router_intents(ap), vendors, str(checked.file), secrets=secrets):
            pass  # every device rendered: a pack's refusal comes at the end
    except VendorError as exc:
        located = sorted_located(exc.findings, checked.file, checked.marks)
        _print_findings(located)
        runs = ", ".join(f"{n} as {v}" for n, v in sorted(vendors.items()))
        _say(
            f"{_plural(len(located), 'error')}: render refuses what the lab would run "
            f"({runs}), so nothing was run"
        )
        raise typer.Exit(1) from None


def _lab_failures(
    ap: AddressPlan, plan: Path, keep: bool, as_json: bool, vendor: str | None = None
) -> None:
    from vra_config.lab import matrix

    result = matrix.run_matrix(ap, str(plan), keep, say=_say, vendor=vendor)
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


#: What each value stands for in help and usage, instead of Typer's `<str>`, `<list[str]>`
#: and `{plan}`.
METAVARS = {
    "plan": "PLAN",
    "plans": "PLAN",
    "running": "[ROUTER=]FILE",
    "out": "DIR",
    "templates": "DIR",
    "base": "REV",
    "output_format": "FORMAT",
    "show": "FILE",
    "fail": "LINK",
    "target": "TARGET",
    "vendor": "VENDOR",
    "router": "ROUTER",
    "site": "SITE",
}


def _no_type(ctx: click.Context) -> None:
    return None


class _UsageError(ClickUsageError):
    """A mistake in how vra-config was called, said like every other usage error."""

    def show(self, file: Any = None) -> None:
        what = self.format_message().rstrip(".")
        sys.stderr.write(f"vra-config: error: {what}; see vra-config -h\n")


def _usage_errors_said_our_way(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except (_UsageError, NoArgsIsHelpError):  # help for a bare command stays help
        raise
    except ClickUsageError as exc:
        raise _UsageError(exc.format_message(), exc.ctx) from None


class _Group(typer.core.TyperGroup):
    """The root: an unknown command or option is a `vra-config: error:` like the rest."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        return _usage_errors_said_our_way(lambda: super(_Group, self).make_context(*args, **kwargs))

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        return _usage_errors_said_our_way(lambda: super(_Group, self).resolve_command(ctx, args))


class _Command(typer.core.TyperCommand):
    """A command whose help names each value (`--router ROUTER`, `PLAN`): Typer would print
    its Python type (`<str>`, `<list[str]>`) and brace a required argument (`{plan}`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None and not getattr(param, "is_flag", False) and param.name:
                param.metavar = METAVARS.get(param.name, param.name.upper())
            if isinstance(param, typer.core.TyperArgument):
                # The argument's row is its metavar, without Typer's type label after it.
                param.display_type_rich = _no_type  # type: ignore[method-assign]

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        return _usage_errors_said_our_way(
            lambda: super(_Command, self).make_context(*args, **kwargs)
        )

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [re.sub(r"^\{(.*)\}", r"\1", p) for p in super().collect_usage_pieces(ctx)]


for _info in app.registered_commands:
    _info.cls = _Command
app.info.cls = _Group


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM ends the run as SIGINT does: by an exception, so every `finally` and cleanup
    runs (an atomic write removes its temporary file) before the process exits 128+15."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    # Pydantic looks for plugins among every installed distribution's entry points the
    # first time it builds a validator; the CLI uses none, and the scan is paid by every
    # command that reads a plan (pydantic's documented switch; a value the user set stays).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="vra-config")
