"""The mentor's own profile form inside Settings: inline checks, saving, and what saving changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_mentor_support import (
    SIZE,
    demo_mentor,
    find,
    move_to,
    new_person,
    open_section,
    record_notifications,
    settle,
)
from textual import events
from textual.widgets import DataTable, Input, Static, TextArea

from mentor_tui.app import MentorApp
from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.models import Role, SessionStatus
from mentor_tui.domain.text import FIELDS
from mentor_tui.screens.mentor_profile import MentorProfileForm, parse_rate, parse_tags
from mentor_tui.screens.settings import SettingsPane
from mentor_tui.services.profiles import missing_sentence
from mentor_tui.widgets.form_field import FormField


def message(app) -> str:
    """The Settings pane's one result line."""
    return str(app.screen.query_one("#settings-message", Static).render())


def error_of(form: MentorProfileForm, field: str) -> str:
    widget = form.query_one(f"#{field}", FormField)
    return str(widget.query_one(".form-field--error").render()) if widget.has_class("-has-error") else ""


def test_rates_and_tags_are_read_as_typed():
    assert parse_rate(" 45.50 ") == Decimal("45.50")
    assert parse_rate("$45,50") == Decimal("45.50")
    assert parse_rate("") is None
    for wrong in ("abc", "NaN", "12.345", "Infinity", "1e3", "$1,200"):
        with pytest.raises(InvalidInput):
            parse_rate(wrong)
    assert parse_tags("Python, testing ,, python, Django ") == ("Python", "testing", "Django")


async def test_the_form_shows_the_profile_refuses_bad_values_inline_and_keeps_them(clock):
    repo = await demo_mentor(clock)
    before = await repo.restore()
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", MentorProfileForm)
        assert form.query_one("#profession-text", Input).value == before.profession
        assert form.query_one("#hourly_rate-text", Input).value == str(before.hourly_rate)
        assert form.query_one("#expertise-text", Input).value == ", ".join(before.expertise)
        assert form.query_one("#bio-text", TextArea).text == before.bio

        form.query_one("#hourly_rate-text", Input).value = "20000"
        form.query_one("#meeting_url-text", Input).value = "http://meet.example.org/maya"
        form.query_one("#hourly_rate-text", Input).focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert error_of(form, "hourly_rate") == "Enter an amount from 0 to 10000."
        assert error_of(form, "meeting_url") == "Use an https:// address with a host name, and no spaces."
        assert error_of(form, "profession") == ""
        assert form.query_one("#hourly_rate-text", Input).value == "20000"
        assert form.query_one("#meeting_url-text", Input).value == "http://meet.example.org/maya"
        assert "Not saved" in message(app)

        form.query_one("#hourly_rate-text", Input).value = "sixty"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "hourly_rate") == "Enter an amount like 60, 60.50 or 60,50, without thousands separators."

    assert (await repo.restore()) == before  # nothing was written


async def test_saving_updates_the_profile_and_the_next_confirmation_uses_the_room(clock):
    repo = await demo_mentor(clock)
    request = min(find(await repo.my_sessions(), status=SessionStatus.PENDING), key=lambda v: v.session.scheduled_time)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", MentorProfileForm)
        form.query_one("#profession-text", Input).value = "Principal Engineer"
        form.query_one("#hourly_rate-text", Input).value = "92.50"
        form.query_one("#expertise-text", Input).value = "Python, Testing, Mentoring"
        form.query_one("#bio-text", TextArea).text = "Twelve years of Python."
        form.query_one("#meeting_url-text", Input).value = "https://meet.jit.si/maya-okafor-room"
        form.query_one("#bio-text", TextArea).focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert not any(error_of(form, name) for name in ("hourly_rate", "meeting_url"))
        assert message(app).startswith("Saved.")
        saved = app.ctx.services.me
        assert saved.profession == "Principal Engineer"
        assert saved.hourly_rate == Decimal("92.50")
        assert saved.expertise == ("Python", "Testing", "Mentoring")
        assert saved.bio == "Twelve years of Python."
        assert (await repo.restore()).meeting_url == "https://meet.jit.si/maya-okafor-room"

        await app.ctx.services.confirm_session(request.session.id)

    confirmed = next(find(await repo.my_sessions(), id=request.session.id)).session
    assert confirmed.meeting_link == "https://meet.jit.si/maya-okafor-room"


async def test_one_save_stores_the_name_and_the_mentor_profile_together(clock):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", MentorProfileForm)
        pane = app.screen.query_one(SettingsPane)
        assert not pane.unsaved_changes() and not form.unsaved_changes()
        app.screen.query_one("#full-name", Input).value = "Maya O. Okafor"
        form.query_one("#profession-text", Input).value = "Principal Engineer"
        form.query_one("#hourly_rate-text", Input).value = "95,50"
        assert pane.unsaved_changes() and form.unsaved_changes()
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        saved = app.ctx.services.me
        assert (saved.full_name, saved.profession, saved.hourly_rate) == (
            "Maya O. Okafor", "Principal Engineer", Decimal("95.50")
        )
        assert message(app) == "Saved. Times now show in Europe/London. Students see your profile as shown."
        assert form.query_one("#hourly_rate-text", Input).value == "95.50"
        assert not pane.unsaved_changes() and not form.unsaved_changes()
    assert (await repo.restore()).full_name == "Maya O. Okafor"


async def test_a_refused_field_keeps_everything_typed_and_its_message_goes_once_changed(clock):
    repo = await demo_mentor(clock)
    before = await repo.restore()
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", MentorProfileForm)
        app.screen.query_one("#full-name", Input).value = "Maya Okafor-Chen"
        rate = form.query_one("#hourly_rate-text", Input)
        rate.value = "1e3"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "hourly_rate").startswith("Enter an amount like 60")
        assert rate.has_focus
        assert app.screen.query_one("#full-name", Input).value == "Maya Okafor-Chen"  # nothing saved, nothing lost
        assert app.ctx.services.me.full_name == before.full_name

        await pilot.press("backspace")
        await pilot.pause()
        assert error_of(form, "hourly_rate") == ""
        assert message(app) == ""  # "Not saved: fix the marked fields" is stale too


async def test_a_paste_over_the_bio_limit_is_cut_with_a_message(clock, monkeypatch):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    seen = record_notifications(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", MentorProfileForm)
        bio = form.query_one("#bio-text", TextArea)
        bio.text = ""
        bio.focus()
        await pilot.pause()
        app.post_message(events.Paste("b" * 2500))
        await pilot.pause()
        assert len(bio.text) == FIELDS["bio"].max_length
        assert (f"Pasted text was cut to {FIELDS['bio'].max_length} characters.", "warning") in seen
        assert form.unsaved_changes()


async def test_a_new_mentor_is_told_what_students_need_until_the_profile_has_it(clock):
    repo = await new_person(clock, "Nia Obi", Role.MENTOR)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_section(app, pilot, "f6", MentorProfileForm)
        missing = form.query_one("#profile-missing", Static)
        assert missing.display
        assert str(missing.render()) == missing_sentence(["profession", "hourly_rate", "expertise"])
        form.query_one("#profession-text", Input).value = "Data Engineer"
        form.query_one("#hourly_rate-text", Input).value = "$60"
        form.query_one("#expertise-text", Input).value = "SQL, Airflow"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not missing.display
        assert app.ctx.services.me.expertise == ("SQL", "Airflow")
