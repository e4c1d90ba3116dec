"""From a router's running configuration to the plan's intent: the commands between them.

`set` for what the plan needs and the router lacks; `delete` only for what the plan owns
(`ownership.py` decides that). A removed object is one `delete` of its whole subtree; a
changed single value is one `set` (it replaces the old). Nothing else on the router is
touched. Which leaves hold several values, and which hold keys, is the vendor's data
(`vendors/<vendor>.py`: `MULTI`, `MULTI_LISTS`, `SECRETS`), not code. A pre-shared key leaf
is special: a review render withholds keys (it prints a comment instead), so a key on the
router that the desired text lacks is withheld, not removed: it is never deleted on its own
(and so never printed), and a shown key replaces it with its `set`.
"""

from __future__ import annotations

from collections.abc import Iterable

from vra_config.running.config import Words, parse, render_words
from vra_config.running.ownership import matches, ownership, roots_of
from vra_config.vendors import facts


def delta(
    running_text: str, desired_text: str, vendor: str, plan_connections: Iterable[str]
) -> list[str]:
    """`delete` lines (first, outermost objects only) then `set` lines, in file order."""
    running = parse(running_text)
    desired = parse(desired_text)
    have = {s.words for s in running}
    want = {s.words for s in desired}
    desired_roots = {root for s in desired for root in roots_of(s.words, vendor)}
    owner = ownership(running, vendor, plan_connections)
    vendor_facts = facts(vendor)
    deletes: list[Words] = []
    seen: set[Words] = set()
    for s in running:
        if s.words in want:
            continue
        gone_root = None
        owned = False
        for root in roots_of(s.words, vendor):
            if owner.owns(root):
                owned = True
                if root not in desired_roots:
                    gone_root = root
                    break
        if not owned:
            continue  # not the plan's: never touched
        if gone_root is not None:
            target = gone_root
        elif any(len(s.words) == len(p) and matches(s.words, p) for p in vendor_facts.SECRETS):
            continue  # a key the desired text withholds, or replaces with its own `set`
        elif (
            s.words[-2] in vendor_facts.MULTI
            or any(len(s.words) == len(p) and matches(s.words, p) for p in vendor_facts.MULTI_LISTS)
            or not any(w[:-1] == s.words[:-1] for w in want if len(w) == len(s.words))
        ):
            target = s.words
        else:
            continue  # a single value the plan changes: its `set` replaces it
        if target not in seen and not any(target[: len(x)] == x for x in seen):
            seen.add(target)
            deletes.append(target)
    sets = [s.words for s in desired if s.words not in have]
    quote = vendor_facts.QUOTE
    out = ["delete " + render_words(w, quote)[4:] for w in deletes]
    out += [render_words(w, quote) for w in dict.fromkeys(sets)]
    return out
