"""IBM-side targets: the other end of every link the plan's routers render.

A router pack renders the router's end of a Transit Gateway or cloud-connection GRE; these
targets render IBM's end of the same links, from the same `AddressPlan`, so the two ends
cannot disagree: `terraform` (HCL for the `IBM-Cloud/ibm` provider) and `ibmcloud` (the
equivalent CLI commands as a shell script). `ibmside.py` turns the address plan into
vendor-neutral `IbmSide` records; the target modules only spell them.
"""

from __future__ import annotations

from vra_config.targets.ibmside import TargetError

__all__ = ["TARGETS", "TargetError"]

#: `render --target NAME`: the file each target writes under `--out`.
TARGETS: dict[str, str] = {"terraform": "ibm-side.tf", "ibmcloud": "ibm-side.sh"}
