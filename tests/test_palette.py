"""The command palette offers every action of the current screen that applies, with its key.

Walks both roles through every section, over every row of every list (sessions of
each kind: pending, confirmed, completed, rated, cancelled) and into each dialog a
footer key opens; at each stop, every enabled key the footer shows must be in the
palette, named as in the footer and with its key, and the palette must offer no
footer action the footer leaves out.
"""

from __future__ import annotations

import pytest
from student_support import SIZE, settle, signed_in_app, world, world_template  # noqa: F401 (fixtures, asked for by name below)
from textual.command import CommandPalette
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Input, TabbedContent
from textual.widgets._footer import FooterKey

from mentor_tui.app import MentorApp, ScreenActions
from mentor_tui.keymap import KEYS, KEYS_BY_ACTION, key_for
from mentor_tui.screens.home import HomeScreen
from mentor_tui.widgets.dialog import Dialog


@pytest.fixture
def people(request):
    """student_support's world (students and mentors with sessions of every kind), in this test's folders."""
    return request.getfixturevalue("world")


APP_KEYS = {"help", "quit", "inbox"}
"""The app's own keys: they work on every screen, dialogs included, where the footer may leave them out."""
OPENS_A_DIALOG = ("new", "cancel", "decline", "complete", "rate", "edit")
ROWS_PER_LIST = 8


async def palette(screen: Screen[object]) -> dict[str, tuple[str, str]]:
    """The palette's discovery hits on ``screen``: action -> (title, key display), read from each hit's help."""
    keys_by_help = {escape(f"{key.display} · {key.description}"): key for key in KEYS}
    found = {}
    async for hit in ScreenActions(screen).discover():
        key = keys_by_help[hit.help or ""]
        found[key.action] = (str(hit.display), key.display)
    return found


def footer(screen: Screen[object]) -> dict[str, tuple[str, str]]:
    """The enabled keys the footer shows: action -> (label, key display)."""
    return {
        key.action: (key.description, key_for(key.action).display)
        for key in screen.query(FooterKey)
        if not key.has_class("-disabled") and key.action != "command_palette" and key.action in KEYS_BY_ACTION
    }


async def compare(app: MentorApp, where: str) -> set[str]:
    screen = app.screen
    shown = footer(screen)
    raw = [key.action for key in screen.query(FooterKey) if key.action not in KEYS_BY_ACTION]
    assert raw == [], f"{where}: footer keys not in the keymap: {raw}"
    offered = await palette(screen)
    for action, (label, key) in shown.items():
        assert action in offered, f"{where}: the footer's {label} ({key}) is not in the palette"
        assert offered[action][1] == key, f"{where}: {label} is offered with the wrong key"
    visible_in_footer = {action for action in offered if KEYS_BY_ACTION[action].shown} - APP_KEYS
    assert visible_in_footer <= set(shown), f"{where}: the palette offers {visible_in_footer - set(shown)}"
    return set(offered)


async def walk_section(app: MentorApp, pilot, section: str, seen: list[str]) -> None:
    home = app.screen
    assert isinstance(home, HomeScreen)
    home.show_section(section)
    await settle(app, pilot)
    seen.append(section)
    await compare(app, section)
    pane = home.query_one("#sections", TabbedContent).get_pane(section)
    for table in [table for table in pane.query(DataTable) if table.display and table.row_count]:
        table.focus()
        for row in range(min(table.row_count, ROWS_PER_LIST)):
            table.move_cursor(row=row)
            await settle(app, pilot)
            where = f"{section}, {table.id} row {row}"
            offered = await compare(app, where)
            for action in OPENS_A_DIALOG:
                if action in offered:
                    await open_dialog(app, pilot, action, f"{where}, {action}")
                    seen.append(action)


async def open_dialog(app: MentorApp, pilot, action: str, where: str) -> None:
    await pilot.press(key_for(action).key)
    await settle(app, pilot)
    if isinstance(app.screen, Dialog):
        await compare(app, where)
        await pilot.press("escape")
        await settle(app, pilot)
    assert isinstance(app.screen, HomeScreen), f"{where}: the dialog did not close"


@pytest.mark.parametrize(
    ("who", "sections"),
    [
        ("sam", ("mentors", "my-sessions", "settings")),
        ("ada", ("overview", "sessions", "my-students", "schedule", "settings")),
        ("ana", ("sessions", "my-students")),
    ],
)
async def test_every_footer_action_is_in_the_palette_with_its_key(people, clock, who, sections):
    app = await signed_in_app(people, clock, who)
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for section in sections:
            await walk_section(app, pilot, section, seen)
    assert set(sections) <= set(seen)
    if who == "sam":
        assert {"new", "cancel", "rate"} <= set(seen)  # a booking, a cancellation and a rating were opened
    if who == "ada":
        assert "decline" in seen


async def test_an_action_chosen_in_the_palette_runs_where_its_key_would(people, clock):
    app = await signed_in_app(people, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        home = app.screen
        home.query_one("#sections", TabbedContent).get_pane("mentors").query_one(DataTable).focus()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"search")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is home
        assert isinstance(home.focused, Input)


async def test_the_palette_names_sections_after_the_role(people, clock):
    app = await signed_in_app(people, clock, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        offered = await palette(app.screen)
        assert offered["section(1)"] == ("Go to Overview", "F2")
        assert offered["section(5)"] == ("Go to Settings", "F6")
        assert offered["sign_out"][1] == "ctrl+o"
        assert offered["quit"][1] == "ctrl+q" and offered["help"][1] == "F1"
