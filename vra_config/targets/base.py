"""What every target shares: the error for what it cannot express, and the header marks.

A router pack (`routers/`) and an IBM-side target (`ibm/`) both turn the planner's answer
into text for one system; both report what that system cannot take as findings with plan
paths, and both open their files with a mark that tells `--out` the file is ours. A router
pack's contract is `RouterPack` (mypy checks every module in `PACKS` against it), and what
a pack refuses is collected by one `Problems`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol

from vra_config.errors import VraConfigError
from vra_config.intent.records import RouterIntent
from vra_config.plan.findings import Finding, PlanPath
from vra_config.plan.values import PerVendor

#: The first words of a router pack's header comment (`render`), and of an IBM-side target's
#: (`render --target`): `--out` overwrites only files that start with one of them.
ROUTER_MARK = "vra-config: router "
IBM_SIDE_MARK = "vra-config: IBM side"

#: The key text handed to the packs for review output (keys not shown). The packs then print
#: no key line at all, only a comment where it would be, and both vendors refuse to commit a
#: peer without a key: the 5600's `authentication mode pre-shared-secret` commit check ("No
#: 'pre-shared-secret' specified for peer", DANOS vyatta-security-vpn
#: tmplscripts/security/vpn/ipsec/site-to-site/peer/authentication/mode/configd_validate1.cli)
#: and Junos's `security ike policy` ("IKE policy must have either local certificate or
#: pre-shared key configured", junos-es 23.4R2 junos-es-conf-security YANG `junos:must`).
#: A pasted review copy therefore fails at commit, instead of bringing up a tunnel keyed
#: with a placeholder published in the repository, and every line it does print is valid.
#: Real keys are never empty: the model refuses an empty literal, and an empty variable or
#: file is an error.
REDACTED_KEY = ""

#: The header line of a review copy that has IPsec keys, so the reader knows why.
REDACTED_NOTE = (
    "REVIEW COPY: pre-shared keys are withheld on purpose, so this output does not "
    "commit; render with --show-secrets to paste it"
)


def withheld_key(connection: str) -> str:
    """The text of the comment that stands where a review copy's key line would be."""
    return f"REVIEW COPY: the pre-shared key of {connection} is withheld (--show-secrets)"


class TargetError(VraConfigError):
    """What a target cannot take from this plan: never dropped, reported with plan paths."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("; ".join(f.message for f in findings))


class VendorError(TargetError):
    """What a router OS cannot express (a router pack's `context` raises it)."""


class PackContext(Protocol):
    """A pack's template data for one device: a frozen dataclass whose fields are the
    names its templates read (`dataclasses.fields` of it become the template's variables;
    the header lines are added at render time)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


class RouterPack(Protocol):
    """What `routers/render.py` and the pipeline's guard pass call on a router pack module.

    A module in `PACKS` is checked against this by mypy (`PACKS: dict[Vendor, RouterPack]`):
    a pack that lacks a name, or whose `context` or `comment` takes other arguments, is a
    type error, not a failure at render time.
    """

    #: the OS as the header names it ("Vyatta 5600")
    TITLE: str
    #: the file suffix of a rendered device under `--out` ("vyatta.set")
    SUFFIX: str

    def context(self, intent: RouterIntent, secrets: Mapping[str, str]) -> PackContext:
        """The template data of one device; raises `VendorError` for what the OS cannot
        express (every problem of the device at once). `secrets` maps a connection to the
        key text to print (the key, or `REDACTED_KEY` for a review copy)."""
        ...

    def comment(self, text: str) -> str:
        """`text` as one comment line of the OS's configuration syntax."""
        ...


class Problems:
    """What a pack refuses while building one device's context, collected so the device's
    every problem is reported at once (as `VendorError`), under the pack's rule."""

    def __init__(self, rule: str, title: str, quote: Callable[[str], str]) -> None:
        self.rule = rule
        self.title = title
        self.quote = quote
        self.found: list[Finding] = []

    def add(self, path: PlanPath, message: str, rule: str | None = None) -> None:
        self.found.append(Finding(path, message, rule=rule or self.rule))

    def quoted_within(self, path: PlanPath, text: str, most: int, what: str) -> str:
        """`text` quoted for the OS, with a problem added when it is longer than the `most`
        characters the OS takes for `what`."""
        if len(text) > most:
            self.add(
                path,
                f"the {what} '{text}' is {len(text)} characters; the {self.title} takes at "
                f"most {most}: set a shorter `description` or shorter names",
            )
        return self.quote(text)

    def raise_any(self) -> None:
        """Raise `VendorError` with every problem found, if any."""
        if self.found:
            raise VendorError(self.found)


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
