"""One conversation's messages, oldest first, on the reader's clock.

A line names the day whenever it changes ("Tue 1 Dec", ``TimeFormat.day``); each
message shows its time and sender, then its body as the person wrote it, through
``plain`` (never markup; control characters shown, line breaks kept). A link in a body
is text like the rest: nothing here opens it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..domain.models import Message
from ..domain.text import FIELDS
from .plain import NAME, plain
from .timefmt import TimeFormat


def thread_text(messages: Sequence[Message], me_id: str, other_name: str, times: TimeFormat) -> Text:
    """The thread as one text: day lines, then "14:05 Name" and the body of each message."""
    text = Text(end="")
    day = None
    for message in messages:
        local = message.created_at.astimezone(times.zone)
        if local.date() != day:
            day = local.date()
            if text:
                text.append("\n")
            text.append(f"── {times.day(day)} ──\n", style="dim")
        mine = message.sender_id == me_id
        text.append(f"{times.clock(message.created_at)} ", style="dim")
        text.append_text(Text("You", style="bold") if mine else plain(other_name, NAME, style="bold"))
        text.append("\n")
        text.append_text(plain(message.body, FIELDS["body"].max_length, multiline=True))
        text.append("\n")
    text.rstrip()
    return text


class MessageThread(VerticalScroll):
    """Scrolls to the newest message each time it is shown."""

    DEFAULT_CSS = """
    MessageThread { height: 1fr; }
    MessageThread > Static { width: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static()

    def show(self, content: Text) -> None:
        self.query_one(Static).update(content)
        self.call_after_refresh(self.scroll_end, animate=False)


__all__ = ["MessageThread", "thread_text"]
