"""Every repository call the screens make, on a scale_data database, as its busy mentor
and its seven-session student: what the query-plan tests record and check, and what
``benchmarks/scale.py`` times.

Plain module (tests/ is on sys.path): ``import scale_calls``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import psycopg

from mentor_tui.domain.models import BookingRequest, MentorOrder, ProfileUpdate, SessionStatus
from mentor_tui.repository.base import Storage
from scale_data import People

PASSWORD = "scale-data-password"


def email(user_id: str) -> str:
    return f"{user_id}@example.org"


@dataclass(frozen=True)
class Read:
    """A read a screen makes, safe to repeat: ``who`` is "mentor" or "student"."""

    name: str
    who: str
    run: Callable[[Storage], Awaitable[object]]


def reads(people: People, now: datetime) -> list[Read]:
    week = now.replace(hour=0, minute=0, second=0, microsecond=0)
    mentor, student = people.busy_mentor, people.seven_student
    partner = people.busy_student(0)
    return [
        Read("restore", "student", lambda repo: repo.restore()),
        Read("my_sessions (7 sessions)", "student", lambda repo: repo.my_sessions()),
        Read("my_sessions (busy mentor)", "mentor", lambda repo: repo.my_sessions()),
        Read("mentor_students (busy mentor)", "mentor", lambda repo: repo.mentor_students()),
        Read("mentor_totals (busy mentor)", "mentor", lambda repo: repo.mentor_totals()),
        Read("list_mentors (directory tab)", "student", lambda repo: repo.list_mentors("", None, MentorOrder.NAME, 200)),
        Read("list_mentors (search, by rating)", "student",
             lambda repo: repo.list_mentors("mentor 0004", None, MentorOrder.RATING, 200)),
        Read("list_mentors (tag, by rate)", "student", lambda repo: repo.list_mentors("", "rust", MentorOrder.RATE, 200)),
        Read("expertise_tags", "student", lambda repo: repo.expertise_tags()),
        Read("get_mentor", "student", lambda repo: repo.get_mentor(mentor)),
        Read("mentor_reviews", "student", lambda repo: repo.mentor_reviews(mentor, 20)),
        Read("get_availability", "student", lambda repo: repo.get_availability(mentor)),
        Read("busy_times (a week)", "student", lambda repo: repo.busy_times(mentor, week, week + timedelta(days=7))),
        Read("busy_times (mentor's week)", "mentor", lambda repo: repo.busy_times(mentor, week, week + timedelta(days=7))),
        Read("conversations (busy mentor)", "mentor", lambda repo: repo.conversations()),
        Read("thread", "mentor", lambda repo: repo.thread(mentor, partner, 50, None)),
        Read("thread (older)", "mentor", lambda repo: repo.thread(mentor, partner, 50, now)),
        Read("proposals", "mentor", lambda repo: repo.proposals(mentor, partner)),
        Read("notifications", "mentor", lambda repo: repo.notifications(50)),
        Read("unread_notifications", "mentor", lambda repo: repo.unread_notifications()),
        Read("conversations (student)", "student", lambda repo: repo.conversations()),
        Read("notifications (student)", "student", lambda repo: repo.notifications(50)),
        Read("change_token", "student", lambda repo: repo.change_token()),
    ]


def _accept(*_: object) -> None:
    """A services check that lets everything through: the plans are what is looked at here."""


async def writes(mentor: Storage, student: Storage, people: People, now: datetime) -> None:
    """Each write a screen makes, once, as it would: booking, cancelling, a message, a
    proposal accepted, a weekly window added and removed, reading marks, a profile edit."""
    start = (now + timedelta(days=400)).replace(hour=9, minute=0, second=0, microsecond=0)
    booked = await student.create_session(
        BookingRequest(mentor_id=people.busy_mentor, subject="Scale", scheduled_time=start, duration_minutes=60),
        _accept,
    )
    assert await student.get_session(booked.id) is not None
    await mentor.write_session(booked.id, SessionStatus.PENDING, {"status": SessionStatus.CONFIRMED})
    await student.send_message(people.busy_mentor, people.seven_student, "Hello", _accept, session_id=booked.id)
    await mentor.mark_thread_read(people.busy_mentor, people.seven_student)
    proposal = await mentor.create_proposal(
        people.seven_student, "Next", start + timedelta(days=7), 60, "https://meet.example.org/x", _accept
    )
    accepted = await student.accept_proposal(proposal.id, _accept)
    for session_id in (booked.id, accepted.id):  # nothing held is left behind: the writes can run again
        await student.write_session(
            session_id, SessionStatus.CONFIRMED, {"status": SessionStatus.CANCELLED, "cancellation_reason": "Moved"}
        )
    slot = await mentor.save_availability(2, time(9), time(12), None, _accept)
    assert slot is not None
    await mentor.save_availability(2, time(9), time(13), slot.id, _accept)
    await mentor.delete_availability(slot.id)
    await student.mark_notifications_read(None)
    notes = await mentor.notifications(5)
    await mentor.mark_notifications_read([n.id for n in notes])
    await student.update_profile(ProfileUpdate(bio="Learning at scale"))


def open_gateway_sign_in(admin: psycopg.Connection, people: People) -> None:
    """Let the busy mentor and the seven-session student sign in through the test gateway's
    GoTrue with ``PASSWORD`` (the bulk load gives nobody a password)."""
    from gateway.gotrue import _hash

    admin.execute(
        "update auth.users set encrypted_password = %s, email_confirmed_at = now() where id in (%s, %s)",
        (_hash(PASSWORD), people.busy_mentor, people.seven_student),
    )
