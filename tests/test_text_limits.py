"""Every person-written field has one longest length (``domain.text.FIELDS``): the domain
rules accept exactly that many characters and refuse one more, naming the field, and the
embedded backend refuses the longer value through the services.
(The Supabase CHECK constraints are held to the same table by the SQL tests.)"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from types import SimpleNamespace

import pytest
from test_domain_text_rules import field_errors
from test_local_repository import PASSWORD, cheap_hashing  # noqa: F401 - an autouse fixture

from mentor_tui.domain import rules
from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.models import BookingRequest, ProfileUpdate, Role
from mentor_tui.domain.text import EXPERTISE_MAX_TAGS, FIELDS
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services

URL_FIELDS = ("meeting_url", "meeting_link")
PROFILE_FIELDS = ("full_name", "profession", "experience", "bio", "meeting_url")
SESSION_FIELDS = ("subject", "notes", "feedback", "review", "cancellation_reason", "meeting_link")


def test_the_table_is_the_one_the_issue_names():
    limits = {name: spec.max_length for name, spec in FIELDS.items()}
    assert limits == {
        "full_name": 100, "subject": 100, "notes": 2000, "bio": 2000, "feedback": 2000, "review": 1000,
        "cancellation_reason": 500, "profession": 100, "experience": 100, "expertise": 40,
        "meeting_url": 500, "meeting_link": 500, "body": 4000, "review_reply": 1000, "summary": 10000,
        "reason": 500, "note": 500,
    }
    assert EXPERTISE_MAX_TAGS == 20
    assert set(FIELDS) == {*PROFILE_FIELDS, *SESSION_FIELDS, "expertise", "body", "review_reply", "summary", "reason", "note"}


def value_of(name: str, length: int) -> str:
    """A value for field ``name`` that is valid apart from being ``length`` characters long."""
    if name in URL_FIELDS:
        prefix = "https://meet.example.org/"
        return prefix + "r" * (length - len(prefix))
    return "x" * length


@pytest.mark.parametrize("name", list(FIELDS))
def test_the_domain_accepts_the_limit_and_refuses_one_more(name):
    limit = FIELDS[name].max_length
    assert field_errors(name, value_of(name, limit)) == {}
    assert field_errors(name, value_of(name, limit + 1)) == {name: f"Keep the {FIELDS[name].label} to {limit} characters."}


def test_the_domain_counts_expertise_tags():
    tags = tuple(f"tag {n}" for n in range(EXPERTISE_MAX_TAGS))
    assert rules.profile_errors(ProfileUpdate(expertise=tags)) == {}
    assert list(rules.profile_errors(ProfileUpdate(expertise=(*tags, "one more")))) == ["expertise"]


# --- the embedded backend -----------------------------------------------------------------------


@pytest.fixture
async def world(tmp_path, clock):
    db_path = tmp_path / "data" / "mentor.db"
    repos = [Services(LocalRepository(db_path, tmp_path / "state" / who, clock), clock) for who in ("mentor", "student")]
    mentor, student = repos
    await mentor.sign_up("mentor@example.org", PASSWORD, "Mentor", Role.MENTOR)
    await student.sign_up("student@example.org", PASSWORD, "Student", Role.STUDENT)
    yield SimpleNamespace(mentor=mentor, student=student, clock=clock, db_path=db_path, bookings=0)
    for repo in repos:
        await repo.close()


def booking_request(w, **fields) -> BookingRequest:
    """A request for an hour tomorrow, a later hour each time (so no two collide)."""
    assert w.mentor.me is not None
    w.bookings += 1
    values = {"subject": "Python", "notes": None, **fields}
    return BookingRequest(
        mentor_id=w.mentor.me.id, scheduled_time=w.clock.now() + timedelta(days=1, hours=w.bookings),
        duration_minutes=60, **values,
    )


async def write(w, name: str, value: str) -> None:
    """Write ``value`` into field ``name`` the way the app does, through the services."""
    if name == "expertise":
        await w.mentor.update_profile(ProfileUpdate(expertise=(value,)))
    elif name in PROFILE_FIELDS:
        await w.mentor.update_profile(ProfileUpdate.model_validate({name: value}))
    elif name in ("subject", "notes"):
        await w.student.create_session(booking_request(w, **{name: value}))
    else:
        booked = await w.student.create_session(booking_request(w))
        if name == "body":
            await w.student.send_message(booked.mentor_id, value)
            return
        if name == "cancellation_reason":
            await w.student.cancel_session(booked.id, value)
            return
        if name == "meeting_link":
            await w.mentor.confirm_session(booked.id, value)
            return
        await w.mentor.confirm_session(booked.id, "")
        if name == "reason":
            await w.student.propose_reschedule(booked.id, booked.scheduled_time + timedelta(minutes=30), value)
            return
        w.clock.advance(timedelta(days=2))
        if name == "note":
            await w.mentor.mark_no_show(booked.id, value)
            return
        if name == "feedback":
            await w.mentor.complete_session(booked.id, value)
            return
        if name == "summary":
            await w.mentor.save_session_notes(booked.id, value)
            return
        await w.mentor.complete_session(booked.id)
        if name == "review_reply":
            await w.student.rate_session(booked.id, 5)
            await w.mentor.reply_to_review(booked.id, value)
            return
        await w.student.rate_session(booked.id, 5, value)


def stored(w, name: str) -> list[object]:
    """Every value the database holds in the column of field ``name``."""
    tables = {"body": "mentor_messages", "summary": "session_notes", "review_reply": "mentor_sessions",
              "reason": "session_reschedules", "note": "session_no_shows"}
    table = tables.get(name) or ("mentor_sessions" if name in SESSION_FIELDS else "user_profiles")
    with sqlite3.connect(w.db_path) as conn:
        values = [row[0] for row in conn.execute(f"select {name} from {table}")]
    if name == "expertise":
        return [tag for tags in values for tag in json.loads(tags)]
    return values


@pytest.mark.parametrize("name", list(FIELDS))
async def test_the_embedded_backend_stores_the_limit_and_refuses_one_more(world, name):
    limit = FIELDS[name].max_length
    too_long = value_of(name, limit + 1)
    with pytest.raises(InvalidInput) as caught:
        await write(world, name, too_long)
    assert caught.value.field == name
    assert too_long not in stored(world, name)

    at_limit = value_of(name, limit)
    await write(world, name, at_limit)
    assert at_limit in stored(world, name)


async def test_the_embedded_backend_refuses_a_long_name_at_sign_up(tmp_path, clock):
    repo = Services(LocalRepository(tmp_path / "x.db", tmp_path / "state", clock), clock)
    try:
        with pytest.raises(InvalidInput) as caught:
            await repo.sign_up("ann@example.org", PASSWORD, "A" * 5000, Role.STUDENT)
        assert caught.value.field == "full_name"
        assert not (tmp_path / "x.db").exists()  # refused before the database was opened
    finally:
        await repo.close()


async def test_the_embedded_backend_counts_expertise_tags(world):
    tags = tuple(f"tag {n}" for n in range(EXPERTISE_MAX_TAGS))
    with pytest.raises(InvalidInput) as caught:
        await world.mentor.update_profile(ProfileUpdate(expertise=(*tags, "one more")))
    assert caught.value.field == "expertise"
    profile = await world.mentor.update_profile(ProfileUpdate(expertise=(*tags, "TAG 0")))
    assert profile.expertise == tags


HOSTILE = {
    "osc52": "\x1b]52;c;aGVsbG8=\x07",
    "csi": "\x1b[6n",
    "alternate-screen": "\x1b[?1049l",
    "bel": "\x07",
    "cr": "\r",
    "rtl-override": "\u202e",
}


@pytest.mark.parametrize("control", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("name", list(FIELDS))
async def test_the_embedded_backend_refuses_terminal_controls(world, name, control):
    value = value_of(name, 30) + control + "x"
    with pytest.raises(InvalidInput) as caught:
        await write(world, name, value)
    assert caught.value.field == name
    assert not any(isinstance(v, str) and control in v for v in stored(world, name))


@pytest.mark.parametrize("name", [n for n in FIELDS if n not in URL_FIELDS])
async def test_the_embedded_backend_stores_markup_as_typed(world, name):
    value = "[@click=app.quit]x[/]"
    await write(world, name, value)
    assert value in stored(world, name)
