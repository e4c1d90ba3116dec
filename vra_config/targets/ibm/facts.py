"""IBM's side as one line per value, so that a review can say which values changed.

The rendered Terraform is nested blocks, where a line such as `zone = "us-south-1"` means
nothing without its resource; a line-by-line diff of the file would show a changed zone as
a bare `zone` line, and a moved closing brace as a change. Each value becomes one line
naming its block path instead (`resource "ibm_tg_connection" "tgw_dal12" > zone =
"us-south-1"`), and comments and braces drop out.
"""

from __future__ import annotations

import re

#: `name   = value` as the renderer aligns it; a fact reads `name = value`.
_ALIGNED = re.compile(r"\s+=\s+")


def hcl_facts(text: str) -> list[str]:
    """Every `key = value` of HCL text, prefixed with the blocks it sits in, in file order.

    Multi-line values (an object in an output) stay one line per inner value. A nested
    block's name (`tunnels`) is numbered by its order among its siblings, so two tunnels'
    equal values stay apart.
    """
    facts: list[str] = []
    stack: list[str] = []
    seen: list[dict[str, int]] = [{}]
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("{") and "=" not in line:
            name = line[:-1].strip()
            count = seen[-1].get(name, 0)
            seen[-1][name] = count + 1
            stack.append(name if not stack else f"{name}[{count}]")
            seen.append({})
            continue
        if line.endswith("{"):  # `value = {`: an object value, its keys follow
            stack.append(line[:-1].strip().rstrip("=").strip())
            seen.append({})
            continue
        if line in ("}", "]", "})"):
            if stack:
                stack.pop()
                seen.pop()
            continue
        line = _ALIGNED.sub(" = ", line, count=1)
        facts.append(f"{' > '.join(stack)} > {line}" if stack else line)
    return facts
