"""Bookings per second and latency with 16 clients booking at once, on the Supabase
schema over real PostgreSQL (a fresh database with the stand-in and the
migrations, dropped afterwards; server from MENTOR_TUI_TEST_PG).

Each client has its own connection and books as a signed-in student would through
PostgREST (a transaction, ``set local role authenticated``, the JWT claims, one
insert). Two scenarios:

- one mentor: in each round all clients ask for the same hour of one mentor;
  one wins, the others are told the slot is taken (23P01);
- 2,000 mentors: each client books a random free-looking hour of a random
  mentor, so requests rarely meet.

Every request is by a different student (the per-student limits stay out of the
way). Runs are bounded by a request count and a deadline, so it stops by itself.

    python benchmarks/booking_contention.py [--clients 16] [--rounds 40] [--requests 2000]

It prints, per scenario: requests, bookings made, slot-taken answers, any other
errors by SQLSTATE (a deadlock would be 40P01), bookings per second, requests
per second, and the median and p95 request latency.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import pg_support  # noqa: E402

DEADLINE_SECONDS = 120.0
MENTORS = 2000


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, outcome: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.outcomes[outcome] += 1


def make_users(db: pg_support.Db, role: str, count: int) -> list[str]:
    """Sign-ups in bulk, as the auth service inserts them (the trigger makes the profiles)."""
    rows = db.rows(
        "insert into auth.users (id, email, raw_user_meta_data)"
        " select gen_random_uuid(), null, jsonb_build_object('full_name', %s::text || ' ' || g, 'role', %s::text)"
        " from generate_series(1, %s) g returning id::text",
        (role.title(), role, count),
    )
    return [user_id for (user_id,) in rows]


def book(db: pg_support.Db, conn: psycopg.Connection, student: str, mentor: str, start: datetime) -> str:
    try:
        with db.client(student, conn) as client:
            client.execute(*db.booking(student, mentor, start, 60))
    except psycopg.Error as error:
        return error.sqlstate or "error"
    return "booked"


def run_clients(clients: int, work, deadline: float) -> None:
    threads = [threading.Thread(target=work, args=(i, deadline)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def one_mentor(db: pg_support.Db, clients: int, rounds: int, start: datetime) -> tuple[Result, float]:
    mentor = make_users(db, "mentor", 1)[0]
    students = make_users(db, "student", clients * rounds)
    result = Result()
    barrier = threading.Barrier(clients)

    def work(index: int, deadline: float) -> None:
        with psycopg.connect(db.url, autocommit=True) as conn:
            for r in range(rounds):
                barrier.wait()
                if time.monotonic() > deadline:
                    return
                began = time.perf_counter()
                outcome = book(db, conn, students[r * clients + index], mentor, start + timedelta(hours=r))
                result.add(time.perf_counter() - began, outcome)

    began = time.perf_counter()
    run_clients(clients, work, time.monotonic() + DEADLINE_SECONDS)
    return result, time.perf_counter() - began


def many_mentors(db: pg_support.Db, clients: int, requests: int, start: datetime) -> tuple[Result, float]:
    mentors = make_users(db, "mentor", MENTORS)
    students = make_users(db, "student", requests)
    result = Result()
    per_client = requests // clients

    def work(index: int, deadline: float) -> None:
        pick = random.Random(index)
        with psycopg.connect(db.url, autocommit=True) as conn:
            for n in range(per_client):
                if time.monotonic() > deadline:
                    return
                began = time.perf_counter()
                hour = start + timedelta(hours=pick.randrange(24 * 60))
                outcome = book(db, conn, students[index * per_client + n], pick.choice(mentors), hour)
                result.add(time.perf_counter() - began, outcome)

    began = time.perf_counter()
    run_clients(clients, work, time.monotonic() + DEADLINE_SECONDS)
    return result, time.perf_counter() - began


def report(name: str, result: Result, seconds: float) -> None:
    latencies = sorted(result.latencies)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan")
    other = {k: v for k, v in result.outcomes.items() if k not in ("booked", "23P01")}
    print(f"{name}:")
    print(f"  requests {len(latencies)}, booked {result.outcomes['booked']}, slot taken {result.outcomes['23P01']},"
          f" other errors {other or 'none'}")
    print(f"  {result.outcomes['booked'] / seconds:.1f} bookings/s, {len(latencies) / seconds:.1f} requests/s"
          f" over {seconds:.2f} s")
    print(f"  latency median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=40, help="slots contended in the one-mentor run")
    parser.add_argument("--requests", type=int, default=2000, help="requests in the 2,000-mentor run")
    args = parser.parse_args()

    url = pg_support.server_url()
    start = (datetime.now(timezone.utc) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    with pg_support.standin_database(url, "booking_bench") as db:
        pg_support.Scripts.migrate(db.admin)
        print(f"PostgreSQL {db.value('show server_version')}, {args.clients} clients")
        report("one mentor", *one_mentor(db, args.clients, args.rounds, start))
        report(f"{MENTORS} mentors", *many_mentors(db, args.clients, args.requests, start))


if __name__ == "__main__":
    main()
