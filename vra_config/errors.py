"""The base of every exception vra-config raises to its callers.

A library caller (a CI job, a notebook, another tool) wants to catch "vra-config refused"
without listing nine classes from eight modules, and still be able to catch one precisely:
`except VraConfigError` or `except PlanError`, as CPython's `ipaddress` offers
`AddressValueError` under `ValueError`. Each precise class stays in the module that raises
it and derives from `VraConfigError`; those that were already an `OSError`, a `ValueError`
or a `RuntimeError` stay one too, so no existing `except` changes meaning.
docs/errors.md lists them all and says what each means.

This module imports nothing of vra-config's, so every stage may import it (tests/test_layout.py).
"""

from __future__ import annotations


class VraConfigError(Exception):
    """Something vra-config refuses or cannot do; the message says what and how to fix it."""
