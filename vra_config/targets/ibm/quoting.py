"""Quoting plan values for the IBM-side targets: HCL strings and POSIX shell words.

No plan value can end a string, start an interpolation or add a line, whatever the model
lets through: HCL escapes follow the HCL native syntax specification ("Template Literals":
`\\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`, and `$${` / `%%{` for a literal `${` / `%{`,
https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md); shell words use
`shlex.quote` (POSIX single quotes, in which nothing is special).
"""

from __future__ import annotations

import shlex

_SIMPLE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_string(text: str) -> str:
    """`text` as a quoted HCL string literal that evaluates to exactly `text`."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    body = "".join(out).replace("${", "$${").replace("%{", "%%{")
    return f'"{body}"'


def shell_word(text: str) -> str:
    """`text` as one POSIX shell word (quoted only when it must be)."""
    if "\n" in text or "\r" in text or "\x00" in text:
        raise ValueError(f"refusing to put a line break into a shell word: {text!r}")
    return shlex.quote(text)
