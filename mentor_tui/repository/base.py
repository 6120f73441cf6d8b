"""Storage: what a backend does for the services (``services.core``), and nothing more.

A backend queries, inserts and writes with compare-and-swap; it enforces again what
its database must (SQLite constraints and triggers, Supabase RLS, triggers and
CHECKs), and turns its driver's failures into the typed errors below, once. It does
not decide rules: values reach it already normalised and validated, and who may do
what, which link a confirmed session gets and every message a person reads are the
services' (``domain.messages``). Each method acts as the signed-in person, whom the
backend knows only as far as it must to act as them (a token, a user id).

Every method is a coroutine: the Supabase backend awaits HTTP, the embedded one runs
SQLite in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, time
from typing import Protocol, runtime_checkable

from ..domain.booking_rules import BookingRules
from ..domain.errors import (
    BackendUnavailable,
    InvalidCredentials,
    InvalidInput,
    MentorError,
    NotAllowed,
    NotFound,
    NotSignedIn,
    OutsideAvailability,
    SlotTaken,
)
from ..domain.models import (
    AvailabilitySlot,
    BookingRequest,
    Conversation,
    MentorOrder,
    MentorPage,
    MentorSession,
    MentorStudent,
    MentorSummary,
    MentorTotals,
    Message,
    Notification,
    Profile,
    ProfileUpdate,
    Proposal,
    Review,
    ReviewStats,
    Role,
    SessionNotes,
    SessionStatus,
    SessionView,
    TimeRange,
)
from ..domain.no_show import NoShow
from ..domain.reschedule import RescheduleFacts, RescheduleRequest, RescheduleStatus

__all__ = [
    "BackendUnavailable",
    "BookingCheck",
    "InvalidCredentials",
    "InvalidInput",
    "MentorError",
    "MessageCheck",
    "NotAllowed",
    "NotFound",
    "NoShowCheck",
    "NotSignedIn",
    "OutsideAvailability",
    "ProposalCheck",
    "RescheduleCheck",
    "SessionChanges",
    "SlotTaken",
    "Storage",
    "WindowCheck",
]

BookingCheck = Callable[
    [Profile | None, Sequence[AvailabilitySlot], Sequence[TimeRange], BookingRules, Sequence[TimeRange]], None
]
"""The services' booking rule: called with the mentor's profile (None when there is no
such mentor), their weekly windows, the times held by the mentor or the student, the
mentor's booking rules and the mentor's own held times in ``booking_rules.context_window``
of the start, as the backend read them just before inserting; raises to refuse."""
WindowCheck = Callable[[Sequence[AvailabilitySlot]], None]
"""The services' rule for a weekly window, called with the mentor's windows as read
just before writing; raises to refuse."""
MessageCheck = Callable[[bool], None]
"""The services' rule for a message: called with whether the mentor and the student
share a session (any status), as the backend read it just before inserting; raises to refuse."""
ProposalCheck = Callable[[Proposal | None], None]
"""The services' rule for accepting a proposal: called with the proposal as the backend
read it just before inserting the confirmed session (None when the signed-in person
cannot see it); raises to refuse."""
RescheduleCheck = Callable[[RescheduleFacts], None]
"""The services' rule for proposing or answering a move, called with what the backend read
in the transaction that then writes; raises to refuse."""
NoShowCheck = Callable[[MentorSession | None, Sequence[NoShow]], None]
"""The services' rule for a no-show: called with the session (None when not the signed-in
person's) and its marks, as read just before inserting; raises to refuse."""
SessionChanges = Mapping[str, object]
"""Columns of a session to write: status, meeting_link, cancellation_reason, feedback,
rating, review. Who cancelled is recorded by the backend itself (its database on Supabase)."""


@runtime_checkable
class Storage(Protocol):
    name: str
    """"local" or "supabase", for the header and for messages."""

    # --- auth: values already normalised and checked by the services -------------
    async def sign_up(self, email: str, password: str, full_name: str, role: Role) -> Profile:
        """Create an account and sign in as it; remembers the sign-in on disk.
        InvalidInput("email") when the email is in use."""

    async def sign_in(self, email: str, password: str) -> Profile:
        """InvalidCredentials for a wrong email or password; remembers the sign-in on disk."""

    async def sign_out(self) -> None:
        """Forget the sign-in here and on disk (and revoke it on the server)."""

    async def restore(self) -> Profile | None:
        """Resume the remembered sign-in; None when there is none or it is no longer valid."""

    # --- profiles -------------------------------------------------------------------
    async def update_profile(self, changes: ProfileUpdate) -> Profile:
        """Store the fields set on ``changes`` (``model_fields_set``, normalised; None clears
        an optional one) in the signed-in person's profile; the profile after."""

    async def list_mentors(self, text: str, expertise: str | None, order: MentorOrder, limit: int) -> MentorPage:
        """The first ``limit`` mentors, in ``order``, whose name, profession or a tag contains
        ``text`` (without regard to case), only those with the tag ``expertise`` when given;
        and how many match in all. Filtered, sorted and cut by the database."""

    async def expertise_tags(self) -> list[str]:
        """Every tag some mentor lists, each spelling once, in no particular order."""

    async def get_mentor(self, mentor_id: str) -> MentorSummary | None:
        """The mentor with that id, or None."""

    async def mentor_reviews(self, mentor_id: str, limit: int) -> list[Review]:
        """The newest public reviews of a mentor: rating, comment, date and the mentor's reply,
        no student identity."""

    # --- reviews in depth and session notes (domain.session_notes) ----------------------
    async def review_stats(self, mentor_id: str) -> ReviewStats:
        """A mentor's ratings per star and completed sessions, as the database keeps them."""

    async def reply_to_review(self, session_id: str, reply: str) -> MentorSession | None:
        """Store the signed-in mentor's reply to the review of their completed, rated,
        unanswered session ``session_id``; the session after, or None when nothing matched."""

    async def session_notes(self, session_id: str) -> SessionNotes | None:
        """The notes of a session the signed-in person is a party to; None when there are none."""

    async def save_session_notes(self, session_id: str, summary: str) -> SessionNotes:
        """Write (or replace) the notes of a session of the signed-in mentor's that has started."""

    async def latest_notes_before(self, mentor_id: str, student_id: str, before: datetime) -> SessionNotes | None:
        """The notes of the pair's latest session held before ``before`` that has notes
        (one index search); None when there is none or the signed-in person is not one of them."""

    # --- sessions -------------------------------------------------------------------
    async def my_sessions(self) -> list[SessionView]:
        """Every session the signed-in person is a party to, newest first, with names."""

    async def get_session(self, session_id: str) -> MentorSession | None:
        """The session, when the signed-in person is a party to it; else None."""

    async def create_session(self, request: BookingRequest, check: BookingCheck) -> MentorSession:
        """Read what ``check`` needs, call it, and insert the pending request as one step
        (no booking can slip in between); SlotTaken when the database finds a clash."""

    async def write_session(
        self, session_id: str, expected: SessionStatus, changes: SessionChanges, *, unrated: bool = False
    ) -> MentorSession | None:
        """Compare-and-swap: write ``changes`` only while the session (one of the signed-in
        person's) still has status ``expected`` (and, with ``unrated``, no rating yet); the
        session after, or None when nothing matched."""

    # --- rescheduling and no-shows ---------------------------------------------------------
    async def propose_reschedule(
        self, session_id: str, new_time: datetime, reason: str | None, check: RescheduleCheck
    ) -> RescheduleRequest:
        """Read the session, its open request and the booking facts around ``new_time``, call
        ``check``, and insert the open request from the signed-in person as one step."""

    async def answer_reschedule(
        self, request_id: str, answer: RescheduleStatus, check: RescheduleCheck
    ) -> RescheduleRequest:
        """Read the request, its session and (to accept) the booking facts around the new time,
        call ``check``, then close the request with ``answer``; an acceptance moves the session
        in the same step (SlotTaken when the database finds a clash)."""

    async def reschedules(self) -> list[RescheduleRequest]:
        """Every request to move one of the signed-in person's sessions, oldest first."""

    async def mark_no_show(self, session_id: str, note: str | None, check: NoShowCheck) -> NoShow:
        """Read the session and its marks, call ``check``, and insert the signed-in person's
        mark of the other party as absent, as one step."""

    async def no_shows(self) -> list[NoShow]:
        """Every no-show marked on the signed-in person's sessions, oldest first."""

    async def busy_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        """Intervals in ``[start, end)`` held by the mentor's or the signed-in person's
        pending/confirmed sessions, without saying whose they are."""

    # --- the mentor's side ------------------------------------------------------------
    async def mentor_students(self) -> list[MentorStudent]:
        """The signed-in mentor's students with totals, subjects and last session."""

    async def get_availability(self, mentor_id: str) -> list[AvailabilitySlot]:
        """A mentor's weekly windows, in the mentor's time zone, by weekday then start."""

    async def save_availability(
        self, weekday: int, start: time, end: time, slot_id: str | None, check: WindowCheck
    ) -> AvailabilitySlot | None:
        """Read the signed-in mentor's windows, call ``check`` on them, then add a window
        (``slot_id`` None) or change ``slot_id``; None when that window is not theirs."""

    async def delete_availability(self, slot_id: str) -> bool:
        """Remove one of the signed-in mentor's windows; False when it is not theirs."""

    async def booking_rules(self, mentor_id: str) -> BookingRules:
        """A mentor's booking rules, the defaults when they set none (anyone signed in may read them)."""

    async def save_booking_rules(self, rules: BookingRules) -> BookingRules:
        """Store the signed-in mentor's own rules (``rules.mentor_id`` is theirs); the rules after."""

    async def mentor_held_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        """Intervals in ``[start, end)`` held by the mentor's own pending/confirmed sessions
        (for their limits and buffers), without saying whose."""

    async def expire_stale_requests(self) -> int:
        """Cancel, with reason ``booking_rules.EXPIRED_REASON``, the signed-in person's pending
        requests whose start has come or that waited the mentor's expiry hours; how many."""

    async def mentor_totals(self) -> MentorTotals:
        """The signed-in mentor's student count and rating aggregates."""

    # --- messages and notifications -------------------------------------------------------
    async def conversations(self) -> list[Conversation]:
        """The signed-in person's conversations: the other party, the last message and how
        many of the other party's messages are unread; newest last message first."""

    async def thread(self, mentor_id: str, student_id: str, limit: int, before: datetime | None) -> list[Message]:
        """The newest ``limit`` messages between the pair (only those older than ``before``
        when given), oldest first; empty when the signed-in person is not one of them."""

    async def send_message(
        self,
        mentor_id: str,
        student_id: str,
        body: str,
        check: MessageCheck,
        *,
        session_id: str | None = None,
        proposal_id: str | None = None,
    ) -> Message:
        """Read whether the pair share a session, call ``check``, and insert the message from
        the signed-in person (one of the pair) as one step; the database stamps its time.
        ``session_id`` / ``proposal_id``: the pair's own request or proposal it points to."""

    # --- proposals ------------------------------------------------------------------------
    async def create_proposal(
        self,
        student_id: str,
        subject: str,
        scheduled_time: datetime,
        duration_minutes: int,
        meeting_link: str,
        check: MessageCheck,
    ) -> Proposal:
        """Read whether the signed-in mentor and ``student_id`` share a session, call
        ``check``, and insert the open proposal as one step; the database stamps its time."""

    async def proposals(self, mentor_id: str, student_id: str) -> list[Proposal]:
        """The pair's proposals, oldest first; empty when the signed-in person is not one of them."""

    async def accept_proposal(self, proposal_id: str, check: ProposalCheck) -> MentorSession:
        """Read the proposal, call ``check``, then insert its confirmed session and mark it
        accepted as one step; SlotTaken when the session would overlap a held one."""

    async def mark_thread_read(self, mentor_id: str, student_id: str) -> int:
        """Mark the other party's unread messages to the signed-in person read; how many were."""

    async def notifications(self, limit: int) -> list[Notification]:
        """The signed-in person's newest ``limit`` notifications, newest first, with who acted."""

    async def unread_notifications(self) -> int:
        """How many of the signed-in person's notifications are unread."""

    async def mark_notifications_read(self, ids: Sequence[str] | None) -> int:
        """Mark the signed-in person's unread notifications read (only ``ids`` when given); how many were."""

    async def record_reminder(self, session_id: str, kind: str) -> bool:
        """Add the reminder ``kind`` ("reminder" or "starting") of a confirmed session of the
        signed-in person's to their notifications, unless it is there already; True when added.
        The database allows it once per session, person and kind, and only near the start."""

    # --- live updates ---------------------------------------------------------------------
    async def change_token(self) -> int | None:
        """A number that differs from the last one returned once someone else (another
        process, terminal or person) has committed a change; this connection's own writes
        need not change it (their screen loads again after them anyway). None when the
        backend has no such signal: the app then shows changes made elsewhere only when a
        section is shown again or refreshed. Cheap enough to be asked every second."""

    async def close(self) -> None:
        """Release connections; the remembered sign-in stays on disk."""
