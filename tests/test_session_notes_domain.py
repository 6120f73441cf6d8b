"""Action items and the rules of notes and replies (``domain.session_notes``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mentor_tui.domain import messages
from mentor_tui.domain.models import MentorSession, SessionStatus
from mentor_tui.domain.session_notes import ActionItem, action_items, notes_refusal, open_items, reply_refusal

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def session(**changes: object) -> MentorSession:
    values: dict[str, object] = {
        "id": "s1", "mentor_id": "m", "student_id": "s", "subject": "Pytest", "scheduled_time": NOW - timedelta(hours=2),
        "duration_minutes": 60, "status": SessionStatus.COMPLETED, "created_at": NOW, "updated_at": NOW,
    }
    return MentorSession.model_validate({**values, **changes})


def test_task_list_lines_are_action_items_open_or_done():
    notes = "\n".join([
        "## Action items",
        "- [ ] Write the fixture",
        "* [x] Read the docs",
        "+ [X] Install pytest",
        "  - [ ]   Indented a little  ",
        "- [] not a box",
        "- [ ]",
        "Text - [ ] in a sentence",
        "```",
        "- [ ] inside code",
        "```",
        "1. [ ] numbered is not a task here",
    ])
    assert action_items(notes) == [
        ActionItem("Write the fixture", False),
        ActionItem("Read the docs", True),
        ActionItem("Install pytest", True),
        ActionItem("Indented a little", False),
    ]
    assert open_items(notes) == ["Write the fixture", "Indented a little"]


def test_no_items_in_plain_notes():
    assert open_items("We talked about fixtures.\n\n- a bullet") == []


def test_a_huge_summary_is_read_line_by_line():
    items = open_items("- [ ] item\n" * 5000)
    assert len(items) == 5000


@pytest.mark.parametrize(
    ("changes", "who", "refusal"),
    [
        ({}, "m", None),
        ({"status": SessionStatus.CONFIRMED}, "m", None),
        ({"status": SessionStatus.CONFIRMED, "scheduled_time": NOW + timedelta(minutes=1)}, "m", messages.NOTES_NOT_YET),
        ({"status": SessionStatus.PENDING}, "m", messages.NOTES_NOT_YET),
        ({"status": SessionStatus.CANCELLED}, "m", messages.NOTES_CANCELLED),
        ({}, "s", messages.ONLY_MENTOR_WRITES_NOTES),
        ({}, "stranger", messages.ONLY_MENTOR_WRITES_NOTES),
        ({"time_invalid": True}, "m", messages.INVALID_TIME),
    ],
)
def test_only_the_mentor_writes_notes_once_the_session_has_started(changes, who, refusal):
    assert notes_refusal(session(**changes), who, NOW) == refusal


@pytest.mark.parametrize(
    ("changes", "who", "refusal"),
    [
        ({"rating": 4}, "m", None),
        ({"rating": 4}, "s", messages.ONLY_MENTOR_REPLIES),
        ({}, "m", messages.NOTHING_TO_REPLY_TO),
        ({"rating": 4, "review_reply": "Thanks"}, "m", messages.ALREADY_REPLIED),
    ],
)
def test_the_mentor_replies_once_to_a_rated_session(changes, who, refusal):
    assert reply_refusal(session(**changes), who) == refusal


def test_the_inbox_words_notes_and_replies_by_the_sessions_subject():
    from mentor_tui.domain.models import Notification, NotificationKind, Role
    from mentor_tui.services.notifications import destination, sentence

    def note(kind: NotificationKind, detail: str | None = None) -> Notification:
        return Notification(id="n", user_id="s", kind=kind, session_id="s1", actor_id="m", actor_name="Maya Chen",
                            detail=detail, created_at=NOW)

    when = lambda s: "Tue 1 Dec 10:00"  # noqa: E731
    assert sentence(note(NotificationKind.NOTES_WRITTEN), session(subject="Python basics"), when) == (
        "Maya Chen wrote notes for Python basics"
    )
    assert sentence(note(NotificationKind.REVIEW_REPLIED, "Thank you!"), session(), when) == (
        "Maya Chen replied to your review of Pytest: Thank you!"
    )
    # A hostile subject is shown as text; an unknown session is "a session".
    hostile = sentence(note(NotificationKind.NOTES_WRITTEN), session(subject="[b]x[/b]\x1b[2J"), when)
    assert hostile == "Maya Chen wrote notes for [b]x[/b]␛[2J"
    assert sentence(note(NotificationKind.REVIEW_REPLIED), None, when) == (
        f"Maya Chen replied to your review of {messages.A_SESSION}"
    )
    # Each leads to the session in the student's list.
    for kind in (NotificationKind.NOTES_WRITTEN, NotificationKind.REVIEW_REPLIED, NotificationKind.NO_SHOW):
        assert (destination(note(kind), Role.STUDENT).section, destination(note(kind), Role.STUDENT).session_id) == (
            "my-sessions", "s1"
        )
