"""One home per router vendor: the facts about an OS that every stage may read.

`vyatta.py` and `vsrx.py` hold the same documented names (`common.VendorFacts`): the
vendor's name and title, its quoting, the names the packs give a connection's objects, its
tunnel interface names, what in a running configuration the plan owns, its multi-valued and
key leaves. `descriptions.py` writes and reads the link descriptions every vendor shares.
Nothing here imports the rest of vra-config, so the planner, the intents, the packs and
`running/` can all ask the vendor instead of testing `vendor == "vyatta"`.

A new vendor is a module here (mypy checks it against `VendorFacts` when it joins
`VENDORS`), a pack in `targets/routers/` and its templates; `tests/test_vendors.py` says
what a named vendor still lacks.
"""

from __future__ import annotations

from vra_config.vendors import vsrx, vyatta
from vra_config.vendors.common import VendorFacts

__all__ = ["VENDORS", "VendorFacts", "facts", "missing", "pair_style"]

#: Every vendor, by the name `vendor:` and `--vendor` use.
VENDORS: dict[str, VendorFacts] = {vyatta.NAME: vyatta, vsrx.NAME: vsrx}


def facts(vendor: str) -> VendorFacts:
    """The vendor module of `vendor` (a KeyError names an unknown vendor)."""
    return VENDORS[vendor]


def pair_style(vendor: str | None) -> str | None:
    """How a high-availability pair of `vendor` is rendered ("vrrp", "chassis-cluster");
    None when the device names no vendor."""
    return None if vendor is None else VENDORS[vendor].PAIRS


def missing(module: object) -> list[str]:
    """The names of `VendorFacts` a would-be vendor module does not define, in order."""
    methods = [n for n, v in vars(VendorFacts).items() if callable(v) and not n.startswith("_")]
    wanted = [*VendorFacts.__annotations__, *methods]
    return [name for name in wanted if not hasattr(module, name)]
