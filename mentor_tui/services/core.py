"""The application layer: every screen of both roles calls these methods, and only these.

``Services`` holds who is signed in (the one place that does) and applies every rule
once, whichever backend stores the result: text normalisation and limits, who may do
what, the state machine with its compare-and-swap write, the meeting-link policy,
booking and availability checks, and the dashboard's counts. Backends
(``repository.base.Storage``) only store; messages come from ``domain.messages``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ..domain import messages
from ..domain.errors import InvalidInput, NotAllowed, NotFound, NotSignedIn

if TYPE_CHECKING:
    from ..clock import Clock
    from ..domain.booking_rules import BookingRules
    from ..domain.models import (
        AvailabilitySlot,
        BookingRequest,
        Conversation,
        DashboardStats,
        MentorOrder,
        MentorPage,
        MentorSession,
        MentorStudent,
        MentorSummary,
        Message,
        Notification,
        NotificationKind,
        Profile,
        ProfileUpdate,
        Proposal,
        Review,
        ReviewStats,
        Role,
        SessionNotes,
        SessionView,
        TimeRange,
    )
    from ..domain.no_show import NoShow
    from ..domain.reschedule import RescheduleRequest, RescheduleStatus
    from ..repository.base import SessionChanges, Storage
    from .sessions import SessionAction


DIRECTORY_ROWS = 200
"""The most mentors one directory search returns; the screen asks to narrow the search beyond."""
REVIEWS_MAX = 100
"""The most reviews one call returns; Supabase's ``mentor_reviews`` RPC caps at the same."""

P = ParamSpec("P")
T = TypeVar("T")


def _as_signed_in(
    method: Callable[Concatenate[Services, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[Services, P], Coroutine[Any, Any, T]]:
    """A call that finds the sign-in ended (revoked or expired on the server) signs the
    person out here too, so every screen learns it from the one place that holds them."""

    @functools.wraps(method)
    async def call(self: Services, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(self, *args, **kwargs)
        except NotSignedIn:
            if self._me is not None:
                self._set_person(None)
            raise

    return call


class Services:
    """What a signed-in person can do, whichever backend stores it."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self._storage = storage
        self.clock = clock
        self._me: Profile | None = None
        self._watchers: list[Callable[[Profile | None], None]] = []

    # --- who is signed in ---------------------------------------------------------------
    @property
    def me(self) -> Profile | None:
        """The signed-in person as last loaded, or None."""
        return self._me

    def person(self) -> Profile:
        """The signed-in person; ``NotSignedIn`` when there is none."""
        if self._me is None:
            raise NotSignedIn()
        return self._me

    def watch_person(self, watcher: Callable[[Profile | None], None]) -> None:
        """Call ``watcher`` with the person after each sign-in, profile change and sign-out."""
        self._watchers.append(watcher)

    def _set_person(self, person: Profile | None) -> Profile | None:
        self._me = person
        for watcher in self._watchers:
            watcher(person)
        return person

    def _as(self, role: str) -> Profile:
        me = self.person()
        if me.role != role:
            raise NotAllowed(messages.only_role(role))
        return me

    @property
    def backend_name(self) -> str:
        return self._storage.name

    # --- sessions: what applies ---------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def allowed(self, session: MentorSession) -> frozenset[SessionAction]:
        """What the signed-in person may do to ``session`` now (empty when signed out)."""
        from . import sessions

        if self._me is None:
            return frozenset()
        return sessions.allowed_actions(session, self._me.id, self.now())

    def check(self, session: MentorSession, action: SessionAction) -> None:
        """``NotAllowed`` with the reason when the signed-in person may not take ``action`` now."""
        from . import sessions

        sessions.check(session, self.person().id, action, self.now())

    # --- accounts -----------------------------------------------------------------------
    async def restore(self) -> Profile | None:
        return self._set_person(await self._storage.restore())

    async def sign_in(self, email: str, password: str) -> Profile:
        from . import normalise

        person = await self._storage.sign_in(normalise.sign_in(email, password), password)
        self._set_person(person)
        return person

    async def sign_up(self, email: str, password: str, full_name: str, role: Role) -> Profile:
        from . import normalise

        address, name, chosen = normalise.sign_up(email, password, full_name, role)
        person = await self._storage.sign_up(address, password, name, chosen)
        self._set_person(person)
        return person

    async def sign_out(self) -> None:
        try:
            await self._storage.sign_out()
        finally:
            self._set_person(None)

    @_as_signed_in
    async def update_profile(self, changes: ProfileUpdate) -> Profile:
        from . import normalise

        me = self.person()
        given = normalise.profile_update(changes)
        if not given.model_fields_set:
            return me  # nothing to store
        person = await self._storage.update_profile(given)
        self._set_person(person)
        return person

    # --- the directory ------------------------------------------------------------------
    @_as_signed_in
    async def list_mentors(
        self,
        text: str = "",
        expertise: str | None = None,
        order: MentorOrder | None = None,
        limit: int = DIRECTORY_ROWS,
    ) -> MentorPage:
        """The first ``limit`` (1 to ``DIRECTORY_ROWS``) matching mentors in ``order``
        (A-Z when not given), and how many match in all."""
        from ..domain.models import MentorOrder
        from . import normalise

        self.person()
        return await self._storage.list_mentors(
            normalise.search(text),
            normalise.search(expertise) or None,
            order or MentorOrder.NAME,
            max(1, min(limit, DIRECTORY_ROWS)),
        )

    @_as_signed_in
    async def expertise_tags(self) -> list[str]:
        """Every tag mentors list, A-Z without regard to case (the expertise filter's choices)."""
        self.person()
        return sorted(await self._storage.expertise_tags(), key=lambda tag: (tag.casefold(), tag))

    @_as_signed_in
    async def get_mentor(self, mentor_id: str) -> MentorSummary:
        self.person()
        found = await self._storage.get_mentor(mentor_id)
        if found is None:
            raise NotFound(messages.NO_SUCH_MENTOR)
        return found

    @_as_signed_in
    async def mentor_reviews(self, mentor_id: str, limit: int = 10) -> list[Review]:
        """The newest ``limit`` public reviews, from 1 up to ``REVIEWS_MAX`` (never a whole history)."""
        self.person()
        return await self._storage.mentor_reviews(mentor_id, max(1, min(limit, REVIEWS_MAX)))

    # --- reviews in depth and session notes (domain.session_notes) ----------------------
    @_as_signed_in
    async def review_stats(self, mentor_id: str) -> ReviewStats:
        self.person()
        return await self._storage.review_stats(mentor_id)

    @_as_signed_in
    async def reply_to_review(self, session_id: str, reply: str) -> MentorSession:
        """The mentor's one reply to the review of their rated session."""
        from ..domain import rules, session_notes, text
        from .sessions import SessionAction

        reply = text.normalise(reply)
        if not reply:
            raise InvalidInput("review_reply", messages.EMPTY_REPLY)
        rules.check_text(review_reply=reply)
        session = await self._party_session(session_id)
        self.check(session, SessionAction.REPLY)
        written = await self._storage.reply_to_review(session_id, reply)
        if written is None:  # answered or changed meanwhile: say why
            session_notes.check(session_notes.reply_refusal(await self._party_session(session_id), self.person().id))
            raise NotAllowed()
        return written

    @_as_signed_in
    async def session_notes(self, session_id: str) -> SessionNotes | None:
        self.person()
        return await self._storage.session_notes(session_id)

    @_as_signed_in
    async def save_session_notes(self, session_id: str, summary: str) -> SessionNotes:
        """Write the notes of the mentor's session once it has started (Markdown, bounded)."""
        from ..domain import rules, text
        from .sessions import SessionAction

        summary = text.normalise(summary)
        if not summary:
            raise InvalidInput("summary", messages.EMPTY_NOTES)
        rules.check_text(summary=summary)
        self.check(await self._party_session(session_id), SessionAction.WRITE_NOTES)
        return await self._storage.save_session_notes(session_id, summary)

    @_as_signed_in
    async def carried_items(self, session: MentorSession) -> tuple[SessionNotes, list[str]] | None:
        """The open action items of the pair's latest earlier session with notes, with those
        notes; None when there are none (or ``session``'s time is unusable)."""
        from ..domain.session_notes import open_items

        self.person()
        if session.time_invalid:
            return None
        earlier = await self._storage.latest_notes_before(session.mentor_id, session.student_id, session.scheduled_time)
        items = open_items(earlier.summary) if earlier is not None else []
        return (earlier, items) if earlier is not None and items else None

    # --- sessions -----------------------------------------------------------------------
    @_as_signed_in
    async def my_sessions(self) -> list[SessionView]:
        """Every session of the signed-in person, after their requests nobody answered in
        time have expired (on read: neither backend has a server process of its own)."""
        self.person()
        await self._storage.expire_stale_requests()
        return await self._storage.my_sessions()

    @_as_signed_in
    async def my_sessions_as_stored(self) -> list[SessionView]:
        """Every session of the signed-in person, without expiring requests first: for what
        looks only at confirmed sessions and asks often (the reminders' tick), so it neither
        writes nor costs Supabase a second request each time."""
        self.person()
        return await self._storage.my_sessions()

    @_as_signed_in
    async def create_session(self, request: BookingRequest) -> MentorSession:
        """A pending request, checked on what the backend reads in the same step as its insert."""
        from ..domain import rules
        from . import normalise

        me = self._as("student")
        now = self.now()
        request = normalise.booking(request)
        rules.raise_first(
            rules.booking_errors(
                subject=request.subject,
                scheduled_time=request.scheduled_time,
                duration_minutes=request.duration_minutes,
                notes=request.notes,
                now=now,
            )
        )

        def check(
            mentor: Profile | None,
            availability: Sequence[AvailabilitySlot],
            busy: Sequence[TimeRange],
            booking: BookingRules,
            mentor_held: Sequence[TimeRange],
        ) -> None:
            # Supabase's RLS shows a student no other student's profile: to be alike
            # everywhere, an id that is not a mentor's names no mentor.
            if mentor is None or mentor.role != "mentor":
                raise NotFound(messages.NO_SUCH_MENTOR)
            rules.validate_booking(
                request,
                student_id=me.id,
                mentor=mentor,
                availability=availability,
                busy=busy,
                now=now,
                booking_rules=booking,
                mentor_held=mentor_held,
            )

        return await self._storage.create_session(request, check)

    @_as_signed_in
    async def confirm_session(self, session_id: str, meeting_link: str = "") -> MentorSession:
        from ..domain.meeting import confirmation_link
        from .sessions import SessionAction

        me = self.person()  # who may confirm is the state machine's to say, in _change
        # The typed link, else the mentor's own room, else a new one.
        link = confirmation_link(meeting_link, me.meeting_url)
        return await self._change(session_id, SessionAction.CONFIRM, {"meeting_link": link})

    @_as_signed_in
    async def decline_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        from . import normalise
        from .sessions import SessionAction

        self.person()
        changes = normalise.comments(cancellation_reason=reason)
        return await self._change(session_id, SessionAction.DECLINE, changes)

    @_as_signed_in
    async def cancel_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        from . import normalise
        from .sessions import SessionAction

        self.person()
        changes = normalise.comments(cancellation_reason=reason)
        return await self._change(session_id, SessionAction.CANCEL, changes)

    async def _check_late_cancel(self, session: MentorSession) -> None:
        """A confirmed session cancelled inside the mentor's cancellation window needs a reason."""
        from ..domain.booking_rules import is_late_cancel

        booking = await self._storage.booking_rules(session.mentor_id)
        if is_late_cancel(booking, session, self.now()):
            raise InvalidInput("cancellation_reason", messages.late_cancel_needs_reason(booking.cancel_window_hours))

    @_as_signed_in
    async def complete_session(self, session_id: str, feedback: str | None = None) -> MentorSession:
        from . import normalise
        from .sessions import SessionAction

        self.person()
        return await self._change(session_id, SessionAction.COMPLETE, normalise.comments(feedback=feedback))

    @_as_signed_in
    async def rate_session(self, session_id: str, rating: int, review: str | None = None) -> MentorSession:
        from ..domain import rules
        from . import normalise
        from .sessions import SessionAction

        self.person()
        rules.check_rating(rating)
        changes = {"rating": rating, **normalise.comments(review=review)}
        return await self._change(session_id, SessionAction.RATE, changes)

    async def _change(self, session_id: str, action: SessionAction, changes: SessionChanges) -> MentorSession:
        """Apply ``action``: load the session, ask the state machine, then write only if the
        session is still as it was read (compare-and-swap). Zero rows written is never
        success: the session is read again to say what happened meanwhile."""
        from ..domain import rules
        from . import sessions
        from .sessions import SessionAction

        me = self.person()
        step = sessions.CHANGES[action]
        session = await self._party_session(session_id)
        status = rules.next_status(session, me.id, step, self.now())
        if action is SessionAction.CANCEL and not changes.get("cancellation_reason"):
            await self._check_late_cancel(session)
        if status is not session.status:
            changes = {"status": status, **changes}
        written = await self._storage.write_session(
            session_id, session.status, changes, unrated=action is SessionAction.RATE
        )
        if written is not None:
            return written
        fresh = await self._party_session(session_id)
        if fresh.status is not session.status:
            raise NotAllowed(messages.just_became(fresh.status.value))
        rules.next_status(fresh, me.id, step, self.now())  # says why, e.g. rated meanwhile
        raise NotAllowed()

    async def _party_session(self, session_id: str) -> MentorSession:
        found = await self._storage.get_session(session_id)
        if found is None:
            raise NotFound(messages.NO_SUCH_SESSION)
        return found

    # --- rescheduling and no-shows (services/reschedule.py) -----------------------------
    @_as_signed_in
    async def propose_reschedule(self, session_id: str, new_time: datetime, reason: str | None) -> RescheduleRequest:
        """Ask the other party to move the session to ``new_time``, checked (party, not started,
        no open request, the booking rules at the new time) in the backend's transaction."""
        from . import reschedule

        me = self.person()
        kept = reschedule.kept_text("reason", reason)
        check = reschedule.propose_check(me.id, new_time, self.now())
        return await self._storage.propose_reschedule(session_id, new_time, kept, check)

    @_as_signed_in
    async def answer_reschedule(self, request_id: str, answer: RescheduleStatus) -> RescheduleRequest:
        """Accept or decline (the other party) or withdraw (the proposer) an open request; an
        acceptance moves the session in the same step, under the booking rules."""
        from . import reschedule

        me = self.person()
        return await self._storage.answer_reschedule(request_id, answer, reschedule.answer_check(me.id, answer, self.now()))

    @_as_signed_in
    async def reschedules(self) -> list[RescheduleRequest]:
        """Every request to move one of the signed-in person's sessions, oldest first."""
        self.person()
        return await self._storage.reschedules()

    @_as_signed_in
    async def mark_no_show(self, session_id: str, note: str | None = None) -> NoShow:
        """Mark the other party of an ended confirmed session absent, once, with an optional note."""
        from ..domain import no_show
        from . import reschedule

        me = self.person()
        kept = reschedule.kept_text("note", note)
        now = self.now()
        return await self._storage.mark_no_show(
            session_id, kept, lambda session, marks: no_show.check_mark(session, me.id, marks, now)
        )

    @_as_signed_in
    async def no_shows(self) -> list[NoShow]:
        """Every no-show marked on the signed-in person's sessions, oldest first."""
        self.person()
        return await self._storage.no_shows()

    @_as_signed_in
    async def busy_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        self.person()
        return await self._storage.busy_times(mentor_id, start, end)

    # --- the mentor's side --------------------------------------------------------------
    @_as_signed_in
    async def mentor_students(self) -> list[MentorStudent]:
        self._as("mentor")
        return await self._storage.mentor_students()

    @_as_signed_in
    async def get_availability(self, mentor_id: str) -> list[AvailabilitySlot]:
        self.person()
        return await self._storage.get_availability(mentor_id)

    @_as_signed_in
    async def set_availability(
        self, weekday: int, start: time, end: time, slot_id: str | None = None
    ) -> AvailabilitySlot:
        """Add a weekly window, or change ``slot_id``; checked against the mentor's other
        windows as the backend reads them in the same step as its write."""
        from ..domain import rules
        from ..domain.models import AvailabilitySlot

        me = self._as("mentor")
        if not 0 <= weekday <= 6:
            raise InvalidInput("weekday", messages.PICK_WEEKDAY)
        start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
        window = AvailabilitySlot(id=slot_id or "", mentor_id=me.id, weekday=weekday, start_time=start, end_time=end)

        def check(existing: Sequence[AvailabilitySlot]) -> None:
            if slot_id is not None and all(other.id != slot_id for other in existing):
                raise NotFound(messages.NO_SUCH_WINDOW)
            rules.check_availability_slot(window, existing)

        saved = await self._storage.save_availability(weekday, start, end, slot_id, check)
        if saved is None:
            raise NotFound(messages.NO_SUCH_WINDOW)
        return saved

    @_as_signed_in
    async def remove_availability(self, slot_id: str) -> None:
        self._as("mentor")
        if not await self._storage.delete_availability(slot_id):
            raise NotFound(messages.NO_SUCH_WINDOW)

    @_as_signed_in
    async def booking_rules(self, mentor_id: str) -> BookingRules:
        """A mentor's booking rules (the defaults when they set none)."""
        self.person()
        return await self._storage.booking_rules(mentor_id)

    @_as_signed_in
    async def save_booking_rules(self, values: dict[str, int | None]) -> BookingRules:
        """Store the signed-in mentor's rules from the Settings form's values, each within its limits."""
        from ..domain import booking_rules, rules

        me = self._as("mentor")
        rules.raise_first(booking_rules.rules_errors(values))
        return await self._storage.save_booking_rules(booking_rules.from_values(me.id, values))

    @_as_signed_in
    async def mentor_held_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        """The mentor's own held times (for their limits and buffers on the booking form)."""
        self.person()
        return await self._storage.mentor_held_times(mentor_id, start, end)

    @_as_signed_in
    async def dashboard_stats(self) -> DashboardStats:
        """The Overview's figures, counted with the same definitions as the session lists:
        upcoming is ``sessions.is_upcoming``; completed today is a completed session that
        starts on today's date in the mentor's zone."""
        from ..domain.models import DashboardStats, SessionStatus
        from ..domain.slots import day_bounds
        from . import sessions

        me = self._as("mentor")
        await self._storage.expire_stale_requests()  # as the lists do, so both count alike
        totals = await self._storage.mentor_totals()
        mine = [view.session for view in await self._storage.my_sessions() if view.session.mentor_id == me.id]
        now = self.now()
        day_start, day_end = day_bounds(now.astimezone(me.zone).date(), me.zone)
        return DashboardStats(
            total_students=totals.total_students,
            upcoming_sessions=len(sessions.upcoming(mine, now)),
            completed_today=sum(
                1
                for s in mine
                if s.status is SessionStatus.COMPLETED and not s.time_invalid and day_start <= s.scheduled_time < day_end
            ),
            average_rating=totals.average_rating,
            rating_count=totals.rating_count,
        )

    # --- messages and notifications -----------------------------------------------------
    @_as_signed_in
    async def conversations(self) -> list[Conversation]:
        self.person()
        return await self._storage.conversations()

    @_as_signed_in
    async def thread(self, other_id: str, limit: int | None = None, before: datetime | None = None) -> list[Message]:
        """The newest messages with ``other_id`` (older than ``before`` when given, to page
        back), oldest first, at most ``limit`` (bounded)."""
        from . import messages as rules

        mentor_id, student_id = rules.pair(self.person(), other_id)
        count = rules.bounded(limit or rules.THREAD_PAGE, rules.THREAD_MAX)
        return await self._storage.thread(mentor_id, student_id, count, before)

    @_as_signed_in
    async def send_message(self, other_id: str, body: str) -> Message:
        """Send ``body`` to ``other_id``: allowed only when the two share a session, checked by
        the backend in the same step as its insert."""
        from . import messages as rules

        mentor_id, student_id = rules.pair(self.person(), other_id)
        kept = rules.body(body)
        return await self._storage.send_message(mentor_id, student_id, kept, rules.check_shared_session)

    # --- /schedule in a conversation ------------------------------------------------------
    @_as_signed_in
    async def request_in_chat(self, request: BookingRequest) -> tuple[MentorSession, Message]:
        """A student's ``/schedule``: a pending request under every booking rule
        (``create_session``), then a message to the mentor pointing to it."""
        from . import messages as rules

        session = await self.create_session(request)
        message = await self._storage.send_message(
            session.mentor_id,
            session.student_id,
            rules.body(messages.request_message(session.subject)),
            rules.check_shared_session,
            session_id=session.id,
        )
        return session, message

    @_as_signed_in
    async def propose(
        self, student_id: str, subject: str, scheduled_time: datetime, duration_minutes: int
    ) -> tuple[Proposal, Message]:
        """A mentor's ``/schedule``: a proposal to a student they share a session with, with
        the mentor's call link fixed now, and a message carrying it. Whether the time is
        free is checked when the student accepts (the slot may change meanwhile)."""
        from ..domain import rules, text
        from ..domain.meeting import confirmation_link
        from . import messages as message_rules
        from . import proposals

        me = self._as("mentor")
        message_rules.pair(me, student_id)
        kept = text.normalise(subject)
        rules.raise_first(
            rules.booking_errors(
                subject=kept, scheduled_time=scheduled_time, duration_minutes=duration_minutes, notes=None, now=self.now()
            )
        )
        link = confirmation_link(None, me.meeting_url)
        proposal = await self._storage.create_proposal(
            student_id, kept, scheduled_time, duration_minutes, link, proposals.check_shared_session
        )
        message = await self._storage.send_message(
            me.id,
            student_id,
            message_rules.body(messages.proposal_message(kept)),
            message_rules.check_shared_session,
            proposal_id=proposal.id,
        )
        return proposal, message

    @_as_signed_in
    async def proposals_with(self, other_id: str) -> list[Proposal]:
        """The proposals between the signed-in person and ``other_id``, oldest first."""
        from . import messages as rules

        mentor_id, student_id = rules.pair(self.person(), other_id)
        return await self._storage.proposals(mentor_id, student_id)

    @_as_signed_in
    async def accept_proposal(self, proposal_id: str) -> MentorSession:
        """The student accepts: a confirmed session, checked (once, only theirs, before its
        start) on the proposal as the backend reads it in the same step as its insert."""
        from . import proposals

        me = self.person()
        now = self.now()
        return await self._storage.accept_proposal(
            proposal_id, lambda proposal: proposals.check_accept(proposal, me.id, now)
        )

    @_as_signed_in
    async def mark_thread_read(self, other_id: str) -> int:
        """Mark what ``other_id`` sent the signed-in person read, and the notifications of those
        messages with it (read in the thread, they are not news in the inbox); how many messages were unread."""
        from ..domain.models import NotificationKind
        from . import messages as rules

        mentor_id, student_id = rules.pair(self.person(), other_id)
        read = await self._storage.mark_thread_read(mentor_id, student_id)
        if read:
            recent = await self._storage.notifications(rules.NOTIFICATIONS_MAX)
            told = [
                note.id for note in recent
                if note.kind is NotificationKind.MESSAGE and note.actor_id == other_id and note.read_at is None
            ]
            if told:
                await self._storage.mark_notifications_read(told)
        return read

    @_as_signed_in
    async def notifications(self, limit: int | None = None) -> list[Notification]:
        from . import messages as rules

        self.person()
        return await self._storage.notifications(rules.bounded(limit or rules.NOTIFICATIONS_PAGE, rules.NOTIFICATIONS_MAX))

    @_as_signed_in
    async def unread_notifications(self) -> int:
        self.person()
        return await self._storage.unread_notifications()

    @_as_signed_in
    async def mark_notifications_read(self, ids: Sequence[str] | None = None) -> int:
        """Mark the signed-in person's notifications read: those of ``ids``, or every unread one."""
        self.person()
        if ids is not None and not ids:
            return 0
        return await self._storage.mark_notifications_read(None if ids is None else list(ids))

    @_as_signed_in
    async def record_reminder(self, session_id: str, kind: NotificationKind) -> bool:
        """Keep a reminder the app gave (``services.reminders``) as the person's notification,
        once per session and kind: the inbox lists it, and on Supabase the person's other
        devices see it. True when it was new, False when it had been given already;
        ``NotAllowed`` when it is not due now (``reminders.is_due``) for this person."""
        from . import reminders

        me = self.person()
        session = await self._storage.get_session(session_id)
        if session is None or not reminders.is_due(session, me.id, kind, self.now()):
            raise NotAllowed(messages.REMINDER_NOT_DUE)
        return await self._storage.record_reminder(session_id, kind.value)

    # --- live updates -------------------------------------------------------------------
    async def change_token(self) -> int | None:
        """The backend's change signal (``Storage.change_token``): a new value means someone
        else changed what screens show; None when the backend has none."""
        return await self._storage.change_token()

    async def close(self) -> None:
        await self._storage.close()


__all__ = ["Services"]
