"""Migration 019: each mentor's rating count and sum, kept by the database whoever writes
a session (the student rating through the API, the server, a deleted session), counted
from the rated sessions a project already had; and the paged directory over them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pg_support import MIGRATIONS

BEFORE_019 = [path for path in MIGRATIONS if path.name < "019"]
FIGURES = "select rating_count, rating_sum from public.mentor_ratings where mentor_id = %s"
DIRECTORY = (
    "select full_name, average_rating, rating_count, total_count"
    " from public.mentor_directory(search => %s, tag => null, sort => %s, max_rows => %s)"
)


def past(days: int) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=days)


def completed(db, mentor: str, days_ago: int, rating: int | None = None) -> str:
    """A session completed by its mentor, then rated by its student through the API."""
    student = db.new_user("student")
    session_id = db.add_session(mentor, student, past(days_ago), status="confirmed")
    db.patch(mentor, session_id, status="completed")
    if rating is not None:
        db.patch(student, session_id, rating=rating)
    return session_id


@pytest.fixture(scope="module")
def earlier(blank_db, scripts):
    """A project with rated sessions from before 019, then migrated (twice)."""
    for path in BEFORE_019:
        scripts.run(blank_db.admin, path)
    mentors = {name: blank_db.new_user("mentor", name=f"{name} Earlier") for name in ("Ada", "Bob", "Cy")}
    for days, rating in ((10, 5), (9, 4), (8, None)):
        completed(blank_db, mentors["Ada"], days, rating)
    completed(blank_db, mentors["Bob"], 7, 3)
    blank_db.add_session(mentors["Cy"], blank_db.new_user("student"), past(6), status="cancelled")
    scripts.migrate(blank_db.admin)
    scripts.migrate(blank_db.admin)
    return blank_db, mentors


def test_the_migration_counts_the_ratings_a_project_already_had_once(earlier):
    db, mentors = earlier
    assert db.rows(FIGURES, (mentors["Ada"],)) == [(2, 9)]
    assert db.rows(FIGURES, (mentors["Bob"],)) == [(1, 3)]
    assert db.rows(FIGURES, (mentors["Cy"],)) == []  # nothing rated: no row, the directory says 0
    student = db.new_user("student")
    assert db.act(student, DIRECTORY, ("Earlier", "rating", 10)) == [
        ("Ada Earlier", Decimal("4.50"), 2, 3), ("Bob Earlier", Decimal("3.00"), 1, 3), ("Cy Earlier", None, 0, 3),
    ]


def test_each_rating_written_through_the_api_counts_once(earlier):
    db, _ = earlier
    mentor = db.new_user("mentor")
    unrated = completed(db, mentor, 5)
    assert db.rows(FIGURES, (mentor,)) == [(0, 0)]  # counted as completed (026), not as rated
    completed(db, mentor, 4, 2)
    assert db.rows(FIGURES, (mentor,)) == [(1, 2)]
    student = db.session(unrated)["student_id"]
    db.patch(str(student), unrated, rating=5)
    assert db.rows(FIGURES, (mentor,)) == [(2, 7)]
    db.patch(mentor, unrated, feedback="Well prepared")  # a change that is no rating
    assert db.rows(FIGURES, (mentor,)) == [(2, 7)]


def test_whoever_changes_or_removes_a_rated_session_the_figures_follow(earlier):
    db, _ = earlier
    mentor, other = db.new_user("mentor"), db.new_user("mentor")
    first = completed(db, mentor, 5, 4)
    second = completed(db, mentor, 4, 2)
    # The server (no RLS, no app rule) corrects a rating, moves a session, removes one.
    db.rows("update public.mentor_sessions set rating = 5 where id = %s", (first,))
    assert db.rows(FIGURES, (mentor,)) == [(2, 7)]
    db.rows("update public.mentor_sessions set mentor_id = %s where id = %s", (other, second))
    assert (db.rows(FIGURES, (mentor,)), db.rows(FIGURES, (other,))) == ([(1, 5)], [(1, 2)])
    db.rows("delete from public.mentor_sessions where id = %s", (first,))
    assert db.rows(FIGURES, (mentor,)) == [(0, 0)]


def test_clients_neither_read_nor_write_the_figures(earlier):
    db, mentors = earlier
    with db.refused("42501"):
        db.act(mentors["Ada"], "select * from public.mentor_ratings")
    with db.refused("42501"):
        db.act(mentors["Ada"], "update public.mentor_ratings set rating_sum = 500")


def test_the_directory_pages_in_the_database(earlier):
    db, _ = earlier
    student = db.new_user("student")
    rows = db.act(student, DIRECTORY, ("Earlier", "name", 2))
    assert [(name, total) for name, _, _, total in rows] == [("Ada Earlier", 3), ("Bob Earlier", 3)]
    assert db.act(student, DIRECTORY, ("Earlier", "name", 0)) == []
    assert db.act(student, DIRECTORY, ("no such mentor", "name", 5)) == []


def test_the_search_and_tag_filters_use_their_indexes(earlier):
    db, _ = earlier
    db.rows(
        "insert into auth.users (id, email, raw_user_meta_data)"
        " select gen_random_uuid(), 'many' || i || '@example.org',"
        " jsonb_build_object('full_name', 'Many ' || md5(i::text), 'role', 'mentor')"
        " from generate_series(1, 3000) i"
    )
    db.rows("update public.user_profiles set expertise = array['Tag' || (random() * 500)::int] where full_name like 'Many %'")
    db.rows("analyze public.user_profiles")
    text_plan = db.rows(
        "explain select 1 from public.user_profiles p where p.role = 'mentor'"
        " and mentor_tui.directory_text(p.full_name, p.profession, p.expertise) like '%earl%'"
    )
    tag_plan = db.rows(
        "explain select 1 from public.user_profiles p where p.role = 'mentor'"
        " and mentor_tui.directory_tags(p.expertise) @> array['tag7']"
    )
    assert "user_profiles_directory_text_idx" in str(text_plan)
    assert "user_profiles_directory_tags_idx" in str(tag_plan)
