"""Joining a session's call, the same way for students and mentors, here or over SSH.

Joining copies the link (OSC 52 reaches the person's own clipboard over SSH too), opens
it in a browser only where one would show on the person's own screen, and shows a dialog
with the link as a terminal hyperlink (OSC 8) and a QR code of it, for a phone or for a
terminal where nothing else reached the person.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..domain.text import url_error
from ..keymap import binding
from .dialog import Dialog
from .plain import LINK, plain, shown
from .qr import qr_code

SIDE_BY_SIDE = 44
"""The widest code (in columns) that leaves room for the words beside it at 80 columns."""


def can_open_browser() -> bool:
    """A browser opens on this machine's screen: only worth it when that screen is the person's."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open ``url`` in a graphical browser; False when there is none to open."""
    if not can_open_browser():
        return False
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if type(browser) is webbrowser.GenericBrowser:
        return False  # a console browser (lynx, w3m) would take over this very terminal
    try:
        return bool(browser.open(url))
    except OSError:
        return False


def hyperlink(url: str) -> Text:
    """``url`` shown as itself and linked to itself (OSC 8), for a ``url`` that passed ``url_error``."""
    text = plain(url, LINK)
    text.stylize(Style(link=url, underline=True))
    return text


class CallDialog(Dialog[None]):
    """The call's link, what was done with it, and its QR code."""

    DEFAULT_CSS = """
    CallDialog #dialog-box { width: 80; overflow-y: auto; }
    CallDialog #dialog-back { display: none; }
    CallDialog #call-body { height: auto; }
    CallDialog #call-body.-stacked { layout: vertical; }
    CallDialog #call-qr { width: auto; height: auto; }
    CallDialog #call-words { width: 1fr; height: auto; padding-left: 2; }
    CallDialog #call-body.-stacked #call-words { padding-left: 0; }
    CallDialog #call-words Static { margin-bottom: 1; }
    """
    BINDINGS: ClassVar = [
        binding("close", label="Close", show=True),
        binding("save", label="Close", show=False),
        binding("copy_link"),
    ]
    work_title = "the call's link"

    def __init__(self, url: str, title: str, *, opened: bool, code: Text) -> None:
        super().__init__(title, ok_label="Close")
        self.url = url
        self.opened = opened
        self.code = code

    def fields(self) -> ComposeResult:
        done = (
            "Opened in your browser, and copied to your clipboard."
            if self.opened
            else "Copied to your clipboard (where your terminal allows it). No browser was opened on this computer."
        )
        stacked = len(self.code.plain.split("\n", 1)[0]) > SIDE_BY_SIDE
        with Horizontal(id="call-body", classes="-stacked" if stacked else ""):
            if not stacked:
                yield Static(self.code, id="call-qr")
            with Vertical(id="call-words"):
                yield Static(done, id="call-done", markup=False)
                yield Static(hyperlink(self.url), id="call-link")
                yield Static("Click the link (ctrl+click in some terminals) or scan the code with your phone.",
                             id="call-scan", markup=False)
            if stacked:
                yield Static(self.code, id="call-qr")

    def on_mount(self) -> None:
        # A long link's code may not fit: the words stay in view, and the box scrolls to the rest.
        self.query_one("#dialog-ok", Button).focus(scroll_visible=False)

    async def send(self) -> None:
        return None

    def action_copy_link(self) -> None:
        self.app.copy_to_clipboard(self.url)
        self.notify(f"Copied the call link: {shown(self.url, LINK)}", timeout=15, markup=False)


async def join_call(app: App[Any], url: str, title: str) -> None:
    """Copy the link, open it where a browser can show it, and show it with its QR code.

    The link was written by the other person (or by another client): one that is not a plain
    https address is neither copied nor opened nor shown as a link.
    """
    if url_error("meeting_link", url) is not None:
        app.notify(
            f"This session's call link is not a valid https:// address, so it was not opened: {shown(url, LINK)}",
            title=title, severity="warning", markup=False,
        )
        return
    app.copy_to_clipboard(url)
    opened = await asyncio.to_thread(open_in_browser, url)
    code = await asyncio.to_thread(qr_code, url)
    await app.push_screen(CallDialog(url, title, opened=opened, code=code))


__all__ = ["CallDialog", "can_open_browser", "hyperlink", "join_call", "open_in_browser"]
