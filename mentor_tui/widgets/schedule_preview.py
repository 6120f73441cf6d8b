"""The card a ``/schedule`` shows before anything is sent: the subject, the time on both
people's clocks, the length, the cost at the mentor's rate, whether it fits the mentor's
open times, and any change made to what was typed. Confirming (the OK button or ctrl+s)
closes it with True; Esc closes it with nothing sent, and the composer keeps the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from rich.text import Text
from textual.widgets import Button

from ..domain import messages
from ..domain.money import estimate_cost, format_money
from ..domain.text import FIELDS
from ..keymap import key_for
from .dialog import Dialog
from .plain import NAME, plain
from .timefmt import TimeFormat


LABEL_WIDTH = 12
"""The column the values start in; the other person's name is cut to fit before it."""


@dataclass(frozen=True)
class SchedulePlan:
    """What a ``/schedule`` would send, with what the preview tells about it."""

    proposing: bool
    """A mentor's proposal (True) or a student's request (False)."""
    other_name: str
    subject: str
    start: datetime
    duration_minutes: int
    hourly_rate: Decimal | None
    fit: str
    """One of ``messages.PREVIEW_*``: open times, clash or none set."""
    adjusted: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)


def preview_text(plan: SchedulePlan, mine: TimeFormat, theirs: TimeFormat) -> Text:
    """The preview's lines; people's text (subject, name) through ``plain``."""
    rate = plan.hourly_rate
    rows: list[tuple[Text, Text]] = [
        (Text("Subject"), plain(plan.subject, FIELDS["subject"].max_length)),
        (Text("You"), Text(f"{mine.span(plan.start, plan.end)} ({mine.zone.key})")),
        (plain(plan.other_name, LABEL_WIDTH - 2), Text(f"{theirs.span(plan.start, plan.end)} ({theirs.zone.key})")),
        (Text("Length"), Text(f"{plan.duration_minutes} min")),
        (Text("Cost"), Text(format_money(None if rate is None else estimate_cost(rate, plan.duration_minutes)))),
        (Text("Open times"), Text(plan.fit, style="" if plan.fit == messages.PREVIEW_FITS else "yellow")),
    ]
    text = Text()
    for label, value in rows:
        label.stylize("bold")
        text.append_text(label)
        text.append(" " * max(1, LABEL_WIDTH - label.cell_len))
        text.append_text(value)
        text.append("\n")
    if plan.adjusted:
        text.append(plan.adjusted, style="italic yellow")
        text.append("\n")
    text.append("\n")
    if plan.proposing:
        text.append("Sends a proposal that ")
        text.append_text(plain(plan.other_name, NAME))
        text.append(f" accepts with {key_for('accept').display}; it then is a confirmed session.")
    else:
        text.append("Sends a request for ")
        text.append_text(plain(plan.other_name, NAME))
        text.append(" to confirm, and a message about it.")
    return text


class SchedulePreview(Dialog[bool]):
    DEFAULT_CSS = """
    SchedulePreview #dialog-about { color: $text; }
    """
    work_title = "the session preview"

    def __init__(self, plan: SchedulePlan, mine: TimeFormat, theirs: TimeFormat) -> None:
        super().__init__(
            "Propose a session" if plan.proposing else "Request a session",
            preview_text(plan, mine, theirs),
            ok_label="Send proposal" if plan.proposing else "Send request",
        )

    def on_mount(self) -> None:
        self.query_one("#dialog-ok", Button).focus()

    async def send(self) -> bool:
        return True


__all__ = ["SchedulePlan", "SchedulePreview", "preview_text"]
