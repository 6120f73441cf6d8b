"""Sessions in every state, and a small app hosting one session pane, for the session kit's tests.

The services are the real ``Services`` (so ``allowed``, ``check`` and who is signed in
are the app's own); only what storage would answer is given here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from clocks import FixedClock
from pilot_support import settle  # noqa: F401 (the session kit tests take it from here)
from textual.app import App, ComposeResult
from textual.widgets import Footer

from mentor_tui.context import AppContext
from mentor_tui.domain.booking_rules import BookingRules
from mentor_tui.domain.errors import NotAllowed
from mentor_tui.domain.models import (
    INVALID_TIME,
    DashboardStats,
    MentorSession,
    MentorStudent,
    Profile,
    Role,
    SessionNotes,
    SessionStatus,
    SessionView,
)
from mentor_tui.domain.no_show import NoShow
from mentor_tui.domain.reschedule import RescheduleRequest
from mentor_tui.services import Services
from mentor_tui.services.sessions import SessionAction
from mentor_tui.widgets.pane import Pane

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
LINK = "https://meet.jit.si/mentor-tui-kit"
SESSION_KEYS = tuple(action.value for action in SessionAction)
"""Every key that acts on the selected session, as the services name the actions."""

MENTOR = Profile(id="mentor-1", full_name="Maya Okafor", role=Role.MENTOR, timezone="Europe/London",
                 hourly_rate=Decimal(60))
STUDENT = Profile(id="student-1", full_name="Sam Rivera", role=Role.STUDENT, timezone="America/Chicago")


def session(name: str, status: SessionStatus, start: timedelta, **extra: object) -> MentorSession:
    fields: dict[str, object] = {
        "id": name, "mentor_id": MENTOR.id, "student_id": STUDENT.id, "subject": name.replace("-", " "),
        "scheduled_time": NOW + start, "duration_minutes": 60, "status": status,
        "created_at": NOW - timedelta(days=30), "updated_at": NOW - timedelta(days=1),
    }
    fields.update(extra)
    return MentorSession.model_validate(fields)


def every_state() -> list[MentorSession]:
    """One session of each state a key could depend on."""
    return [
        session("pending-ahead", SessionStatus.PENDING, timedelta(days=2)),
        session("pending-started", SessionStatus.PENDING, timedelta(minutes=-30)),
        session("confirmed-ahead", SessionStatus.CONFIRMED, timedelta(days=1), meeting_link=LINK),
        session("confirmed-no-link", SessionStatus.CONFIRMED, timedelta(days=3)),
        session("confirmed-under-way", SessionStatus.CONFIRMED, timedelta(minutes=-20), meeting_link=LINK),
        session("confirmed-over", SessionStatus.CONFIRMED, timedelta(days=-1), meeting_link=LINK),
        session("completed-unrated", SessionStatus.COMPLETED, timedelta(days=-3), feedback="Well done."),
        session("completed-rated", SessionStatus.COMPLETED, timedelta(days=-5), rating=4, review="Clear."),
        session("cancelled", SessionStatus.CANCELLED, timedelta(days=4), cancelled_by=STUDENT.id,
                cancellation_reason="Exam moved."),
        session("declined", SessionStatus.CANCELLED, timedelta(days=5), cancelled_by=MENTOR.id, declined=True,
                cancellation_reason="Fully booked."),
        session("invalid-time", SessionStatus.CONFIRMED, timedelta(0), meeting_link=LINK,
                time_invalid=True).model_copy(update={"scheduled_time": INVALID_TIME}),
    ]


def view_of(s: MentorSession, mentor_name: str = MENTOR.full_name, student_name: str = STUDENT.full_name
            ) -> SessionView:
    return SessionView(session=s, mentor_name=mentor_name, student_name=student_name,
                       mentor_timezone=MENTOR.timezone, student_timezone=STUDENT.timezone,
                       hourly_rate=MENTOR.hourly_rate)


@dataclass
class Answers:
    """What storage holds, as the services would read it."""

    views: list[SessionView]
    students: list[MentorStudent] = field(default_factory=list)
    refuse: str | None = None
    """When set, every change is refused with this message (as a change made elsewhere would be)."""
    calls: list[tuple[str, str, object]] = field(default_factory=list)


class KitServices(Services):
    """The real services, with storage's answers given by :class:`Answers`."""

    def __init__(self, me: Profile, answers: Answers, clock: FixedClock) -> None:
        super().__init__(None, clock)  # type: ignore[arg-type]
        self.answers = answers
        self._set_person(me)

    async def my_sessions(self) -> list[SessionView]:
        return list(self.answers.views)

    async def mentor_students(self) -> list[MentorStudent]:
        return list(self.answers.students)

    async def dashboard_stats(self) -> DashboardStats:
        return DashboardStats(total_students=len(self.answers.students), upcoming_sessions=0, completed_today=0)

    # What a pane reads beside the sessions: nothing was moved, marked absent or noted.
    async def reschedules(self) -> list[RescheduleRequest]:
        return []

    async def no_shows(self) -> list[NoShow]:
        return []

    async def session_notes(self, session_id: str) -> SessionNotes | None:
        return None

    async def carried_items(self, session: MentorSession) -> tuple[SessionNotes, list[str]] | None:
        return None

    async def booking_rules(self, mentor_id: str) -> BookingRules:
        return BookingRules(mentor_id=mentor_id)  # the defaults: no cancellation is late

    async def _change(self, name: str, session_id: str, value: object, **update: object) -> MentorSession:
        self.answers.calls.append((name, session_id, value))
        if self.answers.refuse:
            raise NotAllowed(self.answers.refuse)
        view = next(v for v in self.answers.views if v.session.id == session_id)
        return view.session.model_copy(update=update)

    async def cancel_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        return await self._change("cancel", session_id, reason, status=SessionStatus.CANCELLED)

    async def decline_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        return await self._change("decline", session_id, reason, status=SessionStatus.CANCELLED, declined=True)

    async def complete_session(self, session_id: str, feedback: str | None = None) -> MentorSession:
        return await self._change("complete", session_id, feedback, status=SessionStatus.COMPLETED)

    async def rate_session(self, session_id: str, rating: int, review: str | None = None) -> MentorSession:
        return await self._change("rate", session_id, (rating, review), rating=rating)

    async def confirm_session(self, session_id: str, meeting_link: str = "") -> MentorSession:
        return await self._change("confirm", session_id, meeting_link, status=SessionStatus.CONFIRMED)


class PaneApp(App[None]):
    """One pane, as the home screen would show it, and a footer."""

    CSS_PATH: ClassVar = ["../mentor_tui/styles/sessions.tcss"]

    def __init__(self, pane_type: type[Pane], me: Profile, answers: Answers) -> None:
        super().__init__()
        self.clock = FixedClock(NOW)
        self.ctx = AppContext(KitServices(me, answers, self.clock), self.clock)
        self.pane_type = pane_type

    def compose(self) -> ComposeResult:
        yield self.pane_type(self.ctx)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Pane).refresh_data()


def footer_actions(app: App[object]) -> set[str]:
    """The session actions the footer shows now."""
    return {
        binding.action for _, binding, enabled, _ in app.screen.active_bindings.values() if binding.show and enabled
    } & set(SESSION_KEYS)
