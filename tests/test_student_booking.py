"""Booking from the Mentors pane: open slots, live cost, both zones, inline messages, refusals."""

from __future__ import annotations

from datetime import time

from textual.widgets import Input, Select, Static

from mentor_tui.domain.models import BookingRequest, SessionStatus
from mentor_tui.screens.booking import BookingScreen
from mentor_tui.screens.mentors import MentorsPane
from mentor_tui.widgets.dialog import ConfirmDialog
from pilot_support import paste
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    act_as,
    sessions_of,
    settle,
    signed_in_app,
    utc,
    world,
    world_template,
)

ABOUT = "Fixtures and parametrize"


async def open_booking(app, pilot, search: str) -> BookingScreen:
    """Find one mentor by a search, then book with ctrl+n."""
    await paste(pilot, search)
    await settle(app, pilot)
    await pilot.press("ctrl+n")
    await settle(app, pilot)
    assert isinstance(app.screen, BookingScreen)
    return app.screen


def shown(form: BookingScreen, selector: str) -> str:
    return str(form.query_one(selector, Static).content)


def errors(form: BookingScreen) -> dict[str, str]:
    found = {field: shown(form, f"#{field}-error") for field in ("subject", "date", "start", "duration", "notes")}
    return {field: message for field, message in found.items() if message}


async def fill_in(pilot, selector: str, text: str) -> None:
    """Focus a field (which selects what it holds) and paste over it."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await paste(pilot, text)


async def pick_date(app, pilot, form: BookingScreen, day: str) -> None:
    await fill_in(pilot, "#date", day)
    await settle(app, pilot)
    assert form.query_one("#date", Input).value == day


async def test_booking_an_open_slot_sends_a_pending_request(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "byron")
        assert form.query_one("#subject").has_focus
        await paste(pilot, ABOUT)
        # Ada keeps Mon-Fri 09:00-17:00 in London, that is 03:00-11:00 in Chicago (Sam's zone).
        await pick_date(app, pilot, form, "2026-12-01")
        assert shown(form, "#date-label") == "Tue 1 Dec"
        start = form.query_one("#start-slot", Select)
        assert start.display and not form.query_one("#start-time").display
        assert start.value == utc(1, 9, month=12)
        assert "03:00  (Ada 09:00)" in str(start._options[1][0])

        # 60 -> 75 -> 90 minutes: the cost follows.
        assert shown(form, "#cost") == "Estimated cost $90.00"
        form.query_one("#duration").focus()
        await pilot.press("enter", "down", "down", "enter")
        await settle(app, pilot)
        assert form.query_one("#duration", Select).value == 90
        assert shown(form, "#cost") == "Estimated cost $135.00"
        assert shown(form, "#when") == (
            "Tue 1 Dec 03:00–04:30  your time (America/Chicago)\n"
            "Tue 1 Dec 09:00–10:30  Ada's time (Europe/London)"
        )
        await fill_in(pilot, "#notes", "I use pytest 8.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert not isinstance(app.screen, BookingScreen)
        assert any("Request sent to Ada Byron for Tue 1 Dec 03:00" in n.message for n in app._notifications)
    booked = [v.session for v in await sessions_of(world, "sam", clock) if v.session.subject == ABOUT]
    assert len(booked) == 1
    session = booked[0]
    assert session.status is SessionStatus.PENDING
    assert session.scheduled_time == utc(1, 9, month=12)
    assert session.duration_minutes == 90
    assert session.notes == "I use pytest 8."


async def test_the_form_offers_only_open_slots_and_the_arrows_change_the_day(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "patel")
        # Dev keeps Mon-Fri 09:00-12:00 in Kolkata, 03:30-06:30 UTC: the evening before in
        # Chicago. Today's hours there are over, but Wednesday's begin this Tuesday evening.
        assert form.query_one("#date", Input).value == "2026-11-24"
        assert "Open days: Tue 24, Wed 25, Thu 26, Sun 29, Mon 30 Nov…" in shown(form, "#open-days")
        select = form.query_one("#start-slot", Select)
        options = [(str(label), value) for label, value in select._options if value != Select.NULL]
        assert [value for _, value in options] == [utc(25, 3, 30), utc(25, 4), utc(25, 4, 30), utc(25, 5), utc(25, 5, 30)]
        assert options[0][0] == "21:30  (Dev Wed 09:00)"
        form.query_one("#date").focus()
        await pilot.press("down", "down", "down")  # Wed, Thu, Fri evening: Saturday in Kolkata
        await settle(app, pilot)
        assert form.query_one("#date", Input).value == "2026-11-27"
        assert select.value == Select.NULL
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(form)["start"] == "No open time that day: try one of the open days below."
        assert form.query_one("#subject").has_focus  # the first field with a message
        form.query_one("#date").focus()
        await pilot.press("up")
        await settle(app, pilot)
        assert select.value == utc(27, 3, 30)


async def test_each_invalid_field_gets_its_own_message_and_nothing_is_sent(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "okoro")  # Ben keeps no weekly hours: any time may be asked
        assert form.query_one("#start-time").display and not form.query_one("#start-slot").display
        assert "Ben has not set weekly hours" in shown(form, "#open-days")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(form) == {
            "subject": "Say what the session is about.",
            "start": "Pick a date and a start time.",
        }
        assert form.query_one("#subject").has_focus

        await paste(pilot, ABOUT)
        await fill_in(pilot, "#date", "2026-13-01")
        await fill_in(pilot, "#start-time", "25:00")
        form.query_one("#notes", Input).value = "x" * 2001  # as if pasted
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(form) == {
            "date": "Enter the date as YYYY-MM-DD, like 2026-11-25.",
            "notes": "Keep the notes to 2000 characters.",
        }
        await fill_in(pilot, "#date", "2026-11-23")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(form)["start"] == "Enter the start time as HH:MM, like 14:30."
        await fill_in(pilot, "#start-time", "10:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(form) == {
            "start": "Pick a time in the future.",
            "notes": "Keep the notes to 2000 characters.",
        }
        # 02:30 on the day Chicago's clocks jump from 02:00 to 03:00 does not exist.
        await fill_in(pilot, "#date", "2027-03-14")
        await fill_in(pilot, "#start-time", "02:30")
        form.query_one("#notes", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert errors(form) == {
            "start": "02:30 does not exist on Sun 14 Mar 2027: the clocks change. Pick another time."
        }
        assert form.query_one("#subject", Input).value == ABOUT
        assert isinstance(app.screen, BookingScreen)
    assert all(v.session.subject != ABOUT for v in await sessions_of(world, "sam", clock))


async def test_a_slot_taken_by_another_connection_meanwhile_is_refused_and_the_form_kept(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "byron")
        await paste(pilot, ABOUT)
        await pick_date(app, pilot, form, "2026-12-01")
        await fill_in(pilot, "#notes", "Bring the failing test.")
        assert form.query_one("#start-slot", Select).value == utc(1, 9, month=12)

        # Tara, on her own connection, books Ada at that very hour first.
        tara = await act_as(world, "tara", clock)
        await tara.create_session(
            BookingRequest(
                mentor_id=world.people["ada"].id, subject="Mocking", scheduled_time=utc(1, 9, month=12),
                duration_minutes=60,
            )
        )
        await tara.close()

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        assert errors(form) == {"start": "That time is already taken. Please pick another slot."}
        assert shown(form, "#dialog-error") == "Nothing was booked; everything you typed is still here."
        assert form.query_one("#subject", Input).value == ABOUT
        assert form.query_one("#notes", Input).value == "Bring the failing test."
        assert form.query_one("#date", Input).value == "2026-12-01"
        # The open times were looked up again: Ada is busy 09:00-10:00 UTC now.
        assert form.query_one("#start-slot", Select).value == utc(1, 10, month=12)
    assert all(v.session.subject != ABOUT for v in await sessions_of(world, "sam", clock))


async def test_a_time_outside_availability_is_refused_and_the_open_times_offered(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "okoro")
        await paste(pilot, ABOUT)
        await fill_in(pilot, "#date", "2026-12-01")
        await fill_in(pilot, "#start-time", "10:00")
        await settle(app, pilot)
        assert shown(form, "#when").startswith("Tue 1 Dec 10:00–11:00  your time (America/Chicago)\n")
        assert "Tue 1 Dec 17:00–18:00  Ben's time (Africa/Lagos)" in shown(form, "#when")

        # Meanwhile Ben sets weekly hours: Mondays only.
        ben = await act_as(world, "ben", clock)
        await ben.set_availability(0, time(9), time(12))
        await ben.close()

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        assert errors(form) == {
            "start": "The mentor is not available at that time. Pick one of their open times."
        }
        assert form.query_one("#subject", Input).value == ABOUT
        # The form now offers Ben's open days, as it does for any mentor with weekly hours.
        assert form.query_one("#start-slot").display
        assert "Open days: Mon 30 Nov, Mon 7, Mon 14, Mon 21 Dec" in shown(form, "#open-days")
    assert all(v.session.subject != ABOUT for v in await sessions_of(world, "sam", clock))


async def test_a_student_in_another_zone_sees_their_time_and_the_mentors(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "souza")
        # Ana keeps Thu 14:00-18:00 in São Paulo (UTC-3); Sam in Chicago (UTC-6) holds 11:00-12:00.
        await pick_date(app, pilot, form, "2026-11-26")
        labels = [str(label) for label, value in form.query_one("#start-slot", Select)._options if value != Select.NULL]
        assert labels == [
            "12:00  (Ana 15:00)", "12:30  (Ana 15:30)", "13:00  (Ana 16:00)", "13:30  (Ana 16:30)", "14:00  (Ana 17:00)"
        ]
        assert shown(form, "#when") == (
            "Thu 26 Nov 12:00–13:00  your time (America/Chicago)\n"
            "Thu 26 Nov 15:00–16:00  Ana's time (America/Sao_Paulo)"
        )


async def test_closing_the_form_books_nothing(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "martin")
        assert shown(form, "#cost") == "Estimated cost $110.00"
        await paste(pilot, ABOUT)
        await pilot.press("escape")
        await settle(app, pilot)
        # Something typed would be lost: the form asks first, and "Keep editing" keeps it.
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is form and form.query_one("#subject", Input).value == ABOUT
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("enter")  # Discard
        await settle(app, pilot)
        assert app.screen.query_one(MentorsPane)
    assert all(v.session.subject != ABOUT for v in await sessions_of(world, "sam", clock))


async def test_the_date_field_is_never_rewritten_while_typing(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "byron")
        date = form.query_one("#date", Input)
        assert date.value == "2026-11-24"  # filled once by the form: not the person's work
        assert not form.unsaved_changes()

        date.focus()
        await pilot.pause()
        await pilot.press(*"2026-12-0")  # key by key: the form must leave each state alone
        await settle(app, pilot)
        assert date.value == "2026-12-0"
        await pilot.press("up", "down")  # a half-typed date is left alone
        await settle(app, pilot)
        assert date.value == "2026-12-0"
        assert form.unsaved_changes()

        await pilot.press("ctrl+u")  # emptied by the person: still not refilled
        await settle(app, pilot)
        assert date.value == ""
        await pilot.press(*"2026-12-02")
        await settle(app, pilot)
        assert form.query_one("#start-slot", Select).value == utc(2, 9, month=12)
        await pilot.press("down")  # a valid date steps by a day
        await settle(app, pilot)
        assert date.value == "2026-12-03"
        assert form.query_one("#start-slot", Select).value == utc(3, 9, month=12)


async def test_the_form_holds_work_only_while_something_is_typed(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "okoro")
        assert form.work_title == "the booking form"
        assert not form.unsaved_changes()
        await pilot.press(*"Hooks")
        assert form.unsaved_changes()
        await pilot.press(*["backspace"] * 5)
        assert not form.unsaved_changes()
        await fill_in(pilot, "#start-time", "10:00")
        assert form.unsaved_changes()


async def test_a_message_clears_once_its_field_is_changed(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "okoro")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert set(errors(form)) == {"subject", "start"}
        assert shown(form, "#dialog-error")
        await pilot.press("W")
        await pilot.pause()
        assert set(errors(form)) == {"start"}  # only the changed field's message goes
        assert not shown(form, "#dialog-error")
