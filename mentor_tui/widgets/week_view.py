"""Seven day columns for one week in a time zone, with today marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from .plain import NAME, plain

if TYPE_CHECKING:
    from .timefmt import TimeFormat


@dataclass(frozen=True)
class WeekItem:
    """One thing on the calendar: when it starts, what to call it, and how to show its kind.

    ``title`` and ``detail`` may be people's text (a name, a subject): they are shown plain."""

    start: datetime
    title: str
    detail: str = ""
    mark: str = ""
    style: str = ""


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


class WeekView(Horizontal):
    DEFAULT_CSS = """
    WeekView { height: auto; min-height: 4; }
    WeekView > .day { width: 1fr; height: auto; min-height: 4; margin-right: 1; }
    WeekView > .day:last-of-type { margin-right: 0; }
    WeekView .day-name { width: 1fr; height: 1; text-style: bold; background: $panel; padding: 0 1; }
    WeekView .day-items { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    WeekView > .day.-today { background: $boost; }
    WeekView > .day.-today .day-name { background: $accent; color: $text; }
    """

    def compose(self) -> ComposeResult:
        for _ in range(7):
            with Vertical(classes="day"):
                yield Label("", classes="day-name")
                yield Static("", classes="day-items")

    def show(self, first_day: date, items: Sequence[WeekItem], times: TimeFormat, today: date) -> None:
        """Lay out ``items`` (instants shown in ``times``' zone) over the 7 days from ``first_day``."""
        by_day: dict[date, list[tuple[datetime, WeekItem]]] = {}
        for item in items:
            local = item.start.astimezone(times.zone)
            by_day.setdefault(local.date(), []).append((local, item))
        for offset, column in enumerate(self.query(".day").results(Vertical)):
            day = first_day + timedelta(days=offset)
            column.set_class(day == today, "-today")
            # Marked by more than colour, for monochrome terminals and colour-blind eyes.
            column.query_one(".day-name", Label).update(f"{'▸' if day == today else ''}{day:%a} {day.day}")
            entries = sorted(by_day.get(day, []), key=lambda pair: pair[0])
            column.query_one(".day-items", Static).update(self._items(entries, times))

    @staticmethod
    def _items(entries: list[tuple[datetime, WeekItem]], times: TimeFormat) -> Text:
        text = Text()
        if not entries:
            text.append("—", style="dim")
        for index, (local, item) in enumerate(entries):
            if index:
                text.append("\n")
            text.append(f"{times.clock(local)} {item.mark}".rstrip(), style=item.style)
            text.append("\n")
            text.append_text(plain(item.title, NAME))
            if item.detail:
                text.append("\n")
                text.append_text(plain(item.detail, NAME, style="dim"))
        return text
