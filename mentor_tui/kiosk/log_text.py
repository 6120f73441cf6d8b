"""Client-supplied text in the kiosk's log: one token, or quoted with every control escaped.

A client chooses its TERM (and more): a newline in it must not start a forged log line,
an escape sequence must not act on the terminal of whoever reads the log.
"""

from __future__ import annotations

import re

from ..logfile import escape_controls

_PLAIN = re.compile(r"[A-Za-z0-9._+:/@-]+")


def quoted(value: str, limit: int = 64) -> str:
    """``value`` as is when it is a plain token (``xterm-256color``); otherwise in double
    quotes, with quotes and backslashes escaped and every control character written as
    the app's log writes it (``logfile.escape_controls``), cut after ``limit`` characters."""
    if _PLAIN.fullmatch(value) and len(value) <= limit:
        return value
    cut = "..." if len(value) > limit else ""
    body = value[:limit].replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escape_controls(body)}{cut}"'
