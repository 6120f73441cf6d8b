"""025: ``record_reminder`` writes a reminder notification for the caller only, only for a
confirmed session they are a party to, only near its start, once per session, person and
kind; clients still insert no notification themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from pg_support import Db

RECORD = "select added from public.record_reminder(%s, %s)"
LINK = "https://meet.example.org/room"


@pytest.fixture
def people(db: Db) -> SimpleNamespace:
    return SimpleNamespace(mentor=db.new_user("mentor"), student=db.new_user("student"), outsider=db.new_user("student"))


def session_in(db: Db, people: SimpleNamespace, minutes: float, status: str = "confirmed") -> str:
    start = (datetime.now(UTC) + timedelta(minutes=minutes)).replace(microsecond=0)
    return db.add_session(people.mentor, people.student, start, status=status, meeting_link=LINK)


def reminders(db: Db, session_id: str) -> list[tuple[str, str, str]]:
    return [
        (str(user), kind, str(actor))
        for user, kind, actor in db.rows(
            "select user_id, kind, actor_id from public.mentor_notifications"
            " where session_id = %s and kind in ('reminder', 'starting') order by kind, user_id",
            (session_id,),
        )
    ]


def test_a_party_records_each_reminder_once_for_themselves_naming_the_other(db, people):
    session_id = session_in(db, people, 10)
    assert db.act(people.student, RECORD, (session_id, "reminder")) == [(True,)]
    assert db.act(people.student, RECORD, (session_id, "reminder")) == [(False,)]
    assert db.act(people.mentor, RECORD, (session_id, "reminder")) == [(True,)]
    assert sorted(reminders(db, session_id)) == sorted(
        [(people.student, "reminder", people.mentor), (people.mentor, "reminder", people.student)]
    )
    # The student reads theirs like any other notification.
    ((kind,),) = db.act(
        people.student, "select kind from public.mentor_notifications where session_id = %s and kind = 'reminder'",
        (session_id,),
    )
    assert kind == "reminder"


def test_the_start_reminder_is_for_a_session_under_way(db, people):
    started = session_in(db, people, -5)
    assert db.act(people.mentor, RECORD, (started, "starting")) == [(True,)]
    with db.refused("42501", "not the time"):
        db.act(people.mentor, RECORD, (started, "reminder"))  # too late for "starts soon"


@pytest.mark.parametrize("minutes", [90, -70])
def test_no_reminder_far_from_the_start(db, people, minutes):
    session_id = session_in(db, people, minutes)
    for kind in ("reminder", "starting"):
        with db.refused("42501", "not the time"):
            db.act(people.student, RECORD, (session_id, kind))
    assert reminders(db, session_id) == []


def test_only_a_party_only_a_confirmed_session_only_known_kinds(db, people):
    confirmed = session_in(db, people, 10)
    with db.refused("42501", "no such session"):
        db.act(people.outsider, RECORD, (confirmed, "reminder"))
    with db.refused("42501"):
        db.act(None, RECORD, (confirmed, "reminder"))
    with db.refused("42501", "either"):
        db.act(people.student, RECORD, (confirmed, "confirmed"))
    pending = session_in(db, people, 200, status="pending")
    with db.refused("42501", "Only a confirmed session"):
        db.act(people.student, RECORD, (pending, "reminder"))
    assert reminders(db, confirmed) == [] and reminders(db, pending) == []


def test_clients_still_insert_no_notification_themselves(db, people):
    session_id = session_in(db, people, 10)
    with db.refused("42501"):
        db.act(
            people.student,
            "insert into public.mentor_notifications (user_id, kind, session_id) values (%s, 'reminder', %s)",
            (people.student, session_id),
        )
