"""mentor_session_parties() (020): oneself and the people one shares a session with,
in any status, and nobody else; only for signed-in people."""

from __future__ import annotations

from datetime import timedelta


def parties(db, user_id):
    return {row[1] for row in db.act(user_id, "select * from public.mentor_session_parties()")}


def test_oneself_and_session_partners_only(db, soon):
    mentor = db.new_user("mentor", name="Maya")
    other_mentor = db.new_user("mentor", name="Otto")
    sam = db.new_user("student", name="Sam")
    kim = db.new_user("student", name="Kim")
    db.new_user("student", name="Stranger")
    db.add_session(mentor, sam, soon)
    db.add_session(mentor, kim, soon - timedelta(days=30), status="cancelled")
    db.add_session(other_mentor, kim, soon + timedelta(hours=2))

    assert parties(db, mentor) == {"Maya", "Sam", "Kim"}
    assert parties(db, sam) == {"Sam", "Maya"}  # not Otto, a mentor Sam never met
    assert parties(db, kim) == {"Kim", "Maya", "Otto"}


def test_each_row_carries_what_a_session_list_shows(db, soon):
    mentor = db.new_user("mentor", name="Rita", tz="Europe/Berlin")
    student = db.new_user("student", name="Stu")
    db.rows("update public.user_profiles set hourly_rate = 55 where user_id = %s", (mentor,))
    db.add_session(mentor, student, soon)

    rows = {str(row[0]): row[1:] for row in db.act(student, "select * from public.mentor_session_parties()")}
    assert rows[mentor][0] == "Rita" and rows[mentor][1] == "Europe/Berlin" and rows[mentor][2] == 55


def test_only_signed_in_people_may_call_it(db):
    with db.refused("42501"):
        db.act(None, "select * from public.mentor_session_parties()")
