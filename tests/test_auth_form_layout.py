"""The sign-in and sign-up forms are flat: a key typed re-lays out the row of the field
typed into, not the form around it (Textual's Input asks for a layout on every key)."""

from __future__ import annotations

import pytest
from shell_support import SIZE, new_repo, settle
from textual.screen import Screen
from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.screens.sign_in import SignInScreen
from mentor_tui.screens.sign_up import SignUpScreen


def count_layouts(monkeypatch) -> list[str]:
    """The widgets that ask the screen for a re-layout, in order."""
    asked: list[str] = []
    on_layout = Screen._on_layout

    async def counted(screen, message):
        asked.append(type(message.widget).__name__)
        await on_layout(screen, message)

    monkeypatch.setattr(Screen, "_on_layout", counted)
    return asked


@pytest.mark.parametrize("screen_class", [SignInScreen, SignUpScreen])
async def test_a_key_re_lays_out_only_the_row_of_the_field_typed_into(clock, monkeypatch, screen_class):
    app = MentorApp(new_repo(clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        if screen_class is SignUpScreen:
            await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, screen_class)
        form = app.screen.query_one("#auth-form")
        app.screen.query_one("#email", Input).focus()
        await settle(app, pilot)  # the footer follows the focus a few messages later: not counted
        asked = count_layouts(monkeypatch)
        before = form._layout_updates
        await pilot.press(*"ann@example.org")
        await pilot.pause()
        # Textual's Input asks on each key (its virtual size follows the text); nothing else
        # does, and the form around the field's fixed-height row is not measured again.
        assert set(asked) == {"Input"}
        assert form._layout_updates == before


async def test_a_field_error_grows_its_row_and_the_next_key_clears_it(clock):
    app = MentorApp(new_repo(clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # both fields empty
        await pilot.pause()
        row = app.screen.query_one("#field-email")
        assert row.has_class("-has-error") and row.size.height > 3
        await pilot.press("a")
        await pilot.pause()
        assert not row.has_class("-has-error") and row.size.height == 3
