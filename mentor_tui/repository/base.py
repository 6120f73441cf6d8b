"""The one interface screens use to reach data, whichever backend is behind it.

Every method is a coroutine: the Supabase backend awaits HTTP, the embedded
one runs SQLite in a worker thread, and screens call both the same way from
Textual workers. Each method acts as the signed-in person only; the errors it
raises are the typed ones below, never a driver's own.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Protocol, runtime_checkable

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
    DashboardStats,
    MentorSession,
    MentorStudent,
    MentorSummary,
    Profile,
    ProfileUpdate,
    Review,
    Role,
    SessionView,
    TimeRange,
)

__all__ = [
    "BackendUnavailable",
    "InvalidCredentials",
    "InvalidInput",
    "MentorError",
    "NotAllowed",
    "NotFound",
    "NotSignedIn",
    "OutsideAvailability",
    "Repository",
    "SlotTaken",
]


@runtime_checkable
class Repository(Protocol):
    name: str
    """"local" or "supabase", for the header and for messages."""

    @property
    def current_user(self) -> Profile | None:
        """The signed-in person's profile as last loaded, or None."""

    # --- auth -----------------------------------------------------------
    async def sign_up(self, email: str, password: str, full_name: str, role: Role) -> Profile:
        """Create an account and sign in as it; remembers the sign-in on disk.

        InvalidInput("email" | "password" | "full_name") for bad values or an email in use.
        """

    async def sign_in(self, email: str, password: str) -> Profile:
        """InvalidCredentials for a wrong email or password; remembers the sign-in on disk."""

    async def sign_out(self) -> None:
        """Forget the sign-in here and on disk (and revoke it on the server)."""

    async def restore(self) -> Profile | None:
        """Resume the remembered sign-in; None when there is none or it is no longer valid."""

    # --- profiles -------------------------------------------------------
    async def update_profile(self, changes: ProfileUpdate) -> Profile:
        """Change the signed-in person's own profile; InvalidInput names a bad field."""

    async def list_mentors(self, text: str = "", expertise: str | None = None) -> list[MentorSummary]:
        """Mentors whose name, profession or expertise contains ``text`` (case-insensitive),
        optionally only those with the expertise tag ``expertise``; sorted by name."""

    async def get_mentor(self, mentor_id: str) -> MentorSummary:
        """NotFound when there is no mentor with that id."""

    async def mentor_reviews(self, mentor_id: str, limit: int = 10) -> list[Review]:
        """The newest public reviews of a mentor: rating, comment and date, no student identity."""

    # --- sessions -------------------------------------------------------
    async def my_sessions(self) -> list[SessionView]:
        """Every session the signed-in person is a party to (as mentor or as student),
        newest first, with the other party's name."""

    async def create_session(self, request: BookingRequest) -> MentorSession:
        """A student books: a pending request. InvalidInput, OutsideAvailability, SlotTaken, NotAllowed."""

    async def confirm_session(self, session_id: str, meeting_link: str) -> MentorSession:
        """The mentor accepts a pending request; the status check and the write are one step."""

    async def decline_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        """The mentor refuses a pending request (it becomes cancelled, with the reason)."""

    async def cancel_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        """Either party cancels a pending or confirmed session."""

    async def complete_session(self, session_id: str, feedback: str | None = None) -> MentorSession:
        """The mentor completes a confirmed session once it has started."""

    async def rate_session(self, session_id: str, rating: int, review: str | None = None) -> MentorSession:
        """The student rates a completed session once, 1-5, with an optional comment."""

    async def busy_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        """Intervals in ``[start, end)`` held by the mentor's or the signed-in student's
        pending/confirmed sessions, without saying whose they are."""

    # --- mentor side ----------------------------------------------------
    async def mentor_students(self) -> list[MentorStudent]:
        """The signed-in mentor's students with totals, subjects and last session."""

    async def get_availability(self, mentor_id: str) -> list[AvailabilitySlot]:
        """A mentor's weekly windows, in the mentor's time zone, by weekday then start."""

    async def set_availability(
        self, weekday: int, start: time, end: time, slot_id: str | None = None
    ) -> AvailabilitySlot:
        """Add a weekly window for the signed-in mentor, or change ``slot_id``.
        InvalidInput for an empty window or one overlapping another that day."""

    async def remove_availability(self, slot_id: str) -> None:
        """Remove one of the signed-in mentor's windows; NotFound if it is not theirs."""

    async def dashboard_stats(self) -> DashboardStats:
        """The signed-in mentor's figures; "today" is the mentor's own calendar day."""

    async def close(self) -> None:
        """Release connections; the remembered sign-in stays on disk."""
