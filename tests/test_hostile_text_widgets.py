"""The pieces that keep people's text harmless: plain content, length-limited fields, inline refusals."""

from __future__ import annotations

import pytest
from rich.text import Text
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    sessions_of,
    settle,
    signed_in_app,
    world,
    world_template,
)
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Static, TextArea

from mentor_tui.domain.text import FIELDS, text_error
from mentor_tui.widgets.limited import LimitedInput, LimitedTextArea
from mentor_tui.widgets.plain import plain, shown
from mentor_tui.widgets.session_dialogs import ReasonDialog


def test_plain_is_content_that_is_never_markup():
    text = plain("[@click=app.quit]Quit[/] Mentor [/] Name")
    assert isinstance(text, Text)
    assert text.plain == "[@click=app.quit]Quit[/] Mentor [/] Name"
    assert text.spans == [] and not text.style


def test_plain_shows_control_characters_as_symbols_and_drops_bidi_overrides():
    text = plain("a\x1b]52;c;aGVsbG8=\x07b\u202ec\x9b31m")
    assert text.plain == "a␛]52;c;aGVsbG8=␇bc\ufffd31m"


def test_plain_is_cut_to_its_room_and_keeps_lines_only_when_asked():
    assert plain("x" * 10_000, 40).plain == "x" * 39 + "…"
    assert plain("one\ntwo").plain == "one two"
    assert plain("one\ntwo", multiline=True).plain == "one\ntwo"
    assert shown("\x1b[6n" + "y" * 100) == "␛[6n" + "y" * 55 + "…"


async def paste(pilot, text: str) -> None:
    """As a terminal pastes: the app gets the text and hands it to the focused field."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


class FieldsApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.notices: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield LimitedInput("full_name", id="name")
        yield LimitedTextArea("bio", id="bio")

    def notify(self, message: str, **kwargs) -> None:  # type: ignore[override]
        self.notices.append((message, kwargs.get("severity", "information")))


async def test_a_paste_longer_than_a_fields_limit_is_cut_with_a_message():
    app = FieldsApp()
    async with app.run_test() as pilot:
        name = app.query_one("#name", Input)
        name.focus()
        await paste(pilot, "n" * 150)
        assert name.value == "n" * FIELDS["full_name"].max_length
        assert app.notices == [("Pasted text was cut to 100 characters.", "warning")]

        bio = app.query_one("#bio", TextArea)
        bio.focus()
        await paste(pilot, "b" * 2500)
        assert bio.text == "b" * FIELDS["bio"].max_length
        assert app.notices[-1] == ("Pasted text was cut to 2000 characters.", "warning")


async def test_a_paste_is_cut_to_the_room_left_and_says_how_much_was_kept():
    app = FieldsApp()
    async with app.run_test() as pilot:
        name = app.query_one("#name", Input)
        name.value = "Ada "
        name.cursor_position = len(name.value)
        name.focus()
        await paste(pilot, "y" * 120)
        assert name.value == "Ada " + "y" * 96
        assert app.notices == [("Pasted text was cut to 96 characters: the name holds at most 100.", "warning")]


async def test_a_paste_that_fits_and_a_key_at_the_limit_say_nothing():
    app = FieldsApp()
    async with app.run_test() as pilot:
        name = app.query_one("#name", Input)
        name.focus()
        await paste(pilot, "Ada Lovelace")
        assert name.value == "Ada Lovelace"
        name.value = "z" * 100
        name.cursor_position = 100
        await pilot.press("q")
        assert name.value == "z" * 100
        bio = app.query_one("#bio", TextArea)
        bio.focus()
        await paste(pilot, "line one\nline two")
        assert bio.text == "line one\nline two"
    assert app.notices == []


@pytest.mark.parametrize("typed", ["moved \x1b[6n", "late\x07", "right\u202eleft"])
async def test_a_reason_the_rules_refuse_shows_their_message_inside_the_dialog_and_stays(typed, world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")  # My Sessions: the confirmed session is selected
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        field = dialog.query_one("#cancellation_reason", Input)
        field.value = typed
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        error = dialog.query_one("#dialog-error", Static)
        assert error.has_class("-shown")
        assert str(error.content) == text_error("cancellation_reason", typed)
        assert field.value == typed  # kept as typed
        assert field.has_focus

        field.value = "My exam moved."
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not dialog
    cancelled = next(v.session for v in await sessions_of(world, "sam", clock) if v.session.subject == "Pandas group-by")
    assert cancelled.cancellation_reason == "My exam moved."
