"""Render an IBM-side target: the address plan → `IbmSide` → the target's template.

The jinja2 environment is the router packs' (`vra_config.targets.environment`): strict
undefined names, and a `finalize` hook that refuses any value with a control character, so
a value can never add a line; the target modules have already quoted every value.
"""

from __future__ import annotations

from collections.abc import Sequence

from vra_config.planner.records import AddressPlan
from vra_config.targets.base import IBM_SIDE_MARK
from vra_config.targets.environment import environment
from vra_config.targets.ibm import TARGETS
from vra_config.targets.ibm.contract import IbmContext
from vra_config.targets.ibm.side import ibm_side


def render_target(address_plan: AddressPlan, target: str, plan_name: str) -> dict[str, str]:
    """`{file name: text}` of IBM's end of every link; `{}` when the plan has none.

    Raises `TargetError` for what IBM's side cannot take (every problem together).
    """
    side = ibm_side(address_plan)
    if side.empty:
        return {}
    module = TARGETS[target]
    header = (
        module.comment(f"{IBM_SIDE_MARK} of every link: {module.TITLE}"),
        module.comment(f"plan: {plan_name}"),
        module.comment(
            "The router end of each link is `vra-config render`; review both before use."
        ),
    )
    return {module.FILE: render_context(target, module.context(side), header)}


def render_context(target: str, context: IbmContext, header: Sequence[str]) -> str:
    """A target's template printed with `context` and the header lines above it.

    The header is the renderer's, not the target's: it names the plan, which the `IbmSide`
    a target reads does not know.
    """
    template = environment(target).get_template(TARGETS[target].TEMPLATE)
    return template.render(header=header, **context.template_names())
