"""What a router's running configuration already uses that the plan does not own.

The planner avoids these tunnel numbers and addresses (`--running ROUTER=FILE`); it takes
them as plain data (`InUse`), so planning never reads a configuration itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vra_config.planner.records import InUse
from vra_config.running.config import guess_vendor, parse
from vra_config.running.ownership import ownership, roots_of
from vra_config.vendors import facts

_NUMBER = re.compile(r"[0-9]{1,12}")


def _number(text: str) -> int | None:
    """An interface number as a router could hold one, else None.

    ASCII digits only (`str.isdigit` takes `²` and other digits `int` refuses), and at most
    12 of them: a Vyatta `tunN` name has at most 15 characters (DANOS
    vyatta-interfaces-tunnel-v1.yang), a Junos unit is at most 16,385; a longer run of
    digits cannot be a number vra-config would allocate (and `int` refuses 4,300 digits).
    """
    return int(text) if _NUMBER.fullmatch(text) else None


def in_use(text: str, file: str, plan_connections: Iterable[str]) -> InUse:
    """Numbers and addresses of the router's own objects that are not the plan's."""
    statements = parse(text)
    vendor = guess_vendor(statements)
    owner = ownership(statements, vendor, plan_connections)
    vendor_facts = facts(vendor)
    numbers: dict[str, dict[int, int]] = {"gre": {}, "vti": {}}
    addresses: list[tuple[str, int]] = []
    for s in statements:
        w = s.words
        if w[0] != "interfaces" or len(w) < 3:
            continue
        roots = roots_of(w, vendor)
        if any(owner.owns(root) for root in roots):
            continue  # ours from an earlier render: the lock keeps it
        tunnel = vendor_facts.tunnel_in(w)  # tun12 / vti12, gr-0/0/0 unit 12 / st0 unit 12
        if tunnel is not None:
            family, digits = tunnel
            number = _number(digits)
            if number is not None:
                numbers[family].setdefault(number, s.line)
        if "address" in w[:-1] and "/" in w[-1]:
            addresses.append((w[-1], s.line))
    return InUse(file=file, vendor=vendor, numbers=numbers, addresses=tuple(addresses))
