"""Issue 14's "Done when" for booking rules, on the embedded backend (the demo data) and
through the Supabase gateway (demo-like people): the mentor sets a 12-hour notice and a
15-minute buffer in Settings, and the student's booking form offers only the slots that
respect them, and says which rule hid the others.

The terminals are those of tests/test_done_when_chat.py (Sam Rivera books Sofia Rossi).
"""

from __future__ import annotations

from datetime import timedelta

from test_done_when_chat import STUDENT_ZONE, project_url, settle, terminals  # noqa: F401 (fixtures)
from test_mentor_support import open_section
from textual.widgets import Input, Static

from mentor_tui.domain import booking_rules
from mentor_tui.domain.booking_rules import Hidden
from mentor_tui.domain.models import BookingRequest
from mentor_tui.domain.slots import open_slots
from mentor_tui.screens.booking import BookingScreen
from mentor_tui.screens.settings_booking_rules import BookingRulesForm
from pilot_support import paste

SIZE = (80, 24)


async def test_a_mentors_notice_and_buffer_shape_the_students_booking_form(terminals):  # noqa: F811
    # The mentor, in Settings: 12 hours' notice, 15 minutes around each session.
    async with terminals.mentor.run_test(size=SIZE) as pilot:
        form = await open_section(terminals.mentor, pilot, "f6", BookingRulesForm)
        await settle(terminals.mentor, pilot)
        form.query_one("#rule-min_notice_minutes-text", Input).value = "720"
        form.query_one("#rule-buffer_minutes-text", Input).value = "15"
        await pilot.press("ctrl+s")
        await settle(terminals.mentor, pilot)
        mentor_id = terminals.mentor.ctx.me.id
        assert not form.unsaved_changes()

    async with terminals.student.run_test(size=SIZE) as pilot:
        app = terminals.student
        await settle(app, pilot)
        services = app.ctx.services
        rules = await services.booking_rules(mentor_id)
        assert (rules.min_notice_minutes, rules.buffer_minutes) == (720, 15)
        # A session the student already holds with the mentor, a day or more ahead.
        mentor = (await services.get_mentor(mentor_id)).profile
        now = services.now()
        windows = await services.get_availability(mentor_id)
        ahead = now + timedelta(days=14)
        starts = open_slots(windows, mentor.zone, now + timedelta(days=1), ahead, 60,
                            await services.busy_times(mentor_id, now, ahead), now)
        held_start = starts[0]
        await services.create_session(BookingRequest(
            mentor_id=mentor_id, subject="Held", scheduled_time=held_start, duration_minutes=60))

        await paste(pilot, "rossi")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        booking = app.screen
        assert isinstance(booking, BookingScreen)
        day = held_start.astimezone(STUDENT_ZONE).date()
        booking.query_one("#date", Input).value = day.isoformat()
        await settle(app, pilot)

        margin = timedelta(days=booking_rules.CONTEXT_DAYS)
        held = await services.mentor_held_times(mentor_id, now - margin, ahead + margin)
        offered = booking._open_on_day
        assert offered, "the day has open times the rules allow"
        for start in offered:
            assert start >= now + timedelta(hours=12)
            assert booking_rules.refusal(rules, start, 60, held, mentor.zone, now) is None
        # The times touching the held session are free of it, yet inside its buffer: hidden, and said why.
        touching = {held_start - timedelta(hours=1), held_start + timedelta(hours=1)}
        hidden_here = [s for s in booking._hidden.get(Hidden.BUFFER, []) if s.astimezone(STUDENT_ZONE).date() == day]
        assert hidden_here and set(hidden_here) <= touching
        assert not touching & set(offered)
        line = str(booking.query_one("#hidden-why", Static).content)
        assert line.endswith("keeps 15 minutes free around each session.")
