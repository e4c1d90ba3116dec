"""What every vendor pack shares: the error for what a vendor cannot express."""

from __future__ import annotations

from vra_config.findings import Finding
from vra_config.model import PerVendor


class VendorError(Exception):
    """What a vendor cannot express: never dropped, always reported with its plan path."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("; ".join(f.message for f in findings))


def vendor_interface(
    vendor: str, name: PerVendor | None, connection: str, problems: list[Finding]
) -> str:
    """The interface a per-vendor name gives this vendor, or a finding saying what to add."""
    chosen = name.get(vendor) if name is not None else None
    if chosen is None:
        problems.append(
            Finding(
                ("connections", connection, "interface"),
                f"no {vendor} interface name for this link; write "
                f"`interface: {{{vendor}: ...}}` next to the other vendor's",
                rule="VRC703",
            )
        )
        return "missing"
    return chosen
