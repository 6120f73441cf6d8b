"""Session notes on screen: the mentor's Markdown summary rendered safely, the dialog that
writes it (a TextArea beside or above its preview, or the person's ``$EDITOR``), the
reply to a review, and the one way a link in notes leaves the app: shown, then copied
on a key press, never opened.

The Markdown is a person's text: control characters are made visible first
(``domain.text.displayable``), Textual's ``Markdown`` builds its content from the parsed
tokens and never reads Rich markup in it, and links are not followed (``open_links``
off; ``Markdown.LinkClicked`` only shows the address).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import BindingType
from textual.containers import Container
from textual.events import Resize
from textual.widgets import Markdown, TextArea

from ..domain.models import MentorSession, SessionNotes, SessionView
from ..domain.text import FIELDS, displayable
from ..keymap import binding
from .dialog import Dialog
from .limited import LimitedTextArea
from .plain import LINK, plain, shown
from .session_dialogs import SessionDialog
from .timefmt import TimeFormat

if TYPE_CHECKING:
    from ..services import Services

SIDE_BY_SIDE_WIDTH = 110
"""From this terminal width the notes dialog shows the editor and the preview side by side."""
PREVIEW_DELAY = 0.3
"""Seconds of quiet typing before the preview renders again (a long summary takes a moment)."""
NOTES_TEMPLATE = "## Summary\n\n\n## Action items\n\n- [ ] \n"


def safe_markdown(summary: str) -> str:
    """What the Markdown widget is given: bounded, with control characters made visible."""
    return displayable(summary, FIELDS["summary"].max_length, multiline=True)


def external_editor_allowed() -> bool:
    """Only on a local terminal: over the SSH kiosk an editor would run on the server."""
    return os.environ.get("MENTOR_TUI_KIOSK") != "1"


def _editor_command() -> list[str] | None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    return shlex.split(editor) if editor and editor.strip() else None


class NotesMarkdown(Markdown):
    """Rendered notes: links are shown on a click (``LinkDialog``), never opened."""

    DEFAULT_CSS = """
    NotesMarkdown { height: auto; padding: 0; margin: 0; background: transparent; }
    NotesMarkdown MarkdownBlock { margin: 0; }
    """

    def __init__(self, summary: str = "", **kwargs: object) -> None:
        super().__init__(safe_markdown(summary), open_links=False, **kwargs)  # type: ignore[arg-type]

    def show(self, summary: str) -> None:
        self.update(safe_markdown(summary))

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.app.push_screen(LinkDialog(event.href))


class LinkDialog(Dialog[bool]):
    """A link in notes: the full address as plain text; Copy copies it, nothing opens it."""

    def __init__(self, href: str) -> None:
        about = Text("The notes link to this address. It is not opened from here:\n")
        about.append_text(plain(href, LINK * 4, style="underline"))
        super().__init__("Link in the notes", about, "Copy", "Close")
        self.href = href

    def on_mount(self) -> None:
        self.query_one("#dialog-back").focus()  # Enter closes; copying is its own choice

    async def send(self) -> bool:
        self.app.copy_to_clipboard(self.href)
        self.notify(f"Copied: {shown(self.href, LINK)}", markup=False)
        return True


def notes_heading(notes: SessionNotes, times: TimeFormat) -> str:
    return f"Notes (updated {times.when(notes.updated_at)})"


def carried_text(earlier: SessionNotes, items: list[str], times: TimeFormat) -> Text:
    """'Open from Tue 1 Dec: ...', one line per open item of the pair's previous notes."""
    when = times.day(earlier.session_time.astimezone(times.zone).date()) if earlier.session_time else "before"
    text = Text(f"Open from {when}:", style="bold")
    for item in items:
        text.append("\n  ☐ ")
        text.append_text(plain(item, 200))
    return text


class NotesDialog(SessionDialog):
    """The mentor writes a session's notes: Markdown with action items (``- [ ] ...``) and a
    rendered preview, side by side when the terminal is wide, one above the other at 80x24."""

    DEFAULT_CSS = """
    NotesDialog #dialog-box { width: 100%; height: 100%; }
    NotesDialog #notes-panes { height: 1fr; layout: vertical; }
    NotesDialog.-wide #notes-panes { layout: horizontal; }
    NotesDialog #summary { height: 1fr; min-height: 4; }
    NotesDialog #notes-preview {
        height: 1fr; min-height: 3; border-top: solid $primary-darken-2; overflow-y: auto;
    }
    NotesDialog.-wide #notes-preview { border-top: none; border-left: solid $primary-darken-2; padding-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [binding("external_editor")]
    work_title = "the notes"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat, notes: SessionNotes | None) -> None:
        editor = " F9 edits in your $EDITOR." if external_editor_allowed() else ""
        super().__init__(services, view, times, "Session notes", "Save notes",
                         f"Both of you read them. Markdown; “- [ ] item” is an action item.{editor}")
        self._loaded = notes.summary if notes is not None else ""

    def fields(self) -> ComposeResult:
        with Container(id="notes-panes"):
            yield LimitedTextArea("summary", id="summary", language="markdown", show_line_numbers=False,
                                  compact=True, text=self._loaded or NOTES_TEMPLATE)
            with Container(id="notes-preview"):
                yield NotesMarkdown(self._loaded or NOTES_TEMPLATE, id="notes-rendered")

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.query_one("#summary", TextArea).focus()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width >= SIDE_BY_SIDE_WIDTH, "-wide")

    @property
    def summary(self) -> str:
        return self.query_one("#summary", TextArea).text

    @on(TextArea.Changed, "#summary")
    def _edited(self) -> None:
        self.set_timer(PREVIEW_DELAY, self._render_preview, name="notes-preview")

    def _render_preview(self) -> None:
        self.query_one("#notes-rendered", NotesMarkdown).show(self.summary)

    def unsaved_changes(self) -> bool:
        return self.summary.strip() not in (self._loaded.strip(), NOTES_TEMPLATE.strip())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "external_editor":
            return external_editor_allowed()
        return True

    def action_external_editor(self) -> None:
        command = _editor_command()
        if not external_editor_allowed():
            return
        if command is None:
            self.say("Set $EDITOR (or $VISUAL) to edit the notes in your own editor.")
            return
        fd, name = tempfile.mkstemp(prefix="mentor-notes-", suffix=".md")  # private: mode 0600
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(self.summary)
            try:
                with self.app.suspend():
                    finished = subprocess.run([*command, str(path)], check=False)
            except SuspendNotSupported:
                self.say("This terminal cannot hand over to an editor; write the notes here.")
                return
            except OSError as failed:
                self.say(f"Could not start {shown(command[0])}: {shown(failed.strerror or failed)}")
                return
            if finished.returncode != 0:
                self.say(f"The editor ended with status {finished.returncode}; the notes are as they were.")
                return
            edited = path.read_text(encoding="utf-8", errors="replace")
        finally:
            path.unlink(missing_ok=True)
        area = self.query_one("#summary", TextArea)
        area.load_text(edited[: FIELDS["summary"].max_length])
        self._render_preview()

    async def send(self) -> MentorSession:
        await self.services.save_session_notes(self.session_id, self.summary)
        return self.view.session


class ReplyDialog(SessionDialog):
    """The mentor's one reply to a review, shown under it to everyone who reads it."""

    DEFAULT_CSS = """
    ReplyDialog #review_reply { height: 5; }
    """
    work_title = "the reply"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat) -> None:
        review = view.session.review
        quoted = f"Their review: “{shown(review, 200)}”. " if review else "They left no comment. "
        super().__init__(services, view, times, "Reply to the review", "Send reply",
                         f"{quoted}Your reply is public, under the review, and is sent once.")

    def fields(self) -> ComposeResult:
        yield LimitedTextArea("review_reply", id="review_reply", show_line_numbers=False, compact=True,
                              placeholder="Your reply")

    def on_mount(self) -> None:
        self.query_one("#review_reply", TextArea).focus()

    def unsaved_changes(self) -> bool:
        return bool(self.query_one("#review_reply", TextArea).text.strip())

    async def send(self) -> MentorSession:
        return await self.services.reply_to_review(self.session_id, self.query_one("#review_reply", TextArea).text)


__all__ = [
    "LinkDialog",
    "NotesDialog",
    "NotesMarkdown",
    "ReplyDialog",
    "carried_text",
    "external_editor_allowed",
    "notes_heading",
    "safe_markdown",
]
