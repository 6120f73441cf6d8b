"""A database whose every person-written column holds hostile text, written straight with sqlite3.

What a hostile person (or another client, or a hand edit) can leave in a row: markup that
would crash a screen or become a live action, terminal control sequences (OSC 52 clipboard
writes, OSC 0 titles, OSC 8 links, CSI device queries, leaving the alternate screen), BEL,
CR, a right-to-left override, an 8-bit CSI and a 10,000-character value. The rows are made
through the repository first (so they are well formed), then overwritten with sqlite3,
CHECK constraints and triggers out of the way: the app's rules are bypassed, as they are
when the web app or PostgREST writes.

Two more sessions get stored times the app cannot use ('infinity', the year 20000).
Each of the two has written to the other, and the notifications' excerpts are hostile too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from clocks import FixedClock
from mentor_tui.domain.models import NOTIFICATION_DETAIL_MAX, BookingRequest, ProfileUpdate, Role
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services

PASSWORD = "correct horse battery"
MENTOR_EMAIL = "mentor@example.org"
STUDENT_EMAIL = "student@example.org"

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
OSC0 = "\x1b]0;owned\x07"
OSC8 = "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
CSI_QUERY = "\x1b[6n"
LEAVE_ALT_SCREEN = "\x1b[?1049l"
C1_CSI = "\x9b31m"
RLO = "\u202e"

SEQUENCES = (OSC52, OSC0, OSC8, CSI_QUERY, LEAVE_ALT_SCREEN, "\x07", "\r", RLO, C1_CSI)

DATA_MARKERS = ("\x1b]52;c;aGVsbG8=", "\x1b]0;owned", "\x1b]8;;https://evil", "\x1b[6n", "\x1b[?1049l", "\x9b31m")
"""How the data's sequences would look on the wire had they reached the terminal as bytes."""

LONG_LENGTH = 10_000


def markup(screenshot_dir: Path) -> tuple[str, ...]:
    """Markup that would crash a screen or run an action; the screenshot one would write into ``screenshot_dir``."""
    return (
        f"[@click=app.screenshot('x.db','{screenshot_dir}')]Name[/]",
        "[@click=app.quit]Quit[/]",
        "Mentor [/] Name",
        "[bold]x",
        "[/]",
    )


def hostile(screenshot_dir: Path, *, escapes_first: bool = False) -> str:
    """One value holding every hostile piece: clickable markup first, so a click lands on it, or
    the control sequences first, so even a narrow table cell holds them."""
    pieces = (*SEQUENCES, *markup(screenshot_dir)) if escapes_first else (*markup(screenshot_dir), *SEQUENCES)
    return " ".join((*pieces, "end"))


def long_hostile(screenshot_dir: Path) -> str:
    text = hostile(screenshot_dir)
    return text + "x" * (LONG_LENGTH - len(text))


@dataclass
class HostileWorld:
    db_path: Path
    screenshot_dir: Path
    mentor_id: str = ""
    student_id: str = ""
    sessions: dict[str, str] = field(default_factory=dict)
    """Session ids by what happened to them."""


async def build_hostile_world(db_path: Path, screenshot_dir: Path, now: datetime) -> HostileWorld:
    """A mentor and a student with sessions in every state around ``now``, then the hostile text."""
    world = HostileWorld(db_path, screenshot_dir)
    setup = FixedClock(now - timedelta(days=20))
    mentor = Services(LocalRepository(db_path, db_path.parent / "state-mentor", setup), setup)
    student = Services(LocalRepository(db_path, db_path.parent / "state-student", setup), setup)
    day = now.replace(hour=10, minute=0, second=0, microsecond=0)

    async def started(session_id: str) -> None:
        setup.advance(now - setup.now())

    try:
        await make_people_and_sessions(world, mentor, student, day, day - timedelta(days=5), started)
    finally:
        await mentor.close()
        await student.close()
    _write_hostile_text(world)
    return world


async def make_people_and_sessions(
    world: HostileWorld,
    mentor: Services,
    student: Services,
    day: datetime,
    completed_start: datetime,
    started: Callable[[str], Awaitable[None]],
) -> None:
    """Through the services: the mentor and the student signed up, and one session in each
    state, the future ones on the days after ``day``; ``started(session_id)`` makes time pass
    until the session booked at ``completed_start`` has begun, so it can be completed."""
    world.mentor_id = (await mentor.sign_up(MENTOR_EMAIL, PASSWORD, "Mentor", Role.MENTOR)).id
    await mentor.update_profile(
        ProfileUpdate(profession="Engineer", experience="5 years", expertise=("Python",), bio="Bio")
    )
    for weekday in range(7):
        await mentor.set_availability(weekday, time(0), time(23, 45))
    world.student_id = (await student.sign_up(STUDENT_EMAIL, PASSWORD, "Student", Role.STUDENT)).id

    async def book(name: str, start: datetime) -> str:
        request = BookingRequest(
            mentor_id=world.mentor_id, subject=name, scheduled_time=start, duration_minutes=60, notes="notes"
        )
        world.sessions[name] = (await student.create_session(request)).id
        return world.sessions[name]

    done = await book("completed", completed_start)
    await mentor.confirm_session(done, "https://meet.example/done")
    await book("pending", day + timedelta(days=2))
    confirmed = await book("confirmed", day + timedelta(days=3))
    await mentor.confirm_session(confirmed, "https://meet.example/room")
    cancelled = await book("cancelled", day + timedelta(days=4))
    await student.cancel_session(cancelled, "reason")
    await book("invalid-pending", day + timedelta(days=5))
    infinite = await book("invalid-confirmed", day + timedelta(days=6))
    await mentor.confirm_session(infinite, "https://meet.example/later")
    await started(done)
    await mentor.complete_session(done, "feedback")
    await student.rate_session(done, 5, "review")
    # What issue 14 adds beside a session: the mentor's reply and notes, a no-show, a request to move.
    await mentor.reply_to_review(done, "reply")
    await mentor.save_session_notes(done, "summary\n- [ ] an action item")
    await mentor.mark_no_show(done, "note")
    await student.propose_reschedule(confirmed, day + timedelta(days=3, hours=2), "reason")
    await student.send_message(world.mentor_id, "from the student")
    await mentor.send_message(world.student_id, "from the mentor")


BESIDE_SESSIONS = {
    "review_reply": "REPLY ", "summary": "SUMMARY ", "no_show_note": "ABSENT ", "reschedule_reason": "MOVE ",
}
"""The hostile values written beside sessions begin with these words, so a sweep can tell it
showed each of them."""


def summary_markdown(text: str) -> str:
    """Hostile Markdown for session notes: the text, a script link and an action item."""
    return f"{BESIDE_SESSIONS['summary']}{text}\n\n[click me](javascript:alert(1))\n\n- [ ] {text}"


def _write_hostile_text(world: HostileWorld) -> None:
    text = hostile(world.screenshot_dir)
    escapes = hostile(world.screenshot_dir, escapes_first=True)
    long = long_hostile(world.screenshot_dir)
    conn = sqlite3.connect(world.db_path)
    try:
        conn.execute("pragma ignore_check_constraints = on")
        triggers = conn.execute("select name, sql from sqlite_master where type = 'trigger'").fetchall()
        for name, _ in triggers:
            conn.execute(f'drop trigger "{name}"')
        profile = {
            "full_name": long,
            "profession": escapes,
            "experience": text,
            "bio": long,
            "expertise": json.dumps([escapes, "[@click=app.quit]tag[/]", long]),
            "meeting_url": "https://room.example/" + text,
        }
        conn.execute(
            "update user_profiles set " + ", ".join(f"{column} = ?" for column in profile) + " where id = ?",
            (*profile.values(), world.mentor_id),
        )
        conn.execute("update user_profiles set full_name = ? where id = ?", (escapes, world.student_id))
        session = {
            "subject": long,
            "notes": long,
            "feedback": long,
            "review": escapes,
            "cancellation_reason": escapes,
            "meeting_link": "https://evil.example/" + text,
        }
        conn.execute(
            "update mentor_sessions set " + ", ".join(f"{column} = ?" for column in session),
            tuple(session.values()),
        )
        conn.execute("update mentor_sessions set review_reply = ?", (BESIDE_SESSIONS["review_reply"] + escapes,))
        conn.execute("update session_notes set summary = ?", (summary_markdown(escapes),))
        conn.execute("update session_no_shows set note = ?", (BESIDE_SESSIONS["no_show_note"] + escapes,))
        conn.execute("update session_reschedules set reason = ?", (BESIDE_SESSIONS["reschedule_reason"] + escapes,))
        conn.execute("update mentor_sessions set scheduled_time = 'infinity' where id = ?",
                     (world.sessions["invalid-pending"],))
        conn.execute("update mentor_sessions set scheduled_time = '20000-01-01T10:00:00+00:00' where id = ?",
                     (world.sessions["invalid-confirmed"],))
        conn.execute("update mentor_students set subjects = ?", (json.dumps([escapes, long]),))
        conn.execute("update mentor_messages set body = case when sender_id = ? then ? else ? end",
                     (world.student_id, long, escapes))
        # Excerpts are cut by the database's triggers; hostile, but never longer.
        conn.execute("update mentor_notifications set detail = ?", (escapes[:NOTIFICATION_DETAIL_MAX],))
        conn.commit()
        for _, sql in triggers:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


async def remember_sign_in(world: HostileWorld, state_dir: Path, email: str, clock: FixedClock) -> None:
    """Leave ``email`` signed in where an app using ``state_dir`` looks, so it opens on the home screen."""
    repo = LocalRepository(world.db_path, state_dir, clock)
    try:
        await repo.sign_in(email, PASSWORD)
    finally:
        await repo.close()
