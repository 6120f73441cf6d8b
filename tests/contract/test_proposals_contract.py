"""/schedule through the services, the same on every backend: a student's request with a
message pointing to it; a mentor's proposal, made only to a student they share a session
with, which only that student accepts, once, before its start, as a confirmed session
with the mentor's link, still refused when the slot is taken."""

# ruff: noqa: F811 - the imported fixture "people" is every test's parameter, as pytest passes it

from __future__ import annotations

from datetime import timedelta

import pytest
from test_repository_contract import at, book, people  # noqa: F401  (people is a fixture)

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed, NotFound, SlotTaken
from mentor_tui.domain.models import NotificationKind, ProfileUpdate, SessionStatus
from mentor_tui.services.proposals import ProposalState, state


async def shared(p):
    """A first request, so the mentor and the student share a session."""
    return await p.student.create_session(book(p, at(p.day, 9)))


async def test_a_students_schedule_is_a_pending_request_with_a_message_to_it(backend, people):
    session, message = await people.student.request_in_chat(book(people, at(people.day, 11), 45, "Python review"))
    assert (session.status, session.duration_minutes) == (SessionStatus.PENDING, 45)
    assert (message.session_id, message.proposal_id) == (session.id, None)
    assert message.body == messages.request_message("Python review")
    thread = await people.mentor.thread(people.student.me.id)
    assert [(m.session_id, m.body) for m in thread] == [(session.id, message.body)]


async def test_a_students_schedule_meets_every_booking_rule(backend, people):
    await shared(people)
    with pytest.raises(SlotTaken):
        await people.student.request_in_chat(book(people, at(people.day, 9, 30)))
    with pytest.raises(InvalidInput):
        await people.student.request_in_chat(book(people, at(people.day, 11), 50))
    assert [m.session_id for m in await people.student.thread(people.mentor_id)] == []


async def test_only_a_mentor_proposes_and_only_to_a_student_they_share_a_session_with(backend, people):
    student_id = people.student.me.id
    with pytest.raises(NotAllowed) as caught:
        await people.mentor.propose(student_id, "Pairing", at(people.day, 14), 60)
    assert caught.value.message == messages.PROPOSE_NEEDS_SESSION
    await shared(people)
    with pytest.raises(NotAllowed):
        await people.student.propose(people.mentor_id, "Pairing", at(people.day, 14), 60)
    with pytest.raises(InvalidInput) as refused:
        await people.mentor.propose(student_id, "Pairing", people.mentor.now() - timedelta(hours=1), 60)
    assert refused.value.field == "scheduled_time"
    with pytest.raises(NotAllowed):
        await people.mentor.propose(people.outsider.me.id, "Pairing", at(people.day, 14), 60)
    assert await people.outsider.proposals_with(people.mentor_id) == []


async def test_the_student_accepts_a_proposal_once_as_a_confirmed_session_with_the_mentors_link(backend, people):
    await people.mentor.update_profile(ProfileUpdate(meeting_url="https://meet.example.org/mentor-room"))
    await shared(people)
    student_id = people.student.me.id
    proposal, message = await people.mentor.propose(student_id, "  Pairing  ", at(people.day, 14), 45)
    assert (proposal.subject, proposal.meeting_link) == ("Pairing", "https://meet.example.org/mentor-room")
    assert (message.proposal_id, message.sender_id, message.session_id) == (proposal.id, people.mentor_id, None)
    assert [p.id for p in await people.student.proposals_with(people.mentor_id)] == [proposal.id]

    with pytest.raises(NotAllowed) as caught:
        await people.mentor.accept_proposal(proposal.id)
    assert caught.value.message == messages.PROPOSAL_ONLY_STUDENT
    with pytest.raises(NotFound):
        await people.outsider.accept_proposal(proposal.id)

    session = await people.student.accept_proposal(proposal.id)
    assert (session.status, session.scheduled_time, session.duration_minutes, session.meeting_link) == (
        SessionStatus.CONFIRMED, at(people.day, 14), 45, "https://meet.example.org/mentor-room",
    )
    mine = {view.session.id: view.session.status for view in await people.student.my_sessions()}
    assert mine[session.id] is SessionStatus.CONFIRMED
    (accepted,) = await people.mentor.proposals_with(student_id)
    assert accepted.accepted_session_id == session.id
    assert state(accepted, people.mentor.now()) is ProposalState.ACCEPTED
    with pytest.raises(NotAllowed) as caught:
        await people.student.accept_proposal(proposal.id)
    assert caught.value.message == messages.PROPOSAL_ALREADY_ACCEPTED
    told = [(n.kind, n.session_id, n.actor_id) for n in await people.mentor.notifications()]
    assert (NotificationKind.CONFIRMED, session.id, student_id) in told


async def test_accepting_still_meets_the_no_overlap_rule(backend, people):
    await shared(people)
    proposal, _ = await people.mentor.propose(people.student.me.id, "Pairing", at(people.day, 9, 30), 60)
    with pytest.raises(SlotTaken):
        await people.student.accept_proposal(proposal.id)
    (still,) = await people.student.proposals_with(people.mentor_id)
    assert still.accepted_session_id is None


async def test_a_proposal_expires_at_its_start(backend, people):
    await shared(people)
    start = at(people.day, 15)
    proposal, _ = await people.mentor.propose(people.student.me.id, "Pairing", start, 60)
    backend.move_clock(start - people.student.now())
    assert state(proposal, people.student.now()) is ProposalState.EXPIRED
    with pytest.raises(NotAllowed) as caught:
        await people.student.accept_proposal(proposal.id)
    assert caught.value.message == messages.PROPOSAL_EXPIRED


async def test_a_message_points_only_to_the_pairs_own_session(backend, people):
    """The storage's second line: a reference to someone else's session is refused."""
    other = await people.outsider.create_session(book(people, at(people.day, 12)))
    await shared(people)
    from mentor_tui.services import messages as rules

    with pytest.raises(NotAllowed):
        await people.student._storage.send_message(
            people.mentor_id, people.student.me.id, "Look", rules.check_shared_session, session_id=other.id
        )
