"""The calendar file of one session (key ``i``): save it, copy it, or read it.

Saving writes the .ics to a file on the computer running the app (``~/Downloads`` when
there is one, else the app's state folder; the path can be changed). Served over SSH
(``MENTOR_TUI_KIOSK=1``) a file on the server is of no use to the person, so the dialog
offers only copying (OSC 52, through the person's terminal) and the text itself.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Static, TextArea

from ..domain import messages
from ..domain.errors import InvalidInput, MentorError
from .dialog import Dialog
from .plain import shown

PATH_ROOM = 300


def in_kiosk() -> bool:
    return os.environ.get("MENTOR_TUI_KIOSK") == "1"


def default_folder(state_dir: Path) -> Path:
    downloads = Path.home() / "Downloads"
    return downloads if downloads.is_dir() else state_dir


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


class CalendarFileDialog(Dialog[str]):
    """Closes with the sentence saying where the file was saved; "" or None when it was not."""

    DEFAULT_CSS: ClassVar[str] = """
    CalendarFileDialog #ics-text { height: 8; }
    CalendarFileDialog #ics-copy { margin: 1 0 0 0; }
    CalendarFileDialog #path-label { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, about: str, text: str, suggested: Path | None) -> None:
        """``suggested``: the file to save to; None where saving is not offered (the kiosk)."""
        saving = suggested is not None
        super().__init__(
            "Calendar file", about, ok_label="Save" if saving else "Close", back_label="Back"
        )
        self.text = text
        self.suggested = suggested

    def fields(self) -> ComposeResult:
        area = TextArea(self.text, id="ics-text", read_only=True, show_line_numbers=False, compact=True)
        yield area
        yield Button("Copy to clipboard", id="ics-copy", compact=True)
        if self.suggested is not None:
            yield Static("Save as", id="path-label")
            yield Input(str(self.suggested), id="path", compact=True)

    def on_mount(self) -> None:
        focus = self.query("#path") or self.query("#ics-copy")
        focus.first().focus()

    @on(Button.Pressed, "#ics-copy")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.copy_to_clipboard(self.text)
        self.notify(messages.ICS_COPIED, timeout=10)

    async def send(self) -> str:
        if self.suggested is None:
            return ""  # nothing to save: OK only closes
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            raise InvalidInput("path", "Say where to save the file.")
        path = Path(typed).expanduser()
        try:
            await asyncio.to_thread(_write, path, self.text.encode("utf-8"))
        except OSError as exc:
            raise MentorError(messages.ics_not_saved(shown(path, PATH_ROOM), exc.strerror or type(exc).__name__)) from None
        return messages.ics_saved(shown(path, PATH_ROOM))


__all__ = ["CalendarFileDialog", "default_folder", "in_kiosk"]
