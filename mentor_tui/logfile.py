"""The app's log file: private (0600), never opened through a symlink or a FIFO, and
holding neither secrets nor lines that someone else's text could forge.

Log records quote servers, exceptions and what people typed. ``SafeLogFilter``
redacts sign-in tokens, API keys and passwords, and escapes control characters, so
a name with a newline in it cannot add a line that looks like the app's own.
"""

from __future__ import annotations

import logging
import os
import re
from io import TextIOWrapper
from pathlib import Path

from .domain.text import BIDI_CONTROLS
from .files import UnsafePath, open_regular, set_aside

LOG_FILE_NAME = "mentor-tui.log"

REDACTED = "[redacted]"

_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JWTs: Supabase access tokens and legacy anon / service_role keys.
    (re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]*"), REDACTED),
    # Supabase's current API keys.
    (re.compile(r"\bsb_(secret|publishable)_[\w-]+"), rf"sb_\1_{REDACTED}"),
    # key = value, key: value, "key": "value", key=value in a query string.
    (
        re.compile(
            r"""(?i)(password|refresh_token|access_token|provider_token|apikey|authorization)"""
            r"""(["']?\s*[:=]\s*)(?:bearer\s+)?("[^"]*"|'[^']*'|[^\s,;&}\]]+)"""
        ),
        rf"\1\2{REDACTED}",
    ),
)

# Every control character a terminal or a log reader acts on (C0, DEL, C1), the Unicode
# line and paragraph separators (some readers break lines there) and the bidi controls
# that reorder what is shown.
_UNICODE_CONTROLS = f"\u2028\u2029{BIDI_CONTROLS}"
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{_UNICODE_CONTROLS}]")
_CONTROLS_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_UNICODE_CONTROLS}]")


def redact(text: str) -> str:
    """``text`` without tokens, keys or passwords."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def escape_controls(text: str) -> str:
    r"""``text`` on one line: every control character written as a Python escape (``\n``, ``\x1b``)."""
    return _CONTROLS.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def _safe_block(text: str) -> str:
    """A traceback or stack: its own line breaks kept, every line indented, so that no
    line of it can pass for the start of a record."""
    text = _CONTROLS_BUT_NEWLINE.sub(_escaped, redact(text))
    return "\n".join(f"  {line}" for line in text.split("\n"))


class SafeLogFilter(logging.Filter):
    """Rewrites every record it passes: message, traceback and stack redacted and escaped."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = escape_controls(redact(record.getMessage()))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _safe_block(record.exc_text)
        if record.stack_info:
            record.stack_info = _safe_block(record.stack_info)
        return True


class PrivateFileHandler(logging.FileHandler):
    """A FileHandler whose file is opened 0600, append-only, never through a symlink or FIFO."""

    def _open(self) -> TextIOWrapper:
        fd = open_regular(Path(self.baseFilename), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def open_log(path: Path, level: int = logging.WARNING) -> tuple[logging.Handler | None, str | None]:
    """A handler writing to ``path``, and a one-line notice for the person when something
    else stood there (a symlink, a FIFO, a folder): it is set aside, never followed.

    The handler is None when no log can be kept; the app still starts.
    """
    notice = None
    try:
        handler = PrivateFileHandler(path, encoding="utf-8", errors="backslashreplace")
    except UnsafePath as exc:
        try:
            aside = set_aside(path)
            handler = PrivateFileHandler(path, encoding="utf-8", errors="backslashreplace")
        except (OSError, UnsafePath) as again:
            return None, f"{exc}; running without a log ({again})"
        notice = f"{exc}; moved it to {aside.name} and started a new log"
    except OSError as exc:
        return None, f"Cannot write the log {path} ({exc.strerror}); running without a log"
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SafeLogFilter())
    return handler, notice


__all__ = [
    "LOG_FILE_NAME",
    "PrivateFileHandler",
    "SafeLogFilter",
    "escape_controls",
    "open_log",
    "redact",
]
