"""Key i on a list of sessions: the selected session's .ics, to copy (OSC 52), read, or save
to a file (not on the SSH kiosk, where a file on the server is of no use)."""

from __future__ import annotations

from icalendar import Calendar
from student_support import SIZE, settle, signed_in_app, world, world_template  # noqa: F401 (fixtures)
from test_student_sessions import messages, open_my_sessions
from textual.widgets import Button, Input, TextArea

from mentor_tui.widgets.calendar_file import CalendarFileDialog


def event_of(text: str):
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    return event


async def test_i_offers_the_file_to_copy_read_and_save(world, clock, tmp_path):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        assert app.screen.check_action("calendar_file", ()) is not False
        await pilot.press("i")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CalendarFileDialog)
        text = dialog.query_one("#ics-text", TextArea).text
        event = event_of(text)
        assert str(event["UID"]) == f"{world.sessions['sam-ana-confirmed']}@mentor-tui"
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        assert dialog.query_one("#path", Input).value.endswith(".ics")

        dialog.query_one("#ics-copy", Button).press()
        await settle(app, pilot)
        assert app.clipboard == text

        target = tmp_path / "exported.ics"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CalendarFileDialog)
        assert str(event_of(target.read_text())["UID"]) == str(event["UID"])
        assert f"Saved the calendar file: {target}" in messages(app)


async def test_a_path_that_cannot_be_written_is_said_in_the_dialog(world, clock, tmp_path):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing-folder" / "x.ics")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CalendarFileDialog)
        error = str(app.screen.query_one("#dialog-error").render())
        assert "Could not save" in error and "missing-folder" in error


async def test_the_kiosk_offers_no_file_on_the_server(world, clock, monkeypatch):
    monkeypatch.setenv("MENTOR_TUI_KIOSK", "1")
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CalendarFileDialog)
        assert not dialog.query("#path") and str(dialog.query_one("#dialog-ok", Button).label) == "Close"
        dialog.query_one("#ics-copy", Button).press()
        await settle(app, pilot)
        assert app.clipboard.startswith("BEGIN:VCALENDAR")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CalendarFileDialog)


async def test_hostile_text_in_the_calendar_dialog_is_shown_as_text():
    from hostile_text import DATA_MARKERS, SEQUENCES
    from textual.app import App

    from mentor_tui.domain import ics
    from mentor_tui.domain.models import Profile, Role

    from test_ics_export import NOW, view

    hostile = "[@click=app.quit]Quit[/] " + "".join(SEQUENCES)
    me = Profile(id="student-1", full_name="Sam", role=Role.STUDENT, timezone="Europe/Berlin")
    text = ics.calendar([view(subject=hostile)], me, 15, NOW).decode()

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(CalendarFileDialog(f"{hostile} · Sun 29 Mar 01:30", text, None))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CalendarFileDialog)
        about = str(dialog.query_one("#dialog-about").render())
        assert about.startswith("[@click=app.quit]Quit[/] ␛]52;c;aGVsbG8=")
        shown_text = dialog.query_one("#ics-text", TextArea).text
        assert not any(marker in shown_text or marker in about for marker in DATA_MARKERS)
        await pilot.click("#dialog-about")  # the markup is text: no action runs
        await pilot.pause()
        assert app.is_running
