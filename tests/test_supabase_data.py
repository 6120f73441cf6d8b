"""The exact PostgREST requests each SupabaseRepository data operation sends, and how it reads the answers."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from test_supabase_double import (  # noqa: F401  (fixtures: mentor, project, repo, state_dir, student)
    ANON_KEY,
    MENTOR_ID,
    MENTOR_USER,
    SESSION_ID,
    SLOT_ID,
    STUDENT_ID,
    STUDENT_USER,
    Seen,
    page,
    sign_in_as,
    mentor,
    profile_row,
    project,
    repo,
    rows,
    session_row,
    state_dir,
    student,
)

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed, NotFound, OutsideAvailability, SlotTaken
from mentor_tui.domain.models import BookingRequest, MentorOrder, MentorPage, ProfileUpdate, Role, SessionStatus
from mentor_tui.repository.supabase_rows import (
    PROFILE_COLUMNS,
    SESSION_COLUMNS,
    SLOT_COLUMNS,
    STUDENT_COLUMNS,
)
from mentor_tui.services.core import DIRECTORY_ROWS

REPRESENTATION = "return=representation"
WEDNESDAY_2PM_BERLIN = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
SESSION_QUERY = [("select", SESSION_COLUMNS), ("id", f"eq.{SESSION_ID}")]


def signed(seen: Seen, session: dict) -> None:
    """Every data request carries the anon key and the person's access token."""
    assert seen.headers["apikey"] == ANON_KEY
    assert seen.bearer == session["access_token"]


def slot_row(weekday: int = 2, start: str = "09:00:00", end: str = "17:00:00", slot_id: str = SLOT_ID) -> dict:
    return {"id": slot_id, "mentor_id": MENTOR_ID, "day_of_week": weekday, "start_time": start, "end_time": end}


# --- profiles -----------------------------------------------------------


async def test_update_profile_patches_only_the_given_fields(repo, project, mentor):
    updated = profile_row(MENTOR_USER, full_name="Maya M.", hourly_rate=75.5, expertise=["Python", "Rust"])
    project.on("PATCH", "/rest/v1/user_profiles", rows([updated]))
    project.on("GET", "/rest/v1/mentor_private_profiles", rows([{"meeting_url": None}]))

    profile = await repo.update_profile(
        ProfileUpdate(
            full_name=" Maya M. ", hourly_rate=Decimal("75.50"), expertise=("Python", " rust", "Rust", ""), bio=" "
        )
    )

    patch = project.only("PATCH", "/rest/v1/user_profiles")
    signed(patch, mentor)
    assert patch.params == [("user_id", f"eq.{MENTOR_ID}"), ("select", PROFILE_COLUMNS)]
    assert patch.headers["prefer"] == REPRESENTATION
    assert patch.body == {
        "full_name": "Maya M.",
        "hourly_rate": "75.50",
        "expertise": ["Python", "rust"],  # trimmed, blanks and repeats (ignoring case) dropped
        "bio": None,  # an emptied field is cleared
    }
    assert profile.full_name == "Maya M." and profile.hourly_rate == Decimal("75.5")
    assert profile.email == "maya@example.org"
    assert repo.me == profile
    # No room URL given: the private row is only read, for the profile returned.
    assert project.calls() == [("PATCH", "/rest/v1/user_profiles"), ("GET", "/rest/v1/mentor_private_profiles")]


async def test_the_room_url_is_upserted_into_the_private_table_only(repo, project, mentor):
    room = "https://meet.example.org/maya"
    project.on("POST", "/rest/v1/mentor_private_profiles", rows([{"user_id": MENTOR_ID, "meeting_url": room}], 201))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(MENTOR_USER)]))

    profile = await repo.update_profile(ProfileUpdate(meeting_url=f" {room} "))

    upsert = project.only("POST", "/rest/v1/mentor_private_profiles")
    signed(upsert, mentor)
    assert upsert.params == [("on_conflict", "user_id")]
    assert set(upsert.headers["prefer"].split(",")) == {"return=representation", "resolution=merge-duplicates"}
    assert upsert.body == {"user_id": MENTOR_ID, "meeting_url": room}
    # Never written into user_profiles, only read from it for the profile returned.
    assert project.calls() == [("POST", "/rest/v1/mentor_private_profiles"), ("GET", "/rest/v1/user_profiles")]
    assert profile.meeting_url == room and repo.me == profile


async def test_an_emptied_room_url_clears_the_private_row(repo, project, state_dir):
    await sign_in_as(repo, project, MENTOR_USER, room="https://meet.example.org/old")
    assert repo.me.meeting_url == "https://meet.example.org/old"
    project.on("POST", "/rest/v1/mentor_private_profiles", rows([{"user_id": MENTOR_ID, "meeting_url": None}], 201))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(MENTOR_USER)]))

    profile = await repo.update_profile(ProfileUpdate(meeting_url="  "))

    assert project.only("POST", "/rest/v1/mentor_private_profiles").body == {"user_id": MENTOR_ID, "meeting_url": None}
    assert profile.meeting_url is None


async def test_update_profile_checks_fields_before_sending(repo, project, mentor):
    with pytest.raises(InvalidInput) as caught:
        await repo.update_profile(ProfileUpdate(hourly_rate=Decimal("10001")))
    assert caught.value.field == "hourly_rate"
    with pytest.raises(InvalidInput) as caught:
        await repo.update_profile(ProfileUpdate(meeting_url="http://insecure.example.org"))
    assert caught.value.field == "meeting_url"
    assert project.seen == []


async def test_update_profile_without_changes_sends_nothing(repo, project, student):
    assert await repo.update_profile(ProfileUpdate()) == repo.me
    assert project.seen == []


async def test_list_mentors_calls_the_directory_rpc(repo, project, student):
    directory_row = {
        **profile_row(MENTOR_USER),
        "average_rating": 4.67,
        "rating_count": 3,
        "total_count": 412,
    }
    del directory_row["role"]
    project.on("POST", "/rest/v1/rpc/mentor_directory", rows([directory_row]))

    page = await repo.list_mentors(" py ", expertise="Python", order=MentorOrder.RATING, limit=1)

    call = project.only("POST", "/rest/v1/rpc/mentor_directory")
    signed(call, student)
    assert call.params == []
    assert call.body == {"search": "py", "tag": "Python", "sort": "rating", "max_rows": 1}
    assert page.total == 412
    (found,) = page.mentors
    assert found.profile.id == MENTOR_ID and found.profile.role is Role.MENTOR
    assert found.profile.expertise == ("Python", "PostgreSQL")
    assert found.profile.hourly_rate == Decimal("60.0")
    assert (found.average_rating, found.rating_count) == (Decimal("4.67"), 3)


async def test_list_mentors_without_filters(repo, project, student):
    project.on("POST", "/rest/v1/rpc/mentor_directory", rows([]))

    assert await repo.list_mentors() == MentorPage(mentors=(), total=0)
    assert project.only("POST", "/rest/v1/rpc/mentor_directory").body == {
        "search": "", "tag": None, "sort": "name", "max_rows": DIRECTORY_ROWS,
    }


async def test_expertise_tags_call_their_own_rpc(repo, project, student):
    project.on("POST", "/rest/v1/rpc/mentor_expertise_tags", rows([{"tag": "sql"}, {"tag": "Python"}, {"tag": "SQL"}]))

    assert await repo.expertise_tags() == ["Python", "SQL", "sql"]  # A-Z without regard to case, then as spelt
    signed(project.only("POST", "/rest/v1/rpc/mentor_expertise_tags"), student)


async def test_get_mentor_reads_one_profile(repo, project, student):
    project.on(
        "POST",
        "/rest/v1/rpc/mentor_profile",
        rows([{**profile_row(MENTOR_USER), "average_rating": None, "rating_count": 0}]),
    )

    found = await repo.get_mentor(MENTOR_ID)

    call = project.only("POST", "/rest/v1/rpc/mentor_profile")
    assert call.params == []
    assert call.body == {"mentor": MENTOR_ID}
    assert found.profile.full_name == "Maya Mentor" and found.average_rating is None


async def test_get_mentor_unknown_is_not_found(repo, project, student):
    project.on("POST", "/rest/v1/rpc/mentor_profile", rows([]))

    with pytest.raises(NotFound):
        await repo.get_mentor(STUDENT_ID)


async def test_mentor_reviews_calls_the_reviews_rpc(repo, project, student):
    project.on(
        "POST",
        "/rest/v1/rpc/mentor_reviews_replied",
        rows([{"rating": 5, "review": "Clear and kind", "session_date": "2026-11-10T15:00:00+00:00"}]),
    )

    (review,) = await repo.mentor_reviews(MENTOR_ID, limit=5)

    call = project.only("POST", "/rest/v1/rpc/mentor_reviews_replied")
    signed(call, student)
    assert call.body == {"mentor": MENTOR_ID, "max_rows": 5}
    assert (review.rating, review.comment) == (5, "Clear and kind")
    assert review.session_date == datetime(2026, 11, 10, 15, tzinfo=timezone.utc)


# --- sessions -----------------------------------------------------------


PARTIES_RPC = "/rest/v1/rpc/mentor_session_parties"


async def test_my_sessions_reads_sessions_then_the_other_parties(repo, project, student):
    project.on(
        "GET",
        "/rest/v1/mentor_sessions",
        rows([session_row(), session_row(id="older", scheduled_time="2026-11-01T13:00:00+00:00")]),
    )
    project.on(
        "POST",
        PARTIES_RPC,
        rows([
            {"user_id": MENTOR_ID, "full_name": "Maya Mentor", "timezone": "Europe/Berlin", "hourly_rate": 60},
            {"user_id": STUDENT_ID, "full_name": "Sam Student", "timezone": "America/New_York", "hourly_rate": None},
        ]),
    )

    views = await repo.my_sessions()

    assert project.calls() == [("GET", "/rest/v1/mentor_sessions"), ("POST", PARTIES_RPC)]
    sessions = project.only("GET", "/rest/v1/mentor_sessions")
    signed(sessions, student)
    assert sessions.params == [
        ("select", SESSION_COLUMNS),
        ("or", f"(mentor_id.eq.{STUDENT_ID},student_id.eq.{STUDENT_ID})"),
        ("order", "scheduled_time.desc,created_at.desc,id.asc"),  # a unique order: pages never overlap
        *page(0),
    ]
    assert sessions.headers["prefer"] == "count=exact"
    names = project.only("POST", PARTIES_RPC)
    signed(names, student)
    # One call for everyone one shares a session with, however many: no id list.
    assert names.params == [("order", "user_id.asc"), *page(0)] and names.body == {}
    assert [v.session.id for v in views] == [SESSION_ID, "older"]
    assert {(v.mentor_name, v.student_name, v.mentor_timezone, v.hourly_rate) for v in views} == {
        ("Maya Mentor", "Sam Student", "Europe/Berlin", Decimal("60"))
    }


async def test_my_sessions_as_mentor_names_the_students(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    mine = {"user_id": MENTOR_ID, "full_name": "Maya Mentor", "timezone": "Europe/Berlin", "hourly_rate": 60.0}
    project.on("POST", PARTIES_RPC, rows([mine]))  # no profile for the student (a deleted account)

    (view,) = await repo.my_sessions()

    assert project.calls() == [("GET", "/rest/v1/mentor_sessions"), ("POST", PARTIES_RPC)]
    assert (view.mentor_name, view.student_name) == ("Maya Mentor", "Unknown")
    assert (view.mentor_timezone, view.hourly_rate) == ("Europe/Berlin", Decimal("60.0"))


async def test_my_sessions_with_none_sends_one_request(repo, project, student):
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    assert await repo.my_sessions() == []
    assert project.calls() == [("GET", "/rest/v1/mentor_sessions")]


def booking(**changes) -> BookingRequest:
    fields = {
        "mentor_id": MENTOR_ID,
        "subject": " Async Python ",
        "scheduled_time": WEDNESDAY_2PM_BERLIN,
        "duration_minutes": 60,
        "notes": "Bring questions",
    }
    return BookingRequest(**{**fields, **changes})


def script_booking_reads(project, *, busy=(), slots=None) -> None:
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(MENTOR_USER)]))
    project.on("GET", "/rest/v1/mentor_availability", rows([slot_row()] if slots is None else slots))
    project.on("POST", "/rest/v1/rpc/mentor_busy_times", rows(list(busy)))


async def test_create_session_checks_then_inserts_a_pending_request(repo, project, student):
    script_booking_reads(project)
    project.on("POST", "/rest/v1/mentor_sessions", rows([session_row()], status=201))

    created = await repo.create_session(booking())

    mentor_read = project.only("GET", "/rest/v1/user_profiles")
    assert mentor_read.params == [("select", PROFILE_COLUMNS), ("user_id", f"eq.{MENTOR_ID}")]
    slots = project.only("GET", "/rest/v1/mentor_availability")
    assert slots.params == [
        ("select", SLOT_COLUMNS),
        ("mentor_id", f"eq.{MENTOR_ID}"),
        ("order", "day_of_week.asc,start_time.asc,id.asc"),
        *page(0),
    ]
    busy = project.only("POST", "/rest/v1/rpc/mentor_busy_times")
    assert busy.params == [("order", "start_time.asc,end_time.asc"), *page(0)]
    assert busy.body == {
        "mentor": MENTOR_ID,
        "from_time": "2026-11-25T13:00:00+00:00",
        "to_time": "2026-11-25T14:00:00+00:00",
    }
    insert = project.only("POST", "/rest/v1/mentor_sessions")
    for seen in project.seen:
        signed(seen, student)
    assert insert.params == []
    assert insert.headers["prefer"] == REPRESENTATION
    assert insert.body == {
        "mentor_id": MENTOR_ID,
        "student_id": STUDENT_ID,
        "subject": "Async Python",
        "scheduled_time": "2026-11-25T13:00:00+00:00",
        "duration_minutes": 60,
        "notes": "Bring questions",
        "status": "pending",
    }
    assert project.calls()[-1] == ("POST", "/rest/v1/mentor_sessions")  # the write comes after every check
    assert created.id == SESSION_ID and created.status is SessionStatus.PENDING


async def test_create_session_outside_availability_is_refused_before_writing(repo, project, student):
    script_booking_reads(project, slots=[slot_row(weekday=4)])  # Fridays only

    with pytest.raises(OutsideAvailability):
        await repo.create_session(booking())
    assert ("POST", "/rest/v1/mentor_sessions") not in project.calls()


async def test_create_session_on_a_held_slot_is_refused_before_writing(repo, project, student):
    held = {"start_time": "2026-11-25T13:30:00+00:00", "end_time": "2026-11-25T14:30:00+00:00"}
    script_booking_reads(project, busy=[held])

    with pytest.raises(SlotTaken):
        await repo.create_session(booking())
    assert ("POST", "/rest/v1/mentor_sessions") not in project.calls()


async def test_create_session_with_a_bad_field_sends_nothing(repo, project, student):
    with pytest.raises(InvalidInput) as caught:
        await repo.create_session(booking(duration_minutes=50))
    assert caught.value.field == "duration_minutes"
    with pytest.raises(InvalidInput) as caught:
        await repo.create_session(booking(scheduled_time=datetime(2026, 11, 23, 9, tzinfo=timezone.utc)))
    assert caught.value.field == "scheduled_time"
    assert project.seen == []


async def test_create_session_with_someone_who_is_not_a_mentor(repo, project, student):
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))  # a partner RLS shows
    project.on("GET", "/rest/v1/mentor_availability", rows([]))
    project.on("POST", "/rest/v1/rpc/mentor_busy_times", rows([]))

    with pytest.raises(NotFound, match="^There is no mentor with that id.$"):
        await repo.create_session(booking(mentor_id=STUDENT_ID))
    assert [seen.method for seen in project.seen] == ["GET", "GET", "POST"]  # nothing inserted


async def test_create_session_with_an_unknown_mentor_is_not_found(repo, project, student):
    project.on("GET", "/rest/v1/user_profiles", rows([]))  # no such person, or one RLS hides
    project.on("GET", "/rest/v1/mentor_availability", rows([]))
    project.on("POST", "/rest/v1/rpc/mentor_busy_times", rows([]))

    with pytest.raises(NotFound, match="no mentor with that id"):
        await repo.create_session(booking())


async def test_confirm_is_a_compare_and_swap_on_pending(repo, project, mentor):
    link = "https://meet.jit.si/mentor-tui-0123456789abcdef0123456789abcdef"
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([session_row(status="confirmed", meeting_link=link)]))

    confirmed = await repo.confirm_session(SESSION_ID, link)

    assert project.calls() == [("GET", "/rest/v1/mentor_sessions"), ("PATCH", "/rest/v1/mentor_sessions")]
    read = project.only("GET", "/rest/v1/mentor_sessions")
    assert read.params == SESSION_QUERY
    patch = project.only("PATCH", "/rest/v1/mentor_sessions")
    signed(read, mentor)
    signed(patch, mentor)
    assert patch.params == [("id", f"eq.{SESSION_ID}"), ("status", "eq.pending")]
    assert patch.headers["prefer"] == REPRESENTATION
    assert patch.body == {"status": "confirmed", "meeting_link": link}
    assert confirmed.status is SessionStatus.CONFIRMED and confirmed.meeting_link == link


async def test_decline_with_a_reason(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on(
        "PATCH", "/rest/v1/mentor_sessions", rows([session_row(status="cancelled", cancellation_reason="Away")])
    )

    declined = await repo.decline_session(SESSION_ID, " Away ")

    patch = project.only("PATCH", "/rest/v1/mentor_sessions")
    assert patch.params == [("id", f"eq.{SESSION_ID}"), ("status", "eq.pending")]
    assert patch.body == {"status": "cancelled", "cancellation_reason": "Away"}
    assert declined.cancellation_reason == "Away"


async def test_student_cancels_a_confirmed_session_without_a_reason(repo, project, student):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row(status="confirmed")]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([session_row(status="cancelled")]))

    cancelled = await repo.cancel_session(SESSION_ID)

    patch = project.only("PATCH", "/rest/v1/mentor_sessions")
    signed(patch, student)
    assert patch.params == [("id", f"eq.{SESSION_ID}"), ("status", "eq.confirmed")]
    assert patch.body == {"status": "cancelled"}
    assert cancelled.status is SessionStatus.CANCELLED


async def test_complete_with_feedback_once_started(repo, project, mentor):
    started = session_row(status="confirmed", scheduled_time="2026-11-24T09:30:00+00:00")
    project.on("GET", "/rest/v1/mentor_sessions", rows([started]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([{**started, "status": "completed", "feedback": "Good"}]))

    completed = await repo.complete_session(SESSION_ID, "Good")

    patch = project.only("PATCH", "/rest/v1/mentor_sessions")
    assert patch.params == [("id", f"eq.{SESSION_ID}"), ("status", "eq.confirmed")]
    assert patch.body == {"status": "completed", "feedback": "Good"}
    assert completed.feedback == "Good"


async def test_complete_before_the_start_is_refused_without_writing(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row(status="confirmed")]))

    with pytest.raises(NotAllowed, match="once it has started"):
        await repo.complete_session(SESSION_ID)
    assert project.calls() == [("GET", "/rest/v1/mentor_sessions")]


async def test_rate_only_an_unrated_completed_session(repo, project, student):
    done = session_row(status="completed", scheduled_time="2026-11-20T13:00:00+00:00")
    project.on("GET", "/rest/v1/mentor_sessions", rows([done]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([{**done, "rating": 5, "review": "Helpful"}]))

    rated = await repo.rate_session(SESSION_ID, 5, "Helpful")

    patch = project.only("PATCH", "/rest/v1/mentor_sessions")
    signed(patch, student)
    assert patch.params == [("id", f"eq.{SESSION_ID}"), ("status", "eq.completed"), ("rating", "is.null")]
    assert patch.body == {"rating": 5, "review": "Helpful"}  # the status does not move
    assert (rated.rating, rated.review) == (5, "Helpful")


async def test_a_rating_out_of_range_sends_nothing(repo, project, student):
    with pytest.raises(InvalidInput) as caught:
        await repo.rate_session(SESSION_ID, 6)
    assert caught.value.field == "rating"
    assert project.seen == []


async def test_a_mentor_cannot_rate(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row(status="completed")]))

    with pytest.raises(NotAllowed, match="Only the student"):
        await repo.rate_session(SESSION_ID, 5)
    assert project.calls() == [("GET", "/rest/v1/mentor_sessions")]


async def test_busy_times_calls_the_busy_rpc(repo, project, student):
    start = datetime(2026, 11, 25, 0, tzinfo=timezone.utc)
    project.on(
        "POST",
        "/rest/v1/rpc/mentor_busy_times",
        rows([{"start_time": "2026-11-25T13:00:00+00:00", "end_time": "2026-11-25T14:00:00+00:00"}]),
    )

    (held,) = await repo.busy_times(MENTOR_ID, start, start + timedelta(days=1))

    call = project.only("POST", "/rest/v1/rpc/mentor_busy_times")
    signed(call, student)
    assert call.body == {
        "mentor": MENTOR_ID,
        "from_time": "2026-11-25T00:00:00+00:00",
        "to_time": "2026-11-26T00:00:00+00:00",
    }
    assert (held.start, held.end) == (WEDNESDAY_2PM_BERLIN, WEDNESDAY_2PM_BERLIN + timedelta(hours=1))


# --- mentor side ----------------------------------------------------------


async def test_mentor_students_with_their_names(repo, project, mentor):
    project.on(
        "GET",
        "/rest/v1/mentor_students",
        rows(
            [
                {
                    "mentor_id": MENTOR_ID,
                    "student_id": STUDENT_ID,
                    "total_sessions": 3,
                    "last_session_date": "2026-11-20T13:00:00+00:00",
                    "subjects": ["Async Python", "Testing"],
                }
            ]
        ),
    )
    project.on(
        "POST",
        PARTIES_RPC,
        rows([{"user_id": STUDENT_ID, "full_name": "Sam Student", "timezone": "UTC", "hourly_rate": None}]),
    )
    project.on("GET", "/rest/v1/session_no_shows", rows([{"absent_id": STUDENT_ID}, {"absent_id": STUDENT_ID}]))

    (row,) = await repo.mentor_students()

    students = project.only("GET", "/rest/v1/mentor_students")
    signed(students, mentor)
    assert students.params == [
        ("select", STUDENT_COLUMNS),
        ("mentor_id", f"eq.{MENTOR_ID}"),
        ("order", "last_session_date.desc.nullslast,student_id.asc"),
        *page(0),
    ]
    assert project.only("POST", PARTIES_RPC).params == [("order", "user_id.asc"), *page(0)]
    assert project.only("GET", "/rest/v1/session_no_shows").params == [
        ("select", "absent_id"), ("marked_by", f"eq.{MENTOR_ID}"), ("order", "id.asc"), *page(0)
    ]
    assert (row.student_name, row.total_sessions, row.subjects, row.no_shows) == (
        "Sam Student", 3, ("Async Python", "Testing"), 2
    )


async def test_a_student_has_no_students_list(repo, project, student):
    with pytest.raises(NotAllowed, match="Only mentors"):
        await repo.mentor_students()
    assert project.seen == []


async def test_get_availability_by_weekday_then_start(repo, project, student):
    project.on("GET", "/rest/v1/mentor_availability", rows([slot_row(), slot_row(4, "14:00:00", "17:30:00", "s2")]))

    slots = await repo.get_availability(MENTOR_ID)

    read = project.only("GET", "/rest/v1/mentor_availability")
    signed(read, student)
    assert read.params == [
        ("select", SLOT_COLUMNS),
        ("mentor_id", f"eq.{MENTOR_ID}"),
        ("order", "day_of_week.asc,start_time.asc,id.asc"),
        *page(0),
    ]
    assert [(s.weekday, s.start_time, s.end_time) for s in slots] == [
        (2, time(9), time(17)),
        (4, time(14), time(17, 30)),
    ]


async def test_add_an_availability_window(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_availability", rows([slot_row()]))
    project.on("POST", "/rest/v1/mentor_availability", rows([slot_row(4, "14:00:00", "17:00:00", "new")], 201))

    added = await repo.set_availability(4, time(14), time(17))

    insert = project.only("POST", "/rest/v1/mentor_availability")
    signed(insert, mentor)
    assert insert.params == []
    assert insert.headers["prefer"] == REPRESENTATION
    assert insert.body == {"mentor_id": MENTOR_ID, "day_of_week": 4, "start_time": "14:00:00", "end_time": "17:00:00"}
    assert (added.id, added.weekday, added.start_time) == ("new", 4, time(14))


async def test_change_an_availability_window(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_availability", rows([slot_row()]))
    project.on("PATCH", "/rest/v1/mentor_availability", rows([slot_row(2, "10:00:00", "12:00:00")]))

    changed = await repo.set_availability(2, time(10), time(12), slot_id=SLOT_ID)

    patch = project.only("PATCH", "/rest/v1/mentor_availability")
    assert patch.params == [("id", f"eq.{SLOT_ID}"), ("mentor_id", f"eq.{MENTOR_ID}")]
    assert patch.headers["prefer"] == REPRESENTATION
    assert patch.body == {"day_of_week": 2, "start_time": "10:00:00", "end_time": "12:00:00"}
    assert changed.start_time == time(10)


async def test_an_overlapping_window_is_refused_before_writing(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_availability", rows([slot_row()]))

    with pytest.raises(InvalidInput) as caught:
        await repo.set_availability(2, time(16), time(18))
    assert caught.value.field == "start_time"
    assert project.calls() == [("GET", "/rest/v1/mentor_availability")]


async def test_changing_a_window_that_is_not_yours(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_availability", rows([slot_row()]))

    with pytest.raises(NotFound):
        await repo.set_availability(2, time(10), time(12), slot_id="someone-elses")
    assert project.calls() == [("GET", "/rest/v1/mentor_availability")]


async def test_a_student_has_no_availability_to_set(repo, project, student):
    with pytest.raises(NotAllowed, match="Only mentors"):
        await repo.set_availability(2, time(10), time(12))
    assert project.seen == []


async def test_remove_an_availability_window(repo, project, mentor):
    project.on("DELETE", "/rest/v1/mentor_availability", rows([slot_row()]))

    await repo.remove_availability(SLOT_ID)

    delete = project.only("DELETE", "/rest/v1/mentor_availability")
    signed(delete, mentor)
    assert delete.params == [("id", f"eq.{SLOT_ID}"), ("mentor_id", f"eq.{MENTOR_ID}")]
    assert delete.headers["prefer"] == REPRESENTATION


@pytest.mark.parametrize(
    "reply",
    [
        # RETURNS TABLE: a one-row array; RETURNS a composite: one object.
        [{"total_students": 4, "upcoming_sessions": 2, "completed_today": 1, "average_rating": 4.5, "rating_count": 6}],
        {"total_students": 4, "upcoming_sessions": 2, "completed_today": 1, "average_rating": 4.5, "rating_count": 6},
    ],
)
async def test_dashboard_stats_totals_from_the_rpc_sessions_counted_as_the_lists_count(repo, project, mentor, reply):
    """The RPC's totals are taken; its session counts are not: the services count the
    sessions themselves, with the lists' own definitions (the frozen now is Tuesday 10:00 UTC)."""
    project.on("POST", "/rest/v1/rpc/mentor_dashboard_stats", rows(reply))
    project.on("GET", "/rest/v1/mentor_sessions", rows([
        session_row(id="under-way", status="confirmed", scheduled_time="2026-11-24T09:30:00+00:00"),  # upcoming
        session_row(id="later", status="pending", scheduled_time="2026-11-25T13:00:00+00:00"),  # upcoming
        session_row(id="over", status="pending", scheduled_time="2026-11-24T07:00:00+00:00"),  # past
        session_row(id="done-today", status="completed", scheduled_time="2026-11-23T23:30:00+00:00"),  # Berlin's today
        session_row(id="done-before", status="completed", scheduled_time="2026-11-23T22:30:00+00:00"),  # Berlin's Monday
        session_row(id="infinite", status="confirmed", scheduled_time="infinity"),  # never upcoming
    ]))
    project.on("POST", PARTIES_RPC, rows([]))

    stats = await repo.dashboard_stats()

    call = project.only("POST", "/rest/v1/rpc/mentor_dashboard_stats")
    signed(call, mentor)
    assert call.params == [] and call.body == {}
    assert (stats.total_students, stats.upcoming_sessions, stats.completed_today) == (4, 2, 1)
    assert (stats.average_rating, stats.rating_count) == (Decimal("4.5"), 6)


async def test_dashboard_stats_without_ratings(repo, project, mentor):
    nothing = {"total_students": 0, "upcoming_sessions": 0, "completed_today": 0, "rating_count": 0}
    project.on("POST", "/rest/v1/rpc/mentor_dashboard_stats", rows({**nothing, "average_rating": None}))
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    stats = await repo.dashboard_stats()
    assert stats.average_rating is None and stats.rating_count == 0


async def test_a_student_has_no_dashboard(repo, project, student):
    with pytest.raises(NotAllowed):
        await repo.dashboard_stats()
    assert project.seen == []


# --- booking rules and request expiry -------------------------------------------------


async def test_my_sessions_expires_stale_requests_before_reading_them(repo, project, student):
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    assert await repo.my_sessions() == []

    assert [(s.method, s.path) for s in project.log[-2:]] == [
        ("POST", "/rest/v1/rpc/expire_stale_requests"), ("GET", "/rest/v1/mentor_sessions"),
    ]
    signed(project.log[-2], student)


async def test_create_session_reads_the_mentors_rules_and_held_times_and_refuses_before_writing(
    repo, project, student
):
    script_booking_reads(project)
    rules_row = {"min_notice_minutes": 0, "buffer_minutes": 30, "max_per_day": None, "max_per_week": None,
                 "horizon_days": 730, "cancel_window_hours": 0, "request_expiry_hours": 48}
    project.on("GET", "/rest/v1/mentor_booking_rules", rows([rules_row]))
    held = {"start_time": "2026-11-25T14:00:00+00:00", "end_time": "2026-11-25T15:00:00+00:00"}
    project.on("POST", "/rest/v1/rpc/mentor_held_times", rows([held]))

    with pytest.raises(InvalidInput) as caught:
        await repo.create_session(booking())  # 13:00-14:00 UTC ends where the held one begins
    assert (caught.value.field, caught.value.message) == ("scheduled_time", messages.needs_buffer(30))
    assert ("POST", "/rest/v1/mentor_sessions") not in project.calls()
    assert project.only("GET", "/rest/v1/mentor_booking_rules").params[1:] == [("mentor_id", f"eq.{MENTOR_ID}")]
    assert project.only("POST", "/rest/v1/rpc/mentor_held_times").body == {
        "mentor": MENTOR_ID,
        "from_time": "2026-11-17T13:00:00+00:00",
        "to_time": "2026-12-03T14:00:00+00:00",
    }
