"""The agenda, for both roles: upcoming sessions grouped by day, each with its time and status.

A day's heading is a disabled option, so the cursor moves from session to session; an
option's id is its session's id. Subjects and names are people's text: shown plain.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..domain.models import SessionView
from ..keymap import binding
from .plain import NAME, plain
from .status import status_look

if TYPE_CHECKING:
    from .timefmt import TimeFormat

DAY = "day:"
"""Prefix of a heading's id (a session's id never has it)."""


def agenda_row(view: SessionView, other_name: str, times: TimeFormat) -> Text:
    """'  14:00–15:00  ✔ Confirmed  Pandas group-by · Ana Souza'."""
    session = view.session
    symbol, word, style = status_look(session)
    row = Text(f"  {times.clock(session.scheduled_time)}–{times.clock(session.end_time)}  ", no_wrap=True,
               overflow="ellipsis", end="")
    row.append(f"{symbol} {word}".ljust(11), style=style)
    row.append("  ")
    row.append_text(plain(session.subject, NAME, style="bold"))
    row.append(" · ")
    row.append_text(plain(other_name, NAME))
    return row


class Agenda(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [binding("cursor_down"), binding("cursor_up")]
    DEFAULT_CSS = """
    Agenda { height: 1fr; border: none; padding: 0; }
    Agenda:focus { border: none; }
    """

    def show(self, views: Sequence[tuple[SessionView, str]], times: TimeFormat, today: date) -> None:
        """``views`` (soonest first, each with the other party's name) under their local day's heading,
        keeping the highlight on the same session when it is still listed."""
        kept = self.highlighted_key()
        options: list[Option] = []
        current: date | None = None
        for view, other in views:
            day = view.session.scheduled_time.astimezone(times.zone).date()
            if day != current:
                current = day
                heading = Text(times.day(day) + (" · today" if day == today else ""), style="bold underline")
                options.append(Option(heading, id=f"{DAY}{day.isoformat()}", disabled=True))
            options.append(Option(agenda_row(view, other, times), id=view.session.id))
        self.set_options(options)
        if kept is not None and any(option.id == kept for option in options):
            self.highlighted = self.get_option_index(kept)
        elif self.option_count:
            self.action_first()

    def highlighted_key(self) -> str | None:
        """The session under the cursor, or None."""
        if self.highlighted is None or not self.option_count:
            return None
        option = self.get_option_at_index(self.highlighted)
        return None if option.disabled or option.id is None else option.id

    def step_day(self, step: int) -> None:
        """To the first session of the day after (``step`` 1) or before (-1) the highlighted one's."""
        headings = [index for index, option in enumerate(self.options) if option.disabled]
        current = max((index for index in headings if index < (self.highlighted or 0)), default=None)
        if current is None:
            return
        position = headings.index(current) + step
        if 0 <= position < len(headings):
            self.highlighted = headings[position] + 1

    def highlight_day(self, day: date) -> None:
        """To the first session on ``day`` or after it (or the last one, when none is)."""
        sessions = [(index, option) for index, option in enumerate(self.options) if not option.disabled]
        for index, option in enumerate(self.options):
            if option.disabled and option.id is not None and option.id >= f"{DAY}{day.isoformat()}":
                following = [i for i, _ in sessions if i > index]
                if following:
                    self.highlighted = following[0]
                    return
        if sessions:
            self.highlighted = sessions[-1][0]


__all__ = ["DAY", "Agenda", "agenda_row"]
