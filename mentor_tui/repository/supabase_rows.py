"""PostgREST rows of the Supabase schema, turned into domain models and back.

Column names follow the schema contract (``sql/supabase/``). Rows written by
the web app that shares the project may hold nulls or values mentor-tui never
writes (a null role, an unknown time zone, a session at 'infinity'), so readers
fall back to defaults instead of failing a whole list over one row. What people
wrote passes through as data: showing it safely is the screens' job.

Private fields never come from ``user_profiles``: a person's own email comes
from their auth account and a mentor's room URL from the owner-only
``mentor_private_profiles``.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from ..domain.booking_rules import BookingRules
from ..domain.models import (
    AvailabilitySlot,
    Conversation,
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
    Role,
    TimeRange,
    check_timezone,
    parse_session_time,
)
from ..domain.no_show import NoShow
from ..domain.reschedule import RescheduleRequest

Row = dict[str, Any]

PROFILE_COLUMNS = "user_id,full_name,role,profession,experience,hourly_rate,expertise,bio,timezone"
PRIVATE_COLUMNS = "meeting_url"
SESSION_COLUMNS = (
    "id,mentor_id,student_id,subject,scheduled_time,duration_minutes,status,notes,meeting_link,"
    "feedback,rating,review,cancellation_reason,cancelled_by,declined,cancelled_late,created_at,updated_at,"
    "review_reply,review_replied_at"
)
PARTY_COLUMNS = "user_id,full_name,timezone,hourly_rate"
SLOT_COLUMNS = "id,mentor_id,day_of_week,start_time,end_time"
STUDENT_COLUMNS = "mentor_id,student_id,total_sessions,last_session_date,subjects"
MESSAGE_COLUMNS = "id,mentor_id,student_id,sender_id,body,created_at,read_at,session_id,proposal_id"
PROPOSAL_COLUMNS = ",".join(Proposal.model_fields)
RESCHEDULE_COLUMNS = ",".join(RescheduleRequest.model_fields)
NO_SHOW_COLUMNS = ",".join(NoShow.model_fields)
NOTIFICATION_COLUMNS = "id,user_id,kind,session_id,message_id,actor_id,detail,created_at,read_at"

UNKNOWN_NAME = "Unknown"


def rows_of(data: object) -> list[Row]:
    """PostgREST's JSON answer as rows: an array of objects, or the one object a
    function returning a single row answers with."""
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    return []


def first_row(data: object) -> Row | None:
    found = rows_of(data)
    return found[0] if found else None


def decimal_or_none(value: Any) -> Decimal | None:
    # PostgREST sends numeric as a JSON number; str() keeps 12.5 from becoming 12.4999...
    return None if value is None else Decimal(str(value))


def zone_or_utc(name: str | None) -> str:
    try:
        return check_timezone(name) if name else "UTC"
    except ValueError:
        return "UTC"


def profile_from_row(row: Row, email: str = "", meeting_url: str | None = None) -> Profile:
    """``email`` and ``meeting_url``: the signed-in person's own, from their auth account
    and their private row; another person's profile has neither."""
    try:
        role = Role(row.get("role") or "")
    except ValueError:
        role = Role.STUDENT
    return Profile(
        id=row["user_id"],
        email=email,
        full_name=row.get("full_name") or "",
        role=role,
        profession=row.get("profession"),
        experience=row.get("experience"),
        hourly_rate=decimal_or_none(row.get("hourly_rate")),
        expertise=tuple(row.get("expertise") or ()),
        bio=row.get("bio"),
        timezone=zone_or_utc(row.get("timezone")),
        meeting_url=meeting_url,
    )


def summary_from_row(row: Row) -> MentorSummary:
    """A row of the ``mentor_directory`` RPC."""
    return MentorSummary(
        profile=profile_from_row({**row, "role": Role.MENTOR.value}),
        average_rating=decimal_or_none(row.get("average_rating")),
        rating_count=row.get("rating_count") or 0,
    )


def page_from_rows(found: list[Row]) -> MentorPage:
    """The rows of the ``mentor_directory`` RPC: each carries the number of all matches."""
    return MentorPage(
        mentors=tuple(summary_from_row(row) for row in found),
        total=int(found[0].get("total_count") or 0) if found else 0,
    )


def session_from_row(row: Row) -> MentorSession:
    scheduled_time, time_invalid = parse_session_time(row.get("scheduled_time"))
    return MentorSession.model_validate(
        {
            **{name: row.get(name) for name in SESSION_COLUMNS.split(",")},
            "declined": bool(row.get("declined")),  # null in a row another client wrote before 014
            "scheduled_time": scheduled_time,
            "time_invalid": time_invalid,
        }
    )


def slot_from_row(row: Row) -> AvailabilitySlot:
    return AvailabilitySlot(
        id=row["id"],
        mentor_id=row["mentor_id"],
        weekday=row["day_of_week"],
        start_time=time.fromisoformat(row["start_time"]),
        end_time=time.fromisoformat(row["end_time"]),
    )


def slot_body(weekday: int, start: time, end: time) -> Row:
    return {
        "day_of_week": weekday,
        "start_time": start.isoformat(timespec="seconds"),
        "end_time": end.isoformat(timespec="seconds"),
    }


def review_from_row(row: Row) -> Review:
    session_date, time_invalid = parse_session_time(row.get("session_date"))
    return Review(
        rating=row["rating"],
        comment=row.get("review"),
        session_date=session_date,
        time_invalid=time_invalid,
        reply=row.get("review_reply"),
    )


RULE_COLUMNS = ",".join(name for name in BookingRules.__dataclass_fields__ if name != "mentor_id")


def booking_rules_from_row(mentor_id: str, row: Row | None) -> BookingRules:
    """A mentor's rules; the defaults when they have no row."""
    if row is None:
        return BookingRules(mentor_id=mentor_id)
    return BookingRules(mentor_id=mentor_id, **{name: row[name] for name in RULE_COLUMNS.split(",")})


def booking_rules_body(rules: BookingRules) -> dict[str, int | None]:
    return {name: getattr(rules, name) for name in RULE_COLUMNS.split(",")}


def busy_from_row(row: Row) -> TimeRange | None:
    """A held interval, or None when a stored time is unusable: no slot can be computed from it."""
    (start, bad_start), (end, bad_end) = parse_session_time(row.get("start_time")), parse_session_time(row.get("end_time"))
    return None if bad_start or bad_end else TimeRange(start=start, end=end)


def student_from_row(row: Row, name: str) -> MentorStudent:
    last, invalid = parse_session_time(row.get("last_session_date"))
    return MentorStudent(
        mentor_id=row["mentor_id"],
        student_id=row["student_id"],
        student_name=name,
        total_sessions=row.get("total_sessions") or 0,
        last_session_date=None if invalid else last,
        subjects=tuple(row.get("subjects") or ()),
    )


def message_from_row(row: Row) -> Message:
    return Message.model_validate({name: row.get(name) for name in MESSAGE_COLUMNS.split(",")})


def proposal_from_row(row: Row) -> Proposal:
    return Proposal.model_validate({name: row.get(name) for name in PROPOSAL_COLUMNS.split(",")})


def reschedule_from_row(row: Row) -> RescheduleRequest:
    return RescheduleRequest.model_validate({name: row.get(name) for name in RESCHEDULE_COLUMNS.split(",")})


def no_show_from_row(row: Row) -> NoShow:
    return NoShow.model_validate({name: row.get(name) for name in NO_SHOW_COLUMNS.split(",")})


def conversation_from_row(row: Row) -> Conversation:
    """A row of the ``mentor_conversations`` RPC: the last message, the other party, the unread count."""
    return Conversation(
        other_id=row["other_id"],
        other_name=row.get("other_name") or UNKNOWN_NAME,
        last=message_from_row(row),
        unread=row.get("unread") or 0,
    )


def notification_from_row(row: Row, actor_name: str) -> Notification:
    return Notification.model_validate(
        {**{name: row.get(name) for name in NOTIFICATION_COLUMNS.split(",")}, "actor_name": actor_name}
    )


def totals_from_row(row: Row) -> MentorTotals:
    """A row of the ``mentor_dashboard_stats`` RPC; its session counts are the services' to make."""
    return MentorTotals(
        total_students=row.get("total_students") or 0,
        average_rating=decimal_or_none(row.get("average_rating")),
        rating_count=row.get("rating_count") or 0,
    )


def profile_body(changes: ProfileUpdate) -> Row:
    """The ``user_profiles`` columns to PATCH: only the fields that were given (already
    normalised by the services). The room URL is not among them: it lives in
    ``mentor_private_profiles`` (``private_body``)."""
    body: Row = {}
    for name, value in changes.model_dump(exclude_unset=True, exclude={"meeting_url"}).items():
        if name == "hourly_rate" and value is not None:
            value = str(value)  # a JSON string keeps the Decimal exact; PostgREST casts it to numeric
        elif name == "expertise":
            value = list(value)
        body[name] = value
    return body


def private_body(user_id: str, changes: ProfileUpdate) -> Row | None:
    """The owner-only row to upsert when the room URL was given (None clears it), else None."""
    if "meeting_url" not in changes.model_fields_set:
        return None
    return {"user_id": user_id, "meeting_url": changes.meeting_url}
