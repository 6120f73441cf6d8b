"""The one table the lists share: columns that fill its width, refitted on resize, a cursor
that keeps its row across reloads, people's text shown as text."""

from __future__ import annotations

from hostile_text import SEQUENCES, hostile
from pilot_support import until
from rich.text import Text
from textual.app import App, ComposeResult

from mentor_tui.widgets.table import Column, FittedTable

COLUMNS = (
    Column("name", "Name"),
    Column("note", "Note"),
    Column("count", "N", 4, right=True),
)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FittedTable(COLUMNS)


def rows(count: int) -> list[tuple[str, tuple[str, ...]]]:
    return [(f"r{i}", (f"Name {i}", f"note {i}", str(i))) for i in range(count)]


def fills_its_width(table: FittedTable) -> bool:
    return not table.show_horizontal_scrollbar and table.virtual_size.width == table.scrollable_content_region.width


def assert_fills_its_width(table: FittedTable) -> None:
    assert not table.show_horizontal_scrollbar
    assert table.virtual_size.width == table.scrollable_content_region.width


async def refitted(pilot, table: FittedTable) -> None:
    """A resize lays the table out, then its columns refit, then it lays out again: wait for
    that instead of a fixed number of pauses."""
    await until(pilot, lambda: fills_its_width(table), "the columns refitted to the new width")


async def test_columns_fill_80_columns_without_a_horizontal_scrollbar_and_refit_on_resize():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(40))  # more rows than fit: the vertical scrollbar takes its room
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert table.scrollable_content_region.width == 78
        assert_fills_its_width(table)

        await pilot.resize_terminal(120, 24)
        await refitted(pilot, table)
        assert table.scrollable_content_region.width == 118
        assert_fills_its_width(table)

        await pilot.resize_terminal(80, 24)
        await refitted(pilot, table)
        assert_fills_its_width(table)


async def test_the_shared_columns_keep_their_minimum_in_a_narrow_table():
    app = TableApp()
    async with app.run_test(size=(30, 10)) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(2))
        await pilot.pause()
        assert [column.width for column in table.columns.values()] == [10, 10, 4]


async def test_the_cursor_keeps_its_row_across_reloads_and_starts_at_the_top_when_its_row_is_gone():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(FittedTable)
        assert table.selected_key is None
        table.show_rows(rows(5))
        table.move_cursor(row=3)
        assert table.selected_key == "r3"

        table.show_rows([("new", ("New", "added above", "9")), *reversed(rows(5))])
        await pilot.pause()
        assert table.selected_key == "r3" and table.cursor_row == 2

        await pilot.resize_terminal(100, 24)  # a refit keeps it too
        await pilot.pause()
        assert table.selected_key == "r3"

        table.show_rows(rows(3))
        assert table.selected_key == "r0"


async def test_hostile_strings_are_shown_as_text_and_text_cells_are_kept(tmp_path):
    app = TableApp()
    value = hostile(tmp_path, escapes_first=True)
    badge = Text("[b]kept[/b]", style="green")
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows([("evil", (value, value, badge))])
        await pilot.pause()
        name, _, kept = table.get_row("evil")
        width = next(iter(table.columns.values())).width
        assert isinstance(name, Text) and not name.spans and len(name.plain) == width
        assert name.plain.endswith("…") and name.plain.startswith("␛]52;c;aGVsbG8=␇")
        assert kept is badge and kept.justify == "right"
        line = table.render_line(1).text
        assert "␛]52" in line and not any(sequence in line for sequence in SEQUENCES)
        assert not list(tmp_path.iterdir())  # no markup ran: no screenshot was written

        table.show_rows([("evil", ("[@click=app.quit]Quit[/] Mentor [/] Name", "x", "1"))])
        await pilot.pause()
        assert table.get_row("evil")[0].plain.startswith("[@click=app.quit]Quit[/]")
        assert app.is_running
