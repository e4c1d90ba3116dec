"""What every vendor pack shares: the error for what a vendor cannot express."""

from __future__ import annotations

from vra_config.findings import Finding


class VendorError(Exception):
    """What a vendor cannot express: never dropped, always reported with its plan path."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("; ".join(f.message for f in findings))
