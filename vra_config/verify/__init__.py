"""After pasting: what to run on each router and what it must show, and judging what it did.

`sheet` turns a `RouterIntent` (and so `intent/routing.py`'s answer of which prefixes cross
which link) into the commands of one router OS with what each must show; `judge` reads what
the user captured from the router and compares it with the same expectations, neighbour by
neighbour and prefix by prefix. Both are pure: the CLI (`vra-config verify`) and the lab
read the files and print.
"""
