"""vra-config: one reviewed YAML plan in, paste-ready router configuration out.

Library API (the CLI is a thin layer over it):

    >>> import vra_config
    >>> files = vra_config.render_plan(Path("plan.yaml"), vendor="vyatta")  # {file: text}
    >>> warnings = vra_config.check_plan(Path("plan.yaml"))                   # raises PlanError

A `Path` is read from disk together with its lock file (which is never written here); a
`str` is plan YAML text; a `Plan` is used as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vra_config.errors import VraConfigError
    from vra_config.lab.netns import LabError
    from vra_config.lab.runner import CannotRun, Overlap
    from vra_config.output import OutputError
    from vra_config.pipeline import Checked, UsageError
    from vra_config.plan.findings import Finding, PlanError
    from vra_config.plan.model import Plan
    from vra_config.planner.lock import Lock, LockIsLink
    from vra_config.targets.base import TargetError, VendorError
    from vra_config.targets.environment import RenderBug
    from vra_config.verify.judge import CaptureError
    from vra_config.writer import NotRegular

__version__ = "0.1.0"

#: Where each public name lives. They load only when asked for, so `--help` is quick: `Plan`
#: and `Lock` load pydantic and PyYAML, `Finding` the table of rules, the lab's errors the lab.
#: Every exception derives from `VraConfigError` (docs/errors.md says what each means).
_HOMES: dict[str, str] = {
    "Finding": "vra_config.plan.findings",
    "Lock": "vra_config.planner.lock",
    "Plan": "vra_config.plan.model",
    "VraConfigError": "vra_config.errors",
    "CannotRun": "vra_config.lab.runner",
    "CaptureError": "vra_config.verify.judge",
    "LabError": "vra_config.lab.netns",
    "LockIsLink": "vra_config.planner.lock",
    "NotRegular": "vra_config.writer",
    "OutputError": "vra_config.output",
    "Overlap": "vra_config.lab.runner",
    "PlanError": "vra_config.plan.findings",
    "RenderBug": "vra_config.targets.environment",
    "TargetError": "vra_config.targets.base",
    "UsageError": "vra_config.pipeline",
    "VendorError": "vra_config.targets.base",
}

#: Written out (not built from `_HOMES`) so that type checkers and editors read it;
#: tests/test_vocabulary.py checks the two agree.
__all__ = [
    "CannotRun",
    "CaptureError",
    "Finding",
    "LabError",
    "Lock",
    "LockIsLink",
    "NotRegular",
    "OutputError",
    "Overlap",
    "Plan",
    "PlanError",
    "RenderBug",
    "TargetError",
    "UsageError",
    "VendorError",
    "VraConfigError",
    "__version__",
    "check_plan",
    "render_plan",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its home on first use (see `_HOMES`)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'vra_config' has no attribute {name!r}")
    from importlib import import_module  # here: `import vra_config` stays as quick as before

    return getattr(import_module(home), name)


def _checked(plan: Path | str | Plan, lock: Lock | None) -> Checked:
    from vra_config import pipeline
    from vra_config.plan.loader import LoadedPlan, load_file
    from vra_config.planner.lock import Lock

    if isinstance(plan, Path):
        if lock is None:
            return pipeline.check_file(plan)
        return pipeline.check_loaded(load_file(plan), lock, None, locked=False)
    if isinstance(plan, str):
        return pipeline.check_text(plan, lock=lock)
    return pipeline.check_loaded(
        LoadedPlan(file="<plan>", path=None, plan=plan, marks={}), lock or Lock(), None, False
    )


def check_plan(plan: Path | str | Plan, lock: Lock | None = None) -> list[Finding]:
    """Check a plan; return its warnings, or raise `PlanError` listing every problem."""
    return list(_checked(plan, lock).warnings)


def render_plan(
    plan: Path | str | Plan,
    vendor: str | None = None,
    router: str | None = None,
    lock: Lock | None = None,
    templates: Path | None = None,
) -> dict[str, str]:
    """Render every router of a plan (or one): `{file name: configuration text}`."""
    from vra_config import pipeline

    return pipeline.render_checked(_checked(plan, lock), vendor, router, templates)
