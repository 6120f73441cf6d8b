"""The ``mentor-tui`` command (also ``python -m mentor_tui``)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from . import __version__, collector
from .logfile import LOG_FILE_NAME, escape_controls, open_log

if TYPE_CHECKING:
    from .app import MentorApp
    from .clock import Clock
    from .config import Settings
    from .domain.demo_login import DemoLogin

PROG = "mentor-tui"


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {escape_controls(message)} (see {self.prog} --help)\n")


def port_number(text: str) -> int:
    """An argparse ``type`` for a TCP port: 0 (pick a free one) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def fail(message: str, code: int = 2, prog: str = PROG) -> int:
    """Print ``message`` as the one line a mistake gets on stderr; return the exit code."""
    print(f"{prog}: {escape_controls(message)}", file=sys.stderr)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        usage="%(prog)s [--db PATH] [--backend {local,supabase}] [--demo] [--version]\n"
        "       %(prog)s agenda [--days N] [--json | --ics]\n"
        "       %(prog)s serve-ssh [--help] ...",
        description="Find mentors, book sessions and run them from the terminal.",
        epilog="`mentor-tui agenda --help` describes printing your sessions for scripts (and its exit codes); "
        "`mentor-tui serve-ssh --help` serving the app to SSH clients as a kiosk.",
    )
    parser.add_argument("--db", metavar="PATH", help="the embedded database file (default: in the data folder); "
                        "its folder must exist")
    parser.add_argument("--backend", choices=("local", "supabase"), help="where the data lives (default: local, "
                        "or supabase when SUPABASE_URL and SUPABASE_PUBLISHABLE_KEY are set)")
    parser.add_argument("--demo", action="store_true", help="fill the embedded database with demo data "
                        "(once) and print the demo logins")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve-ssh"]:
        from .kiosk.cli import main as serve_ssh

        return serve_ssh(args[1:])
    if args[:1] == ["agenda"]:
        from .agenda import main as agenda

        return agenda(args[1:])

    options = _parser().parse_args(args)
    collector.pause()  # until the first screen is drawn: see ``collector``
    from .config import ConfigError, load_settings, prepare_folders
    from .domain.errors import MentorError
    from .repository.factory import check_storage

    try:
        settings = load_settings(backend=options.backend, db=options.db, demo=options.demo)
        # Everything that can refuse does so before anything is created.
        prepare_folders(settings, create=False)
        check_storage(settings)
        prepare_folders(settings)
    except (ConfigError, MentorError) as exc:
        return fail(str(exc))

    handler, notice = open_log(settings.state_dir / LOG_FILE_NAME)
    if notice:
        print(f"{PROG}: {escape_controls(notice)}", file=sys.stderr)
    with _logging_to(handler):
        from .clock import SystemClock

        clock = SystemClock()
        demo_logins: tuple[DemoLogin, ...] = ()
        demo_password = ""
        if settings.demo:
            try:
                demo_logins, demo_password = _seed_demo(settings, clock)
            except MentorError as exc:
                return fail(str(exc), code=1)

        app = build_app(settings, clock, demo_logins, demo_password)
        app.run()
    return app.return_code or 0


def build_app(
    settings: Settings, clock: Clock, demo_logins: tuple[DemoLogin, ...] = (), demo_password: str = ""
) -> MentorApp:
    """The app as a person runs it, on the backend ``settings`` names (built on first use).

    Signed out (no file that may hold a remembered sign-in), the sign-in form is its first
    screen and the backend is built when the form is sent.
    """
    from .app import MentorApp
    from .repository.factory import may_be_signed_in, open_repository

    app_class = steady_cursor_app() if os.environ.get("MENTOR_TUI_KIOSK") == "1" else MentorApp
    storage = open_repository(settings, clock)
    # Live updates only here, for people: tests and snapshots build the app without them,
    # so nothing but their own steps ever loads a section.
    return app_class(
        storage, clock, settings, demo_logins, demo_password,
        live=True, signed_out=not may_be_signed_in(settings),
    )


def steady_cursor_app() -> type[MentorApp]:
    """The app as the SSH kiosk runs it: text cursors do not blink. A blink repaints twice a
    second; with many sessions on one host that is most of what an idle session costs."""
    from textual.events import DescendantFocus
    from textual.widgets import Input, TextArea

    from .app import MentorApp

    class KioskApp(MentorApp):
        def on_descendant_focus(self, event: DescendantFocus) -> None:
            if isinstance(event.widget, (Input, TextArea)):
                event.widget.cursor_blink = False

    return KioskApp


def _seed_demo(settings: Settings, clock: Clock) -> tuple[tuple[DemoLogin, ...], str]:
    """Seed the demo people; the sign-in screen offers them (it never opens a backend itself)."""
    from .repository.demo import DEMO_PASSWORD, demo_logins, seed_demo

    seed_demo(settings.db_path, clock.now())
    logins = demo_logins(settings.db_path)
    print(f"Demo data: {settings.db_path}")
    print(f"Sign in as any of these {len(logins)} people with the password {DEMO_PASSWORD}")
    for login in logins:
        print(f"  {login.role.value:<8} {login.email:<34} {login.full_name}")
    return logins, DEMO_PASSWORD


@contextmanager
def _logging_to(handler: logging.Handler | None) -> Iterator[None]:
    """Failures the person sees only as a short message are kept in the log with their details."""
    if handler is None:
        yield
        return
    logger = logging.getLogger("mentor_tui")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        handler.close()
