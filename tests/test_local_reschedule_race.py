"""SQLite: a reschedule's acceptance and a new booking of the same slot, made at once by two
connections on one file (two processes' worth), never both win: each writes under BEGIN
IMMEDIATE with the overlap triggers of 012 and 014 as the second line."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, time, timedelta

import pytest
from test_local_repository import PASSWORD, cheap_hashing  # noqa: F401 - an autouse fixture

from mentor_tui.domain.errors import SlotTaken
from mentor_tui.domain.models import BookingRequest, MentorSession, Role, SessionStatus
from mentor_tui.domain.reschedule import RescheduleStatus
from mentor_tui.repository.local import LocalRepository, create_account, insert_session
from mentor_tui.repository.sqlite_file import connect
from mentor_tui.services import Services

ROUNDS = 6


async def test_an_acceptance_racing_a_booking_for_the_same_slot_has_exactly_one_winner(tmp_path, clock):
    db_path = tmp_path / "mentor.db"
    mentor, student, rival = (
        Services(LocalRepository(db_path, tmp_path / who, clock), clock) for who in ("mentor", "student", "rival")
    )
    await mentor.sign_up("mentor@example.org", PASSWORD, "Mentor", Role.MENTOR)
    await student.sign_up("student@example.org", PASSWORD, "Student", Role.STUDENT)
    await rival.sign_up("rival@example.org", PASSWORD, "Rival", Role.STUDENT)
    for weekday in range(7):
        await mentor.set_availability(weekday, time(0), time(23, 45))
    day = clock.now() + timedelta(days=2)
    for round_ in range(ROUNDS):
        start = datetime.combine(day.date() + timedelta(days=round_), time(9), tzinfo=day.tzinfo)
        target = start + timedelta(hours=4)
        session = await student.create_session(
            BookingRequest(mentor_id=mentor.me.id, subject="Move me", scheduled_time=start, duration_minutes=60)
        )
        await mentor.confirm_session(session.id)
        asked = await student.propose_reschedule(session.id, target, "Clash")
        accept = mentor.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
        booking = rival.create_session(
            BookingRequest(mentor_id=mentor.me.id, subject="Take it", scheduled_time=target, duration_minutes=60)
        )
        moved, booked = await asyncio.gather(accept, booking, return_exceptions=True)
        outcomes = [isinstance(moved, SlotTaken), isinstance(booked, SlotTaken)]
        assert sorted(outcomes) == [False, True], (moved, booked)
        held = [
            v.session for v in await mentor.my_sessions()
            if v.session.status in (SessionStatus.PENDING, SessionStatus.CONFIRMED) and v.session.scheduled_time == target
        ]
        assert len(held) == 1
        assert (held[0].id == session.id) == (not outcomes[0])  # the winner holds the slot
    for services in (mentor, student, rival):
        await services.close()


def test_no_session_moves_without_an_open_request_naming_the_move(tmp_path, clock):
    """The schema's second line for any writer of the file: a plain UPDATE of the time is refused."""
    conn = connect(tmp_path / "mentor.db")
    now = clock.now()
    mentor, student = (
        create_account(conn, email=f"{who}@example.org", password=PASSWORD, full_name=who, role=role, now=now)
        for who, role in (("m", Role.MENTOR), ("s", Role.STUDENT))
    )
    insert_session(conn, MentorSession(
        id="x", mentor_id=mentor.id, student_id=student.id, subject="S", scheduled_time=now + timedelta(days=1),
        duration_minutes=60, status=SessionStatus.CONFIRMED, created_at=now, updated_at=now,
    ))
    with pytest.raises(sqlite3.IntegrityError, match="moves only by an accepted request"):
        conn.execute("update mentor_sessions set scheduled_time = ? where id = 'x'",
                     ((now + timedelta(days=2)).isoformat(),))
    conn.close()
