"""Many people booking one popular mentor at once: bookings of a mentor queue on
a per-mentor lock, so exactly one request per slot wins, the others are told the
slot is taken (23P01), and nobody gets a deadlock (40P01)."""

from __future__ import annotations

import threading
from datetime import timedelta

import psycopg

CLIENTS = 16


def race(db, requests) -> list[str | None]:
    """Each (student, mentor, start, minutes) on its own connection, all released
    together; the SQLSTATE each got (None: booked)."""
    barrier = threading.Barrier(len(requests))
    outcomes: list[str | None] = [None] * len(requests)

    def book(index: int) -> None:
        student, mentor, start, minutes = requests[index]
        with psycopg.connect(db.url, autocommit=True) as conn:
            barrier.wait()
            try:
                with db.client(student, conn) as client:
                    client.execute(*db.booking(student, mentor, start, minutes))
            except psycopg.Error as error:
                outcomes[index] = error.sqlstate

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_sixteen_clients_four_slots_one_winner_each(db, soon):
    mentor = db.new_user("mentor")
    slots = [soon + timedelta(hours=h) for h in range(4)]
    requests = [(db.new_user("student"), mentor, slots[i % 4], 60) for i in range(CLIENTS)]
    outcomes = race(db, requests)
    assert outcomes.count(None) == 4
    assert [o for o in outcomes if o is not None] == ["23P01"] * (CLIENTS - 4)
    held = db.rows(
        "select scheduled_time from public.mentor_sessions where mentor_id = %s order by 1", (mentor,)
    )
    assert [start for (start,) in held] == slots


def test_staggered_overlapping_requests_never_deadlock(db, soon):
    """Overlapping ranges at different offsets are what made concurrent inserts
    into the exclusion index wait on each other in a cycle."""
    mentor = db.new_user("mentor")
    requests = [(db.new_user("student"), mentor, soon + timedelta(minutes=15 * i), 60) for i in range(CLIENTS)]
    outcomes = race(db, requests)
    assert set(outcomes) <= {None, "23P01"}, outcomes
    held = db.rows(
        "select scheduled_time, scheduled_time + make_interval(mins => duration_minutes) from public.mentor_sessions"
        " where mentor_id = %s order by 1",
        (mentor,),
    )
    assert len(held) == outcomes.count(None) >= 1
    assert all(end <= next_start for (_, end), (next_start, _) in zip(held, held[1:]))
