"""The application layer: every screen of both roles calls these methods, and only these.

``Services`` holds who is signed in (the one place that does), applies the rules
before anything is stored, and leaves storage to a backend (``repository.base``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import TYPE_CHECKING

from ..domain.errors import NotAllowed, NotSignedIn

if TYPE_CHECKING:
    from ..clock import Clock
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
    from ..repository.base import Repository
    from .sessions import SessionAction



class Services:
    """What a signed-in person can do, whichever backend stores it."""

    def __init__(self, storage: Repository, clock: Clock) -> None:
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
            raise NotAllowed(f"Only {role}s can do that.")
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
        person = await self._storage.sign_in(email, password)
        self._set_person(person)
        return person

    async def sign_up(self, email: str, password: str, full_name: str, role: Role) -> Profile:
        person = await self._storage.sign_up(email, password, full_name, role)
        self._set_person(person)
        return person

    async def sign_out(self) -> None:
        try:
            await self._storage.sign_out()
        finally:
            self._set_person(None)

    async def update_profile(self, changes: ProfileUpdate) -> Profile:
        self.person()
        person = await self._storage.update_profile(changes)
        self._set_person(person)
        return person

    # --- the directory ------------------------------------------------------------------
    async def list_mentors(self, text: str = "", expertise: str | None = None) -> list[MentorSummary]:
        self.person()
        return await self._storage.list_mentors(text, expertise)

    async def get_mentor(self, mentor_id: str) -> MentorSummary:
        self.person()
        return await self._storage.get_mentor(mentor_id)

    async def mentor_reviews(self, mentor_id: str, limit: int = 10) -> list[Review]:
        self.person()
        return await self._storage.mentor_reviews(mentor_id, limit)

    # --- sessions -----------------------------------------------------------------------
    async def my_sessions(self) -> list[SessionView]:
        self.person()
        return await self._storage.my_sessions()

    async def create_session(self, request: BookingRequest) -> MentorSession:
        self._as("student")
        return await self._storage.create_session(request)

    async def confirm_session(self, session_id: str, meeting_link: str = "") -> MentorSession:
        self._as("mentor")
        return await self._storage.confirm_session(session_id, meeting_link)

    async def decline_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        self._as("mentor")
        return await self._storage.decline_session(session_id, reason)

    async def cancel_session(self, session_id: str, reason: str | None = None) -> MentorSession:
        self.person()
        return await self._storage.cancel_session(session_id, reason)

    async def complete_session(self, session_id: str, feedback: str | None = None) -> MentorSession:
        self._as("mentor")
        return await self._storage.complete_session(session_id, feedback)

    async def rate_session(self, session_id: str, rating: int, review: str | None = None) -> MentorSession:
        self._as("student")
        return await self._storage.rate_session(session_id, rating, review)

    async def busy_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        self.person()
        return await self._storage.busy_times(mentor_id, start, end)

    # --- the mentor's side --------------------------------------------------------------
    async def mentor_students(self) -> list[MentorStudent]:
        self._as("mentor")
        return await self._storage.mentor_students()

    async def get_availability(self, mentor_id: str) -> list[AvailabilitySlot]:
        self.person()
        return await self._storage.get_availability(mentor_id)

    async def set_availability(
        self, weekday: int, start: time, end: time, slot_id: str | None = None
    ) -> AvailabilitySlot:
        self._as("mentor")
        return await self._storage.set_availability(weekday, start, end, slot_id)

    async def remove_availability(self, slot_id: str) -> None:
        self._as("mentor")
        await self._storage.remove_availability(slot_id)

    async def dashboard_stats(self) -> DashboardStats:
        self._as("mentor")
        return await self._storage.dashboard_stats()

    async def close(self) -> None:
        await self._storage.close()


__all__ = ["Services"]
