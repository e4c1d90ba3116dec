"""Router packs: one small module per router OS, each turning a `RouterIntent` into the
names, spellings and quoting its CLI wants (the templates under `templates/<vendor>/` only
print what the module hands them).

A pack provides what `targets.base.RouterPack` declares: `TITLE`, `SUFFIX` (of its output
file), `context(intent, secrets)` returning its typed template data (raising `VendorError`
for what the OS cannot express) and `comment(text) -> str`. It joins `PACKS`, where mypy
checks the module against the protocol; its names and spellings that other stages read too
live in its vendor module (`vra_config/vendors/`). `render.py` drives any of them.

`frr.py` renders the same intent as FRR configuration for the lab (`vra_config/lab/`). It is
not in `PACKS`: FRR's configuration holds routing only, while a Linux gateway's tunnels,
IPsec and filters live outside it, so it would not be paste-ready as `--vendor frr`. It runs
each device as its vendor's text means it (`meaning.py`, which the vSRX pack reads too).
"""

from __future__ import annotations

from typing import TypeGuard

from vra_config.plan.values import Vendor
from vra_config.targets.base import RouterPack
from vra_config.targets.routers import vsrx, vyatta

__all__ = ["PACKS", "pack"]


#: The packs, by the name `--vendor` and `vendor:` use (the vendor modules' `NAME`).
PACKS: dict[Vendor, RouterPack] = {"vsrx": vsrx, "vyatta": vyatta}


def _is_vendor(name: str) -> TypeGuard[Vendor]:
    return name in PACKS


def pack(vendor: str) -> RouterPack:
    """The pack of `vendor`, a name from the command line or the plan (KeyError if none)."""
    if not _is_vendor(vendor):
        raise KeyError(vendor)
    return PACKS[vendor]
