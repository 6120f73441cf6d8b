"""The RPCs: the mentor dashboard's figures, the directory, public reviews and
busy times, each showing exactly what it should and nothing about anyone else."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest


def call(db, user_id, query, params=None):
    """Call an RPC as a client; returns (column names, rows)."""
    with db.client(user_id) as conn:
        cur = conn.execute(query, params)
        return [c.name for c in cur.description], cur.fetchall()


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def completed(db, mentor, start, rating=None, review=None, **columns):
    """A session completed by its mentor (so mentor_students counts it), then rated by its student."""
    student = columns.pop("student", None) or db.new_user("student")
    session_id = db.add_session(mentor, student, start, status="confirmed", **columns)
    db.patch(mentor, session_id, status="completed")
    if rating is not None:
        db.patch(student, session_id, rating=rating, review=review)
    return session_id


# --- mentor_dashboard_stats -------------------------------------------------

STATS = "select * from public.mentor_dashboard_stats()"


def test_the_dashboard_shows_the_calling_mentors_figures_only(db):
    mentor, other_mentor = db.new_user("mentor"), db.new_user("mentor")
    regular = db.new_user("student")
    completed(db, mentor, now() - timedelta(days=3), 5, student=regular)
    completed(db, mentor, now() - timedelta(days=2), 4, student=regular)
    completed(db, mentor, now() - timedelta(days=5))
    db.add_session(mentor, db.new_user("student"), now() + timedelta(days=1))
    db.add_session(mentor, db.new_user("student"), now() + timedelta(days=2), status="confirmed")
    db.add_session(mentor, db.new_user("student"), now() - timedelta(days=1))  # pending but past
    db.add_session(mentor, db.new_user("student"), now() + timedelta(days=3), status="cancelled")
    for days in (1, 2, 3):
        db.add_session(other_mentor, db.new_user("student"), now() + timedelta(days=days))
        completed(db, other_mentor, now() - timedelta(days=days), 1)

    names, rows = call(db, mentor, STATS)
    assert names == ["total_students", "upcoming_sessions", "completed_today", "average_rating", "rating_count"]
    assert rows == [(2, 2, 0, Decimal("4.50"), 2)]
    assert call(db, other_mentor, STATS)[1] == [(3, 3, 0, Decimal("1.00"), 3)]


def test_a_new_mentor_has_empty_figures(db):
    assert call(db, db.new_user("mentor"), STATS)[1] == [(0, 0, 0, None, 0)]


def test_the_dashboard_is_refused_to_a_student(db):
    with db.refused("42501", "Only mentors have a dashboard."):
        call(db, db.new_user("student"), STATS)
    with db.refused("42501"):
        call(db, None, STATS)


@pytest.mark.parametrize("zone_name", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14 and UTC-11
def test_completed_today_is_the_mentors_own_calendar_day(db, zone_name):
    zone = ZoneInfo(zone_name)
    mentor = db.new_user("mentor", tz=zone_name)
    # One transaction, so now() is the same instant for the set-up and the call.
    with db.admin.transaction():
        local_today = db.value("select now()").astimezone(zone).date()
        midnight = datetime.combine(local_today, time(0), zone)
        next_midnight = datetime.combine(local_today + timedelta(days=1), time(0), zone)
        minute = timedelta(minutes=1)
        for start in (midnight - minute, midnight, next_midnight - minute, next_midnight):
            db.add_session(mentor, db.new_user("student"), start, status="completed")
        _, [(_, _, completed_today, _, _)] = call(db, mentor, STATS)
    assert completed_today == 2


# --- mentor_directory -------------------------------------------------------

DIRECTORY = "select * from public.mentor_directory(search => %s, tag => %s)"
DIRECTORY_COLUMNS = [
    "user_id", "full_name", "profession", "experience", "hourly_rate", "expertise", "bio", "timezone",
    "average_rating", "rating_count", "total_count",
]


@pytest.fixture
def mentors(db):
    """Three mentors and a student sharing a unique word, so other tests' rows stay out."""
    word = uuid.uuid4().hex[:8]
    made = {}
    for key, name, profession, expertise in [
        ("ada", f"Ada {word}", "Data engineer", [f"Python-{word}", "SQL"]),
        ("bob", f"Bob {word}", "Systems developer", ["Rust"]),
        ("cy", f"Cy {word}", "Teacher", [f"python-{word}"]),
    ]:
        made[key] = db.new_user("mentor", name=name)
        db.rows(
            "update public.user_profiles set profession = %s, expertise = %s, experience = '5 years',"
            " hourly_rate = 60, bio = 'Hi' where user_id = %s",
            (profession, expertise, made[key]),
        )
    made["student"] = db.new_user("student", name=f"Stu {word}")
    made["word"] = word
    return made


def listed(db, viewer, search, tag=None):
    return [row[1].split()[0] for row in call(db, viewer, DIRECTORY, (search, tag))[1]]


def test_the_directory_filters_by_name_profession_and_expertise_in_name_order(db, mentors):
    word, viewer = mentors["word"], mentors["student"]
    assert listed(db, viewer, word) == ["Ada", "Bob", "Cy"]
    assert listed(db, viewer, f"PYTHON-{word}") == ["Ada", "Cy"]
    assert listed(db, viewer, f"bob {word}".upper()) == ["Bob"]
    assert listed(db, viewer, word, f"Python-{word}".upper()) == ["Ada", "Cy"]
    assert listed(db, viewer, "", f"python-{word}") == ["Ada", "Cy"]
    assert "Systems developer" in [row[2] for row in call(db, viewer, DIRECTORY, ("systems DEV", None))[1]]


def test_search_text_is_taken_literally(db, mentors):
    assert listed(db, mentors["student"], "%") == []
    assert listed(db, mentors["student"], "_") == []


def test_the_directory_shows_public_aggregates_and_nothing_else(db, mentors):
    completed(db, mentors["ada"], now() - timedelta(days=4), 5, "Great", notes="private notes")
    completed(db, mentors["ada"], now() - timedelta(days=3), 4)
    completed(db, mentors["ada"], now() - timedelta(days=2))
    names, rows = call(db, mentors["student"], DIRECTORY, (mentors["word"], None))
    assert names == DIRECTORY_COLUMNS
    by_name = {row[1].split()[0]: row for row in rows}
    assert by_name["Ada"][0] == uuid.UUID(mentors["ada"])
    assert by_name["Ada"][2:] == (
        "Data engineer", "5 years", Decimal("60.00"), [f"Python-{mentors['word']}", "SQL"], "Hi", "UTC",
        Decimal("4.50"), 2, len(rows),
    )
    assert by_name["Bob"][8:] == (None, 0, len(rows))


def test_the_directory_is_for_signed_in_users(db, mentors):
    with db.refused("42501"):
        call(db, None, DIRECTORY, (mentors["word"], None))


# --- mentor_reviews ---------------------------------------------------------

REVIEWS = "select * from public.mentor_reviews(mentor => %s, max_rows => %s)"


def test_reviews_show_rating_comment_and_date_newest_first_and_no_one(db):
    mentor = db.new_user("mentor")
    authors = [db.new_user("student", name=f"Author {i}") for i in range(3)]
    days = [now() - timedelta(days=d) for d in (9, 2, 5)]
    for author, day, stars in zip(authors, days, (3, 5, 4)):
        completed(db, mentor, day, stars, f"Review {stars}", student=author, notes=f"notes of {author}",
                  subject=f"subject of {author}")
    completed(db, mentor, now() - timedelta(days=1))  # not rated
    db.add_session(mentor, db.new_user("student"), now() + timedelta(days=1))
    reader = db.new_user("student")

    names, rows = call(db, reader, REVIEWS, (mentor, 10))
    assert names == ["rating", "review", "session_date"]
    assert rows == [(5, "Review 5", days[1]), (4, "Review 4", days[2]), (3, "Review 3", days[0])]
    assert call(db, reader, REVIEWS, (mentor, 2))[1] == rows[:2]
    # The reader reaches the reviews but not the sessions behind them.
    assert db.act(reader, "select 1 from public.mentor_sessions where mentor_id = %s", (mentor,)) == []


def test_reviews_are_for_signed_in_users(db):
    with db.refused("42501"):
        call(db, None, REVIEWS, (db.new_user("mentor"), 10))


# --- mentor_busy_times ------------------------------------------------------

BUSY = "select * from public.mentor_busy_times(mentor => %s, from_time => %s, to_time => %s)"


def test_busy_times_are_the_held_intervals_of_the_mentor_and_the_caller(db):
    mentor, elsewhere = db.new_user("mentor"), db.new_user("mentor")
    caller, stranger = db.new_user("student"), db.new_user("student")
    day = (now() + timedelta(days=4)).replace(hour=0, minute=0, second=0)
    at = lambda hour: day + timedelta(hours=hour)  # noqa: E731
    db.add_session(mentor, db.new_user("student"), at(9), notes="secret")
    db.add_session(mentor, db.new_user("student"), at(11), 90, status="confirmed")
    db.add_session(mentor, db.new_user("student"), at(14), status="cancelled")
    db.add_session(mentor, db.new_user("student"), at(30))  # after the range
    db.add_session(mentor, db.new_user("student"), at(-1))  # ends as the range starts
    db.add_session(elsewhere, caller, at(16), 30)  # the caller's own, with another mentor
    db.add_session(elsewhere, stranger, at(18))  # neither the mentor's nor the caller's

    names, rows = call(db, caller, BUSY, (mentor, day, day + timedelta(days=1)))
    assert names == ["start_time", "end_time"]
    assert rows == [
        (at(9), at(10)),
        (at(11), at(11) + timedelta(minutes=90)),
        (at(16), at(16) + timedelta(minutes=30)),
    ]
    # Someone who is not a mentor cannot be looked up: only the caller's own time shows.
    assert call(db, caller, BUSY, (stranger, day, day + timedelta(days=1)))[1] == [(at(16), at(16) + timedelta(minutes=30))]
    # An empty or reversed range holds nothing.
    assert call(db, caller, BUSY, (mentor, at(12), at(8)))[1] == []


def test_busy_times_are_for_signed_in_users(db):
    with db.refused("42501"):
        call(db, None, BUSY, (db.new_user("mentor"), now(), now() + timedelta(days=1)))
