"""Pydantic models shared by the screens and every backend.

Times are tz-aware; instants are kept in UTC and converted for display only.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Role(StrEnum):
    STUDENT = "student"
    MENTOR = "mentor"


class SessionStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = frozenset({SessionStatus.PENDING, SessionStatus.CONFIRMED})
"""Sessions that hold a slot: they may not overlap for one mentor or one student."""


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("time must carry a time zone")
    return value.astimezone(UTC)


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]

EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
"""No session is earlier than this; the booking rule and both databases refuse it."""
LATEST_STORED_TIME = datetime(2200, 1, 1, tzinfo=UTC)
"""A stored time from this on is treated as invalid. Booking allows two years ahead;
this looser bound keeps reading a pure function of the row and date arithmetic safe."""
INVALID_TIME = EARLIEST_TIME
"""What ``scheduled_time`` holds when the stored value was unusable (``time_invalid``)."""


def parse_session_time(raw: object) -> tuple[datetime, bool]:
    """A stored session time as ``(utc datetime, False)``, or ``(INVALID_TIME, True)``.

    Rows written by other clients or by hand may hold anything PostgreSQL or SQLite accept
    ('infinity', the year 20000, 1970, garbage); one such row must never break a list.
    ``raw`` is a datetime or an ISO 8601 string; a value without a zone is taken as UTC,
    as both databases store UTC.
    """
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str):
        try:
            value = datetime.fromisoformat(raw.strip())
        except ValueError:
            return INVALID_TIME, True
    else:
        return INVALID_TIME, True
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        return INVALID_TIME, True
    if not EARLIEST_TIME <= value < LATEST_STORED_TIME:
        return INVALID_TIME, True
    return value, False
TimeZoneName = Annotated[str, AfterValidator(check_timezone)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Profile(_Model):
    id: str
    """The person's user id (on Supabase, ``auth.users.id``)."""
    email: str = ""
    full_name: str
    role: Role
    profession: str | None = None
    experience: str | None = None
    """Free text, as existing databases hold it ("5 years", "Senior")."""
    hourly_rate: Decimal | None = None
    expertise: tuple[str, ...] = ()
    bio: str | None = None
    timezone: TimeZoneName = "UTC"
    meeting_url: str | None = None
    """A mentor's own call room; confirming uses it when set."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ProfileUpdate(_Model):
    """Changes to the signed-in person's own profile; ``None`` leaves a field as it is."""

    full_name: str | None = None
    profession: str | None = None
    experience: str | None = None
    hourly_rate: Decimal | None = None
    expertise: tuple[str, ...] | None = None
    bio: str | None = None
    timezone: TimeZoneName | None = None
    meeting_url: str | None = None


class MentorSession(_Model):
    id: str
    mentor_id: str
    student_id: str
    subject: str
    scheduled_time: UtcDatetime
    duration_minutes: int
    status: SessionStatus
    notes: str | None = None
    meeting_link: str | None = None
    feedback: str | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    review: str | None = None
    cancellation_reason: str | None = None
    cancelled_by: str | None = None
    """Who cancelled or declined it (a party's user id); None when not cancelled or not recorded."""
    declined: bool = False
    """Cancelled by the mentor while it was still a request: shown as "Declined"."""
    cancelled_late: bool | None = None
    """Cancelled inside the mentor's cancellation window (recorded by the database)."""
    created_at: UtcDatetime
    updated_at: UtcDatetime
    review_reply: str | None = None
    """The mentor's one reply to the student's review (``domain.session_notes``)."""
    review_replied_at: UtcDatetime | None = None
    time_invalid: bool = False
    """The stored time could not be read or is out of bounds (see ``parse_session_time``);
    ``scheduled_time`` is then ``INVALID_TIME``, lists say "invalid time" and no action applies."""

    @property
    def end_time(self) -> datetime:
        return self.scheduled_time + timedelta(minutes=self.duration_minutes)


class SessionView(_Model):
    """A session with what a list needs to show about the other party."""

    session: MentorSession
    mentor_name: str
    student_name: str
    mentor_timezone: str = "UTC"
    student_timezone: str = "UTC"
    hourly_rate: Decimal | None = None


class BookingRequest(_Model):
    """What a student submits; validated by ``rules.validate_booking``."""

    mentor_id: str
    subject: str
    scheduled_time: UtcDatetime
    duration_minutes: int
    notes: str | None = None


class AvailabilitySlot(_Model):
    """A weekly window in the mentor's own time zone. ``weekday``: 0 = Monday ... 6 = Sunday."""

    id: str
    mentor_id: str
    weekday: int = Field(ge=0, le=6)
    start_time: time
    end_time: time


class TimeRange(_Model):
    """A busy interval, without saying whose session holds it."""

    start: UtcDatetime
    end: UtcDatetime


class MentorSummary(_Model):
    """A mentor as the directory lists them, with public rating aggregates."""

    profile: Profile
    average_rating: Decimal | None = None
    rating_count: int = 0


class Review(_Model):
    """A public review: rating, comment and date, never the student's identity."""

    rating: int = Field(ge=1, le=5)
    comment: str | None = None
    session_date: UtcDatetime
    time_invalid: bool = False
    """As ``MentorSession.time_invalid``: the session's stored time was unusable."""
    reply: str | None = None
    """The mentor's reply, shown to everyone who sees the review."""


class ReviewStats(_Model):
    """A mentor's maintained figures for their page: ratings per star and completed sessions."""

    stars: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    """How many ratings of 1, 2, 3, 4 and 5 stars."""
    completed_sessions: int = 0


class SessionNotes(_Model):
    """A session's summary in Markdown, written by its mentor, read by both parties."""

    session_id: str
    summary: str
    updated_at: UtcDatetime
    session_time: UtcDatetime | None = None
    """When the session was held (None when its stored time was unusable)."""


class MentorStudent(_Model):
    mentor_id: str
    student_id: str
    student_name: str
    total_sessions: int
    last_session_date: UtcDatetime | None = None
    subjects: tuple[str, ...] = ()
    no_shows: int = 0
    """How many sessions the mentor marked the student absent from (``domain.no_show``)."""


class MentorTotals(_Model):
    """What storage counts for a mentor's overview; the session counts are the services'."""

    total_students: int
    average_rating: Decimal | None = None
    rating_count: int = 0


class NotificationKind(StrEnum):
    """What a notification tells; the databases hold the same set as a CHECK."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    RATED = "rated"
    MESSAGE = "message"
    REMINDER = "reminder"
    """A confirmed session starts soon (the person's lead time); written when the app reminds them."""
    STARTING = "starting"
    """A confirmed session starts now; written when the app reminds them."""
    RESCHEDULE_PROPOSED = "reschedule_proposed"
    RESCHEDULE_ACCEPTED = "reschedule_accepted"
    RESCHEDULE_DECLINED = "reschedule_declined"
    RESCHEDULE_WITHDRAWN = "reschedule_withdrawn"
    """The proposer withdrew their request to move a session; written for the other party."""
    NO_SHOW = "no_show"
    """The other party marked the reader absent from a session that has ended (detail: their note)."""
    NOTES_WRITTEN = "notes_written"
    """The mentor wrote or changed a session's notes; written for the student, once until read."""
    REVIEW_REPLIED = "review_replied"
    """The mentor replied to the student's review (detail: the reply)."""


NOTIFICATION_DETAIL_MAX = 200
"""The longest excerpt (reason, feedback, review, message) a notification keeps."""


class Message(_Model):
    """One message between a mentor and a student; ``read_at`` is set by the recipient, once."""

    id: str
    mentor_id: str
    student_id: str
    sender_id: str
    body: str
    created_at: UtcDatetime
    read_at: UtcDatetime | None = None
    session_id: str | None = None
    """The session request this message announces (a student's ``/schedule``)."""
    proposal_id: str | None = None
    """The proposal this message carries (a mentor's ``/schedule``)."""


class Proposal(_Model):
    """A session a mentor proposes to a student; accepting it, once and before it starts,
    makes it a confirmed session (``accepted_session_id``) with the mentor's link."""

    id: str
    mentor_id: str
    student_id: str
    subject: str
    scheduled_time: UtcDatetime
    duration_minutes: int
    meeting_link: str
    created_at: UtcDatetime
    accepted_session_id: str | None = None
    accepted_at: UtcDatetime | None = None

    @property
    def end_time(self) -> datetime:
        return self.scheduled_time + timedelta(minutes=self.duration_minutes)


class Conversation(_Model):
    """The signed-in person's conversation with one other party."""

    other_id: str
    other_name: str
    last: Message
    unread: int = 0
    """Messages from the other party the signed-in person has not read."""


class Notification(_Model):
    """Something that happened to one of the signed-in person's sessions or conversations,
    written by the database; ``detail`` is a bounded excerpt of what a person wrote."""

    id: str
    user_id: str
    kind: NotificationKind
    session_id: str | None = None
    message_id: str | None = None
    actor_id: str | None = None
    actor_name: str = ""
    detail: str | None = None
    created_at: UtcDatetime
    read_at: UtcDatetime | None = None


class DashboardStats(_Model):
    total_students: int
    upcoming_sessions: int
    completed_today: int
    average_rating: Decimal | None = None
    rating_count: int = 0


class MentorOrder(StrEnum):
    """The directory's orders, in the order the sort key cycles through them."""

    RATING = "rating"
    """Best rated first (higher average, then more ratings); unrated mentors last."""
    RATE = "rate"
    """Cheapest first; mentors without a rate last."""
    NAME = "name"
    """A-Z, without regard to case."""


class MentorPage(_Model):
    """The first matches of a directory search, and how many match in all."""

    mentors: tuple[MentorSummary, ...] = ()
    total: int = 0


__all__ = [
    "ACTIVE_STATUSES",
    "EARLIEST_TIME",
    "INVALID_TIME",
    "LATEST_STORED_TIME",
    "NOTIFICATION_DETAIL_MAX",
    "AvailabilitySlot",
    "BookingRequest",
    "Conversation",
    "DashboardStats",
    "MentorOrder",
    "MentorPage",
    "MentorSession",
    "MentorStudent",
    "MentorSummary",
    "MentorTotals",
    "Message",
    "Notification",
    "NotificationKind",
    "Profile",
    "ProfileUpdate",
    "Proposal",
    "Review",
    "ReviewStats",
    "SessionNotes",
    "Role",
    "SessionStatus",
    "SessionView",
    "TimeRange",
    "check_timezone",
    "parse_session_time",
]
