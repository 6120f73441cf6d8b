"""Client-supplied text in the kiosk's log: one token, or quoted with every control escaped.

A client chooses its TERM (and more): a newline in it must not start a forged log line,
an escape sequence must not act on the terminal of whoever reads the log.
"""

from __future__ import annotations

import re

_PLAIN = re.compile(r"[A-Za-z0-9._+:/@-]+")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quoted(value: str, limit: int = 64) -> str:
    """``value`` as is when it is a plain token (``xterm-256color``); otherwise in double
    quotes, with quotes, backslashes and anything not printable (C0, DEL, C1, bidi
    controls, line separators) as backslash escapes, and cut after ``limit`` characters."""
    if _PLAIN.fullmatch(value) and len(value) <= limit:
        return value
    cut = "..." if len(value) > limit else ""
    return '"' + "".join(_escaped(char) for char in value[:limit]) + cut + '"'
