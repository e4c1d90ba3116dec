"""What a router's running configuration already uses that the plan does not own.

The planner avoids these tunnel numbers and addresses (`--running ROUTER=FILE`); it takes
them as plain data (`InUse`), so planning never reads a configuration itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from vra_config.planner.records import InUse
from vra_config.running.config import guess_vendor, parse
from vra_config.running.ownership import ownership, roots_of


def in_use(text: str, file: str, plan_connections: Iterable[str]) -> InUse:
    """Numbers and addresses of the router's own objects that are not the plan's."""
    statements = parse(text)
    vendor = guess_vendor(statements)
    owner = ownership(statements, vendor, plan_connections)
    numbers: dict[str, dict[int, int]] = {"gre": {}, "vti": {}}
    addresses: list[tuple[str, int]] = []
    for s in statements:
        w = s.words
        if w[0] != "interfaces" or len(w) < 3:
            continue
        roots = roots_of(w, vendor)
        if any(owner.owns(root) for root in roots):
            continue  # ours from an earlier render: the lock keeps it
        if vendor == "vyatta" and w[1] in ("tunnel", "vti"):
            family = "gre" if w[1] == "tunnel" else "vti"
            digits = w[2][3:]  # tun12 / vti12
            if digits.isdigit():
                numbers[family].setdefault(int(digits), s.line)
        if vendor == "vsrx" and w[1] in ("gr-0/0/0", "st0") and len(w) > 3 and w[3].isdigit():
            numbers["gre" if w[1] == "gr-0/0/0" else "vti"].setdefault(int(w[3]), s.line)
        if "address" in w[:-1] and "/" in w[-1]:
            addresses.append((w[-1], s.line))
    return InUse(file, vendor, numbers, tuple(addresses))
