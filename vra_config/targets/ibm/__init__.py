"""IBM-side targets: the other end of every link the plan's routers render.

A router pack renders the router's end of a Transit Gateway or cloud-connection GRE; these
targets render IBM's end of the same links, from the same `AddressPlan`, so the two ends
cannot disagree: `terraform` (HCL for the `IBM-Cloud/ibm` provider) and `ibmcloud` (the
equivalent CLI commands as a shell script). `side.py` turns the address plan into
vendor-neutral `IbmSide` records; the target modules only spell them, each providing
`TITLE`, `FILE` (what it writes under `--out`), `TEMPLATE`, `context(side) -> dict` and
`comment(text) -> str`; `render.py` drives any of them.
"""

from __future__ import annotations

from types import ModuleType

from vra_config.targets.ibm import ibmcloud, terraform

__all__ = ["TARGETS"]

#: The targets, by the name `render --target` uses.
TARGETS: dict[str, ModuleType] = {"terraform": terraform, "ibmcloud": ibmcloud}
