"""Demo data for the embedded database: mentors, students and sessions relative to "now".

Everything is fixed or drawn from a seeded random generator in a stable order, so a
given ``now`` always gives the same people, times and texts (screenshots and snapshot
tests depend on it). Session times come from the mentors' own weekly availability.
Notes and a review's reply are added last, drawing nothing random, so the sessions stay
as they were.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ..domain import messages
from ..domain.demo_login import DemoLogin
from ..domain.errors import NotAllowed
from ..domain.models import (
    AvailabilitySlot,
    MentorSession,
    Message,
    Profile,
    Role,
    SessionStatus,
    TimeRange,
)
from ..domain.slots import day_bounds, open_slots
from . import local_notes
from .local import create_account, insert_availability, insert_row, insert_session, to_db_time, update_rows
from .sqlite_file import connect, transaction, typed_errors

DEMO_PASSWORD = "mentor-demo-2026"
DEMO_DOMAIN = "demo.mentor-tui.dev"
_SEEDED_KEY = "demo_seeded_at"
_SEED = 2026


@dataclass(frozen=True)
class _Mentor:
    login: str
    full_name: str
    profession: str
    experience: str
    hourly_rate: str
    expertise: tuple[str, ...]
    timezone: str
    bio: str
    # weekly windows: (weekdays, start hour, end hour), in the mentor's zone
    hours: tuple[tuple[tuple[int, ...], int, int], ...]
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class _Student:
    login: str
    full_name: str
    timezone: str


_WEEKDAYS = (0, 1, 2, 3, 4)

MENTORS = (
    _Mentor("maya", "Maya Okafor", "Senior Python Engineer", "9 years", "85", ("Python", "Django", "Testing"),
            "Europe/London",
            "Builds payment APIs in Python and has reviewed more pull requests than she can count. "
            "Loves turning messy scripts into tested, readable code.",
            ((_WEEKDAYS, 8, 12), ((1, 3), 14, 18)),
            ("Python code review", "Testing with pytest", "Django REST APIs", "Async Python")),
    _Mentor("arjun", "Arjun Mehta", "Staff Data Scientist", "12 years", "120",
            ("Data Science", "Machine Learning", "Python"), "Asia/Kolkata",
            "Leads a forecasting team at a logistics company; mentors on statistics, pandas and "
            "getting models from a notebook into production.",
            (((0, 2, 4), 10, 13), ((1, 3), 17, 20)),
            ("pandas performance", "A/B test design", "Time-series forecasting")),
    _Mentor("lucia", "Lucía Fernández", "Frontend Lead", "8 years", "70",
            ("Web Development", "JavaScript", "React"), "Europe/Madrid",
            "Runs the design-system team at a travel start-up. Patient with beginners, strict about accessibility.",
            ((_WEEKDAYS, 9, 13),),
            ("React state management", "Accessible forms", "CSS layout")),
    _Mentor("kenji", "Kenji Watanabe", "Site Reliability Engineer", "11 years", "95",
            ("DevOps", "Kubernetes", "Cloud"), "Asia/Tokyo",
            "Keeps a large e-commerce platform up through sale days. Happy to talk incidents, "
            "observability and calm on-call rotations.",
            (((0, 1, 2, 3), 18, 21), ((5,), 10, 14)),
            ("Kubernetes basics", "Incident reviews", "Terraform modules")),
    _Mentor("amara", "Amara Nwosu", "Senior Product Manager", "7 years", "90",
            ("Product Management", "Career Growth"), "Africa/Lagos",
            "Moved from engineering to product at a fintech; helps people write crisp specs and "
            "prioritise with evidence.",
            (((1, 2, 3), 11, 15),),
            ("Writing product specs", "Roadmap prioritisation", "Moving into product")),
    _Mentor("ethan", "Ethan Brooks", "UX Designer", "6 years", "65",
            ("UX Design", "User Research", "Figma"), "America/New_York",
            "Designs tools for nurses and doctors. Brings portfolio reviews and interview practice for designers.",
            ((_WEEKDAYS, 10, 16),),
            ("Portfolio review", "Usability testing", "Design critique")),
    _Mentor("sofia", "Sofia Rossi", "iOS Engineer", "5 years", "60",
            ("Mobile", "Swift", "iOS"), "Europe/Rome",
            "Ships a banking app used by millions; enjoys SwiftUI, clean architecture and first App Store releases.",
            (((0, 2, 4), 15, 19),),
            ("SwiftUI layouts", "App Store release", "Core Data")),
    _Mentor("noah", "Noah Schmidt", "Security Engineer", "10 years", "110",
            ("Security", "Networking"), "Europe/Berlin",
            "Former penetration tester, now building secure defaults at a cloud provider.",
            (((0, 1, 3), 8, 11), ((4,), 13, 17)),
            ("Threat modelling", "Secure code review", "TLS explained")),
    _Mentor("priya", "Priya Raman", "Machine Learning Engineer", "6 years", "100",
            ("Machine Learning", "Python", "MLOps"), "America/Los_Angeles",
            "Trains and serves recommendation models; mentors on PyTorch, evaluation and shipping ML safely.",
            ((_WEEKDAYS, 8, 11), ((2,), 13, 16)),
            ("PyTorch training loops", "Model evaluation", "Feature stores")),
    _Mentor("carlos", "Carlos Mendes", "Data Engineer", "8 years", "80",
            ("Data Engineering", "SQL", "Cloud"), "America/Sao_Paulo",
            "Builds streaming pipelines for a retail group. SQL tuning is his favourite puzzle.",
            (((0, 1, 2, 3), 9, 12),),
            ("SQL query tuning", "Airflow pipelines", "Data modelling")),
    _Mentor("hana", "Hana Lee", "Engineering Manager", "14 years", "130",
            ("Career Growth", "Leadership", "Interviewing"), "Asia/Seoul",
            "Has hired and grown engineers in Seoul and Berlin. Mock interviews, promotions, first-time management.",
            (((1, 3), 19, 22), ((5,), 9, 12)),
            ("Mock interview", "First 90 days as a manager", "Promotion case")),
    _Mentor("oliver", "Oliver Grant", "Systems Developer", "9 years", "105",
            ("Rust", "Systems Programming"), "Australia/Sydney",
            "Writes storage engines in Rust. Mentors on ownership, async Rust and profiling.",
            (((0, 2, 3), 7, 10),),
            ("Ownership and lifetimes", "Async Rust", "Profiling")),
    _Mentor("zainab", "Zainab Haddad", "Full-stack Developer", "4 years", "45",
            ("Web Development", "TypeScript", "Node.js"), "Asia/Dubai",
            "Went from bootcamp to team lead in four years; friendly first stop for junior developers.",
            ((_WEEKDAYS, 16, 20),),
            ("TypeScript generics", "First developer job", "REST API design")),
)

STUDENTS = (
    _Student("sam", "Sam Rivera", "America/Chicago"),
    _Student("aisha", "Aisha Khan", "Europe/London"),
    _Student("leo", "Léo Martin", "Europe/Paris"),
    _Student("mei", "Mei Chen", "Asia/Singapore"),
    _Student("jonas", "Jonas Berg", "Europe/Stockholm"),
    _Student("grace", "Grace Park", "America/Los_Angeles"),
    _Student("tomas", "Tomás Herrera", "America/Mexico_City"),
)

_FEEDBACK = (
    "Good progress. Next time bring the failing test and we will work through it together.",
    "Clear questions and well prepared. Try the exercise we sketched before our next call.",
    "We covered the basics; read the chapter I linked and note what is still unclear.",
    "Great session. You are ready to take this on at work.",
)
_REVIEWS = (
    "Explained it so clearly that it finally clicked.",
    "Very practical, with examples from real projects.",
    "Friendly and patient; I left with a plan.",
    "Helpful, though we ran a little short on time.",
    None,
)
_TALK = (
    (50, Role.STUDENT, "Hi Maya! Before our next call: should I bring the failing test or the whole project?"),
    (49, Role.MENTOR, "Just the failing test and the fixture it uses. We will start from there."),
    (3, Role.STUDENT, "Great, I have it ready. Could we also look at parametrize if there is time?"),
)
"""The demo's one conversation (hours before now, who writes, what), between Maya and Sam."""

_NOTES = (
    "I have a small project on GitHub I would like feedback on.",
    "Preparing for an interview next month.",
    "Stuck on this for a week; happy to share my screen.",
    None,
)
_SESSION_NOTES = (
    "## Summary\n"
    "We read through the parser module together and split its longest function into three.\n\n"
    "## Action items\n"
    "- [x] Add type hints to the parser\n"
    "- [ ] Write a parametrized test for the three date formats\n"
    "- [ ] Read the pytest chapter on fixtures before our next call\n"
)
"""Maya's notes of her earlier session with Sam; the open items carry into their next ones."""
_REPLY = "Thank you! Bring your next pull request and we will review it the same way."
"""Maya's reply to the first review she was given."""

_CANCEL_REASONS = (
    "Something came up at work, sorry. I will book again next week.",
    "I am travelling that day.",
    "Double-booked myself; please pick another time.",
)

# Sessions besides the fixed ones: (mentor, student, days from today, status); ratings where completed.
_PLAN: tuple[tuple[int, int, int, SessionStatus], ...] = (
    (0, 1, -9, SessionStatus.COMPLETED), (0, 2, -6, SessionStatus.COMPLETED), (0, 3, -3, SessionStatus.CANCELLED),
    (0, 4, 2, SessionStatus.CONFIRMED), (0, 5, 4, SessionStatus.PENDING), (0, 1, 6, SessionStatus.CONFIRMED),
    (1, 0, -12, SessionStatus.COMPLETED), (1, 3, -4, SessionStatus.COMPLETED), (1, 5, 3, SessionStatus.CONFIRMED),
    (2, 2, -8, SessionStatus.COMPLETED), (2, 6, 5, SessionStatus.PENDING), (2, 0, 2, SessionStatus.CANCELLED),
    (3, 3, -5, SessionStatus.COMPLETED), (3, 4, 3, SessionStatus.CONFIRMED),
    (4, 1, -10, SessionStatus.COMPLETED), (4, 6, 4, SessionStatus.PENDING),
    (5, 5, -7, SessionStatus.COMPLETED), (5, 2, 1, SessionStatus.CONFIRMED), (5, 0, 8, SessionStatus.PENDING),
    (6, 3, -6, SessionStatus.COMPLETED), (6, 1, 2, SessionStatus.CANCELLED),
    (7, 4, -11, SessionStatus.COMPLETED), (7, 6, 6, SessionStatus.CONFIRMED),
    (8, 0, -2, SessionStatus.COMPLETED), (8, 5, 3, SessionStatus.PENDING), (8, 2, -4, SessionStatus.COMPLETED),
    (9, 6, -9, SessionStatus.COMPLETED), (9, 4, 1, SessionStatus.CONFIRMED),
    (10, 1, -3, SessionStatus.COMPLETED), (10, 3, 5, SessionStatus.PENDING),
    (11, 2, -13, SessionStatus.COMPLETED), (11, 5, 7, SessionStatus.CONFIRMED),
    (12, 6, -5, SessionStatus.COMPLETED), (12, 0, 3, SessionStatus.PENDING),
)


def _email(login: str) -> str:
    return f"{login}@{DEMO_DOMAIN}"


def _people() -> list[DemoLogin]:
    return [DemoLogin(_email(m.login), m.full_name, Role.MENTOR) for m in MENTORS] + [
        DemoLogin(_email(s.login), s.full_name, Role.STUDENT) for s in STUDENTS
    ]


def demo_logins(db_path: Path) -> tuple[DemoLogin, ...]:
    """The demo accounts in ``db_path``; empty when it holds no demo data. Never creates the
    file, and never reads it through a symlink or from anything but a regular file."""
    try:
        if not stat.S_ISREG(os.lstat(db_path).st_mode):
            return ()
    except OSError:
        return ()
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("select 1 from meta where key = ?", (_SEEDED_KEY,)).fetchone() is None:
                return ()
            present = {row[0] for row in conn.execute("select email from accounts")}
        finally:
            conn.close()
    except sqlite3.Error:
        return ()
    return tuple(login for login in _people() if login.email in present)


def seed_demo(db_path: Path, now: datetime) -> bool:
    """Fill ``db_path`` with the demo data once; False when it is already there."""
    with typed_errors(db_path):
        conn = connect(db_path)
        try:
            with transaction(conn):
                if conn.execute("select 1 from meta where key = ?", (_SEEDED_KEY,)).fetchone():
                    return False
                if conn.execute("select 1 from accounts limit 1").fetchone():
                    # Demo people in a database real people use would mix with their data.
                    raise NotAllowed(messages.demo_needs_new_database(db_path))
                _Seeder(conn, now).run()
                conn.execute("insert into meta (key, value) values (?, ?)", (_SEEDED_KEY, now.isoformat()))
            return True
        finally:
            conn.close()


class _Seeder:
    def __init__(self, conn: sqlite3.Connection, now: datetime) -> None:
        self.conn = conn
        self.now = now.astimezone(UTC)
        self.rng = random.Random(_SEED)
        self.busy: dict[str, list[TimeRange]] = {}
        self.availability: dict[str, list[AvailabilitySlot]] = {}

    def run(self) -> None:
        mentors = [self._mentor(spec) for spec in MENTORS]
        students = [self._student(spec) for spec in STUDENTS]
        maya, sam = mentors[0], students[0]
        # The first demo logins get something to act on at once: a session in progress
        # to complete, yesterday's to complete late, a request to answer, one to rate.
        quarter = self.now.replace(minute=self.now.minute // 15 * 15, second=0, microsecond=0)
        self._add(maya, sam, quarter - timedelta(minutes=30), 60, SessionStatus.CONFIRMED, MENTORS[0].subjects[0])
        self._add_on_day(maya, students[1], -1, SessionStatus.CONFIRMED, MENTORS[0])
        self._add_on_day(maya, sam, 1, SessionStatus.PENDING, MENTORS[0])
        written_up = self._add_on_day(maya, sam, -5, SessionStatus.COMPLETED, MENTORS[0], rate=False)
        self._add_on_day(mentors[8], sam, -1, SessionStatus.COMPLETED, MENTORS[8])
        for mentor_index, student_index, days, status in _PLAN:
            self._add_on_day(mentors[mentor_index], students[student_index], days, status, MENTORS[mentor_index])
        self._conversation(maya, sam)
        self._notes(written_up)
        self._reply(maya)

    def _notes(self, session: MentorSession) -> None:
        """Notes of a completed session, with open action items, written an hour after it; read."""
        written = min(self.now, session.end_time + timedelta(hours=1))
        local_notes.save_session_notes(self.conn, session.mentor_id, session.id, _SESSION_NOTES, to_db_time(written))
        self._read_notice(session.id, written)

    def _reply(self, mentor: Profile) -> None:
        """The mentor's reply to their earliest review with a comment, a day after it; read."""
        row = self.conn.execute(
            "select id, updated_at from mentor_sessions where mentor_id = ? and status = 'completed'"
            " and review is not null order by scheduled_time limit 1",
            (mentor.id,),
        ).fetchone()
        if row is None:
            return  # only if the tables above are edited to leave the mentor no review
        replied = min(self.now, datetime.fromisoformat(row[1]) + timedelta(days=1))
        local_notes.reply_to_review(self.conn, mentor.id, row[0], _REPLY, to_db_time(replied))
        self._read_notice(row[0], replied)

    def _read_notice(self, session_id: str, at: datetime) -> None:
        """The notification the step wrote, read some minutes later (as the conversation's are)."""
        self.conn.execute(
            "update mentor_notifications set read_at = ? where session_id = ? and read_at is null"
            " and kind in ('notes_written', 'review_replied')",
            (to_db_time(at + timedelta(minutes=20)), session_id),
        )

    def _conversation(self, mentor: Profile, student: Profile) -> None:
        """A few messages, so Messages has a thread to open at once; the newest is not read yet."""
        for index, (hours_ago, sender, body) in enumerate(_TALK):
            sent = self.now - timedelta(hours=hours_ago)
            message = Message(
                id=self._id(), mentor_id=mentor.id, student_id=student.id,
                sender_id=mentor.id if sender is Role.MENTOR else student.id, body=body, created_at=sent,
            )
            insert_row(self.conn, "mentor_messages", message.model_dump(exclude={"read_at", "session_id", "proposal_id"}))
            if index < len(_TALK) - 1:  # read twenty minutes later, and so was the notification of it
                read = {"read_at": sent + timedelta(minutes=20)}
                update_rows(self.conn, "mentor_messages", read, {"id": message.id})
                update_rows(self.conn, "mentor_notifications", read, {"message_id": message.id})

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _mentor(self, spec: _Mentor) -> Profile:
        profile = create_account(
            self.conn, email=_email(spec.login), password=DEMO_PASSWORD, full_name=spec.full_name,
            role=Role.MENTOR, now=self.now, profession=spec.profession, experience=spec.experience,
            hourly_rate=Decimal(spec.hourly_rate), expertise=spec.expertise, bio=spec.bio, timezone=spec.timezone,
        )
        slots = [
            AvailabilitySlot(id=self._id(), mentor_id=profile.id, weekday=day, start_time=time(start),
                             end_time=time(end))
            for days, start, end in spec.hours
            for day in days
        ]
        for slot in slots:
            insert_availability(self.conn, slot, self.now)
        self.availability[profile.id] = slots
        return profile

    def _student(self, spec: _Student) -> Profile:
        return create_account(
            self.conn, email=_email(spec.login), password=DEMO_PASSWORD, full_name=spec.full_name,
            role=Role.STUDENT, now=self.now, timezone=spec.timezone,
        )

    def _add_on_day(
        self, mentor: Profile, student: Profile, days: int, status: SessionStatus, spec: _Mentor, rate: bool = True
    ) -> MentorSession:
        """A session on the first day from ``days`` away (moving away from today) with an open slot."""
        duration = self.rng.choice((30, 45, 60, 60, 90))
        in_past = days < 0 or (days == 0 and status is SessionStatus.COMPLETED)
        fits: Callable[[datetime], bool] = (
            (lambda start: start + timedelta(minutes=duration) <= self.now) if in_past
            else (lambda start: start > self.now + timedelta(hours=2))
        )
        step = -1 if in_past else 1
        day = self.now.astimezone(mentor.zone).date() + timedelta(days=days)
        start = self._open_start(mentor, student, day, step, duration, fits)
        return self._add(mentor, student, start, duration, status, self.rng.choice(spec.subjects), rate)

    def _open_start(
        self, mentor: Profile, student: Profile, day: date, step: int, duration: int,
        fits: Callable[[datetime], bool],
    ) -> datetime:
        held = self.busy.get(mentor.id, []) + self.busy.get(student.id, [])
        for _ in range(21):
            day_start, day_end = day_bounds(day, mentor.zone)
            starts = [
                start
                for start in open_slots(self.availability[mentor.id], mentor.zone, day_start, day_end, duration,
                                        held, now=day_start - timedelta(minutes=1))
                if fits(start)
            ]
            if starts:
                return self.rng.choice(starts)
            day += timedelta(days=step)
        raise RuntimeError(f"no open demo slot for {mentor.full_name}")  # only if the tables above are edited badly

    def _add(
        self, mentor: Profile, student: Profile, start: datetime, duration: int, status: SessionStatus,
        subject: str, rate: bool = True,
    ) -> MentorSession:
        """Insert as a real session would arrive, then move it on the way its people would."""
        created = min(self.now, start) - timedelta(days=self.rng.randint(2, 6), hours=self.rng.randint(0, 9))
        if status is SessionStatus.PENDING:
            # Asked within the last day: younger than the default expiry (booking_rules), still open.
            created = self.now - (self.now - created) / 6
        held = status is not SessionStatus.CANCELLED
        session = MentorSession(
            id=self._id(), mentor_id=mentor.id, student_id=student.id, subject=subject, scheduled_time=start,
            duration_minutes=duration,
            status=SessionStatus.CONFIRMED if status is SessionStatus.COMPLETED else status,
            notes=self.rng.choice(_NOTES),
            meeting_link=(f"https://meet.jit.si/mentor-tui-demo-{self.rng.getrandbits(64):016x}"
                          if status in (SessionStatus.CONFIRMED, SessionStatus.COMPLETED) else None),
            cancellation_reason=self.rng.choice(_CANCEL_REASONS) if status is SessionStatus.CANCELLED else None,
            created_at=created, updated_at=created,
        )
        insert_session(self.conn, session)
        if held:
            end = start + timedelta(minutes=duration)
            for person in (mentor.id, student.id):
                self.busy.setdefault(person, []).append(TimeRange(start=start, end=end))
        if status is SessionStatus.COMPLETED:
            rating = self.rng.choice((4, 5, 5, 5, 3)) if rate else None
            update_rows(self.conn, "mentor_sessions", {
                "status": SessionStatus.COMPLETED,
                "feedback": self.rng.choice(_FEEDBACK),
                "rating": rating,
                "review": self.rng.choice(_REVIEWS) if rating else None,
                "updated_at": min(self.now, start + timedelta(minutes=duration, hours=1)),
            }, {"id": session.id})
        return session


__all__ = ["DEMO_PASSWORD", "demo_logins", "seed_demo"]
