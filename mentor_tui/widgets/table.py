"""What every table of the app shares: columns that fit without a horizontal scrollbar,
people's text as plain cells, and a cursor that stays on its row across reloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from .plain import CELL, plain


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


def set_columns(table: DataTable[Text], columns: Sequence[Column], widths: Sequence[int]) -> None:
    """Empty ``table`` and give it ``columns`` at ``widths``."""
    table.clear(columns=True)
    for column, width in zip(columns, widths, strict=True):
        table.add_column(Text(column.title, justify=column.justify), key=column.key, width=width)


def row_cells(values: Sequence[str | Text], columns: Sequence[Column], widths: Sequence[int]) -> list[Text]:
    """One row's cells: strings shown as plain text cut to the column's width; ``Text`` kept as it is."""
    cells = []
    for value, column, width in zip(values, columns, widths, strict=True):
        cell = plain(value, width) if isinstance(value, str) else value
        cell.justify = column.justify
        cells.append(cell)
    return cells


def table_room(table: DataTable[Text], fallback: int) -> int:
    """The cells' room in ``table``, kept free of its vertical scrollbar whether shown yet or not.

    ``fallback`` is the width the table will have, for a table not laid out yet.
    """
    width = table.scrollable_content_region.width
    if not width:
        return max(fallback - 2, 0)
    return width if table.show_vertical_scrollbar else max(width - 2, 0)


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


def refill(table: DataTable[Text], rows: Iterable[tuple[str, Sequence[str | Text]]]) -> None:
    """Replace a table's rows, keeping the cursor on the same row key when it is still there.

    String cells are shown as plain text, cut to a cell's room: a table reads a string as
    markup, and names and subjects come from people.
    """
    keep = selected_key(table)
    table.clear()
    for key, cells in rows:
        table.add_row(*(plain(cell, CELL) if isinstance(cell, str) else cell for cell in cells), key=key)
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep))


__all__ = ["Column", "column_widths", "refill", "row_cells", "selected_key", "set_columns", "table_room"]
