"""Booking rules on screen: the mentor sets them in Settings (80x24, ctrl+s, errors beside
the fields), the student's booking form offers only slots they allow and says which rule
hides the rest, and a late cancellation shows as late."""

from __future__ import annotations


from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    act_as,
    settle,
    signed_in_app,
    utc,
    world,
    world_template,
)
from test_mentor_support import demo_mentor, open_section
from test_student_booking import open_booking, pick_date, shown
from textual.widgets import Input, Select, Static

from mentor_tui.app import MentorApp
from mentor_tui.domain.booking_rules import BookingRules
from mentor_tui.domain.models import MentorSession, SessionStatus, SessionView
from mentor_tui.screens.settings_booking_rules import BookingRulesForm
from mentor_tui.widgets.form_field import FormField
from mentor_tui.widgets.status import status_line

RULES = {"min_notice_minutes": 720, "buffer_minutes": 15, "max_per_day": None, "max_per_week": None,
         "horizon_days": 730, "cancel_window_hours": 0, "request_expiry_hours": 48}


async def test_the_booking_form_offers_only_slots_the_notice_and_buffer_allow_and_says_why(world, clock):
    ada = await act_as(world, "ada", clock)
    await ada.save_booking_rules(RULES)
    await ada.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "byron")
        # Now is Tue 24 Nov 10:00 UTC; Ada keeps Mon-Fri 09:00-17:00 UTC: all of today is
        # within 12 hours, so nothing is offered and the line says why.
        await pick_date(app, pilot, form, "2026-11-24")
        select = form.query_one("#start-slot", Select)
        assert form._open_on_day == [] and select.prompt == "No open time that day"
        assert shown(form, "#hidden-why") == "Times before Tue 24 Nov 16:00 are hidden: Ada needs 12 hours' notice."
        # Mon 30 Nov: Sam's own request 15:00-16:00 UTC; 14:00 and 16:00 fall in the buffer.
        form.query_one("#date", Input).value = "2026-11-30"
        await settle(app, pilot)
        starts = [value for _, value in select._options if value in form._open_on_day]
        assert starts == form._open_on_day
        assert starts[0] == utc(30, 9) and starts[-1] == utc(30, 13, 30)  # a session ends by 17:00
        assert utc(30, 14) not in starts and utc(30, 16) not in starts
        assert shown(form, "#hidden-why") == "Some times are hidden: Ada keeps 15 minutes free around each session."
        # A day with no held session shows every open time, and no line.
        form.query_one("#date", Input).value = "2026-12-01"
        await settle(app, pilot)
        assert not form.query_one("#hidden-why", Static).display


async def test_a_mentor_saves_booking_rules_in_settings_at_80x24(clock):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", BookingRulesForm)
        await settle(app, pilot)
        assert form.query_one("#rule-min_notice_minutes-text", Input).value == "0"
        assert form.query_one("#rule-max_per_day-text", Input).value == ""
        form.query_one("#rule-buffer_minutes-text", Input).value = "300"
        form.query_one("#rule-max_per_day-text", Input).value = "two"
        form.query_one("#rule-buffer_minutes-text", Input).focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert form.query_one("#rule-buffer_minutes", FormField).has_class("-has-error")
        assert form.query_one("#rule-max_per_day", FormField).has_class("-has-error")
        assert (await app.ctx.services.booking_rules(app.ctx.me.id)) == BookingRules(mentor_id=app.ctx.me.id)

        form.query_one("#rule-buffer_minutes-text", Input).value = "15"
        form.query_one("#rule-max_per_day-text", Input).value = "3"
        form.query_one("#rule-min_notice_minutes-text", Input).value = "720"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not form.query_one("#rule-buffer_minutes", FormField).has_class("-has-error")
        saved = await app.ctx.services.booking_rules(app.ctx.me.id)
        assert (saved.min_notice_minutes, saved.buffer_minutes, saved.max_per_day) == (720, 15, 3)
        assert not form.unsaved_changes()
        # The form fits the width: its labels and fields are inside the 80 columns.
        assert form.region.right <= SIZE[0]


async def test_a_rules_hint_shows_while_its_field_is_edited_though_a_value_hides_the_placeholder(clock):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", BookingRulesForm)
        await settle(app, pilot)

        def hint(name: str) -> Static:
            return form.query_one(f"#rule-{name} .form-field--hint", Static)

        notice = form.query_one("#rule-min_notice_minutes-text", Input)
        assert notice.value == "0"  # its placeholder, the explanation, is hidden behind it
        assert hint("min_notice_minutes").region.area == 0
        notice.focus()
        await settle(app, pilot)
        assert hint("min_notice_minutes").region.area > 0
        assert str(hint("min_notice_minutes").content) == "Minutes' notice a booking needs (720 = 12 hours; 0 = none)"
        await pilot.press("tab")
        await settle(app, pilot)
        assert hint("min_notice_minutes").region.area == 0
        assert hint("buffer_minutes").region.area > 0


def test_the_status_line_says_late_and_expired():
    base = dict(id="x", mentor_id="m", student_id="s", subject="S", scheduled_time=utc(30, 9),
                duration_minutes=60, status=SessionStatus.CANCELLED, created_at=utc(20, 9), updated_at=utc(20, 9))
    late = MentorSession(**base, cancelled_by="s", cancellation_reason="Flu", cancelled_late=True)
    view = SessionView(session=late, mentor_name="Ada", student_name="Sam")
    assert status_line(view, "s").plain == "✕ Cancelled by you (late): Flu"
    expired = MentorSession(**base, cancellation_reason="expired")
    assert status_line(SessionView(session=expired, mentor_name="Ada", student_name="Sam"), "s").plain == (
        "✕ Cancelled: expired unanswered")


async def test_schedule_in_a_conversation_names_the_rule_that_refuses_the_time(world, clock):
    from test_messages import type_in_box
    from test_schedule_chat import open_with, problem_shown

    from mentor_tui.domain import messages

    ana = await act_as(world, "ana", clock)
    await ana.save_booking_rules(RULES | {"min_notice_minutes": 0, "buffer_minutes": 60})
    await ana.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        # Thu 26 Nov 12:15 in Chicago is 18:15 UTC: inside Ana's open times, 15 minutes after
        # the end of her confirmed call with Sam (17:00-18:00 UTC).
        await type_in_box(app, pilot, "/schedule thursday 12:15pm 30m Buffer")
        await pilot.press("enter")
        await settle(app, pilot)
        about = str(app.screen.query_one("#dialog-about", Static).render())
        assert messages.needs_buffer(60) in " ".join(about.split())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert problem_shown(app) == messages.needs_buffer(60)


async def test_a_hostile_mentor_name_in_the_hidden_times_line_is_shown_as_text(world, clock, tmp_path):
    import sqlite3

    from hostile_text import DATA_MARKERS, hostile

    ada = await act_as(world, "ada", clock)
    await ada.save_booking_rules(RULES)
    await ada.close()
    connection = sqlite3.connect(world.db_path)
    try:  # a name another client wrote straight into the table
        connection.execute("update user_profiles set full_name = ? where full_name = 'Ada Byron'",
                           (hostile(tmp_path, escapes_first=True) + " Byron",))
        connection.commit()
    finally:
        connection.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "byron")
        await pick_date(app, pilot, form, "2026-11-24")
        line = shown(form, "#hidden-why")
        assert line.startswith("Times before Tue 24 Nov 16:00 are hidden: ␛]52;c;aGVsbG8=␇")
        assert not any(marker in line for marker in DATA_MARKERS)
        assert app.is_running


async def test_a_late_cancel_in_the_dialog_asks_for_a_reason_and_is_marked_late(world, clock):
    from test_student_sessions import open_my_sessions, session_named

    from mentor_tui.domain import messages
    from mentor_tui.widgets.session_dialogs import ReasonDialog

    ana = await act_as(world, "ana", clock)
    await ana.save_booking_rules(RULES | {"min_notice_minutes": 0, "cancel_window_hours": 72})
    await ana.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)  # the first row: the confirmed call with Ana, in 55 hours
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        # Said up front, before anything is sent.
        about = " ".join(str(app.screen.query_one("#dialog-about", Static).content).split())
        assert messages.late_cancel_ahead(72) in about
        assert app.screen.query_one("#cancellation_reason", Input).placeholder == messages.REASON_NEEDED
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)  # refused inside the dialog
        said = " ".join(str(app.screen.query_one("#dialog-error", Static).content).split())
        assert said == messages.late_cancel_needs_reason(72)
        await pilot.press(*"Flu", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReasonDialog)
    cancelled = await session_named(world, "Pandas group-by", clock)
    assert (cancelled.status, cancelled.cancellation_reason, cancelled.cancelled_late) == (
        SessionStatus.CANCELLED, "Flu", True)


async def test_a_cancel_outside_the_window_keeps_the_reason_optional(world, clock):
    from test_student_sessions import open_my_sessions

    from mentor_tui.domain import messages
    from mentor_tui.widgets.session_dialogs import ReasonDialog

    ana = await act_as(world, "ana", clock)
    await ana.save_booking_rules(RULES | {"min_notice_minutes": 0, "cancel_window_hours": 24})
    await ana.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)  # the confirmed call with Ana, in 55 hours: outside 24
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        about = " ".join(str(app.screen.query_one("#dialog-about", Static).content).split())
        assert "Less than" not in about and "the reason if you give one" in about
        assert app.screen.query_one("#cancellation_reason", Input).placeholder == messages.REASON_OPTIONAL


def test_snapshot_of_the_late_cancel_dialog_at_80x24(world, clock, snap_compare):
    """Inside the mentor's window: the warning up front, the reason marked as needed, buttons in view."""
    import asyncio

    from test_student_snapshots import pressing, sams_app

    async def tighten() -> None:
        ana = await act_as(world, "ana", clock)
        await ana.save_booking_rules(RULES | {"min_notice_minutes": 0, "cancel_window_hours": 72})
        await ana.close()

    asyncio.run(tighten())
    assert snap_compare(sams_app(world, clock), terminal_size=SIZE, run_before=pressing("f3", "x"))


async def test_without_weekly_hours_a_typed_start_the_rules_refuse_says_why_as_typed(world, clock):
    """Ben keeps no weekly hours: the start is typed, and the rules' line follows it, before any send."""
    from mentor_tui.domain.models import BookingRequest

    ben = await act_as(world, "ben", clock)
    await ben.save_booking_rules(RULES | {"buffer_minutes": 0, "max_per_day": 1})
    await ben.close()
    sam = await act_as(world, "sam", clock)  # Mon 30 Nov, 14:00 in Chicago: Ben's one session that day
    await sam.create_session(BookingRequest(mentor_id=world.people["ben"].id, subject="Hooks",
                                            scheduled_time=utc(30, 20), duration_minutes=60))
    await sam.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_booking(app, pilot, "okoro")
        assert form.query_one("#start-time").display
        line = form.query_one("#hidden-why", Static)

        async def typed(day: str, start: str) -> None:
            form.query_one("#date", Input).value = day
            form.query_one("#start-time", Input).value = start
            await settle(app, pilot)

        await typed("2026-11-24", "12:00")  # 18:00 UTC, inside twelve hours' notice of 10:00 UTC
        assert line.display
        assert shown(form, "#hidden-why") == "Times before Tue 24 Nov 16:00 are hidden: Ben needs 12 hours' notice."
        await typed("2026-11-30", "13:00")
        assert shown(form, "#hidden-why") == "No times this day: Ben takes at most 1 sessions a day."
        await typed("2026-12-01", "13:00")  # a day with nothing held: no line
        assert not line.display
        assert not form.query_one("#start-error", Static).content  # nothing was sent
