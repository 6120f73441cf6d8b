"""A long list in the fitted table: a screenful at once and the rest in the next frame,
the cursor kept on its row from the first frame, a newer list never mixed with the rest of
an older one, and the same rows again left as they are."""

from __future__ import annotations

from textual.app import App, ComposeResult

from mentor_tui.widgets.table import Column, FittedTable, Row
from pilot_support import until

COLUMNS = (Column("name", "Name"), Column("count", "N", 4, right=True))
SCREEN = (80, 24)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FittedTable(COLUMNS)


def rows(count: int, start: int = 0) -> list[Row]:
    return [(f"r{i}", (f"Name {i}", str(i))) for i in range(start, start + count)]


def keys(table: FittedTable) -> list[str | None]:
    return [row.key.value for row in table.ordered_rows]


async def until_complete(table: FittedTable, pilot) -> None:
    await until(pilot, lambda: table.complete, "every row is added")


async def test_a_long_list_shows_a_screenful_at_once_and_the_rest_in_order_after():
    app = TableApp()
    async with app.run_test(size=SCREEN) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(100))
        assert table.row_count == SCREEN[1] and not table.complete
        await until_complete(table, pilot)
        assert keys(table) == [key for key, _ in rows(100)]
        assert table.get_row_at(99)[0].plain == "Name 99"


async def test_a_short_list_is_shown_whole_at_once():
    app = TableApp()
    async with app.run_test(size=SCREEN) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(SCREEN[1]))
        assert table.complete
        await pilot.pause()
        assert table.complete


async def test_the_cursor_stays_on_its_row_beyond_the_first_screenful_from_the_first_frame():
    app = TableApp()
    async with app.run_test(size=SCREEN) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(100))
        await until_complete(table, pilot)
        table.move_cursor(row=70)
        table.show_rows([("new", ("New", "0")), *rows(100)])  # a row above: the kept one moves down
        assert table.selected_key == "r70" and table.cursor_row == 71
        await until_complete(table, pilot)
        assert table.selected_key == "r70" and table.row_count == 101


async def test_a_newer_list_is_never_mixed_with_the_rest_of_an_older_one():
    app = TableApp()
    async with app.run_test(size=SCREEN) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(100))
        table.show_rows(rows(60, start=1000))  # before the rest of the first list was added
        await until_complete(table, pilot)
        for _ in range(5):  # frames in which the older list's rest would have come
            await pilot.pause()
        assert keys(table) == [key for key, _ in rows(60, start=1000)]


async def test_the_same_rows_again_leave_the_table_as_it_is():
    app = TableApp()
    async with app.run_test(size=SCREEN) as pilot:
        table = app.query_one(FittedTable)
        table.show_rows(rows(5))
        await pilot.pause()
        first_cell = table.get_row_at(0)[0]
        table.move_cursor(row=3)
        table.show_rows(rows(5))
        assert table.get_row_at(0)[0] is first_cell and table.cursor_row == 3
        table.show_rows([("r0", ("Renamed", "0")), *rows(4, start=1)])
        assert table.get_row_at(0)[0].plain == "Renamed" and table.selected_key == "r3"
