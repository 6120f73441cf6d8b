"""Kiosk sessions keep text cursors steady: a blink repaints the screen twice a second, which
on a host with many idle sessions is most of what they cost."""

from __future__ import annotations

from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.cli import steady_cursor_app
from mentor_tui.clock import SystemClock
from mentor_tui.screens.sign_in import SignInScreen


class NoOneSignedIn:
    name = "stand-in"

    async def restore(self):
        return None

    async def close(self):
        pass


async def focused_cursors_blink(app_class: type[MentorApp]) -> list[bool]:
    """Whether the cursor blinks in each field focused in turn on the sign-in form."""
    app = app_class(NoOneSignedIn(), SystemClock())
    blinks = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, SignInScreen) and isinstance(app.focused, Input)):
            await pilot.pause()
        for _ in range(2):
            await pilot.pause()
            assert isinstance(app.focused, Input)
            blinks.append(app.focused.cursor_blink)
            await pilot.press("tab")
    return blinks


async def test_the_kiosk_app_never_blinks_a_cursor():
    assert await focused_cursors_blink(steady_cursor_app()) == [False, False]


async def test_the_app_on_a_persons_own_terminal_still_blinks():
    assert await focused_cursors_blink(MentorApp) == [True, True]
