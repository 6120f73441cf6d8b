"""A desktop notification through the terminal, where the terminal is known to show one.

Two escape sequences exist and no terminal answers a query for either, so the choice
comes from what the terminal says it is (``TERM_PROGRAM``, ``TERM``, ``VTE_VERSION``):

======================================  ==========================================
Terminal                                Sequence
======================================  ==========================================
iTerm2 (``TERM_PROGRAM=iTerm.app``)     OSC 9: ``ESC ] 9 ; text BEL``
WezTerm (``TERM_PROGRAM=WezTerm``)      OSC 9
Ghostty (``TERM_PROGRAM=ghostty``)      OSC 9
kitty (``TERM=xterm-kitty``)            OSC 9
foot (``TERM=foot*``)                   OSC 777: ``ESC ] 777 ; notify ; title ; body BEL``
rxvt-unicode (``TERM=rxvt-unicode*``)   OSC 777
VTE: GNOME Terminal, Tilix...           OSC 777
(``VTE_VERSION`` set)
anything else                           nothing
======================================  ==========================================

Anything else gets nothing: an unknown terminal may print the text, or (ConEmu and
Windows Terminal read ``OSC 9 ; <digit>`` as commands of their own) act on it. Inside
tmux or screen the variables describe the multiplexer, which passes neither sequence on.
Over SSH only ``TERM`` crosses the connection, so kitty, foot and rxvt-unicode are known
there and the others are not.

What is written is the app's own words around people's text: every control character
(ESC and BEL would end the sequence early or start another) is made visible, line breaks
become spaces, and in OSC 777, whose fields are separated by ``;``, no ``;`` is left.
The bytes go through the app's driver, as Textual's own clipboard (OSC 52) and bell do.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Mapping
from enum import Enum

from textual.app import App

from .plain import shown

APP_TITLE = "mentor-tui"
TEXT_ROOM = 200
"""Notifications show a line or two; more would only be cut by the desktop."""


class TerminalNotice(Enum):
    NONE = "none"
    OSC9 = "osc9"
    OSC777 = "osc777"


OSC9_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "ghostty"})
OSC9_TERMS = ("xterm-kitty",)
OSC777_TERMS = ("foot", "rxvt-unicode")


def notice_kind(environ: Mapping[str, str]) -> TerminalNotice:
    """Which sequence the terminal described by ``environ`` shows as a notification (the table above)."""
    program = environ.get("TERM_PROGRAM", "")
    term = environ.get("TERM", "")
    if program in ("tmux", "screen") or term.startswith(("tmux", "screen")):
        return TerminalNotice.NONE
    if program in OSC9_PROGRAMS or term.startswith(OSC9_TERMS):
        return TerminalNotice.OSC9
    if term.startswith(OSC777_TERMS) or environ.get("VTE_VERSION"):
        return TerminalNotice.OSC777
    return TerminalNotice.NONE


def _field(text: str) -> str:
    return shown(text, TEXT_ROOM)


def sequence(kind: TerminalNotice, title: str, body: str) -> str:
    """The escape sequence that shows ``title`` and ``body``; "" for a terminal without one."""
    if kind is TerminalNotice.OSC9:
        # Starting with the app's name: ``OSC 9 ; <digit> ;`` would be a command in some terminals.
        return f"\x1b]9;{_field(f'{APP_TITLE}: {title}: {body}')}\x07"
    if kind is TerminalNotice.OSC777:
        safe_title, safe_body = (_field(part).replace(";", ",") for part in (f"{APP_TITLE}: {title}", body))
        return f"\x1b]777;notify;{safe_title};{safe_body}\x07"
    return ""


def notify_terminal(app: App[Any], kind: TerminalNotice, title: str, body: str) -> None:
    """Write the notification for ``kind`` to the app's terminal (nothing for NONE, or before it has one)."""
    written = sequence(kind, title, body)
    driver = app._driver  # noqa: SLF001 - the one writer Textual has; copy_to_clipboard and bell use it too
    if written and driver is not None:
        driver.write(written)


__all__ = ["TerminalNotice", "notice_kind", "notify_terminal", "sequence"]
