"""IBM-side targets: the other end of every link the plan's routers render.

A router pack renders the router's end of a Transit Gateway or cloud-connection GRE; these
targets render IBM's end of the same links, from the same `AddressPlan`, so the two ends
cannot disagree: `terraform` (HCL for the `IBM-Cloud/ibm` provider) and `ibmcloud` (the
equivalent CLI commands as a shell script). `side.py` turns the address plan into
vendor-neutral `IbmSide` records; the target modules only spell them, each filling the
`IbmTarget` contract (`contract.py`: `TITLE`, `FILE` (what it writes under `--out`),
`TEMPLATE`, `context(side)` returning a frozen record, and `comment(text) -> str`), which
mypy checks here, where the registry lists them; `render.py` drives any of them.
"""

from __future__ import annotations

from vra_config.targets.ibm import ibmcloud, terraform
from vra_config.targets.ibm.contract import IbmTarget

__all__ = ["TARGETS"]

#: The targets, by the name `render --target` uses.
TARGETS: dict[str, IbmTarget] = {"terraform": terraform, "ibmcloud": ibmcloud}
