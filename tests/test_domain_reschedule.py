"""The rules of moving a session and of no-shows (``domain.reschedule``, ``domain.no_show``),
without a backend: who may ask, who answers, when, and that the booking checks apply to the
new time with the session's own old time set aside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mentor_tui.domain import messages
from mentor_tui.domain.errors import NotAllowed, NotFound, SlotTaken
from mentor_tui.domain.models import MentorSession, Profile, Role, SessionStatus, TimeRange
from mentor_tui.domain.no_show import NoShow, absent_party, check_mark
from mentor_tui.domain.reschedule import (
    RescheduleFacts,
    RescheduleRequest,
    RescheduleStatus,
    check_answer,
    check_propose,
    refusal_to_answer,
    refusal_to_propose,
)

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)
MENTOR = Profile(id="m", full_name="Maya", role=Role.MENTOR)


def session(status: SessionStatus = SessionStatus.CONFIRMED, start: datetime = START) -> MentorSession:
    return MentorSession(
        id="s1", mentor_id="m", student_id="st", subject="Python", scheduled_time=start, duration_minutes=60,
        status=status, created_at=NOW, updated_at=NOW,
    )


def request(by: str = "st", status: RescheduleStatus = RescheduleStatus.OPEN, new: datetime = START + timedelta(hours=3)):
    return RescheduleRequest(
        id="r1", session_id="s1", proposed_by=by, old_time=START, new_time=new, reason="Exam", status=status,
        created_at=NOW,
    )


def facts(s: MentorSession | None = None, r: RescheduleRequest | None = None, busy=()) -> RescheduleFacts:
    s = s or session()
    own = TimeRange(start=s.scheduled_time, end=s.end_time)
    return RescheduleFacts(s, r, MENTOR, (), (own, *busy))


@pytest.mark.parametrize("status", [SessionStatus.PENDING, SessionStatus.CONFIRMED])
def test_either_party_of_an_active_session_ahead_may_ask(status):
    for person in ("m", "st"):
        assert refusal_to_propose(session(status), person, None, NOW) is None
    check_propose(facts(session(status)), "st", START + timedelta(hours=3), NOW)


def test_who_and_when_may_not_ask():
    assert refusal_to_propose(session(), "x", None, NOW) == messages.NOT_A_PARTY
    assert refusal_to_propose(session(SessionStatus.COMPLETED), "st", None, NOW) == messages.RESCHEDULE_NOT_ACTIVE
    assert refusal_to_propose(session(), "st", None, START) == messages.RESCHEDULE_STARTED
    assert refusal_to_propose(session(), "m", request(), NOW) == messages.RESCHEDULE_ALREADY_OPEN
    with pytest.raises(NotFound):
        check_propose(RescheduleFacts(None, None), "st", START, NOW)


def test_the_new_time_passes_the_booking_checks_with_the_own_slot_set_aside():
    # Half an hour later overlaps only the session itself: allowed.
    check_propose(facts(), "st", START + timedelta(minutes=30), NOW)
    taken = TimeRange(start=START + timedelta(hours=3), end=START + timedelta(hours=4))
    with pytest.raises(SlotTaken):
        check_propose(facts(busy=(taken,)), "st", START + timedelta(hours=3, minutes=30), NOW)
    with pytest.raises(NotAllowed, match="other than"):
        check_propose(facts(), "st", START, NOW)
    with pytest.raises(Exception, match="future"):
        check_propose(facts(), "st", NOW - timedelta(hours=1), NOW)


def test_only_the_other_party_answers_and_only_the_proposer_withdraws():
    s, r = session(), request(by="st")
    assert refusal_to_answer(s, r, "m", RescheduleStatus.ACCEPTED, NOW) is None
    assert refusal_to_answer(s, r, "m", RescheduleStatus.DECLINED, NOW) is None
    assert refusal_to_answer(s, r, "st", RescheduleStatus.ACCEPTED, NOW) == messages.RESCHEDULE_ANSWER_OTHER
    assert refusal_to_answer(s, r, "m", RescheduleStatus.WITHDRAWN, NOW) == messages.RESCHEDULE_WITHDRAW_OWN
    assert refusal_to_answer(s, r, "st", RescheduleStatus.WITHDRAWN, NOW) is None
    assert refusal_to_answer(s, r, "x", RescheduleStatus.ACCEPTED, NOW) == messages.NO_SUCH_RESCHEDULE
    closed = request(status=RescheduleStatus.DECLINED)
    assert refusal_to_answer(s, closed, "m", RescheduleStatus.ACCEPTED, NOW) == messages.RESCHEDULE_NOT_OPEN


def test_an_acceptance_needs_the_session_still_where_the_request_found_it():
    moved = session(start=START + timedelta(hours=1))
    assert refusal_to_answer(moved, request(), "m", RescheduleStatus.ACCEPTED, NOW) == messages.RESCHEDULE_SESSION_CHANGED
    assert refusal_to_answer(session(), request(), "m", RescheduleStatus.ACCEPTED, START) == messages.RESCHEDULE_STARTED
    # A decline needs none of that.
    assert refusal_to_answer(session(), request(), "m", RescheduleStatus.DECLINED, START) is None
    taken = TimeRange(start=START + timedelta(hours=3), end=START + timedelta(hours=4))
    with pytest.raises(SlotTaken):
        check_answer(facts(r=request(), busy=(taken,)), "m", RescheduleStatus.ACCEPTED, NOW)
    with pytest.raises(NotFound):
        check_answer(RescheduleFacts(session(), None), "m", RescheduleStatus.ACCEPTED, NOW)


def mark(by: str = "m") -> NoShow:
    return NoShow(id="n1", session_id="s1", marked_by=by, absent_id="st" if by == "m" else "m", created_at=NOW)


def test_a_no_show_is_marked_once_per_party_after_a_confirmed_session_has_ended():
    after = START + timedelta(hours=1)
    for status in (SessionStatus.CONFIRMED, SessionStatus.COMPLETED):
        check_mark(session(status), "m", (), after)
    with pytest.raises(NotAllowed, match="after the session has ended"):
        check_mark(session(), "m", (), START + timedelta(minutes=59))
    for status in (SessionStatus.PENDING, SessionStatus.CANCELLED):
        with pytest.raises(NotAllowed, match="confirmed or completed"):
            check_mark(session(status), "m", (), after)
    with pytest.raises(NotAllowed, match="already"):
        check_mark(session(), "m", (mark("m"),), after)
    check_mark(session(), "st", (mark("m"),), after)  # the other party's mark is theirs
    with pytest.raises(NotAllowed):
        check_mark(session(), "x", (), after)
    with pytest.raises(NotFound):
        check_mark(None, "m", (), after)
    assert (absent_party(session(), "m"), absent_party(session(), "st")) == ("st", "m")


def test_the_inbox_words_each_reschedule_notification():
    from mentor_tui.domain.models import Notification, NotificationKind
    from mentor_tui.services.notifications import sentence

    def note(kind: NotificationKind, detail: str | None = None) -> Notification:
        return Notification(id="n", user_id="m", kind=kind, session_id="s1", actor_id="st", actor_name="Sam Rivera",
                            detail=detail, created_at=NOW)

    when = lambda s: "Wed 2 Dec 10:00"  # noqa: E731
    assert sentence(note(NotificationKind.RESCHEDULE_PROPOSED, "Exam\x1b[6n"), session(), when) == (
        "Sam Rivera asks to move “Python”: Exam␛[6n"
    )
    assert sentence(note(NotificationKind.RESCHEDULE_ACCEPTED), session(), when) == (
        "Sam Rivera accepted moving the session to Wed 2 Dec 10:00"
    )
    assert sentence(note(NotificationKind.RESCHEDULE_DECLINED), None, when) == (
        f"Sam Rivera declined moving {messages.A_SESSION}"
    )
    assert sentence(note(NotificationKind.RESCHEDULE_WITHDRAWN), session(), when) == (
        "Sam Rivera withdrew the request to move “Python”"
    )
    hostile = session().model_copy(update={"subject": "[b]Py\x1b]0;x\x07"})
    assert sentence(note(NotificationKind.RESCHEDULE_DECLINED), hostile, when) == (
        "Sam Rivera declined moving “[b]Py␛]0;x␇”"
    )
    assert sentence(note(NotificationKind.NO_SHOW, "Waited 20 minutes"), session(), when) == (
        "Sam Rivera marked you absent from the session of Wed 2 Dec 10:00: Waited 20 minutes"
    )
