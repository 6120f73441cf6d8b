"""Joining a session's call, the same way for students and mentors."""

from __future__ import annotations

import asyncio
import os
import sys

from textual.app import App

from ..domain.text import url_error
from .plain import LINK, shown


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


async def join_call(app: App[object], url: str, title: str) -> None:
    """Copy the link (OSC 52, so it reaches the person's clipboard over SSH too), open it
    where a browser can show it, and show it either way.

    The link was written by the other person (or by another client): one that is not a plain
    https address is neither copied nor opened.
    """
    if url_error("meeting_link", url) is not None:
        app.notify(
            f"This session's call link is not a valid https:// address, so it was not opened: {shown(url, LINK)}",
            title=title, severity="warning", markup=False,
        )
        return
    app.copy_to_clipboard(url)
    opened = await asyncio.to_thread(open_in_browser, url)
    done = "Opened in your browser and copied" if opened else "Copied to your clipboard"
    app.notify(f"{done}: {shown(url, LINK)}", title=title, timeout=15, markup=False)
