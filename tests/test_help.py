"""F1: every key, grouped by where it works, with the signed-in role's sections; Esc or F1 closes it."""

from __future__ import annotations

import asyncio

from shell_support import SIZE, add_account, new_repo, settle, signed_in_app
from textual.containers import VerticalScroll

from mentor_tui.app import MentorApp
from mentor_tui.domain.models import Role
from mentor_tui.keymap import KEYS
from mentor_tui.screens.help import HelpScreen, key_rows
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.sign_in import SignInScreen


def listed(app: MentorApp) -> dict[str, str]:
    return {key: description for rows in key_rows(app.ctx).values() for key, description in rows}


async def test_f1_shows_every_key_and_esc_closes_it(clock):
    app = MentorApp(new_repo(clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        # Signed out, every key is there as the keymap describes it.
        assert listed(app) == {key.display: key.description for key in KEYS}
        assert next(iter(key_rows(app.ctx))) == "everywhere"
        assert len(app.screen.query(".help-group")) == len({key.where for key in KEYS})

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)


async def test_f1_again_closes_it(clock):
    app = MentorApp(new_repo(clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)


async def test_the_section_keys_name_the_students_sections(clock):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        keys = listed(app)
        assert [keys[f"F{n}"] for n in range(2, 7)] == [
            "Go to Mentors", "Go to My Sessions", "Go to Settings", "Go to Messages", "Go to Calendar"
        ]
        assert "F7" not in keys  # a student has five sections


async def test_the_section_keys_name_the_mentors_sections(clock):
    app = await signed_in_app(clock, Role.MENTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        keys = listed(app)
        assert [keys[f"F{n}"] for n in range(2, 8)] == [
            "Go to Overview", "Go to Sessions", "Go to My Students", "Go to Schedule", "Go to Settings",
            "Go to Messages",
        ]


async def test_at_80x24_it_fits_and_scrolls_to_the_last_key(clock):
    app = await signed_in_app(clock, Role.MENTOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        box = help_screen.query_one("#help-box")
        assert box.region.right <= 80 and box.region.bottom <= 24
        keys = help_screen.query_one("#help-keys", VerticalScroll)
        assert help_screen.focused is keys
        assert keys.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y
        last = help_screen.query(".help-group").last()
        assert last.region.bottom <= keys.region.bottom


async def test_the_palette_opens_it_too(clock):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*"help")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)


def test_snapshot_of_the_help_for_a_student_at_80x24(clock, snap_compare):
    asyncio.run(add_account(clock, Role.STUDENT, signed_in=True))

    async def open_help(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("f1")
        await settle(pilot.app, pilot)

    assert snap_compare(MentorApp(new_repo(clock), clock), terminal_size=SIZE, run_before=open_help)
