"""PostgREST rows of the Supabase schema, turned into domain models and back.

Column names follow the schema contract (``sql/supabase/``). Rows written by
the web app that shares the project may hold nulls or values mentor-tui never
writes (a null role, an unknown time zone), so readers fall back to defaults
instead of failing a whole list over one row.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from ..domain.models import (
    AvailabilitySlot,
    DashboardStats,
    MentorSession,
    MentorStudent,
    MentorSummary,
    Profile,
    ProfileUpdate,
    Review,
    Role,
    TimeRange,
    check_timezone,
)

Row = dict[str, Any]

PROFILE_COLUMNS = (
    "user_id,email,full_name,role,profession,experience,hourly_rate,expertise,bio,timezone,meeting_url"
)
SESSION_COLUMNS = (
    "id,mentor_id,student_id,subject,scheduled_time,duration_minutes,status,notes,meeting_link,"
    "feedback,rating,review,cancellation_reason,created_at,updated_at"
)
PARTY_COLUMNS = "user_id,full_name,timezone,hourly_rate"
SLOT_COLUMNS = "id,mentor_id,day_of_week,start_time,end_time"
STUDENT_COLUMNS = "mentor_id,student_id,total_sessions,last_session_date,subjects"

UNKNOWN_NAME = "Unknown"


def decimal_or_none(value: Any) -> Decimal | None:
    # PostgREST sends numeric as a JSON number; str() keeps 12.5 from becoming 12.4999...
    return None if value is None else Decimal(str(value))


def zone_or_utc(name: str | None) -> str:
    try:
        return check_timezone(name) if name else "UTC"
    except ValueError:
        return "UTC"


def profile_from_row(row: Row, email: str = "") -> Profile:
    """``email``: the auth account's address, for rows that do not copy it."""
    try:
        role = Role(row.get("role"))
    except ValueError:
        role = Role.STUDENT
    return Profile(
        id=row["user_id"],
        email=row.get("email") or email,
        full_name=row.get("full_name") or "",
        role=role,
        profession=row.get("profession"),
        experience=row.get("experience"),
        hourly_rate=decimal_or_none(row.get("hourly_rate")),
        expertise=tuple(row.get("expertise") or ()),
        bio=row.get("bio"),
        timezone=zone_or_utc(row.get("timezone")),
        meeting_url=row.get("meeting_url"),
    )


def summary_from_row(row: Row) -> MentorSummary:
    """A row of the ``mentor_directory`` RPC."""
    return MentorSummary(
        profile=profile_from_row({**row, "role": Role.MENTOR.value}),
        average_rating=decimal_or_none(row.get("average_rating")),
        rating_count=row.get("rating_count") or 0,
    )


def session_from_row(row: Row) -> MentorSession:
    return MentorSession.model_validate({name: row.get(name) for name in SESSION_COLUMNS.split(",")})


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
    return Review(rating=row["rating"], comment=row.get("review"), session_date=row["session_date"])


def busy_from_row(row: Row) -> TimeRange:
    return TimeRange(start=row["start_time"], end=row["end_time"])


def student_from_row(row: Row, name: str) -> MentorStudent:
    return MentorStudent(
        mentor_id=row["mentor_id"],
        student_id=row["student_id"],
        student_name=name,
        total_sessions=row.get("total_sessions") or 0,
        last_session_date=row.get("last_session_date"),
        subjects=tuple(row.get("subjects") or ()),
    )


def stats_from_row(row: Row) -> DashboardStats:
    return DashboardStats(
        total_students=row.get("total_students") or 0,
        upcoming_sessions=row.get("upcoming_sessions") or 0,
        completed_today=row.get("completed_today") or 0,
        average_rating=decimal_or_none(row.get("average_rating")),
        rating_count=row.get("rating_count") or 0,
    )


_CLEARABLE = ("profession", "experience", "bio", "meeting_url")
"""Optional text columns: an empty value clears them (the meeting URL must otherwise be https)."""


def profile_body(changes: ProfileUpdate) -> Row:
    """The columns to PATCH: only the fields that were given."""
    body: Row = {}
    for name, value in changes.model_dump(exclude_none=True).items():
        if name == "hourly_rate":
            value = str(value)  # a JSON string keeps the Decimal exact; PostgREST casts it to numeric
        elif name == "expertise":
            value = list(value)
        elif name in _CLEARABLE:
            value = value.strip() or None
        elif name == "full_name":
            value = value.strip()
        body[name] = value
    return body
