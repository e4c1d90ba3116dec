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
    from vra_config.pipeline import Checked
    from vra_config.plan.findings import Finding, PlanError
    from vra_config.plan.model import Plan
    from vra_config.planner.lock import Lock

__version__ = "0.1.0"
__all__ = ["Finding", "Lock", "Plan", "PlanError", "__version__", "check_plan", "render_plan"]


def __getattr__(name: str) -> Any:
    """The public names load their stage only when asked for, so `--help` is quick: `Plan` and
    `Lock` load pydantic and PyYAML, `Finding` and `PlanError` the table of rules."""
    if name in ("Finding", "PlanError"):
        from vra_config.plan import findings

        return getattr(findings, name)
    if name == "Plan":
        from vra_config.plan.model import Plan

        return Plan
    if name == "Lock":
        from vra_config.planner.lock import Lock

        return Lock
    raise AttributeError(f"module 'vra_config' has no attribute {name!r}")


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
    return pipeline.check_loaded(LoadedPlan("<plan>", None, plan, {}), lock or Lock(), None, False)


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
