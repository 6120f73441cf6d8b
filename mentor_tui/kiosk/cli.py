"""``mentor-tui serve-ssh``: the app for SSH clients, one isolated app per connection."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .limits import Limits, format_duration, format_size, parse_duration, parse_size

if TYPE_CHECKING:
    from .server import Kiosk


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return int(text)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """A mistake on the command line: one line and exit code 2 (argparse adds its usage)."""
        self.exit(2, f"{self.prog}: {message}\n")


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    defaults = Limits()
    parser = _Parser(
        prog="mentor-tui serve-ssh",
        description="Serve mentor-tui to SSH clients: each connection gets its own app and its own "
        "remembered sign-in (by public key), and nothing else: no shell, no file transfer, no forwarding.",
        epilog="Durations take s, m or h (90s, 15m, 8h); a plain number is seconds.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s; "
                        "0.0.0.0 for every interface)")
    parser.add_argument("--port", type=_port, default=2222, help="port to listen on (default: %(default)s; "
                        "0 picks a free one, shown in the log)")
    parser.add_argument("--db", metavar="PATH", help="the embedded database every session uses "
                        "(default: in the data folder)")
    parser.add_argument("--backend", choices=("local", "supabase"), help="where the data lives, as for mentor-tui")
    parser.add_argument("--authorized-keys", metavar="FILE", type=Path, help="only these public keys may connect "
                        "(OpenSSH authorized_keys format, read at each connection); default: any key")
    parser.add_argument("--allow-guests", action="store_true", help="let clients without a key in as guests, "
                        "who remember nothing")
    parser.add_argument("--idle-timeout", metavar="DURATION", type=_duration, default=defaults.idle_timeout,
                        help=f"disconnect after this long without a key press, with a warning first "
                        f"(default: {format_duration(defaults.idle_timeout)})")
    parser.add_argument("--max-sessions", metavar="N", type=_count, default=defaults.max_sessions,
                        help="sessions at once; the next client is told the kiosk is full (default: %(default)s)")
    parser.add_argument("--connections-per-minute", metavar="N", type=_count,
                        default=defaults.connections_per_minute,
                        help="new connections one address may open per minute (default: %(default)s)")
    parser.add_argument("--max-session-length", metavar="DURATION", type=_duration,
                        default=defaults.max_session_length,
                        help=f"end any session after this long (default: {format_duration(defaults.max_session_length)})")
    parser.add_argument("--shutdown-grace", metavar="DURATION", type=_duration, default=defaults.shutdown_grace,
                        help=f"on SIGTERM or SIGINT, how long connected people have before their sessions end "
                        f"(default: {format_duration(defaults.shutdown_grace)})")
    parser.add_argument("--session-memory", metavar="SIZE", type=_size, default=defaults.session_memory,
                        help=f"memory each app process may take; past it the session ends "
                        f"(default: {format_size(defaults.session_memory)}; sizes take K, M or G: 768M, 1G)")
    parser.add_argument("--state-dir", metavar="PATH", type=Path, help="host key and remembered sign-ins "
                        "(default: kiosk/ in the state folder)")
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from .. import paths
    from ..config import ConfigError, load_settings
    from ..domain.errors import MentorError

    if args.db and not Path(args.db).expanduser().parent.is_dir():
        parser.error(f"--db {args.db}: the folder {Path(args.db).expanduser().parent} does not exist")
    if args.authorized_keys and not args.authorized_keys.expanduser().is_file():
        parser.error(f"--authorized-keys {args.authorized_keys}: no such file")
    try:
        # The sessions read the same settings; a mistake shows here once, not to every visitor.
        load_settings(backend=args.backend, db=args.db)
        state_root = (args.state_dir or paths.account_state_dir() / "kiosk").expanduser().resolve()
    except (ConfigError, MentorError) as exc:
        print(f"mentor-tui serve-ssh: {exc}", file=sys.stderr)
        return 2
    app_argv = [sys.executable, "-m", "mentor_tui"]
    if args.db:
        app_argv += ["--db", str(Path(args.db).expanduser().resolve())]
    if args.backend:
        app_argv += ["--backend", args.backend]

    _log_to_stderr()
    from .server import Kiosk, KioskConfig

    config = KioskConfig(
        state_root=state_root,
        app_argv=app_argv,
        host=args.host,
        port=args.port,
        authorized_keys=args.authorized_keys,
        allow_guests=args.allow_guests,
        limits=Limits(
            idle_timeout=args.idle_timeout,
            max_sessions=args.max_sessions,
            connections_per_minute=args.connections_per_minute,
            max_session_length=args.max_session_length,
            shutdown_grace=args.shutdown_grace,
            session_memory=args.session_memory,
        ),
    )
    try:
        asyncio.run(_serve(Kiosk(config)))
    except MentorError as exc:  # a state folder that is not safe to use
        print(f"mentor-tui serve-ssh: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:  # the port is taken, a key file is unreadable ...
        print(f"mentor-tui serve-ssh: {exc}", file=sys.stderr)
        return 1
    return 0


async def _serve(kiosk: Kiosk) -> None:
    await kiosk.start()
    await kiosk.serve_until_signalled()


def _log_to_stderr() -> None:
    """One line per event, in UTC, for journald or a log file."""
    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter("%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    logger = logging.getLogger("mentor_tui.kiosk")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
