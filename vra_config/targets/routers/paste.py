"""How to paste, commit with a rollback timer, verify and undo: the header's steps per OS.

A rendered file is pasted into a remote cloud router, often over the very link it changes.
So the header never says "commit": it says commit with a timer that rolls the change back
unless it is confirmed, check the router with `vra-config verify` while the timer runs, and
only then make it permanent. The steps are data, one tuple per pack; `render.py` prints
them as comments. `{minutes}`, `{router}` and `{plan}` are filled in there.

Sources for each OS's commands:

- Vyatta 5600 (DANOS configd's configuration CLI): `commit-confirm <timeout>` where the
  timeout is "Time (minutes) to issue 'confirm' before automatic rollback", `confirm`
  ("Confirm configuration changes"), `cancel-commit`, `compare` and `save`
  (github.com/danos/configd cmd/cfgcli/commands.go and completefns.go); `commit-confirm`
  and `confirm` only exist when the system's configuration management is present, as on
  the 5600. `show configuration commands` (the `set` form `diff --running` reads) is the
  Vyatta CLI's operational command for the running configuration as `set` lines; no 5600
  page for it was found in this session, so the header only names it.
- Junos: `commit confirmed <minutes>` rolls the configuration back unless a plain
  `commit` follows before the deadline; a committed configuration is already persistent,
  so there is no `save` step (Juniper, CLI User Guide, "Commit the Configuration",
  juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-config-commit.html).
  `show | compare` shows the candidate's changes and `show configuration | display set`
  the running configuration as `set` lines (same guide).
"""

from __future__ import annotations

#: Minutes before an unconfirmed commit rolls back: long enough to run the verification
#: sheet, short enough that a router cut off by the change comes back soon.
CONFIRM_MINUTES = 10

#: The header's steps per pack, in the order they are done.
STEPS: dict[str, tuple[str, ...]] = {
    "vyatta": (
        "Paste in configuration mode (`configure`), then review the change with `compare`.",
        "Commit with a rollback timer: `commit-confirm {minutes}` (rolls back in {minutes} "
        "minutes unless confirmed; `cancel-commit` rolls back now).",
        "Within the {minutes} minutes, check the router: `vra-config verify {plan} --router "
        "{router}` lists what to run and what it must show.",
        "All as planned: `confirm`, then `save` (a commit is not in the boot configuration "
        "until it is saved).",
        "To undo later: capture `show configuration commands`; `vra-config diff --running "
        "{router}=FILE PREVIOUS_PLAN` prints the delete lines back to the previous plan.",
    ),
    "vsrx": (
        "Paste in configuration mode (`configure`, `load set terminal`, paste, Ctrl-D), then "
        "review with `show | compare`.",
        "Commit with a rollback timer: `commit confirmed {minutes}` (rolls back in {minutes} "
        "minutes unless confirmed).",
        "Within the {minutes} minutes, check the router: `vra-config verify {plan} --router "
        "{router}` lists what to run and what it must show.",
        "All as planned: `commit` (it confirms; Junos keeps a committed configuration, there "
        "is no save step).",
        "To undo later: capture `show configuration | display set`; `vra-config diff "
        "--running {router}=FILE PREVIOUS_PLAN` prints the delete lines back to the previous "
        "plan.",
    ),
}


def steps(vendor: str, router: str, plan: str) -> tuple[str, ...]:
    """The header's paste, commit, verify and undo steps for one router of one pack."""
    return tuple(
        step.format(minutes=CONFIRM_MINUTES, router=router, plan=plan) for step in STEPS[vendor]
    )
