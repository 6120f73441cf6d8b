"""Telling the person, while the app is open, that something arrived for them.

Each of the three ways can be switched off (``alert_choices``): a toast, the terminal
bell, and a desktop notification through the terminal where it shows one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from .notification_terminal import TerminalNotice, notify_terminal
from .plain import shown

if TYPE_CHECKING:
    from textual.app import App

    from ..alert_choices import AlertChoices

TOAST_ROOM = 600
TOAST_SECONDS = 10


class NotificationsRead(Message):
    """Some of the person's notifications were marked read (the inbox shown, a conversation
    read): the header counts again."""


class AlertChoicesChanged(Message):
    """The person switched how arrivals are announced (Settings); the app uses it at once."""

    def __init__(self, choices: AlertChoices) -> None:
        super().__init__()
        self.choices = choices


def announce(app: App[Any], title: str, body: str, choices: AlertChoices, terminal: TerminalNotice) -> None:
    """``body`` (the app's sentences around people's text) the ways ``choices`` allow."""
    if choices.toast:
        app.notify(shown(body, TOAST_ROOM, multiline=True), title=title, markup=False, timeout=TOAST_SECONDS)
    if choices.bell:
        app.bell()
    if choices.terminal:
        notify_terminal(app, terminal, title, body)


__all__ = ["AlertChoicesChanged", "announce"]
