"""Render an IBM-side target: the address plan → `IbmSide` → the target's template.

The jinja2 environment is the router packs' (`vra_config.render.environment`): strict
undefined names, and a `finalize` hook that refuses any value with a control character, so
a value can never add a line; the target modules have already quoted every value.
"""

from __future__ import annotations

from types import ModuleType

from vra_config.output import TARGET_MARK as HEADER_MARK
from vra_config.planner import AddressPlan
from vra_config.render import environment
from vra_config.targets import TARGETS, ibmcloud, terraform
from vra_config.targets.ibmside import ibm_side

_MODULES: dict[str, ModuleType] = {"terraform": terraform, "ibmcloud": ibmcloud}
_TITLES = {
    "terraform": "Terraform for the IBM-Cloud/ibm provider, a module",
    "ibmcloud": "ibmcloud CLI commands, run with sh after ibmcloud login",
}


def render_target(address_plan: AddressPlan, target: str, plan_name: str) -> dict[str, str]:
    """`{file name: text}` of IBM's end of every link; `{}` when the plan has none.

    Raises `TargetError` for what IBM's side cannot take (every problem together).
    """
    side = ibm_side(address_plan)
    if side.empty:
        return {}
    module = _MODULES[target]
    data = module.context(side)
    data["header"] = [
        module.comment(f"{HEADER_MARK} of every link: {_TITLES[target]}"),
        module.comment(f"plan: {plan_name}"),
        module.comment(
            "The router end of each link is `vra-config render`; review both before use."
        ),
    ]
    text = environment(target).get_template(module.TEMPLATE).render(data)
    return {TARGETS[target]: text}
