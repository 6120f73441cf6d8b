"""What every table of the app shares: columns that fit without a horizontal scrollbar,
people's text as plain cells, and a cursor that stays on its row across reloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from ..keymap import binding
from .plain import CELL, plain

Row = tuple[str, Sequence[str | Text]]
"""A row's key and its cells: a string is a person's text (or the app's), shown plain; a ``Text`` as it is."""


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int | None = None
    """Fixed width; None shares what the fixed columns leave."""
    right: bool = False

    @property
    def justify(self) -> Literal["left", "right"]:
        return "right" if self.right else "left"


def column_widths(columns: Sequence[Column], room: int, minimum_shared: int = 20) -> list[int]:
    """Widths that fill ``room`` cells of a DataTable without a horizontal scrollbar."""
    fixed = sum(c.width or 0 for c in columns)
    padding = 2 * len(columns)  # a DataTable pads each cell by one on both sides
    shared = max(room - fixed - padding, minimum_shared)
    flexible = [c for c in columns if c.width is None]
    each, extra = divmod(shared, max(len(flexible), 1))
    widths = []
    for column in columns:
        if column.width is not None:
            widths.append(column.width)
        else:
            widths.append(each + (1 if extra > 0 else 0))
            extra -= 1
    return widths


def selected_key(table: DataTable[Text]) -> str | None:
    """The row key under the cursor, or None for an empty table."""
    if not table.row_count or table.cursor_row < 0:
        return None
    return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value


def refill(table: DataTable[Text], rows: Iterable[Row]) -> None:
    """Replace the rows of a table whose columns size themselves, keeping the cursor on the same row key.

    String cells are shown as plain text, cut to a cell's room: a table reads a string as
    markup, and names and subjects come from people.
    """
    keep = selected_key(table)
    table.clear()
    for key, cells in rows:
        table.add_row(*(plain(cell, CELL) if isinstance(cell, str) else cell for cell in cells), key=key)
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep))


class FittedTable(DataTable[Text]):
    """A row-cursor table whose ``columns_shown`` fill its width, refitted when the width changes.

    :meth:`show_rows` replaces the rows and keeps the cursor on the row key it was on. A list
    longer than the screen is added in two parts: a screenful, drawn without waiting for the
    rest, then the rest in the next frame. (Not more parts: every addition makes the table
    draw its visible rows again, which costs more than adding rows.)
    """

    BINDINGS: ClassVar[list[BindingType]] = [binding("cursor_down"), binding("cursor_up")]

    def __init__(
        self, columns: Sequence[Column], *, minimum_shared: int = 20, id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``minimum_shared``: the least room the columns without a fixed width share, however narrow the table."""
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.columns_shown = tuple(columns)
        self._minimum_shared = minimum_shared
        self._rows: list[Row] = []
        self._fitted: int | None = None
        """The room the columns were last fitted to; None until the first rows are shown."""
        self._widths: list[int] = []
        self._filling = 0
        """Counts fills: the later rows of a fill that a newer one replaced are not added."""

    @property
    def selected_key(self) -> str | None:
        """The row key under the cursor, or None for an empty table."""
        return selected_key(self)

    @property
    def complete(self) -> bool:
        """Every row :meth:`show_rows` was given is in the table (those past a screenful come a frame later)."""
        return self.row_count == len(self._rows)

    def show_rows(self, rows: Iterable[Row]) -> None:
        """Show ``rows`` in this order, keeping the cursor on its row key when that row is still there.

        The same rows again at the same width change nothing (a reload that found no change).
        """
        rows = list(rows)
        if rows == self._rows and self.complete and self._fitted == self._room():
            return
        keep = self.selected_key
        self._rows = rows
        self._fill(keep)

    def _fill(self, keep: str | None) -> None:
        room = self._fitted = self._room()
        widths = column_widths(self.columns_shown, room, self._minimum_shared)
        if widths == self._widths:
            self.clear()
        else:
            self.clear(columns=True)
            for column, width in zip(self.columns_shown, widths, strict=True):
                self.add_column(Text(column.title, justify=column.justify), key=column.key, width=width)
            self._widths = widths
        self._filling += 1
        # The first part reaches the kept row, so the cursor never starts elsewhere and moves.
        kept_at = next((index for index, (key, _) in enumerate(self._rows) if key == keep), -1)
        self._add_rows(0, max(self.app.size.height, kept_at + 1), self._filling, keep)

    def _add_rows(self, start: int, end: int, filling: int, keep: str | None) -> None:
        if filling != self._filling:
            return  # a newer fill replaced these rows
        for key, values in self._rows[start:end]:
            self.add_row(*self._cells(values, self._widths), key=key)
        if start == 0 and keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))
        if end < len(self._rows):
            self.call_after_refresh(self._add_rows, end, len(self._rows), filling, None)

    def _cells(self, values: Sequence[str | Text], widths: Sequence[int]) -> list[Text]:
        cells = []
        for value, column, width in zip(values, self.columns_shown, widths, strict=True):
            cell = plain(value, width) if isinstance(value, str) else value
            cell.justify = column.justify
            cells.append(cell)
        return cells

    def _room(self) -> int:
        """The cells' room, kept free of the vertical scrollbar whether it is shown yet or not.

        Before the table is laid out, the room its container gives is the best guess.
        """
        width = self.scrollable_content_region.width
        if not width:
            return max((self.container_size.width or self.app.size.width) - 2, 0)
        return width if self.show_vertical_scrollbar else max(width - 2, 0)

    def on_resize(self) -> None:
        # The layout gives the new width only after the resize: refit once it is known.
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self._fitted is not None and self._room() != self._fitted:
            self._fill(self.selected_key)


__all__ = ["Column", "FittedTable", "Row", "column_widths", "refill", "selected_key"]
