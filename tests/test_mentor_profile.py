"""The mentor's own profile form inside Settings: inline checks, saving, and what saving changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_mentor_support import SIZE, demo_mentor, find, move_to, open_section, settle
from textual.widgets import DataTable, Input, Static, TextArea

from mentor_tui.app import MentorApp
from mentor_tui.domain.models import SessionStatus
from mentor_tui.screens.dashboard import OverviewPane
from mentor_tui.screens.mentor_profile import MentorProfileForm, parse_rate, parse_tags
from mentor_tui.widgets.form_field import FormField


def error_of(form: MentorProfileForm, field: str) -> str:
    widget = form.query_one(f"#{field}", FormField)
    return str(widget.query_one(".form-field--error").render()) if widget.has_class("-has-error") else ""


def test_rates_and_tags_are_read_as_typed():
    assert parse_rate(" 45.50 ") == Decimal("45.50")
    assert parse_rate("$1,200") == Decimal(1200)
    assert parse_rate("") is None
    for wrong in ("abc", "NaN", "12.345", "Infinity"):
        with pytest.raises(ValueError):
            parse_rate(wrong)
    assert parse_tags("Python, testing ,, python, Django ") == ("Python", "testing", "Django")


async def test_the_form_shows_the_profile_refuses_bad_values_inline_and_keeps_them(clock):
    repo = await demo_mentor(clock)
    before = repo.current_user
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f5", MentorProfileForm)
        assert form.query_one("#profession-text", Input).value == before.profession
        assert form.query_one("#hourly_rate-text", Input).value == str(before.hourly_rate)
        assert form.query_one("#expertise-text", Input).value == ", ".join(before.expertise)
        assert form.query_one("#bio-text", TextArea).text == before.bio

        form.query_one("#hourly_rate-text", Input).value = "20000"
        form.query_one("#meeting_url-text", Input).value = "http://meet.example.org/maya"
        form.query_one("#hourly_rate-text", Input).focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert error_of(form, "hourly_rate") == "The hourly rate is from 0 to 10000."
        assert error_of(form, "meeting_url") == "Use an https:// address with a host name, and no spaces."
        assert error_of(form, "profession") == ""
        assert form.query_one("#hourly_rate-text", Input).value == "20000"
        assert form.query_one("#meeting_url-text", Input).value == "http://meet.example.org/maya"
        assert "Not saved" in str(form.query_one("#mentor-profile-message", Static).render())

        form.query_one("#hourly_rate-text", Input).value = "sixty"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "hourly_rate") == "Enter an amount like 60 or 45.50."

    assert (await repo.restore()) == before  # nothing was written


async def test_saving_updates_the_profile_and_the_next_confirmation_uses_the_room(clock):
    repo = await demo_mentor(clock)
    request = min(find(await repo.my_sessions(), status=SessionStatus.PENDING), key=lambda v: v.session.scheduled_time)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f5", MentorProfileForm)
        form.query_one("#profession-text", Input).value = "Principal Engineer"
        form.query_one("#hourly_rate-text", Input).value = "92.50"
        form.query_one("#expertise-text", Input).value = "Python, Testing, Mentoring"
        form.query_one("#bio-text", TextArea).text = "Twelve years of Python."
        form.query_one("#meeting_url-text", Input).value = "https://meet.jit.si/maya-okafor-room"
        form.query_one("#bio-text", TextArea).focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert not any(error_of(form, name) for name in ("hourly_rate", "meeting_url"))
        assert str(form.query_one("#mentor-profile-message", Static).render()).startswith("Saved.")
        saved = app.ctx.services.me
        assert saved.profession == "Principal Engineer"
        assert saved.hourly_rate == Decimal("92.50")
        assert saved.expertise == ("Python", "Testing", "Mentoring")
        assert saved.bio == "Twelve years of Python."
        assert (await repo.restore()).meeting_url == "https://meet.jit.si/maya-okafor-room"

        overview = await open_section(app, pilot, "f1", OverviewPane)
        move_to(overview.query_one("#pending", DataTable), request.session.id)
        await pilot.press("c")
        await settle(app, pilot)

    confirmed = next(find(await repo.my_sessions(), id=request.session.id)).session
    assert confirmed.meeting_link == "https://meet.jit.si/maya-okafor-room"
