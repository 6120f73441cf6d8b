"""mentor_availability: read by anyone signed in, written by the mentor alone."""

from __future__ import annotations

import pytest

INSERT = (
    "insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time)"
    " values (%s, %s, %s, %s) returning id"
)


def add_window(db, mentor, day=4, start="14:00", end="17:00", *, as_user=None):
    ((window_id,),) = db.act(as_user or mentor, INSERT, (mentor, day, start, end))
    return str(window_id)


def windows(db, viewer, mentor):
    return db.act(
        viewer,
        "select day_of_week, start_time::text, end_time::text from public.mentor_availability"
        " where mentor_id = %s order by day_of_week, start_time",
        (mentor,),
    )


def test_a_mentor_adds_windows_and_every_signed_in_user_reads_them(db):
    mentor = db.new_user("mentor")
    add_window(db, mentor, 4, "14:00", "17:00")
    add_window(db, mentor, 4, "09:00", "12:00")
    student = db.new_user("student")
    expected = [(4, "09:00:00", "12:00:00"), (4, "14:00:00", "17:00:00")]
    assert windows(db, mentor, mentor) == expected
    assert windows(db, student, mentor) == expected
    with db.refused("42501", "permission denied"):
        windows(db, None, mentor)


def test_a_student_has_no_availability(db):
    student = db.new_user("student")
    with db.refused("42501"):
        add_window(db, student)


def test_nobody_adds_windows_for_someone_else(db):
    mentor = db.new_user("mentor")
    other_mentor = db.new_user("mentor")
    with db.refused("42501"):
        add_window(db, other_mentor, as_user=mentor)


def test_windows_of_one_day_may_touch_but_not_overlap(db):
    mentor = db.new_user("mentor")
    add_window(db, mentor, 0, "09:00", "12:00")
    add_window(db, mentor, 0, "12:00", "15:00")
    add_window(db, mentor, 1, "10:00", "11:00")
    with db.refused("23P01") as info:
        add_window(db, mentor, 0, "11:00", "13:00")
    assert info.value.diag.constraint_name == "mentor_availability_no_overlap"


@pytest.mark.parametrize(
    ("day", "start", "end", "constraint"),
    [
        (2, "10:00", "10:00", "mentor_availability_end_time_check"),
        (2, "12:00", "09:00", "mentor_availability_end_time_check"),
        (7, "09:00", "10:00", "mentor_availability_day_of_week_check"),
        (-1, "09:00", "10:00", "mentor_availability_day_of_week_check"),
    ],
)
def test_bad_windows_are_refused_naming_the_field(db, day, start, end, constraint):
    mentor = db.new_user("mentor")
    with db.refused("23514") as info:
        add_window(db, mentor, day, start, end)
    assert info.value.diag.constraint_name == constraint


def test_a_mentor_edits_and_removes_only_their_own_windows(db):
    mentor = db.new_user("mentor")
    other_mentor = db.new_user("mentor")
    mine = add_window(db, mentor)
    theirs = add_window(db, other_mentor)

    update = "update public.mentor_availability set end_time = '18:00' where id = %s returning id"
    delete = "delete from public.mentor_availability where id = %s returning id"
    assert db.act(mentor, update, (theirs,)) == []
    assert db.act(mentor, delete, (theirs,)) == []
    assert windows(db, mentor, other_mentor) == [(4, "14:00:00", "17:00:00")]

    assert len(db.act(mentor, update, (mine,))) == 1
    with db.refused("42501"):
        db.act(mentor, "update public.mentor_availability set mentor_id = %s where id = %s", (other_mentor, mine))
    assert len(db.act(mentor, delete, (mine,))) == 1
    assert windows(db, mentor, mentor) == []
