"""The shape every vendor module has, so each can be checked against it and a registry can
list what a new one lacks.

A vendor module (`vyatta.py`, `vsrx.py`) is data about one router OS that every stage may
read: its name, how it quotes, the names the packs give a connection's objects, how its
tunnel interfaces are named, and what in a running configuration those objects are. It
imports nothing of vra-config's but this module, so the planner, the intents, the packs and
the running-configuration reader can all ask it instead of testing `vendor == "vyatta"`.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from typing import Literal, Protocol

#: How a high-availability pair is rendered (`PAIRS`): two routers sharing addresses by VRRP,
#: each with its own configuration, or one chassis cluster with one configuration.
VRRP = "vrrp"
CHASSIS_CLUSTER = "chassis-cluster"

#: A path of configuration words; None stands for any one word.
Pattern = tuple[str | None, ...]

#: How an object found in a running configuration is tied to the plan when no description
#: names it (`running/ownership.py` implements each once, for every vendor):
#: - "name": the word at `at` is one of the connection's `object_names` (of `roles`, or any);
#: - "unit": an interface unit (`interfaces IFD unit N`) the plan's links own;
#: - "zone": a zone's interface (the word at `at`) is such a unit;
#: - "route": a static route to an owned tunnel's far end, or through an owned unit;
#: - "joined": the word at `at` is connection names joined by `separator`, one of them ours;
#: - "address": the word at `at` is a name the packs make from a prefix (`pattern`).
How = Literal["name", "unit", "zone", "route", "joined", "address"]


@dataclass(frozen=True)
class Owned:
    """One rule of what the plan owns: objects under `root` of `length` words (any length
    when None), recognised `how`, by the word at `at`."""

    root: tuple[str, ...]
    how: How
    #: the two fields every rule has go by position, so that a vendor's `OWNED` reads as a
    #: table; the rest are named
    _: KW_ONLY
    at: int = -1
    roles: frozenset[str] | None = None
    length: int | None = None
    separator: str = ""
    pattern: re.Pattern[str] | None = None


class VendorFacts(Protocol):
    """What a vendor module provides (mypy checks each module in `VENDORS` against it)."""

    #: the name `vendor:` and `--vendor` use
    NAME: str
    #: the OS as headers and sheets name it
    TITLE: str
    #: the character that quotes a value with spaces in a `set` line
    QUOTE: str
    #: how a high-availability pair of this OS is rendered: "vrrp" or "chassis-cluster"
    PAIRS: str
    #: whether BGP can replace the peer's own AS in what it sends (Junos `as-override`);
    #: without it a prefix that carries the far end's AS must be re-originated
    AS_OVERRIDE: bool
    #: object roots in a running configuration, with how many words name the object
    ROOTS: tuple[tuple[Pattern, int], ...]
    #: what the plan owns among them when no description says so
    OWNED: tuple[Owned, ...]
    #: leaves that hold several values (a value the plan drops is deleted, not replaced)
    MULTI: frozenset[str]
    #: lists written without a keyword before each value
    MULTI_LISTS: tuple[Pattern, ...]
    #: pre-shared key leaves (never deleted on their own: a review copy withholds them)
    SECRETS: tuple[Pattern, ...]

    def quote(self, text: str) -> str: ...

    def object_names(self, connection: str) -> dict[str, str]: ...

    def tunnel_interface(self, family: str, number: int) -> str: ...

    def tunnel_in(self, words: tuple[str, ...]) -> tuple[str, str] | None: ...
