"""The text rules of mentor_tui/domain/text.py, held by the Supabase schema for
every client: each field's limit read from text.FIELDS (so the two can never
drift), and the characters a terminal acts on, refused when written straight
through the API as ``authenticated``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest

from mentor_tui.domain import text
from pg_support import Db

URL_HEAD = "https://meet.example.org/"
PAST = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)

# Strings that act on a terminal: OSC 52 (clipboard), OSC 0 (title), OSC 8 (link),
# CSI queries, leaving the alternate screen, BEL, CR, DEL, C1 CSI, bidi controls.
HOSTILE = {
    "osc52": "\x1b]52;c;ZXZpbA==\x07",
    "osc0": "\x1b]0;owned\x07",
    "osc8": "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "csi": "\x1b[6n",
    "alt-screen": "\x1b[?1049l",
    "bel": "\x07",
    "cr": "\r",
    "del": "\x7f",
    "c1-csi": "\x9b31m",
    "rlo": "\u202e",
    "lrm": "\u200e",
    "isolate": "\u2066",
    "alm": "\u061c",
}
LINE_BREAKS = {"tab": "\t", "newline": "\n"}

Writer = Callable[[Db, str, datetime], None]


def profile_field(column: str) -> Writer:
    def write(db: Db, value: str, start: datetime) -> None:
        mentor = db.new_user("mentor")
        db.act(mentor, f"update public.user_profiles set {column} = %s where user_id = %s", (value, mentor))

    return write


def expertise(db: Db, value: str, start: datetime) -> None:
    mentor = db.new_user("mentor")
    db.act(mentor, "update public.user_profiles set expertise = array['Python', %s] where user_id = %s", (value, mentor))


def booking_field(column: str) -> Writer:
    def write(db: Db, value: str, start: datetime) -> None:
        db.book(db.new_user("student"), db.new_user("mentor"), start, **{column: value})

    return write


def feedback(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, PAST, status="confirmed")
    db.patch(mentor, session_id, status="completed", feedback=value)


def review(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, PAST, status="completed")
    db.patch(student, session_id, rating=5, review=value)


def cancellation_reason(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, start)
    db.patch(student, session_id, status="cancelled", cancellation_reason=value)


def meeting_link(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, start)
    db.patch(mentor, session_id, status="confirmed", meeting_link=value)


def meeting_url(db: Db, value: str, start: datetime) -> None:
    mentor = db.new_user("mentor")
    db.act(mentor, "insert into public.mentor_private_profiles (user_id, meeting_url) values (%s, %s)", (mentor, value))


def message_body(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    db.add_session(mentor, student, start)
    db.act(
        student,
        "insert into public.mentor_messages (mentor_id, student_id, sender_id, body) values (%s, %s, %s, %s)",
        (mentor, student, student, value),
    )


def review_reply(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, PAST, status="completed")
    db.patch(student, session_id, rating=5)
    db.patch(mentor, session_id, review_reply=value)


def summary(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, PAST, status="completed")
    db.act(mentor, "insert into public.session_notes (session_id, summary) values (%s, %s)", (session_id, value))


def reschedule_reason(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, start, status="confirmed")
    db.act(
        student,
        "insert into public.session_reschedules (session_id, proposed_by, old_time, new_time, reason)"
        " values (%s, %s, %s, %s, %s)",
        (session_id, student, start, start + timedelta(hours=2), value),
    )


def no_show_note(db: Db, value: str, start: datetime) -> None:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.add_session(mentor, student, PAST, status="confirmed")
    db.act(
        mentor,
        "insert into public.session_no_shows (session_id, marked_by, absent_id, note) values (%s, %s, %s, %s)",
        (session_id, mentor, student, value),
    )


WRITERS: dict[str, Writer] = {
    "full_name": profile_field("full_name"),
    "profession": profile_field("profession"),
    "experience": profile_field("experience"),
    "bio": profile_field("bio"),
    "expertise": expertise,
    "subject": booking_field("subject"),
    "notes": booking_field("notes"),
    "feedback": feedback,
    "review": review,
    "cancellation_reason": cancellation_reason,
    "meeting_link": meeting_link,
    "meeting_url": meeting_url,
    "body": message_body,
    "review_reply": review_reply,
    "summary": summary,
    "reason": reschedule_reason,
    "note": no_show_note,
}
URL_FIELDS = {"meeting_link", "meeting_url"}


def test_every_field_of_the_domain_has_a_writer_here():
    assert set(WRITERS) == set(text.FIELDS)


def value_of_length(name: str, length: int) -> str:
    """A value of exactly ``length`` characters that is otherwise acceptable."""
    if name in URL_FIELDS:
        return URL_HEAD + "a" * (length - len(URL_HEAD))
    if text.FIELDS[name].multiline:
        return "a\tb\n" + "x" * (length - 4)
    return "x" * length


@contextmanager
def refused_naming(db: Db, name: str) -> Iterator[None]:
    """The write must fail with 23514 on a constraint that names the column."""
    with db.refused("23514") as info:
        yield
    assert name in (info.value.diag.constraint_name or ""), info.value.diag.constraint_name


@pytest.mark.parametrize("name", sorted(text.FIELDS))
def test_each_limit_is_the_domains(db, soon, name):
    limit = text.FIELDS[name].max_length
    WRITERS[name](db, value_of_length(name, limit), soon)
    with refused_naming(db, name):
        WRITERS[name](db, value_of_length(name, limit + 1), soon)


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(text.FIELDS))
def test_characters_a_terminal_acts_on_are_refused(db, soon, name, hostile):
    value = (URL_HEAD if name in URL_FIELDS else "Ada ") + HOSTILE[hostile] + "x"
    with refused_naming(db, name):
        WRITERS[name](db, value, soon)


@pytest.mark.parametrize("brk", sorted(LINE_BREAKS))
@pytest.mark.parametrize("name", sorted(text.FIELDS))
def test_tabs_and_newlines_only_where_a_field_has_several_lines(db, soon, name, brk):
    value = (URL_HEAD if name in URL_FIELDS else "Ada") + LINE_BREAKS[brk] + "x"
    if text.FIELDS[name].multiline:
        WRITERS[name](db, value, soon)
    else:
        with refused_naming(db, name):
            WRITERS[name](db, value, soon)


def test_at_most_twenty_expertise_tags(db):
    mentor = db.new_user("mentor")
    tags = [f"tag{i}" for i in range(text.EXPERTISE_MAX_TAGS)]
    query = "update public.user_profiles set expertise = %s where user_id = %s"
    db.act(mentor, query, (tags, mentor))
    with refused_naming(db, "expertise"):
        db.act(mentor, query, ([*tags, "one more"], mentor))


@pytest.mark.parametrize(
    "address",
    ["http://meet.example.org/x", "javascript:alert(1)", "file:///etc/passwd", "https://", "https:///path",
     "https://localhost/room", "https://meet example.org/x", "https://meet.example.org/a b",
     "https://user@meet.example.org/x"],
)
@pytest.mark.parametrize("name", sorted(URL_FIELDS))
def test_call_addresses_are_https_with_a_host(db, soon, name, address):
    with refused_naming(db, name):
        WRITERS[name](db, address, soon)


@pytest.mark.parametrize("name", sorted(URL_FIELDS))
def test_the_app_and_the_domain_agree_on_good_addresses(db, soon, name):
    for address in ["https://meet.jit.si/mentor-tui-1", "https://zoom.us/j/123?pwd=x#top", "https://a.b"]:
        assert text.url_error(name, address) is None
        WRITERS[name](db, address, soon)
