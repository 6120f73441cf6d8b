"""The ``mentor-tui`` command (also ``python -m mentor_tui``)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .clock import Clock
    from .config import Settings

LOG_FILE_NAME = "mentor-tui.log"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentor-tui",
        usage="%(prog)s [--db PATH] [--backend {local,supabase}] [--demo] [--version]\n"
        "       %(prog)s serve-ssh [--help] ...",
        description="Find mentors, book sessions and run them from the terminal.",
        epilog="`mentor-tui serve-ssh --help` describes serving the app to SSH clients as a kiosk.",
    )
    parser.add_argument("--db", metavar="PATH", help="the embedded database file (default: in the data folder)")
    parser.add_argument("--backend", choices=("local", "supabase"), help="where the data lives (default: local, "
                        "or supabase when SUPABASE_URL and SUPABASE_ANON_KEY are set)")
    parser.add_argument("--demo", action="store_true", help="fill the embedded database with demo data "
                        "(once) and print the demo logins")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve-ssh"]:
        from .kiosk.cli import main as serve_ssh

        return serve_ssh(args[1:])

    options = _parser().parse_args(args)
    from .config import ConfigError, load_settings

    try:
        settings = load_settings(backend=options.backend, db=options.db, demo=options.demo)
    except ConfigError as exc:
        print(f"mentor-tui: {exc}", file=sys.stderr)
        return 2

    from .clock import SystemClock

    clock = SystemClock()
    if settings.demo:
        from .domain.errors import MentorError

        try:
            _seed_demo(settings, clock)
        except MentorError as exc:
            print(f"mentor-tui: {exc}", file=sys.stderr)
            return 1

    from .app import MentorApp
    from .repository.factory import open_repository

    app = MentorApp(open_repository(settings, clock), clock, settings)
    with _errors_logged_to(settings.state_dir / LOG_FILE_NAME):
        app.run()
    return app.return_code or 0


def _seed_demo(settings: Settings, clock: Clock) -> None:
    from .repository.demo import DEMO_PASSWORD, demo_logins, seed_demo

    seed_demo(settings.db_path, clock.now())
    logins = demo_logins(settings.db_path)
    print(f"Demo data: {settings.db_path}")
    print(f"Sign in as any of these {len(logins)} people with the password {DEMO_PASSWORD}")
    for login in logins:
        print(f"  {login.role.value:<8} {login.email:<34} {login.full_name}")


@contextmanager
def _errors_logged_to(path: Path) -> Iterator[None]:
    """Failures the person sees only as a short message are kept here with their details."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("mentor_tui")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        handler.close()
