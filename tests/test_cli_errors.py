"""Every CLI and config mistake, run as a person runs it (``python -m mentor_tui`` in a
subprocess): one line on stderr, exit code 2, no traceback, and nothing written."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mentor_tui.repository.sqlite_file import APPLICATION_ID

Prepare = Callable[[Path], tuple[list[str], dict[str, str]]]


def snapshot(root: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every path under ``root`` with its type and mode and a regular file's bytes."""
    seen: dict[str, tuple[int, bytes | str | None]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            info = os.lstat(path)
            content: bytes | str | None = None
            if path.is_symlink():
                content = os.readlink(path)
            elif path.is_file():
                content = path.read_bytes()
            seen[str(path.relative_to(root))] = (info.st_mode, content)
    return seen


def run(root: Path, args: list[str], extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MENTOR_TUI_", "SUPABASE_")) and name != "SSH_CONNECTION"
    }
    for name in ("DATA", "STATE", "CONFIG"):
        env[f"MENTOR_TUI_{name}_DIR"] = str(root / name.lower())
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "mentor_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,  # the exit code is what the tests look at
    )


def assert_one_line_refusal(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("mentor-tui: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for text in expected:
        assert text in done.stderr


def service_role_jwt() -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'role': 'service_role', 'ref': 'x'})}.c2ln"


def foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table invoices (id integer primary key, total real)")
        conn.execute("insert into invoices (total) values (12.5)")
    conn.close()


def newer_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"pragma application_id = {APPLICATION_ID}")
        conn.execute("pragma user_version = 9999")
        conn.execute("create table meta (key text primary key, value text)")
    conn.close()


def config(data: bytes) -> Prepare:
    """A config.toml holding ``data``."""

    def prepare(root: Path) -> tuple[list[str], dict[str, str]]:
        (root / "config").mkdir()
        (root / "config" / "config.toml").write_bytes(data)
        return [], {}

    return prepare


def folder(name: str, make: Callable[[Path], None]) -> Prepare:
    """One of the app's own folders (state, data) made by ``make``."""

    def prepare(root: Path) -> tuple[list[str], dict[str, str]]:
        make(root / name)
        return [], {}

    return prepare


def database(name: str, make: Callable[[Path], None]) -> Prepare:
    """``--db`` naming ``name``, made by ``make``."""

    def prepare(root: Path) -> tuple[list[str], dict[str, str]]:
        make(root / name)
        return ["--db", str(root / name)], {}

    return prepare


def shared_folder(path: Path) -> None:
    path.mkdir()
    path.chmod(0o777)


def symlink_to_empty_file(path: Path) -> None:
    (path.parent / "real.db").write_bytes(b"")
    path.symlink_to(path.parent / "real.db")


def nothing(path: Path) -> None:
    pass


def under_a_file(path: Path) -> None:
    path.parent.write_text("")


SUPABASE_URL = "https://x.supabase.co"

CASES: dict[str, tuple[Prepare, tuple[str, ...]]] = {
    "config not UTF-8": (config(b'db = "\xff.db"\n'), ("config.toml is not UTF-8 text (byte 7); save it as UTF-8.",)),
    "config not TOML": (config(b'backend = "local\n'), ("config.toml is not valid TOML", "line 1")),
    "db = 5": (config(b"db = 5\n"), ('db must be text in quotes (db = "..."), not a number.',)),
    "backend = true": (config(b"backend = true\n"), ("backend must be text in quotes", "not true or false")),
    "state folder is a file": (
        folder("state", lambda path: path.write_text("a file")),
        ("state is not a folder; refusing to use it",),
    ),
    "state folder writable by others": (
        folder("state", shared_folder),
        ("state can be written by other users; refusing to use it",),
    ),
    "data folder writable by others": (
        folder("data", shared_folder),
        ("data can be written by other users; refusing to use it",),
    ),
    "--db in a missing folder": (database("missing/x.db", nothing), ("does not exist; create", "missing first.")),
    "--db in a folder that is a file": (database("file/x.db", under_a_file), ("file is not a folder.",)),
    "database is a symlink": (database("link.db", symlink_to_empty_file), ("link.db is a symbolic link",)),
    "database is a FIFO": (database("fifo.db", os.mkfifo), ("fifo.db is a FIFO",)),
    "database is not SQLite": (
        database("notes.db", lambda path: path.write_text("my notes")),
        ("notes.db is not a mentor-tui database",),
    ),
    "database is someone else's SQLite": (
        database("shop.db", foreign_sqlite),
        ("shop.db is not a mentor-tui database; refusing to use it.",),
    ),
    "database made by a newer mentor-tui": (database("new.db", newer_database), ("newer version of mentor-tui",)),
    "unknown flag": (lambda root: (["--colour"], {}), ("unrecognized arguments: --colour (see mentor-tui --help)",)),
    "secret key": (
        lambda root: ([], {"SUPABASE_URL": SUPABASE_URL, "SUPABASE_PUBLISHABLE_KEY": "sb_secret_k3y"}),
        ("SUPABASE_PUBLISHABLE_KEY is a secret key (sb_secret_...)", "publishable key"),
    ),
    "service_role JWT": (
        lambda root: ([], {"SUPABASE_URL": SUPABASE_URL, "SUPABASE_ANON_KEY": service_role_jwt()}),
        ("SUPABASE_ANON_KEY is the service_role key", "publishable key"),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_is_one_line_exit_2_and_writes_nothing(tmp_path, case):
    prepare, expected = CASES[case]
    args, env = prepare(tmp_path)
    before = snapshot(tmp_path)
    done = run(tmp_path, args, env)
    assert_one_line_refusal(done, *expected)
    assert snapshot(tmp_path) == before
    for secret in ("sb_secret_k3y", service_role_jwt()):
        assert secret not in done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_state_folder_of_another_user_is_refused(tmp_path):
    (tmp_path / "state").mkdir(mode=0o700)
    os.chown(tmp_path / "state", 65534, 65534)
    before = snapshot(tmp_path)
    assert_one_line_refusal(run(tmp_path, []), "state belongs to another user; refusing to use it")
    assert snapshot(tmp_path) == before


def test_a_control_character_in_a_path_cannot_add_a_line(tmp_path):
    done = run(tmp_path, ["--db", str(tmp_path / "x\n\x1b[2Jy" / "x.db")])
    assert_one_line_refusal(done, "x\\n\\x1b[2Jy")
    assert "\x1b" not in done.stderr
