"""The embedded database's second line behind the services' booking rules (upgrade 013):
a writer that skips the services' check still meets notice, horizon and buffers, and a
late cancellation without a reason; the database marks late cancellations itself."""

from __future__ import annotations

import pytest
from student_support import PASSWORD, act_as, email, utc, world, world_template  # noqa: F401 (fixtures)

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.models import BookingRequest, SessionStatus
from mentor_tui.repository.local import LocalRepository

RULES = {"min_notice_minutes": 0, "buffer_minutes": 0, "max_per_day": None, "max_per_week": None,
         "horizon_days": 730, "cancel_window_hours": 0, "request_expiry_hours": 48}


def no_check(*_: object) -> None:
    """A writer that skips the services' rules."""


async def storage_as(world, clock, tmp_path, who: str) -> LocalRepository:
    repo = LocalRepository(world.db_path, tmp_path / f"raw-{who}", clock)
    await repo.sign_in(email(who), PASSWORD)
    return repo


async def set_rules(world, clock, who: str, **changes) -> None:
    services = await act_as(world, who, clock)
    await services.save_booking_rules(RULES | changes)
    await services.close()


@pytest.mark.parametrize(("rules", "start"), [
    ({"min_notice_minutes": 720}, utc(24, 16)),  # 6 hours ahead
    ({"horizon_days": 3}, utc(30, 10)),
    ({"buffer_minutes": 30}, utc(30, 16, 15)),  # 15 minutes after Sam's request with Ada ends
])
async def test_a_writer_skipping_the_check_still_meets_the_rules(world, clock, tmp_path, rules, start):
    await set_rules(world, clock, "ada", **rules)
    repo = await storage_as(world, clock, tmp_path, "tara")
    request = BookingRequest(mentor_id=world.people["ada"].id, subject="Raw", scheduled_time=start,
                             duration_minutes=60)
    with pytest.raises(InvalidInput) as caught:
        await repo.create_session(request, no_check)
    assert (caught.value.field, caught.value.message) == ("scheduled_time", messages.BREAKS_BOOKING_RULES)
    await repo.close()


async def test_a_late_cancel_without_a_reason_is_refused_by_the_database_and_marked_late_with_one(
    world, clock, tmp_path
):
    await set_rules(world, clock, "ana", cancel_window_hours=72)
    repo = await storage_as(world, clock, tmp_path, "sam")
    session_id = world.sessions["sam-ana-confirmed"]
    with pytest.raises(InvalidInput) as caught:
        await repo.write_session(session_id, SessionStatus.CONFIRMED, {"status": SessionStatus.CANCELLED})
    assert caught.value.field == "cancellation_reason"
    written = await repo.write_session(
        session_id, SessionStatus.CONFIRMED, {"status": SessionStatus.CANCELLED, "cancellation_reason": "Flu"}
    )
    assert written is not None and written.cancelled_late is True
    await repo.close()


async def test_a_cancel_outside_the_window_is_recorded_as_not_late(world, clock, tmp_path):
    await set_rules(world, clock, "ana", cancel_window_hours=24)
    repo = await storage_as(world, clock, tmp_path, "sam")
    written = await repo.write_session(
        world.sessions["sam-ana-confirmed"], SessionStatus.CONFIRMED, {"status": SessionStatus.CANCELLED}
    )
    assert written is not None and written.cancelled_late is False
    await repo.close()


async def test_an_expired_request_reads_as_expired_in_both_inboxes(world, clock):
    from datetime import timedelta

    from mentor_tui.services import notifications

    clock.advance(timedelta(hours=48))  # Sam's request with Ada was asked an hour before now
    for who in ("sam", "ada"):
        services = await act_as(world, who, clock)
        views = await services.my_sessions()
        (view,) = [v for v in views if v.session.id == world.sessions["sam-ada-pending"]]
        assert view.session.status is SessionStatus.CANCELLED
        note = next(n for n in await services.notifications() if n.session_id == view.session.id)
        said = notifications.sentence(note, view.session, lambda s: "Mon 30 Nov 15:00")
        assert said == messages.request_expired("Mon 30 Nov 15:00")
        await services.close()
