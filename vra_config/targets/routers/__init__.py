"""Router packs: one small module per router OS, each turning a `RouterIntent` into the
names, spellings and quoting its CLI wants (the templates under `templates/<vendor>/` only
print what the module hands them).

A pack provides `TITLE`, `SUFFIX` (of its output file), `context(intent, secrets) -> dict`
(raising `VendorError` for what the OS cannot express) and `comment(text) -> str`; a new pack
joins `PACKS` with one line. `render.py` drives any of them.

`frr.py` renders the same intent as FRR configuration for the lab (`vra_config/lab/`). It is
not in `PACKS`: FRR's configuration holds routing only, while a Linux gateway's tunnels,
IPsec and filters live outside it, so it would not be paste-ready as `--vendor frr`. It runs
each device as its vendor's text means it (`meaning.py`, which the vSRX pack reads too).
"""

from __future__ import annotations

from types import ModuleType

from vra_config.targets.routers import vsrx, vyatta

__all__ = ["PACKS"]


#: The packs, by the name `--vendor` and `vendor:` use.
PACKS: dict[str, ModuleType] = {"vsrx": vsrx, "vyatta": vyatta}
