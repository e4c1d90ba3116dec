"""Read HCL back in tests: python-hcl2 parses the files, this decodes its string literals.

python-hcl2 (8.x) keeps a quoted string as written, quotes and escapes included; `decode`
applies the HCL native syntax escapes (`\\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`, `$${`, `%%{`)
from hashicorp/hcl hclsyntax/spec.md, independently of the code under test, and refuses a
literal that still holds an interpolation or a directive.
"""

from __future__ import annotations

from typing import Any

import hcl2

_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def decode(raw: str) -> str:
    """The value of the quoted HCL literal `raw`; AssertionError if it is not a plain one."""
    assert len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"', raw
    body, out, i = raw[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            kind = body[i + 1]
            if kind in _SIMPLE:
                out.append(_SIMPLE[kind])
                i += 2
            elif kind in "uU":
                width = 4 if kind == "u" else 8
                out.append(chr(int(body[i + 2 : i + 2 + width], 16)))
                i += 2 + width
            else:
                raise AssertionError(f"unknown escape in {raw!r}")
        elif body.startswith(("$${", "%%{"), i):
            out.append(body[i + 1 : i + 3])
            i += 3
        elif body.startswith(("${", "%{"), i):
            raise AssertionError(f"an interpolation or directive in {raw!r}")
        elif ch == '"':
            raise AssertionError(f"an unescaped quote in {raw!r}")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def resources(text: str) -> dict[tuple[str, str], dict[str, Any]]:
    """`{(type, name): body}` of every resource in HCL `text`."""
    data = hcl2.loads(text)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for item in data.get("resource", []):
        for rtype, named in item.items():
            for rname, body in named.items():
                out[(rtype.strip('"'), rname.strip('"'))] = body
    return out
