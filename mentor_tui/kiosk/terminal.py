"""What the kiosk itself writes to a person's terminal, around the app."""

from __future__ import annotations

# The modes a Textual app turns on; an app that was ended by a signal could not turn them off,
# and the person's own terminal would be left without a cursor and full of mouse reports.
RESTORE_TERMINAL = (
    b"\x1b[<u"  # pop the kitty keyboard mode
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"  # mouse reports
    b"\x1b[?2004l\x1b[?1004l"  # bracketed paste, focus events
    b"\x1b[?7h\x1b[?25h\x1b[0m"  # line wrap, cursor, colours
    b"\x1b[?1049l"  # back to the main screen
)


def line(text: str) -> bytes:
    """A line on a terminal in raw mode, where a bare newline does not return the carriage."""
    return text.encode("utf-8") + b"\r\n"


def farewell(text: str) -> bytes:
    """The last words, after the app is gone."""
    return RESTORE_TERMINAL + b"\r\n" + line(text)


BELL = b"\x07"


def banner(text: str, width: int) -> bytes:
    """``text`` over the app's top line; the cursor and its colours are saved and put back."""
    row = f" {text} ".ljust(width)[: max(width, 1)]
    return b"\x1b7\x1b[1;1H\x1b[0;7m" + row.encode("utf-8") + b"\x1b[0m\x1b8"
