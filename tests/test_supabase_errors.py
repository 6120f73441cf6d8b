"""The error mapping of SupabaseRepository: PostgREST errors as the database raises them,
writes that RLS or a concurrent change filters down to zero rows, and a failing network."""

from __future__ import annotations

from datetime import UTC, datetime, time, timezone

import httpx
import pytest
from test_supabase_double import (  # noqa: F401  (fixtures: mentor, project, repo, state_dir, student)
    MENTOR_ID,
    MENTOR_USER,
    SESSION_ID,
    SLOT_ID,
    STUDENT_USER,
    Reply,
    mentor,
    pg_error,
    profile_row,
    project,
    repo,
    rows,
    session_json,
    session_row,
    state_dir,
    student,
)

from mentor_tui.domain.errors import (
    BackendUnavailable,
    InvalidInput,
    MentorError,
    NotAllowed,
    NotFound,
    NotSignedIn,
    OutsideAvailability,
    SlotTaken,
)
from mentor_tui.domain.models import BookingRequest, ProfileUpdate
from mentor_tui.repository.supabase_errors import guess_field, translate

URL = "https://mentorproj.supabase.co"

BOOKING = BookingRequest(
    mentor_id=MENTOR_ID,
    subject="Async Python",
    scheduled_time=datetime(2026, 11, 25, 13, tzinfo=timezone.utc),
    duration_minutes=60,
)


async def book_against(project, repo, error_reply) -> None:
    """A booking that passes the app's own checks and meets ``error_reply`` at the insert."""
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(MENTOR_USER)]))
    project.on("GET", "/rest/v1/mentor_availability", rows([]))
    project.on("POST", "/rest/v1/rpc/mentor_busy_times", rows([]))
    project.on("POST", "/rest/v1/mentor_sessions", error_reply)
    await repo.create_session(BOOKING)


# --- the contract's table, as the database raises each error -------------------


async def test_exclusion_violation_on_a_session_is_slot_taken(repo, project, student):
    # Another booking won the race between the app's check and its insert.
    reply = pg_error(
        409,
        "23P01",
        'conflicting key value violates exclusion constraint "mentor_sessions_mentor_no_overlap"',
        details="Key (mentor_id, tstzrange(...))=(...) conflicts with existing key (...).",
    )
    with pytest.raises(SlotTaken):
        await book_against(project, repo, reply)


async def test_availability_check_violation_is_outside_availability(repo, project, student):
    reply = pg_error(400, "23514", "The mentor is not available at that time (outside their weekly availability).")
    with pytest.raises(OutsideAvailability) as caught:
        await book_against(project, repo, reply)
    assert caught.value.field == "scheduled_time"


async def test_check_violation_names_the_field_from_the_constraint(repo, project, student):
    reply = pg_error(
        400,
        "23514",
        'new row for relation "mentor_sessions" violates check constraint "mentor_sessions_duration_minutes_check"',
        details="Failing row contains (...).",
    )
    with pytest.raises(InvalidInput) as caught:
        await book_against(project, repo, reply)
    assert caught.value.field == "duration_minutes"
    assert caught.value.message == "A session lasts 15 to 240 minutes, in steps of 15."


async def test_a_triggers_own_check_message_is_kept(repo, project, student):
    reply = pg_error(400, "23514", "scheduled_time must be in the future")
    with pytest.raises(InvalidInput) as caught:
        await book_against(project, repo, reply)
    assert (caught.value.field, caught.value.message) == ("scheduled_time", "scheduled_time must be in the future")


async def test_a_trigger_names_the_refused_constraint_in_the_detail(repo, project, student):
    # As sql/supabase/006 raises it when the other party is not a mentor.
    reply = pg_error(
        400, "23514", "Sessions can be booked only with a mentor.", details="mentor_sessions_mentor_id_check"
    )
    with pytest.raises(InvalidInput) as caught:
        await book_against(project, repo, reply)
    assert (caught.value.field, caught.value.message) == ("mentor_id", "Sessions can be booked only with a mentor.")


async def test_the_availability_trigger_is_outside_availability(repo, project, student):
    reply = pg_error(
        400,
        "23514",
        "The mentor is not available at that time: it is outside their weekly availability.",
        details="mentor_sessions_scheduled_time_check",
    )
    with pytest.raises(OutsideAvailability):
        await book_against(project, repo, reply)


async def test_not_null_violation_names_the_column(repo, project, student):
    reply = pg_error(
        400, "23502", 'null value in column "subject" of relation "mentor_sessions" violates not-null constraint'
    )
    with pytest.raises(InvalidInput) as caught:
        await book_against(project, repo, reply)
    assert caught.value.field == "subject"
    assert "subject" in caught.value.message.lower()


async def test_a_data_exception_without_a_field_is_about_the_form(repo, project, student):
    reply = pg_error(400, "22P02", 'invalid input syntax for type integer: "nope"')
    with pytest.raises(InvalidInput) as caught:
        await book_against(project, repo, reply)
    assert (caught.value.field, caught.value.message) == ("form", "Please check this value.")


async def test_a_malformed_id_is_not_found_without_asking(repo, project, student):
    with pytest.raises(NotFound, match="^That session does not exist or is not yours.$"):
        await repo.cancel_session("x")
    assert project.seen == []  # no uuid, no row: PostgreSQL would only answer 22P02


async def test_a_malformed_id_the_database_refuses_is_not_found(repo, project, student):
    project.on("POST", "/rest/v1/rpc/mentor_busy_times", pg_error(400, "22P02", 'invalid input syntax for type uuid: "x"'))

    with pytest.raises(NotFound):
        await repo.busy_times("x", datetime(2026, 11, 25, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC))


async def test_insufficient_privilege_keeps_the_rules_message(repo, project, student):
    reply = pg_error(403, "42501", "Only a student can book a session.")
    with pytest.raises(NotAllowed, match="Only a student can book a session."):
        await book_against(project, repo, reply)


async def test_a_row_level_security_refusal_reads_plainly(repo, project, student):
    reply = pg_error(403, "42501", 'new row violates row-level security policy for table "mentor_sessions"')
    with pytest.raises(NotAllowed) as caught:
        await book_against(project, repo, reply)
    assert caught.value.message == NotAllowed.default_message


async def test_overlapping_availability_from_the_database_names_the_start(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_availability", rows([]))
    project.on(
        "POST",
        "/rest/v1/mentor_availability",
        pg_error(409, "23P01", 'conflicting key value violates exclusion constraint "mentor_availability_no_overlap"'),
    )

    with pytest.raises(InvalidInput) as caught:
        await repo.set_availability(2, time(9), time(12))
    assert caught.value.field == "start_time"


async def test_an_empty_window_from_the_database_names_the_end(repo, project, mentor):
    # The app checks this first; a stale client would still be refused by the check constraint.
    project.on("GET", "/rest/v1/mentor_availability", rows([]))
    project.on(
        "POST",
        "/rest/v1/mentor_availability",
        pg_error(
            400,
            "23514",
            'new row for relation "mentor_availability" violates check constraint "mentor_availability_end_time_check"',
        ),
    )

    with pytest.raises(InvalidInput) as caught:
        await repo.set_availability(2, time(9), time(12))
    assert (caught.value.field, caught.value.message) == ("end_time", "The end must be after the start.")


async def test_a_dashboard_refused_by_the_database(repo, project, mentor):
    project.on("POST", "/rest/v1/rpc/mentor_dashboard_stats", pg_error(403, "42501", "Only mentors have a dashboard."))

    with pytest.raises(NotAllowed, match="Only mentors have a dashboard."):
        await repo.dashboard_stats()


async def test_an_expired_jwt_at_postgrest_after_a_refresh_means_signing_in_again(repo, project, student):
    project.on("GET", "/rest/v1/mentor_sessions", pg_error(401, "PGRST303", "JWT expired"))
    project.on("POST", "/auth/v1/token", Reply(200, session_json(STUDENT_USER, serial=2)))
    project.on("GET", "/rest/v1/mentor_sessions", pg_error(401, "PGRST303", "JWT expired"))

    with pytest.raises(NotSignedIn):
        await repo.my_sessions()
    assert project.calls() == [
        ("GET", "/rest/v1/mentor_sessions"),
        ("POST", "/auth/v1/token"),
        ("GET", "/rest/v1/mentor_sessions"),
    ]  # one refresh, one retry, no more


async def test_a_missing_migration_says_so(repo, project, student):
    project.on(
        "POST",
        "/rest/v1/rpc/mentor_reviews_replied",
        pg_error(
            404,
            "PGRST202",
            "Could not find the function public.mentor_reviews(max_rows, mentor) in the schema cache",
            hint="Perhaps you meant to call the function public.mentor_directory",
        ),
    )

    with pytest.raises(BackendUnavailable, match="sql/supabase"):
        await repo.mentor_reviews(MENTOR_ID)


@pytest.mark.parametrize(
    "reply",
    [
        pg_error(503, "PGRST001", "Database client error. Retrying the connection."),
        Reply(502, None),
        httpx.Response(504, text="<html>Gateway Time-out</html>"),
    ],
)
async def test_5xx_is_backend_unavailable(repo, project, student, reply):
    project.on("GET", "/rest/v1/mentor_sessions", reply)

    with pytest.raises(BackendUnavailable):
        await repo.my_sessions()


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (httpx.ConnectError("connection reset"), "Cannot reach the Supabase project at mentorproj.supabase.co"),
        (httpx.ReadTimeout("read timed out"), "did not answer in time"),
        (httpx.RemoteProtocolError("server disconnected"), "Cannot reach"),
    ],
)
async def test_network_failures_on_a_data_call(repo, project, student, failure, message):
    project.on("GET", "/rest/v1/mentor_sessions", failure)  # one attempt: no silent retries

    with pytest.raises(BackendUnavailable, match=message):
        await repo.my_sessions()


async def test_network_failure_on_a_write(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on("PATCH", "/rest/v1/mentor_sessions", httpx.WriteTimeout("write timed out"))

    with pytest.raises(BackendUnavailable):
        await repo.confirm_session(SESSION_ID, "https://meet.jit.si/room")


# --- writes that match zero rows are never success --------------------------


async def test_confirming_a_request_already_confirmed_elsewhere(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([]))
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row(status="confirmed")]))

    with pytest.raises(NotAllowed, match="^This session has just become confirmed. Please look again.$"):
        await repo.confirm_session(SESSION_ID, "https://meet.jit.si/room")
    assert [s.method for s in project.seen] == ["GET", "PATCH", "GET"]


async def test_a_session_that_vanished_before_the_write(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([]))
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    with pytest.raises(NotFound):
        await repo.decline_session(SESSION_ID)


async def test_a_write_rls_filters_out_while_the_row_is_unchanged(repo, project, mentor):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([]))
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))

    with pytest.raises(NotAllowed) as caught:
        await repo.confirm_session(SESSION_ID, "https://meet.jit.si/room")
    assert caught.value.message == NotAllowed.default_message


async def test_cancelling_a_request_confirmed_meanwhile_asks_to_look_again(repo, project, student):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row()]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([]))
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row(status="confirmed")]))

    with pytest.raises(NotAllowed, match="just become confirmed"):
        await repo.cancel_session(SESSION_ID)


async def test_rating_twice_at_once(repo, project, student):
    done = session_row(status="completed", scheduled_time="2026-11-20T13:00:00+00:00")
    project.on("GET", "/rest/v1/mentor_sessions", rows([done]))
    project.on("PATCH", "/rest/v1/mentor_sessions", rows([]))
    project.on("GET", "/rest/v1/mentor_sessions", rows([{**done, "rating": 4}]))

    with pytest.raises(NotAllowed, match="already been rated"):
        await repo.rate_session(SESSION_ID, 5)


async def test_a_session_one_cannot_see_is_not_found_without_writing(repo, project, student):
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    with pytest.raises(NotFound):
        await repo.cancel_session(SESSION_ID)
    assert [s.method for s in project.seen] == ["GET"]


async def test_a_profile_update_matching_no_row(repo, project, student):
    project.on("PATCH", "/rest/v1/user_profiles", rows([]))

    with pytest.raises(NotFound):
        await repo.update_profile(ProfileUpdate(full_name="Sam"))


async def test_removing_a_window_that_is_not_there(repo, project, mentor):
    project.on("DELETE", "/rest/v1/mentor_availability", rows([]))

    with pytest.raises(NotFound):
        await repo.remove_availability(SLOT_ID)


async def test_changing_a_window_that_disappears_at_the_write(repo, project, mentor):
    slot = {"id": SLOT_ID, "mentor_id": MENTOR_ID, "day_of_week": 2, "start_time": "09:00:00", "end_time": "12:00:00"}
    project.on("GET", "/rest/v1/mentor_availability", rows([slot]))
    project.on("PATCH", "/rest/v1/mentor_availability", rows([]))

    with pytest.raises(NotFound):
        await repo.set_availability(2, time(10), time(12), slot_id=SLOT_ID)


async def test_calls_before_signing_in(repo, project):
    with pytest.raises(NotSignedIn):
        await repo.my_sessions()
    assert project.seen == []


# --- the translation itself ---------------------------------------------------


def api_error(code: str, message: str = "", hint: str | None = None):
    from postgrest.exceptions import APIError

    return APIError({"code": code, "message": message, "details": None, "hint": hint})


@pytest.mark.parametrize(
    ("code", "kind", "expected"),
    [
        ("42501", "session", NotAllowed),
        ("23P01", "session", SlotTaken),
        ("23P01", "availability", InvalidInput),
        ("23514", "session", InvalidInput),
        ("23502", "session", InvalidInput),
        ("22007", "session", InvalidInput),
        ("23505", "other", InvalidInput),
        ("PGRST116", "other", NotFound),
        ("PGRST301", "other", NotSignedIn),
        ("PGRST205", "other", BackendUnavailable),
        ("57014", "other", BackendUnavailable),
        ("P0001", "other", MentorError),
    ],
)
def test_translation_table(code, kind, expected):
    error = translate(api_error(code, "something"), url=URL, kind=kind)
    assert type(error) is expected


def test_unknown_exceptions_are_not_swallowed():
    assert translate(ValueError("a bug"), url=URL) is None


@pytest.mark.parametrize(
    ("message", "hint", "details", "field"),
    [
        ('violates check constraint "mentor_sessions_subject_check"', None, None, "subject"),
        ('violates check constraint "user_profiles_hourly_rate_check"', None, None, "hourly_rate"),
        ('null value in column "day_of_week" of relation "mentor_availability"', None, None, "weekday"),
        ("rating must be between 1 and 5", None, None, "rating"),
        ("bad value", "check meeting_url", None, "meeting_url"),
        ('"Mars/Base" is not a known time zone', None, "user_profiles_timezone_check", "timezone"),
        ('violates check constraint "mentor_sessions_check"', None, None, "form"),
        # What people typed (here, the word "notes") never decides the field.
        ("bad row", None, "Failing row contains (x, notes, y).", "form"),
        ("reviews are closed", None, None, "form"),
    ],
)
def test_guess_field(message, hint, details, field):
    assert guess_field(message, hint, details) == field
