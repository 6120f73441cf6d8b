"""``mentor-tui agenda`` run as a person runs it (``python -m mentor_tui`` in a subprocess)
on the embedded backend, signed in from the remembered sign-in the app left: the text
lines, the documented JSON, the .ics feed read back with icalendar, and the exit codes.
The Supabase backend's sign-in and reads are the services' and are covered by the
contract tests; here only its refusal without a remembered sign-in."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from clocks import FixedClock
from hostile_text import DATA_MARKERS, SEQUENCES
from icalendar import Calendar
from test_cli_errors import run

from mentor_tui.domain.models import BookingRequest, ProfileUpdate, Role
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services

PASSWORD = "agenda-pass-1"
HOSTILE = "Evil " + "".join(SEQUENCES)
KEYS = {"id", "start", "end", "zone", "status", "subject", "with", "role", "meeting_link"}


async def _seed(root: Path) -> SimpleNamespace:
    """A mentor (open all day, every day) and a student in Berlin, signed in and remembered:
    a confirmed session in 2 days, a request in 3, one in 20 days and one that is over.
    Booked 40 hours ago: before the one that is over began (yesterday at 10:00 UTC), and
    recently enough that the requests have not expired unanswered (48 hours)."""
    db, state = root / "agenda.db", root / "state"
    now = datetime.now(UTC)
    clock = FixedClock(now - timedelta(hours=40))
    mentor = Services(LocalRepository(db, root / "mentor-state", clock), clock)
    await mentor.sign_up("mentor@example.org", PASSWORD, "Maya Chen", Role.MENTOR)
    for weekday in range(7):
        await mentor.set_availability(weekday, time(0), time(23, 30))
    student = Services(LocalRepository(db, state, clock), clock)
    await student.sign_up("student@example.org", PASSWORD, "Sam Student", Role.STUDENT)
    await student.update_profile(ProfileUpdate(timezone="Europe/Berlin"))

    def at(days: int) -> datetime:
        return datetime.combine((now + timedelta(days=days)).date(), time(10), tzinfo=UTC)

    async def book(days: int, subject: str):
        return await student.create_session(BookingRequest(
            mentor_id=mentor.me.id, subject=subject, scheduled_time=at(days), duration_minutes=60,
        ))

    over = await book(-1, "Over already")
    confirmed = await book(2, "Python review")
    pending = await book(3, "Pending one")
    later = await book(20, "Far ahead")
    await mentor.confirm_session(confirmed.id, "https://meet.example.org/room")
    await mentor.close()
    await student.close()
    with sqlite3.connect(db) as conn:  # what another client could leave in a row
        conn.execute("update mentor_sessions set subject = ? where id = ?", (HOSTILE, pending.id))
    conn.close()
    return SimpleNamespace(db=db, root=root, over=over, confirmed=confirmed, pending=pending, later=later, at=at)


@pytest.fixture
def seeded(tmp_path: Path) -> SimpleNamespace:
    return asyncio.run(_seed(tmp_path))


def agenda(seeded: SimpleNamespace, *args: str) -> subprocess.CompletedProcess[str]:
    return run(seeded.root, ["agenda", "--db", str(seeded.db), *args])


def test_text_lists_the_coming_week_in_the_persons_zone_made_safe(seeded):
    done = agenda(seeded)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert "12:00-13:00 CEST" in lines[0] or "11:00-12:00 CET" in lines[0]  # 10:00 UTC in Berlin
    assert "confirmed" in lines[0] and "Python review" in lines[0] and "with Maya Chen" in lines[0]
    assert "pending" in lines[1] and lines[1].count("Evil ") == 1
    assert not any(marker in done.stdout for marker in DATA_MARKERS)
    assert not any(char in done.stdout for char in ("\x1b", "\x07", "\x9b", "\r", "\u202e"))


def test_json_follows_the_documented_schema(seeded):
    done = agenda(seeded, "--json", "--days", "30")
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert [item["id"] for item in items] == [seeded.confirmed.id, seeded.pending.id, seeded.later.id]
    assert all(set(item) == KEYS for item in items)
    first = items[0]
    start = datetime.fromisoformat(first["start"])
    assert start == seeded.at(2) and start.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert datetime.fromisoformat(first["end"]) - start == timedelta(hours=1)
    assert (first["zone"], first["status"], first["subject"], first["with"], first["role"]) == (
        "Europe/Berlin", "confirmed", "Python review", "Maya Chen", "student",
    )
    assert first["meeting_link"] == "https://meet.example.org/room"
    assert items[1]["status"] == "pending" and items[1]["meeting_link"] is None
    assert "\x1b" not in items[1]["subject"] and items[1]["subject"].startswith("Evil ")


def test_ics_is_a_feed_icalendar_reads_back(seeded):
    done = agenda(seeded, "--ics")
    assert done.returncode == 0, done.stderr
    cal = Calendar.from_ical(done.stdout)
    assert str(cal["METHOD"]) == "PUBLISH"
    events = cal.walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [f"{seeded.confirmed.id}@mentor-tui", f"{seeded.pending.id}@mentor-tui"]
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (alarm,) = events[0].walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-15)


def test_nothing_ahead_is_still_success(seeded):
    # The next session starts in two days at the earliest, after the one day asked for.
    done = agenda(seeded, "--days", "1", "--json")
    assert (done.returncode, json.loads(done.stdout), done.stderr) == (0, [], "")


def test_not_signed_in(seeded):
    (seeded.root / "state" / "local-session.json").unlink()
    done = agenda(seeded)
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == "mentor-tui: not signed in: run mentor-tui and sign in first\n"


def test_not_signed_in_on_supabase_without_a_remembered_sign_in(tmp_path):
    done = run(tmp_path, ["agenda", "--backend", "supabase"],
               {"SUPABASE_URL": "https://x.supabase.co", "SUPABASE_PUBLISHABLE_KEY": "sb_publishable_x"})
    assert (done.returncode, done.stdout) == (3, ""), done.stderr


def test_an_unreachable_project_is_exit_4_and_keeps_the_sign_in(tmp_path):
    """A remembered Supabase sign-in whose access token has expired: refreshing it needs the
    project, which does not answer (nothing listens on port 9)."""
    import base64
    import os
    import time as clock
    import uuid

    from mentor_tui.repository.supabase_storage import session_file_name

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    url, user = "http://127.0.0.1:9", str(uuid.uuid4())
    expired = int(clock.time()) - 3600
    token = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': user, 'exp': expired})}.c2ln"
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    remembered = state / session_file_name(url)
    remembered.write_text(json.dumps({"project_url": url, "session": {
        "access_token": token, "refresh_token": "r", "expires_at": expired, "expires_in": 3600,
        "token_type": "bearer", "user": {"id": user},
    }}))
    os.chmod(remembered, 0o600)
    done = run(tmp_path, ["agenda"], {"SUPABASE_URL": url, "SUPABASE_PUBLISHABLE_KEY": "sb_publishable_x"})
    assert (done.returncode, done.stdout) == (4, ""), done.stderr
    assert done.stderr.startswith("mentor-tui: Cannot reach") and done.stderr.count("\n") == 1
    assert remembered.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--days", "0"], "is not a number of days"),
        (["--days", "x"], "is not a number of days"),
        (["--json", "--ics"], "not allowed with argument"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(tmp_path, args, expected):
    done = run(tmp_path, ["agenda", *args])
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("mentor-tui agenda: ") and done.stderr.count("\n") == 1 and expected in done.stderr


def test_help_documents_the_exit_codes(tmp_path):
    done = run(tmp_path, ["agenda", "--help"])
    assert done.returncode == 0
    for code in ("0  done", "2  a usage", "3  not signed in", "4  the backend cannot be reached"):
        assert code in done.stdout
    assert "agenda" in subprocess.run([sys.executable, "-m", "mentor_tui", "--help"], capture_output=True,
                                      text=True, check=False).stdout
