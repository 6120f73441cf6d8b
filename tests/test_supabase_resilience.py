"""SupabaseRepository when things go wrong in the ordinary way: a shared sign-in file,
a refused token, contention, rate limits, long lists and rows other clients wrote.
Through the HTTP double, asserting the exact requests."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os

import pytest
from test_supabase_double import (  # noqa: F401  (fixtures: mentor, project, repo, state_dir, student)
    ANON_KEY,
    MENTOR_ID,
    MENTOR_USER,
    PROJECT_URL,
    SESSION_ID,
    STUDENT_ID,
    STUDENT_USER,
    Reply,
    auth_error,
    mentor,
    page,
    pg_error,
    profile_row,
    project,
    repo,
    rows,
    session_json,
    session_path,
    session_row,
    sign_in_as,
    state_dir,
    stored_session,
    student,
    user_json,
)

from mentor_tui.domain.errors import BackendUnavailable, MentorError, NotSignedIn, SlotTaken
from mentor_tui.domain.models import INVALID_TIME, BookingRequest, Role
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.repository.supabase_errors import Contention, RateLimited
from mentor_tui.repository.supabase_storage import LEGACY_SESSION_FILE_NAME

PARTIES_RPC = "/rest/v1/rpc/mentor_session_parties"
"""Where the other parties' names come from (020)."""

OTHER_PROJECT = "https://otherproj.supabase.co"


def write_session(state_dir, session, project_url=PROJECT_URL):
    state_dir.mkdir(parents=True, exist_ok=True)
    path = session_path(state_dir, project_url)
    path.write_text(json.dumps({"project_url": project_url, "session": session}))
    os.chmod(path, 0o600)


async def restored(repo, project, state_dir, session) -> None:
    """Resume ``session`` from the file as a second terminal would; forgets the requests."""
    write_session(state_dir, session)
    project.on("GET", "/auth/v1/user", Reply(200, session["user"]))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(session["user"])]))
    assert await repo.restore() is not None
    project.seen.clear()


# --- one sign-in file, several instances ------------------------------------------


async def test_an_instance_takes_over_the_token_another_one_refreshed(repo, project, state_dir):
    expiring = session_json(STUDENT_USER, serial=1, expires_in=20)
    await restored(repo, project, state_dir, expiring)
    refreshed = session_json(STUDENT_USER, serial=2)
    write_session(state_dir, refreshed)  # the other terminal refreshed meanwhile
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    assert await repo.my_sessions() == []

    # No refresh of its own: refresh-1 is spent, and using it again could end the sign-in.
    assert project.calls() == [("GET", "/rest/v1/mentor_sessions")]
    assert project.only("GET", "/rest/v1/mentor_sessions").bearer == refreshed["access_token"]


async def test_a_refresh_waits_for_the_lock_and_then_reads_the_file_again(repo, project, state_dir):
    await restored(repo, project, state_dir, session_json(STUDENT_USER, serial=1, expires_in=20))
    lock_path = session_path(state_dir).with_name(session_path(state_dir).name + ".lock")
    holder = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another instance is refreshing
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    call = asyncio.ensure_future(repo.my_sessions())
    while not repo._storage._storage._in_process.locked():  # the backend's session file  # it has reached the lock
        await asyncio.sleep(0)
    refreshed = session_json(STUDENT_USER, serial=2)
    write_session(state_dir, refreshed)  # what the other instance saved before letting go
    os.close(holder)

    assert await call == []
    assert project.calls() == [("GET", "/rest/v1/mentor_sessions")]
    assert project.only("GET", "/rest/v1/mentor_sessions").bearer == refreshed["access_token"]


async def test_a_reuse_error_with_a_newer_token_on_disk_adopts_it(repo, project, state_dir):
    await restored(repo, project, state_dir, session_json(STUDENT_USER, serial=1, expires_in=20))
    newer = session_json(STUDENT_USER, serial=3)

    def rotated_elsewhere(request):  # an instance that did not wait for the lock rotated it just now
        write_session(state_dir, newer)
        return auth_error(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")

    project.on("POST", "/auth/v1/token", rotated_elsewhere)
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    assert await repo.my_sessions() == []

    assert project.calls() == [("POST", "/auth/v1/token"), ("GET", "/rest/v1/mentor_sessions")]
    assert project.only("POST", "/auth/v1/token").body == {"refresh_token": "refresh-1"}
    assert project.only("GET", "/rest/v1/mentor_sessions").bearer == newer["access_token"]
    assert repo.me is not None
    assert stored_session(state_dir)["refresh_token"] == "refresh-3"


async def test_a_reuse_error_without_a_newer_token_signs_out_and_says_why(repo, project, state_dir):
    await restored(repo, project, state_dir, session_json(STUDENT_USER, serial=1, expires_in=20))
    project.on("POST", "/auth/v1/token", auth_error(400, "refresh_token_already_used", "Already Used"))

    with pytest.raises(NotSignedIn, match="ended on the server"):
        await repo.my_sessions()
    assert repo.me is None
    assert not session_path(state_dir).exists()


async def test_another_persons_sign_in_on_disk_is_never_adopted_nor_deleted(repo, project, state_dir):
    await restored(repo, project, state_dir, session_json(STUDENT_USER, serial=1, expires_in=20))
    theirs = session_json(MENTOR_USER, serial=7)
    write_session(state_dir, theirs)  # someone signed in as the mentor in another terminal
    project.on("POST", "/auth/v1/token", auth_error(400, "refresh_token_not_found", "Not Found"))

    with pytest.raises(NotSignedIn):
        await repo.my_sessions()
    assert project.only("POST", "/auth/v1/token").body == {"refresh_token": "refresh-1"}
    assert stored_session(state_dir)["refresh_token"] == "refresh-7"  # their sign-in stays


async def test_each_project_keeps_its_own_sign_in(project, state_dir, clock):
    other = session_json(MENTOR_USER, serial=9)
    write_session(state_dir, other, project_url=OTHER_PROJECT)
    repo = SupabaseRepository(PROJECT_URL, ANON_KEY, state_dir, clock, transport=project.transport())
    try:
        assert await repo.restore() is None  # nothing remembered for this project
        await sign_in_as(repo, project, STUDENT_USER)
    finally:
        await repo.close()
    assert session_path(state_dir, OTHER_PROJECT) != session_path(state_dir)
    assert json.loads(session_path(state_dir, OTHER_PROJECT).read_text())["session"]["refresh_token"] == "refresh-9"
    assert stored_session(state_dir)["user"]["id"] == STUDENT_ID


async def test_a_legacy_single_file_moves_to_its_projects_name(repo, project, state_dir):
    session = session_json(STUDENT_USER)
    state_dir.mkdir(parents=True)
    legacy = state_dir / LEGACY_SESSION_FILE_NAME
    legacy.write_text(json.dumps({"project_url": PROJECT_URL, "session": session}))
    project.on("GET", "/auth/v1/user", Reply(200, STUDENT_USER))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))

    assert (await repo.restore()).id == STUDENT_ID
    assert not legacy.exists()
    assert stored_session(state_dir)["refresh_token"] == session["refresh_token"]


async def test_a_legacy_file_of_another_project_is_left_alone(repo, project, state_dir):
    state_dir.mkdir(parents=True)
    legacy = state_dir / LEGACY_SESSION_FILE_NAME
    legacy.write_text(json.dumps({"project_url": OTHER_PROJECT, "session": session_json(MENTOR_USER)}))

    assert await repo.restore() is None
    assert legacy.exists() and project.seen == []


# --- a refused token, contention ------------------------------------------------------


@pytest.mark.parametrize(("code", "message"), [("PGRST303", "JWT expired"), ("PGRST301", "JWT invalid")])
async def test_a_refused_token_is_refreshed_and_the_call_repeated_once(repo, project, student, state_dir, code, message):
    new = session_json(STUDENT_USER, serial=2)
    project.on("GET", "/rest/v1/mentor_sessions", pg_error(401, code, message))
    project.on("POST", "/auth/v1/token", Reply(200, new))
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    assert await repo.my_sessions() == []

    first, refresh, second = project.seen
    assert first.bearer == student["access_token"]  # unexpired by this machine's clock
    assert refresh.body == {"refresh_token": "refresh-1"}
    assert second.bearer == new["access_token"]
    assert stored_session(state_dir)["refresh_token"] == "refresh-2"


def booking() -> BookingRequest:
    return BookingRequest(
        mentor_id=MENTOR_ID, subject="Async", scheduled_time="2026-11-25T13:00:00+00:00", duration_minutes=60
    )


def script_booking(project, insert_reply) -> None:
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(MENTOR_USER)]))
    project.on("GET", "/rest/v1/mentor_availability", rows([]))
    project.on("POST", "/rest/v1/rpc/mentor_busy_times", rows([]))
    project.on("POST", "/rest/v1/mentor_sessions", insert_reply)


@pytest.mark.parametrize("code", ["40P01", "40001"])
async def test_a_deadlock_is_retried_once(repo, project, student, code):
    script_booking(project, pg_error(400, code, "deadlock detected"))
    script_booking(project, rows([session_row()], status=201))

    created = await repo.create_session(booking())

    assert created.id == SESSION_ID
    assert [s.path for s in project.seen].count("/rest/v1/mentor_sessions") == 2


async def test_a_second_deadlock_is_contention_not_a_database_message(repo, project, student):
    script_booking(project, pg_error(400, "40P01", "deadlock detected"))
    script_booking(project, pg_error(400, "40P01", "deadlock detected"))

    with pytest.raises(Contention) as caught:
        await repo.create_session(booking())
    assert isinstance(caught.value, BackendUnavailable)
    assert "deadlock" not in str(caught.value)


@pytest.mark.parametrize(
    "reply",
    [
        pg_error(409, "23P01", "conflicting key value violates exclusion constraint"),
        pg_error(400, "P0001", "That time is already taken.", details="slot_taken"),
    ],
)
async def test_a_lost_race_for_a_slot_is_slot_taken(repo, project, student, reply):
    script_booking(project, reply)

    with pytest.raises(SlotTaken):
        await repo.create_session(booking())


# --- rate limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "wait"),
    [("over_request_rate_limit", "wait a minute"), ("over_email_send_rate_limit", "wait an hour")],
)
async def test_each_rate_limit_says_how_long_to_wait(repo, project, code, wait):
    project.on("POST", "/auth/v1/signup", auth_error(429, code, "rate limit exceeded"))

    with pytest.raises(RateLimited, match=wait) as caught:
        await repo.sign_up("new@example.org", "long enough pw", "New Person", Role.STUDENT)
    assert isinstance(caught.value, MentorError)


# --- lists longer than max-rows -----------------------------------------------------------


def many_sessions(start: int, count: int) -> list[dict]:
    return [session_row(id=f"s{n:05d}") for n in range(start, start + count)]


async def test_a_list_longer_than_max_rows_is_read_to_the_end(repo, project, student):
    # The project answers at most 1000 rows, and says there are 2345.
    for offset, count in ((0, 1000), (1000, 1000), (2000, 345)):
        project.on("GET", "/rest/v1/mentor_sessions", rows(many_sessions(offset, count), offset=offset, total=2345))
    project.on("POST", PARTIES_RPC, rows([]))

    views = await repo.my_sessions()

    assert [v.session.id for v in views] == [f"s{n:05d}" for n in range(2345)]
    reads = [s for s in project.seen if s.path == "/rest/v1/mentor_sessions"]
    assert [r.params[-2:] for r in reads] == [page(0), page(1000), page(2000)]


async def test_a_project_with_a_lower_max_rows_is_still_read_to_the_end(repo, project, student):
    # max-rows 500: each page is cut below what was asked; only the count tells.
    for offset, count in ((0, 500), (500, 500), (1000, 200)):
        project.on("GET", "/rest/v1/mentor_sessions", rows(many_sessions(offset, count), offset=offset, total=1200))
    project.on("POST", PARTIES_RPC, rows([]))

    assert len(await repo.my_sessions()) == 1200
    reads = [s for s in project.seen if s.path == "/rest/v1/mentor_sessions"]
    assert [r.params[-2:] for r in reads] == [page(0), page(500), page(1000)]


async def test_other_peoples_names_come_from_one_call_whatever_their_number(repo, project, mentor):
    students = [f"5a1c7a52-0000-4000-8000-{n:012d}" for n in range(250)]
    found = [session_row(id=f"s{n}", student_id=sid) for n, sid in enumerate(students)]
    project.on("GET", "/rest/v1/mentor_sessions", rows(found))
    project.on("POST", PARTIES_RPC, rows([]))

    assert len(await repo.my_sessions()) == 250

    # No list of ids in a URL for row-level security to check one by one (020).
    assert [s.path for s in project.seen if s.path == PARTIES_RPC] == [PARTIES_RPC]
    assert not [s for s in project.seen if s.path == "/rest/v1/user_profiles"]


# --- rows other clients wrote -----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["infinity", "-infinity", "20000-01-01T00:00:00+00:00", "1999-12-31T23:00:00+00:00"])
async def test_a_session_at_an_unusable_time_is_listed_as_invalid(repo, project, student, raw):
    project.on("GET", "/rest/v1/mentor_sessions", rows([session_row(), session_row(id="odd", scheduled_time=raw)]))
    project.on("POST", PARTIES_RPC, rows([]))

    good, odd = await repo.my_sessions()

    assert not good.session.time_invalid
    assert odd.session.time_invalid and odd.session.scheduled_time == INVALID_TIME


async def test_unusable_times_in_busy_ranges_and_reviews_break_nothing(repo, project, student):
    project.on(
        "POST",
        "/rest/v1/rpc/mentor_busy_times",
        rows([
            {"start_time": "2026-11-25T13:00:00+00:00", "end_time": "2026-11-25T14:00:00+00:00"},
            {"start_time": "infinity", "end_time": "infinity"},
        ]),
    )
    project.on("POST", "/rest/v1/rpc/mentor_reviews_replied", rows([{"rating": 4, "review": "ok", "session_date": "infinity"}]))

    (busy,) = await repo.busy_times(MENTOR_ID, INVALID_TIME.replace(year=2026), INVALID_TIME.replace(year=2027))
    (review,) = await repo.mentor_reviews(MENTOR_ID)

    assert busy.start.hour == 13
    assert review.time_invalid and review.rating == 4


# --- a web-app user without a profile ---------------------------------------------------------


async def test_a_user_without_a_profile_row_gets_one(repo, project, state_dir):
    webapp_user = user_json(STUDENT_ID, "sam@example.org", "Sam Student", "student")
    project.on("POST", "/auth/v1/token", Reply(200, session_json(webapp_user)))
    project.on("GET", "/rest/v1/user_profiles", rows([]))
    project.on("POST", "/rest/v1/rpc/mentor_ensure_profile", Reply(200, profile_row(webapp_user)))

    profile = await repo.sign_in("sam@example.org", "correct horse")

    ensure = project.only("POST", "/rest/v1/rpc/mentor_ensure_profile")
    assert ensure.body == {} and ensure.bearer is not None and ensure.bearer != ANON_KEY
    assert profile.id == STUDENT_ID and profile.role is Role.STUDENT
    assert profile.email == "sam@example.org"
