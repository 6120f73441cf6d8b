"""Reviews in depth and session notes, through the services, on every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_repository_contract import ROOM, at, book, people  # noqa: F401 - a fixture

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from mentor_tui.domain.models import NotificationKind, ReviewStats


async def held(backend, p, day_offset: int, hour: int, subject: str):
    """A confirmed session of the pair that has started (the clock moved into it)."""
    start = at(p.day + timedelta(days=day_offset), hour)
    session = await p.student.create_session(book(p, start, subject=subject))
    await p.mentor.confirm_session(session.id, ROOM)
    return session, start


async def told(services, kind: NotificationKind) -> list[tuple]:
    """Who told the person what, of ``kind``: (actor, session, detail) per notification."""
    return [(n.actor_id, n.session_id, n.detail) for n in await services.notifications() if n.kind is kind]


async def test_before_a_session_starts_nobody_writes_notes_or_replies(backend, people):
    session, _ = await held(backend, people, 0, 10, "Ahead")
    for services in (people.student, people.outsider):
        with pytest.raises((NotAllowed, NotFound)):
            await services.save_session_notes(session.id, "- [ ] too early")
    with pytest.raises(NotAllowed) as refused:
        await people.mentor.save_session_notes(session.id, "- [ ] too early")
    assert refused.value.message == messages.NOTES_NOT_YET
    with pytest.raises(NotAllowed):
        await people.mentor.reply_to_review(session.id, "Thanks")
    assert await people.student.session_notes(session.id) is None
    assert await people.outsider.review_stats(people.mentor_id) == ReviewStats()


async def test_notes_reviews_replies_and_carried_items(backend, people):
    first, start = await held(backend, people, 0, 10, "First")
    second, second_start = await held(backend, people, 1, 10, "Second")
    backend.move_clock(start + timedelta(minutes=5) - backend.clock.now())

    with pytest.raises(NotAllowed):
        await people.student.save_session_notes(first.id, "mine")
    with pytest.raises(InvalidInput):
        await people.mentor.save_session_notes(first.id, "   ")
    with pytest.raises(InvalidInput):
        await people.mentor.save_session_notes(first.id, "x" * 10001)
    summary = "## Summary\nFixtures.\n\n- [ ] Write a fixture\n- [x] Read the docs\n- [ ] Try parametrize"
    saved = await people.mentor.save_session_notes(first.id, summary)
    assert (saved.session_id, saved.summary, saved.session_time) == (first.id, summary, start)
    assert (await people.student.session_notes(first.id)).summary == summary
    assert await people.outsider.session_notes(first.id) is None
    changed = await people.mentor.save_session_notes(first.id, summary + "\n- [ ] One more")
    assert changed.summary.endswith("One more")
    # The student hears once until they read it; a save after that tells them again.
    assert await told(people.student, NotificationKind.NOTES_WRITTEN) == [(people.mentor_id, first.id, None)]
    assert await told(people.mentor, NotificationKind.NOTES_WRITTEN) == []
    await people.student.mark_notifications_read()
    await people.mentor.save_session_notes(first.id, summary)
    assert len(await told(people.student, NotificationKind.NOTES_WRITTEN)) == 2
    await people.mentor.save_session_notes(first.id, summary + "\n- [ ] One more")

    # The next session of the pair shows the open items of the first.
    second_view = await people.student.carried_items(second)
    assert second_view is not None
    earlier, items = second_view
    assert (earlier.session_id, items) == (first.id, ["Write a fixture", "Try parametrize", "One more"])
    assert await people.mentor.carried_items(first) is None
    assert await people.outsider.carried_items(second) is None

    # Completed and rated: the mentor replies once; everyone sees it with the review.
    await people.mentor.complete_session(first.id, "Good")
    with pytest.raises(NotAllowed) as refused:
        await people.mentor.reply_to_review(first.id, "Thanks")
    assert refused.value.message == messages.NOTHING_TO_REPLY_TO
    await people.student.rate_session(first.id, 4, "Helpful")
    with pytest.raises(NotAllowed):
        await people.student.reply_to_review(first.id, "Me too")
    replied = await people.mentor.reply_to_review(first.id, "  Thank you!  ")
    assert (replied.review_reply, replied.review_replied_at is not None) == ("Thank you!", True)
    assert await told(people.student, NotificationKind.REVIEW_REPLIED) == [(people.mentor_id, first.id, "Thank you!")]
    with pytest.raises(NotAllowed) as again:
        await people.mentor.reply_to_review(first.id, "Again")
    assert again.value.message == messages.ALREADY_REPLIED
    [review] = await people.outsider.mentor_reviews(people.mentor_id)
    assert (review.comment, review.reply) == ("Helpful", "Thank you!")
    [seen] = [v.session for v in await people.student.my_sessions() if v.session.id == first.id]
    assert seen.review_reply == "Thank you!"

    stats = await people.outsider.review_stats(people.mentor_id)
    assert stats == ReviewStats(stars=(0, 0, 0, 1, 0), completed_sessions=1)
    backend.move_clock(second_start + timedelta(minutes=5) - backend.clock.now())
    await people.mentor.complete_session(second.id, None)
    assert (await people.outsider.review_stats(people.mentor_id)).completed_sessions == 2
