"""The issue's "done when", from the keyboard on the demo data: find a Python mentor by typing,
book an open slot next week, see it pending, cancel it, and rate a past session."""

from __future__ import annotations

from datetime import timedelta

from student_support import SIZE, settle
from textual.widgets import DataTable, Input, Select

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import SessionStatus
from mentor_tui.repository.demo import DEMO_PASSWORD, seed_demo
from mentor_tui.repository.local import LocalRepository
from mentor_tui.screens.booking import BookingScreen
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.session_dialogs import RatingDialog, ReasonDialog
from pilot_support import paste

STUDENT = "sam@demo.mentor-tui.dev"


def cells(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_find_book_see_pending_cancel_and_rate_without_a_mouse(clock):
    db_path = paths.default_db_path()
    seed_demo(db_path, clock.now())
    repo = LocalRepository(db_path, paths.state_dir(), clock)
    await repo.sign_in(STUDENT, DEMO_PASSWORD)
    before = {v.session.id for v in await repo.my_sessions()}
    await repo.close()

    app = MentorApp(LocalRepository(db_path, paths.state_dir(), clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await paste(pilot, "python")
        await settle(app, pilot)
        assert cells(app, "mentor-table")

        await pilot.press("ctrl+n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingScreen) and "Python" in form.mentor.profile.expertise
        await paste(pilot, "Review my test suite")
        await pilot.press("tab")
        # ↓ in the date field walks day by day into next week, to a day with open times.
        next_week = clock.now().astimezone(app.ctx.services.me.zone).date() + timedelta(days=7)
        while form.query_one("#date", Input).value < next_week.isoformat() or not form._open_on_day:
            await pilot.press("down")
            await settle(app, pilot)
        chosen = form.query_one("#start-slot", Select).value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, BookingScreen)

        await pilot.press("f3")
        await settle(app, pilot)
        upcoming = cells(app, "upcoming")
        mine = [row for row in upcoming if row[2].startswith("Review my")]
        assert len(mine) == 1 and mine[0][-1] == "◷ Pending"
        table = app.screen.query_one("#upcoming", DataTable)
        while not table.get_row_at(table.cursor_row)[2].plain.startswith("Review my"):
            await pilot.press("down")
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # in the reason box: confirm without a reason
        await settle(app, pilot)
        assert not [row for row in cells(app, "upcoming") if row[2].startswith("Review my")]

        await pilot.press("tab")  # the past list: rate the first completed session not rated yet
        past = app.screen.query_one("#past", DataTable)
        for _ in range(past.row_count):
            if "How was it?" in app.screen.query_one(SessionDetail).text:
                break
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, RatingDialog)
        rated_id = app.screen.view.session.id
        await pilot.press("5", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, RatingDialog)

    repo = LocalRepository(db_path, paths.state_dir(), clock)
    await repo.restore()
    sessions = {v.session.id: v.session for v in await repo.my_sessions()}
    await repo.close()
    (new_id,) = set(sessions) - before
    booked = sessions[new_id]
    assert booked.status is SessionStatus.CANCELLED and booked.scheduled_time == chosen
    assert booked.scheduled_time.astimezone(app.ctx.services.me.zone).date() >= next_week
    assert sessions[rated_id].rating == 5
