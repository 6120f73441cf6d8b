"""015: messages between a mentor and a student who share a session, as ``authenticated``
through the API: only the two read them, the sender writes only in their own name and only
to a session partner, only the recipient marks a message read (once), nothing else changes,
and no client deletes. The conversations RPC and the Realtime publication step too."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pg_support
import pytest
from pg_support import Db, Scripts

SEND = "insert into public.mentor_messages (mentor_id, student_id, sender_id, body) values (%s, %s, %s, %s) returning id"


@pytest.fixture
def pair(db: Db) -> SimpleNamespace:
    """A mentor and a student with one session (cancelled: any status counts), and an outsider."""
    mentor, student = db.new_user("mentor", name="Mia Mentor"), db.new_user("student", name="Sam Student")
    db.add_session(mentor, student, datetime.now(UTC) + timedelta(days=2), status="cancelled")
    return SimpleNamespace(mentor=mentor, student=student, outsider=db.new_user("student"))


def send(db: Db, sender: str, mentor: str, student: str, body: str = "Hello") -> str:
    ((message_id,),) = db.act(sender, SEND, (mentor, student, sender, body))
    return str(message_id)


def test_both_parties_send_and_read_and_nobody_else_sees_a_thing(db, pair):
    first = send(db, pair.student, pair.mentor, pair.student, "Hi, a question")
    second = send(db, pair.mentor, pair.mentor, pair.student, "Ask away")
    query = "select id from public.mentor_messages order by created_at, id"
    for party in (pair.mentor, pair.student):
        assert {str(i) for (i,) in db.act(party, query)} == {first, second}
    assert db.act(pair.outsider, query) == []
    assert db.act(pair.outsider, "select * from public.mentor_conversations()") == []


def test_the_database_stamps_the_time_and_a_new_message_is_unread(db, pair):
    ((created, read),) = db.act(
        pair.student,
        "insert into public.mentor_messages (mentor_id, student_id, sender_id, body, created_at, read_at)"
        " values (%s, %s, %s, 'x', '2001-01-01', now()) returning created_at, read_at",
        (pair.mentor, pair.student, pair.student),
    )
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)
    assert read is None


def test_spoofing_the_sender_is_refused(db, pair):
    with db.refused("42501", "only in your own name"):
        db.act(pair.student, SEND, (pair.mentor, pair.student, pair.mentor, "I am the mentor"))
    with db.refused("42501"):
        db.act(pair.outsider, SEND, (pair.mentor, pair.student, pair.student, "Pretending"))


def test_only_session_partners_write_to_each_other(db, pair):
    stranger = db.new_user("mentor")
    with db.refused("42501", "share a session with"):
        db.act(pair.student, SEND, (stranger, pair.student, pair.student, "Hello stranger"))
    with db.refused("42501", "share a session with"):
        db.act(stranger, SEND, (stranger, pair.student, stranger, "Hello student"))
    # An outsider naming themselves as the student of someone else's pair.
    with db.refused("42501"):
        db.act(pair.outsider, SEND, (pair.mentor, pair.outsider, pair.outsider, "Let me in"))


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001, "bell \x07", "osc \x1b]52;c;eA==\x07"])
def test_the_body_is_one_to_4000_plain_characters(db, pair, body):
    with db.refused("23514") as info:
        send(db, pair.student, pair.mentor, pair.student, body)
    assert "body" in (info.value.diag.constraint_name or "")


def test_a_multi_line_body_of_4000_characters_is_kept(db, pair):
    body = "line one\n\tline two " + "x" * 3980
    message_id = send(db, pair.student, pair.mentor, pair.student, body)
    assert db.value("select body from public.mentor_messages where id = %s", (message_id,)) == body


def test_only_the_recipient_marks_read_once(db, pair):
    message_id = send(db, pair.student, pair.mentor, pair.student)
    mark = "update public.mentor_messages set read_at = %s where id = %s returning read_at"
    # RLS: to the sender and to an outsider there is no row to mark.
    assert db.act(pair.student, mark, ("2001-01-01", message_id)) == []
    assert db.act(pair.outsider, mark, ("2001-01-01", message_id)) == []
    assert db.value("select read_at from public.mentor_messages where id = %s", (message_id,)) is None
    ((read_at,),) = db.act(pair.mentor, mark, ("2001-01-01", message_id))
    assert abs(read_at - datetime.now(UTC)) < timedelta(minutes=1)  # stamped by the database
    with db.refused("42501", "marked read once"):
        db.act(pair.mentor, mark, ("2030-01-01", message_id))
    with db.refused("42501"):
        db.act(pair.mentor, "update public.mentor_messages set read_at = null where id = %s", (message_id,))


def test_nothing_else_of_a_message_changes_and_nobody_deletes(db, pair):
    message_id = send(db, pair.student, pair.mentor, pair.student, "Original")
    for party in (pair.mentor, pair.student):
        for column, value in (("body", "Edited"), ("sender_id", pair.mentor), ("created_at", "2001-01-01")):
            with db.refused("42501", "permission denied"):
                db.act(party, f"update public.mentor_messages set {column} = %s where id = %s", (value, message_id))
        with db.refused("42501", "permission denied"):
            db.act(party, "delete from public.mentor_messages where id = %s", (message_id,))
    assert db.value("select body from public.mentor_messages where id = %s", (message_id,)) == "Original"


def test_conversations_name_the_other_party_with_the_last_message_and_unread_count(db, pair):
    send(db, pair.student, pair.mentor, pair.student, "One")
    send(db, pair.student, pair.mentor, pair.student, "Two")
    columns = "other_id, other_name, body, unread"
    assert db.act(pair.mentor, f"select {columns} from public.mentor_conversations()") == [
        (uuid.UUID(pair.student), "Sam Student", "Two", 2)
    ]
    assert db.act(pair.student, f"select {columns} from public.mentor_conversations()") == [
        (uuid.UUID(pair.mentor), "Mia Mentor", "Two", 0)
    ]
    db.act(pair.mentor, "update public.mentor_messages set read_at = now() where sender_id = %s", (pair.student,))
    assert db.act(pair.mentor, "select unread from public.mentor_conversations()") == [(0,)]


def test_signed_out_nothing_is_read_or_sent(db, pair):
    with db.refused("42501", "permission denied"):
        db.act(None, "select * from public.mentor_messages")
    with db.refused("42501", "permission denied"):
        db.act(None, SEND, (pair.mentor, pair.student, pair.student, "Anon"))
    with db.refused("42501", "permission denied"):
        db.act(None, "select * from public.mentor_conversations()")


def test_the_tables_join_the_realtime_publication_where_it_exists(server_url):
    with pg_support.standin_database(server_url, "realtime_publication") as project:
        project.rows("create publication supabase_realtime")
        Scripts.migrate(project.admin)
        Scripts.migrate(project.admin)
        published = project.rows(
            "select tablename from pg_publication_tables where pubname = 'supabase_realtime' order by 1"
        )
        assert published == [
            ("mentor_messages",), ("mentor_notifications",), ("mentor_proposals",), ("mentor_sessions",),
            ("session_reschedules",),
        ]


def test_a_publication_of_all_tables_is_left_as_it_is(server_url):
    with pg_support.standin_database(server_url, "realtime_all_tables") as project:
        project.rows("create publication supabase_realtime for all tables")
        Scripts.migrate(project.admin)
        assert project.value("select puballtables from pg_publication where pubname = 'supabase_realtime'") is True


def test_without_the_publication_the_migrations_still_run(db):
    assert db.rows("select 1 from pg_publication where pubname = 'supabase_realtime'") == []
    assert db.value("select count(*) from pg_tables where tablename = 'mentor_messages'") == 1
