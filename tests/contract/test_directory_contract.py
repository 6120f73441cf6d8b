"""The mentor directory on every backend: filtered, sorted and cut by the database, with
the number of all matches, its tags from their own query, one mentor read alone, and
rating figures the database keeps as sessions are rated."""

from __future__ import annotations

import uuid
from datetime import time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from test_repository_contract import MENTOR_ZONE, ROOM, at, join

from mentor_tui.domain.models import BookingRequest, MentorOrder, ProfileUpdate, Role
from mentor_tui.repository.base import NotFound


@pytest.fixture
async def directory(backend):
    """Four mentors sharing a tag no other test uses (the gateway's database is shared),
    their names carrying a token of this test; and a student."""
    token = uuid.uuid4().hex[:8]
    tag = f"dir-{token}"
    mentors = {}
    for name, profession, rate, tags in (
        ("Dario", f"Data {token}", Decimal(40), (tag,)),
        ("bruno", "Teacher", None, (tag, "Rust")),
        ("Carla", "Engineer", Decimal(40), (tag, f"Go-{token}")),
        ("Alba", "Engineer", Decimal(90), (tag, "rust")),
    ):
        mentor, _ = await join(backend, name, Role.MENTOR)
        await mentor.update_profile(ProfileUpdate(
            full_name=f"{name} {token}", profession=profession, hourly_rate=rate, expertise=tags,
            timezone=MENTOR_ZONE.key,
        ))
        mentors[name] = mentor
    student, _ = await join(backend, "student", Role.STUDENT)
    return SimpleNamespace(token=token, tag=tag, mentors=mentors, student=student, available=set())


def names(page) -> list[str]:
    return [summary.profile.full_name.split()[0] for summary in page.mentors]


async def test_search_looks_in_name_profession_and_tags_without_regard_to_case(backend, directory):
    student, token, tag = directory.student, directory.token, directory.tag
    assert names(await student.list_mentors(token.upper())) == ["Alba", "bruno", "Carla", "Dario"]
    assert names(await student.list_mentors(f"DATA {token}")) == ["Dario"]
    assert names(await student.list_mentors(f"go-{token.upper()}")) == ["Carla"]
    assert names(await student.list_mentors(f"  carla {token} ")) == ["Carla"]
    # A search means its characters: no wildcards, and never across two fields.
    for literal in ("%", "_", f"Engineer {tag}"):
        assert (await student.list_mentors(literal, expertise=tag)).total == 0, literal


async def test_the_expertise_filter_is_one_whole_tag(backend, directory):
    student, token, tag = directory.student, directory.token, directory.tag
    assert names(await student.list_mentors(expertise=tag.upper())) == ["Alba", "bruno", "Carla", "Dario"]
    assert names(await student.list_mentors(token, expertise="RUST")) == ["Alba", "bruno"]
    assert names(await student.list_mentors(token, expertise="rus")) == []
    assert names(await student.list_mentors("engineer", expertise=tag)) == ["Alba", "Carla"]


async def test_each_order(backend, directory):
    student, tag = directory.student, directory.tag
    by = lambda order: student.list_mentors(expertise=tag, order=order)  # noqa: E731
    assert names(await by(MentorOrder.NAME)) == ["Alba", "bruno", "Carla", "Dario"]
    assert names(await by(MentorOrder.RATE)) == ["Carla", "Dario", "Alba", "bruno"]  # ties by name, no rate last
    assert names(await by(MentorOrder.RATING)) == ["Alba", "bruno", "Carla", "Dario"]  # nobody rated yet: by name


async def test_the_first_rows_and_the_number_of_all_matches(backend, directory):
    student, tag = directory.student, directory.tag
    page = await student.list_mentors(expertise=tag, order=MentorOrder.RATE, limit=2)
    assert (names(page), page.total) == (["Carla", "Dario"], 4)
    page = await student.list_mentors("no such mentor anywhere", expertise=tag)
    assert (page.mentors, page.total) == ((), 0)


async def test_one_mentor_read_alone_is_their_directory_row(backend, directory):
    student = directory.student
    [listed] = (await student.list_mentors(f"Carla {directory.token}")).mentors
    assert await student.get_mentor(directory.mentors["Carla"].me.id) == listed
    with pytest.raises(NotFound):
        await student.get_mentor(student.me.id)  # a student is no mentor
    with pytest.raises(NotFound):
        await student.get_mentor(str(uuid.uuid4()))


async def test_tags_come_once_each_in_order_without_regard_to_case(backend, directory):
    tags = await directory.student.expertise_tags()
    ours = [tag for tag in tags if directory.token in tag]
    assert ours == [directory.tag, f"Go-{directory.token}"]  # four mentors list the first: it comes once
    assert {"Rust", "rust"} <= set(tags)
    assert tags == sorted(tags, key=lambda tag: (tag.casefold(), tag))


async def _rated(backend, directory, mentor_name: str, ratings: list[int]) -> None:
    """Sessions with that mentor, completed and rated in turn (moves the clock past them)."""
    mentor, student = directory.mentors[mentor_name], directory.student
    if mentor_name not in directory.available:
        directory.available.add(mentor_name)
        for weekday in range(7):
            await mentor.set_availability(weekday, time(9), time(17))
    for rating in ratings:
        day = (backend.clock.now().astimezone(MENTOR_ZONE) + timedelta(days=2)).date()
        start = at(day, 10)
        request = BookingRequest(mentor_id=mentor.me.id, subject="Review", scheduled_time=start, duration_minutes=60)
        session = await student.create_session(request)
        await mentor.confirm_session(session.id, ROOM)
        backend.move_clock(start + timedelta(minutes=90) - backend.clock.now())
        await mentor.complete_session(session.id)
        await student.rate_session(session.id, rating)


async def test_rating_figures_follow_each_rating(backend, directory):
    student, tag = directory.student, directory.tag
    dario = directory.mentors["Dario"].me.id
    await _rated(backend, directory, "Dario", [4])
    found = await student.get_mentor(dario)
    assert (found.average_rating, found.rating_count) == (Decimal("4.00"), 1)
    await _rated(backend, directory, "Dario", [5, 5])
    found = await student.get_mentor(dario)
    assert (found.average_rating, found.rating_count) == (Decimal("4.67"), 3)
    await _rated(backend, directory, "bruno", [5])
    await _rated(backend, directory, "Carla", [4, 5, 5])  # 4.67 as Dario, from as many ratings
    page = await student.list_mentors(expertise=tag, order=MentorOrder.RATING)
    # Best average first, then more ratings, then by name; the unrated last.
    assert names(page) == ["bruno", "Carla", "Dario", "Alba"]
    assert [(m.average_rating, m.rating_count) for m in page.mentors] == [
        (Decimal("5.00"), 1), (Decimal("4.67"), 3), (Decimal("4.67"), 3), (None, 0),
    ]
    stats = await directory.mentors["Carla"].dashboard_stats()
    assert (stats.average_rating, stats.rating_count) == (Decimal("4.67"), 3)
