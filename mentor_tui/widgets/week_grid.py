"""A week as a grid, for both roles: hours down, seven days across, sessions as blocks.

Rows are half hours of the wall clock in the viewer's zone (a day of 23 or 25 hours on a
daylight-saving change still has 48 rows: a block sits at the wall-clock time it shows).
Only the rows that fit are drawn; the cursor (a day and an hour) moves with the arrows and
``j``/``k``, and the rows scroll to keep it in view. Open availability (a mentor's weekly
windows, in the mentor's zone) is shaded; today's column and the "now" row are marked, by
more than colour for monochrome terminals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from ..domain.models import AvailabilitySlot
from ..domain.slots import windows_between
from ..keymap import binding
from .plain import NAME, plain

if TYPE_CHECKING:
    from .timefmt import TimeFormat

ROW_MINUTES = 30
ROWS_PER_HOUR = 60 // ROW_MINUTES
ROWS = 24 * ROWS_PER_HOUR
GUTTER = 6
"""'14:00' and the now mark."""
FIRST_HOUR_SHOWN = 8
"""Where the rows start when the cursor allows: the working day, not midnight."""


@dataclass(frozen=True)
class GridItem:
    """One session on the grid. ``name`` is a person's text: it is shown plain."""

    key: str
    start: datetime
    end: datetime
    name: str
    mark: str
    word: str
    style: str


@dataclass(frozen=True)
class OpenHours:
    """A mentor's weekly windows, as wall-clock times in ``zone``."""

    slots: Sequence[AvailabilitySlot]
    zone: ZoneInfo


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def day_rows(start: datetime, end: datetime, day: date, zone: ZoneInfo) -> range:
    """The rows of ``day`` (wall clock in ``zone``) that ``[start, end)`` covers, partly or wholly."""
    first = start.astimezone(zone).replace(tzinfo=None)
    last = end.astimezone(zone).replace(tzinfo=None)
    midnight = datetime.combine(day, time())
    begin, finish = max(first, midnight), min(last, midnight + timedelta(days=1))
    if begin >= finish:
        return range(0)
    row = timedelta(minutes=ROW_MINUTES)
    return range(int((begin - midnight) / row), math.ceil((finish - midnight) / row))


def day_label(day: date, room: int) -> str:
    """'Tue 24 Nov', 'Tue 24' or 'Tu 24', whichever fits ``room``."""
    for label in (f"{day:%a} {day.day} {day:%b}", f"{day:%a} {day.day}", f"{day:%a}"[:2] + f" {day.day}"):
        if len(label) <= room:
            return label
    return f"{day.day}"


def _top_for(hour: int, earliest_row: int | None = None) -> int:
    """The first row to show with the cursor at ``hour``: an hour above it, or the working
    day's start, or the week's earliest session when that starts before the working day (a
    student abroad may have a session at 04:30), whichever is first."""
    day_start = FIRST_HOUR_SHOWN * ROWS_PER_HOUR
    if earliest_row is not None:
        day_start = min(day_start, earliest_row - earliest_row % ROWS_PER_HOUR)  # from its full hour
    return min(day_start, max(hour - 1, 0) * ROWS_PER_HOUR)


class WeekGrid(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("left", "day(-1)", "Prev day", show=False),
        Binding("right", "day(1)", "Next day", show=False),
        binding("cursor_down"),
        binding("cursor_up"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "week-grid--header", "week-grid--today", "week-grid--open", "week-grid--block", "week-grid--cursor",
        "week-grid--now", "week-grid--rule",
    }
    DEFAULT_CSS = """
    WeekGrid { height: 1fr; min-height: 5; }
    WeekGrid > .week-grid--header { text-style: bold; background: $panel; }
    WeekGrid > .week-grid--today { background: $accent 15%; }
    WeekGrid > .week-grid--open { color: $success 60%; }
    WeekGrid > .week-grid--block { background: $boost; }
    WeekGrid > .week-grid--cursor { text-style: reverse; }
    WeekGrid:blur > .week-grid--cursor { text-style: underline; }
    WeekGrid > .week-grid--now { color: $error; text-style: bold; }
    WeekGrid > .week-grid--rule { color: $text-muted; }
    """

    class Moved(Message):
        """The cursor moved (perhaps to another week)."""

    class Chosen(Message):
        """Enter on a block: the session ``key`` is to be opened."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, times: TimeFormat, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.times = times
        self.items: tuple[GridItem, ...] = ()
        self.open_hours: OpenHours | None = None
        self.cursor_day, self.cursor_hour = self._now_cell()
        self._top = _top_for(self.cursor_hour)

    # --- what it shows ------------------------------------------------------------------
    def show(self, items: Sequence[GridItem], times: TimeFormat, open_hours: OpenHours | None = None) -> None:
        """Sessions and open hours to lay out; the cursor stays where it was. The first time,
        the rows start early enough to show the week's earliest session."""
        first_time = not self.items
        self.items, self.times, self.open_hours = tuple(items), times, open_hours
        if first_time and (earliest := self._earliest_row()) is not None:
            self._top = min(self._top, _top_for(self.cursor_hour, earliest))
            if self.size.height:  # laid out: else its first resize keeps the cursor in view
                self._keep_cursor_in_view()
        self.refresh()

    def _earliest_row(self) -> int | None:
        """The earliest row any of this week's sessions covers, on any day."""
        zone, days = self.times.zone, self.days()
        return min(
            (rows.start for item in self.items for day in days if (rows := day_rows(item.start, item.end, day, zone))),
            default=None,
        )

    @property
    def first_day(self) -> date:
        return week_start(self.cursor_day)

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=offset) for offset in range(7)]

    def items_in_week(self) -> list[GridItem]:
        zone, days = self.times.zone, self.days()
        return [item for item in self.items if any(day_rows(item.start, item.end, day, zone) for day in days)]

    def item_at_cursor(self) -> GridItem | None:
        """The session whose block covers the cursor's hour, the earliest when two do."""
        hour = range(self.cursor_hour * ROWS_PER_HOUR, (self.cursor_hour + 1) * ROWS_PER_HOUR)
        found = [
            item for item in self.items
            if set(day_rows(item.start, item.end, self.cursor_day, self.times.zone)) & set(hour)
        ]
        return min(found, key=lambda item: item.start, default=None)

    # --- the cursor ---------------------------------------------------------------------
    def _now_cell(self) -> tuple[date, int]:
        local = self.times.now.astimezone(self.times.zone)
        return local.date(), local.hour

    def move_to(self, day: date, hour: int) -> None:
        self.cursor_day, self.cursor_hour = day, max(0, min(23, hour))
        self._keep_cursor_in_view()
        self.refresh()
        self.post_message(self.Moved())

    def go_today(self, times: TimeFormat) -> None:
        """To the current hour of today (``times.now``), with the working day in view when it can be."""
        self.times = times
        day, hour = self._now_cell()
        self.cursor_day = day
        self._top = _top_for(hour, self._earliest_row())
        self.move_to(day, hour)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor_day, self.cursor_hour + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor_day, self.cursor_hour - 1)

    def action_day(self, step: int) -> None:
        self.move_to(self.cursor_day + timedelta(days=step), self.cursor_hour)

    def action_week(self, step: int) -> None:
        self.cursor_day += timedelta(weeks=step)
        self._top = _top_for(self.cursor_hour, self._earliest_row())
        self.move_to(self.cursor_day, self.cursor_hour)

    def on_click(self, event: events.Click) -> None:
        """A click on a cell puts the cursor there; on a block, a second click opens it (as Enter)."""
        cell = max((self.size.width - GUTTER) // 7, 3)
        column, row = (event.x - GUTTER) // cell, self._top + event.y - 1
        if event.y < 1 or event.x < GUTTER or not 0 <= column < 7 or row >= ROWS:
            return
        day, hour = self.days()[column], row // ROWS_PER_HOUR
        if (day, hour) == (self.cursor_day, self.cursor_hour):
            self.key_enter()
        else:
            self.move_to(day, hour)

    def key_enter(self) -> None:
        if (item := self.item_at_cursor()) is not None:
            self.post_message(self.Chosen(item.key))

    def _visible_rows(self) -> int:
        return max(self.size.height - 1, ROWS_PER_HOUR)

    def _keep_cursor_in_view(self) -> None:
        first, last = self.cursor_hour * ROWS_PER_HOUR, (self.cursor_hour + 1) * ROWS_PER_HOUR
        visible = self._visible_rows()
        if first < self._top:
            self._top = first
        elif last > self._top + visible:
            self._top = last - visible
        self._top = max(0, min(self._top, ROWS - visible))

    def on_resize(self) -> None:
        self._keep_cursor_in_view()

    # --- drawing ------------------------------------------------------------------------
    def render(self) -> Text:
        self._keep_cursor_in_view()
        cell = max((self.size.width - GUTTER) // 7, 3)
        style = self.get_component_rich_style
        rule, now = style("week-grid--rule"), style("week-grid--now")
        # Without the focus the cursor is only underlined, so a focused list elsewhere stands out.
        cursor = style("week-grid--cursor") if self.has_focus else Style(underline=True)
        days = self.days()
        today, now_row = self._today_and_now_row()
        blocks = {day: self._day_cells(day, cell - 1) for day in days}
        open_rows = self._open_rows(days)
        lines = [self._header(days, cell, today)]
        for row in range(self._top, min(self._top + self._visible_rows(), ROWS)):
            line = Text(no_wrap=True, end="")
            hour_label = f"{row // ROWS_PER_HOUR:02d}:00" if row % ROWS_PER_HOUR == 0 else ""
            line.append(hour_label.ljust(GUTTER - 1), style=rule)
            line.append("▶" if row == now_row else " ", style=now)
            for day in days:
                line.append("│", style=rule)
                content = blocks[day].get(row)
                if content is None:
                    if day == today and row == now_row:
                        content = Text("─" * (cell - 1), style=now)
                    elif row in open_rows.get(day, ()):
                        content = Text("░" * (cell - 1), style=style("week-grid--open"))
                    else:
                        content = Text(" " * (cell - 1))
                if day == today:
                    content.stylize(style("week-grid--today"))
                if day == self.cursor_day and row // ROWS_PER_HOUR == self.cursor_hour:
                    content.stylize(cursor)
                line.append_text(content)
            lines.append(line)
        return Text("\n", end="").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _today_and_now_row(self) -> tuple[date, int]:
        local = self.times.now.astimezone(self.times.zone)
        return local.date(), (local.hour * 60 + local.minute) // ROW_MINUTES

    def _header(self, days: list[date], cell: int, today: date) -> Text:
        header_style = self.get_component_rich_style("week-grid--header")
        line = Text(" " * GUTTER, style=header_style, no_wrap=True, end="")
        for day in days:
            label = ("▸" if day == today else "") + day_label(day, cell - 1 - (day == today))
            text = Text("│" + label.center(cell - 1)[: cell - 1], style=header_style)
            if day == today:
                text.stylize(self.get_component_rich_style("week-grid--now"), 1)
            line.append_text(text)
        return line

    def _day_cells(self, day: date, room: int) -> dict[int, Text]:
        """The rows of ``day`` that blocks cover, each with its line of the block's label."""
        cells: dict[int, Text] = {}
        block = self.get_component_rich_style("week-grid--block")
        for item in sorted(self.items, key=lambda item: item.start):
            covered = day_rows(item.start, item.end, day, self.times.zone)
            if not covered:
                continue
            lines = self._label(item, len(covered))
            for index, row in enumerate(covered):
                if row in cells:
                    continue  # an overlapping block (a completed one under a new one) keeps the first
                text = lines[index] if index < len(lines) else Text("")
                text = text.copy()
                text.truncate(room, overflow="ellipsis", pad=True)
                text.stylize(block)
                cells[row] = text
        return cells

    def _label(self, item: GridItem, rows: int) -> list[Text]:
        """Time and status mark, the other party's name, the status word: as many lines as rows."""
        when = Text(f"{item.mark}{self.times.clock(item.start)}", style=item.style)
        name = plain(item.name, NAME)
        if rows == 1:
            return [when + Text(" ") + name]
        return [when, name, Text(item.word, style=item.style)]

    def _open_rows(self, days: list[date]) -> dict[date, set[int]]:
        if self.open_hours is None or not self.open_hours.slots:
            return {}
        zone = self.times.zone
        start = datetime.combine(days[0], time(), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(days[-1] + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
        shaded: dict[date, set[int]] = {}
        for w_start, w_end in windows_between(self.open_hours.slots, self.open_hours.zone, start, end):
            for day in days:
                shaded.setdefault(day, set()).update(day_rows(w_start, w_end, day, zone))
        return shaded


__all__ = ["GridItem", "OpenHours", "WeekGrid", "day_label", "day_rows", "week_start"]
