"""``mentor-tui agenda``: the signed-in person's sessions, printed for scripts and cron.

The same backends, configuration and remembered sign-in as the app (``repository.factory``,
``config``): sign in once in the app, then ``mentor-tui agenda`` reads as that person.
Nothing of Textual is imported. People's text is made safe for a terminal in the text
output (``text.displayable``); JSON and .ics carry it as data, with the same control
characters made visible.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .cli import PROG, OneLineParser, fail

if TYPE_CHECKING:
    from .clock import Clock
    from .config import Settings
    from .domain.models import Profile, SessionView

OK, FAILED, USAGE, NOT_SIGNED_IN, UNAVAILABLE = 0, 1, 2, 3, 4
DAYS_DEFAULT, DAYS_MOST = 7, 366
NAME_ROOM, SUBJECT_ROOM = 60, 80

EPILOG = f"""\
output:
  text (default)  one line per session: start and end in your time zone, status,
                  subject, the other person
  --json          a JSON array, soonest first, of objects with: id, start, end
                  (ISO 8601 with the offset of your zone), zone (IANA name), status
                  (pending, confirmed, completed, cancelled), subject, with (the other
                  person's name), role (yours in the session: student or mentor),
                  meeting_link (null until confirmed)
  --ics           an iCalendar feed (METHOD:PUBLISH) of the same sessions, each with a
                  stable UID, a SEQUENCE that grows with each change, your zone's
                  VTIMEZONE and an alarm at your reminder lead time

Sessions listed: those that end after now and start within --days days (cancelled
ones too, so a calendar can drop them).

exit codes:
  {OK}  done (also when there are no sessions)
  {FAILED}  something else went wrong (the message says what)
  {USAGE}  a usage or configuration mistake
  {NOT_SIGNED_IN}  not signed in: run {PROG} and sign in first
  {UNAVAILABLE}  the backend cannot be reached; try again later
"""


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= DAYS_MOST:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to {DAYS_MOST}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=f"{PROG} agenda",
        description="Print your sessions, as the person signed in to the app on this computer.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--days", type=_days, default=DAYS_DEFAULT, metavar="N",
                        help=f"how many days ahead (default: {DAYS_DEFAULT})")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON (see below)")
    output.add_argument("--ics", action="store_true", help="print an iCalendar (.ics) feed")
    parser.add_argument("--db", metavar="PATH", help="the embedded database file, as for the app")
    parser.add_argument("--backend", choices=("local", "supabase"), help="where the data lives, as for the app")
    return parser


def main(argv: Sequence[str]) -> int:
    options = _parser().parse_args(list(argv))
    from .config import ConfigError, load_settings, prepare_folders
    from .domain.errors import MentorError
    from .repository.factory import check_storage, may_be_signed_in

    try:
        settings = load_settings(backend=options.backend, db=options.db)
        prepare_folders(settings, create=False)
        check_storage(settings)
    except (ConfigError, MentorError) as exc:
        return fail(str(exc))
    if not may_be_signed_in(settings):
        return fail(f"not signed in: run {PROG} and sign in first", NOT_SIGNED_IN)
    return asyncio.run(_print(settings, options))


async def _print(settings: Settings, options: argparse.Namespace, clock: Clock | None = None) -> int:
    from . import reminder_lead
    from .clock import SystemClock
    from .domain import ics
    from .domain.errors import BackendUnavailable, MentorError, NotSignedIn
    from .repository.factory import build_repository
    from .services import Services

    clock = clock or SystemClock()
    services = Services(build_repository(settings, clock), clock)
    try:
        me = await services.restore()
        if me is None:
            return fail(f"not signed in: run {PROG} and sign in first", NOT_SIGNED_IN)
        now = clock.now()
        views = within(await services.my_sessions(), now, options.days)
    except NotSignedIn:
        return fail(f"not signed in: run {PROG} and sign in first", NOT_SIGNED_IN)
    except BackendUnavailable as exc:
        return fail(exc.message, UNAVAILABLE)
    except MentorError as exc:
        return fail(exc.message, FAILED)
    finally:
        await services.close()
    if options.ics:
        lead = reminder_lead.load(settings, me.id)
        sys.stdout.buffer.write(ics.calendar(views, me, lead, now, feed=True))
        sys.stdout.flush()
    elif options.json:
        print(json.dumps([as_json(view, me) for view in views], ensure_ascii=False, indent=2))
    else:
        for view in views:
            print(as_line(view, me))
    return OK


def within(views: Sequence[SessionView], now: datetime, days: int) -> list[SessionView]:
    """Sessions that end after ``now`` and start before ``days`` from now, soonest first."""
    until = now + timedelta(days=days)
    kept = [v for v in views if not v.session.time_invalid and v.session.end_time > now and v.session.scheduled_time < until]
    return sorted(kept, key=lambda v: (v.session.scheduled_time, v.session.id))


def _other(view: SessionView, me: Profile) -> str:
    return view.student_name if me.id == view.session.mentor_id else view.mentor_name


def as_json(view: SessionView, me: Profile) -> dict[str, Any]:
    from .domain.models import SessionStatus
    from .domain.text import displayable

    session = view.session
    return {
        "id": session.id,
        "start": session.scheduled_time.astimezone(me.zone).isoformat(),
        "end": session.end_time.astimezone(me.zone).isoformat(),
        "zone": me.timezone,
        "status": session.status.value,
        "subject": displayable(session.subject, multiline=True),
        "with": displayable(_other(view, me)),
        "role": "mentor" if me.id == session.mentor_id else "student",
        "meeting_link": displayable(session.meeting_link)
        if session.status is SessionStatus.CONFIRMED and session.meeting_link else None,
    }


def as_line(view: SessionView, me: Profile) -> str:
    from .domain.text import displayable

    session = view.session
    start, end = session.scheduled_time.astimezone(me.zone), session.end_time.astimezone(me.zone)
    when = f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {start:%Z}"
    subject = displayable(session.subject, SUBJECT_ROOM)
    return f"{when}  {session.status.value:<9}  {subject}  with {displayable(_other(view, me), NAME_ROOM)}"


__all__ = ["main"]
