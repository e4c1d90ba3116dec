"""Vendor packs: one small module per router OS, each turning a `RouterIntent` into the
names, spellings and quoting its CLI wants (the templates under `templates/<vendor>/` only
print what the module hands them).

A vendor module provides `TITLE`, `context(intent) -> dict` (raising `VendorError` for what the
OS cannot express) and `comment(text) -> str`.
"""

from __future__ import annotations

from types import ModuleType

from vra_config.vendors import vsrx, vyatta
from vra_config.vendors.base import VendorError

__all__ = ["PACKS", "VendorError"]


#: The packs, by the name `--vendor` and `vendor:` use.
PACKS: dict[str, ModuleType] = {"vsrx": vsrx, "vyatta": vyatta}
