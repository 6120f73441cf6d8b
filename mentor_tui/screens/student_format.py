"""How the student screens write times, ratings and table columns.

Times are always shown in the signed-in person's zone, never the machine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable

from ..domain.models import MentorSession
from ..widgets.plain import plain

INVALID_TIME_LABEL = "invalid time"
"""Shown instead of the date of a session whose stored time is unusable (``time_invalid``)."""


def user_zone(app: App) -> ZoneInfo:
    return app.ctx.zone


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def when_label(instant: datetime, zone: ZoneInfo) -> str:
    """'Tue 1 Dec 14:00' as a wall clock in ``zone`` shows it."""
    local = instant.astimezone(zone)
    return f"{day_label(local.date())} {local:%H:%M}"


def session_when(session: MentorSession, zone: ZoneInfo) -> str:
    """When ``session`` starts, or "invalid time" for a stored time that cannot be used."""
    return INVALID_TIME_LABEL if session.time_invalid else when_label(session.scheduled_time, zone)


def session_span(session: MentorSession, zone: ZoneInfo) -> str:
    """When ``session`` runs, or "invalid time" for a stored time that cannot be used."""
    return INVALID_TIME_LABEL if session.time_invalid else span_label(session.scheduled_time, session.end_time, zone)


def span_label(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """'Tue 1 Dec 14:00–15:00', naming the end's day too when it falls on another date."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.date() == local_end.date():
        return f"{when_label(start, zone)}–{local_end:%H:%M}"
    return f"{when_label(start, zone)}–{when_label(end, zone)}"


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else full_name


def rating_label(average: Decimal | None, count: int) -> str:
    return "new" if average is None else f"★{average:.1f} ({count})"


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def section_label(app: App, section_id: str) -> str:
    """'Mentors (F1)': how to reach a section of the home screen."""
    from ..navigation import section_label as label

    return label(app.ctx.me.role, section_id)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int | None = None
    """Fixed width; None shares what the fixed columns leave."""
    right: bool = False

    @property
    def justify(self) -> str:
        return "right" if self.right else "left"


def set_columns(table: DataTable, columns: tuple[Column, ...], widths: list[int]) -> None:
    """Empty ``table`` and give it ``columns`` at ``widths``."""
    table.clear(columns=True)
    for column, width in zip(columns, widths):
        table.add_column(Text(column.title, justify=column.justify), key=column.key, width=width)


def row_cells(values: tuple[str, ...], columns: tuple[Column, ...], widths: list[int]) -> list[Text]:
    """One row's text, each value shown as plain text and cut to its column's width."""
    cells = []
    for value, column, width in zip(values, columns, widths):
        cell = plain(value, width)
        cell.justify = column.justify
        cells.append(cell)
    return cells


def table_room(table: DataTable, fallback: int) -> int:
    """The cells' room in ``table``, kept free of its vertical scrollbar whether shown yet or not.

    ``fallback`` is the width the table will have, for a table not laid out yet.
    """
    width = table.scrollable_content_region.width
    if not width:
        return max(fallback - 2, 0)
    return width if table.show_vertical_scrollbar else max(width - 2, 0)


def column_widths(columns: tuple[Column, ...], room: int, minimum_shared: int = 20) -> list[int]:
    """Widths that fill ``room`` cells of a DataTable without a horizontal scrollbar."""
    fixed = sum(c.width or 0 for c in columns)
    padding = 2 * len(columns)  # a DataTable pads each cell by one on both sides
    shared = max(room - fixed - padding, minimum_shared)
    flexible = [c for c in columns if c.width is None]
    each, extra = divmod(shared, len(flexible))
    widths = []
    for column in columns:
        if column.width is not None:
            widths.append(column.width)
        else:
            widths.append(each + (1 if extra > 0 else 0))
            extra -= 1
    return widths
