"""Local files: private folders, no symlink or FIFO ever followed, a log without secrets or forged lines."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mentor_tui.files import UnsafePath, check_regular_or_missing, open_regular, private_dir, set_aside
from mentor_tui.logfile import SafeLogFilter, escape_controls, open_log, redact
from mentor_tui.repository.session_file import MAX_SESSION_FILE_BYTES, SessionFile, write_private_file

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMiLCJyb2xlIjoiYXV0aGVudGljYXRlZCJ9.c2lnbmF0dXJlLXBhcnQ"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def finishes(call: Callable[[], Any]) -> Any:
    """Run ``call`` in a thread; fail (instead of hanging the run) if it blocks."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "blocked (a FIFO was opened for blocking I/O)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file of ours that a planted symlink points at."""
    path = tmp_path / "secret.txt"
    path.write_text('{"token": "not yours"}')
    return path


# --- private_dir -------------------------------------------------------------------


def test_private_dir_creates_the_folder_and_its_parents_owner_only(tmp_path):
    os.umask(old := os.umask(0))  # whatever the umask, never wider than 0700
    try:
        folder = private_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert folder.is_dir() and mode(folder) == 0o700


def test_private_dir_accepts_an_existing_folder_of_ours(tmp_path):
    (tmp_path / "mine").mkdir(mode=0o755)
    assert private_dir(tmp_path / "mine") == tmp_path / "mine"


@pytest.mark.parametrize("bits", [0o770, 0o707, 0o777])
def test_private_dir_refuses_a_folder_others_can_write(tmp_path, bits):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared").chmod(bits)
    with pytest.raises(UnsafePath, match="shared can be written by other users; refusing to use it$"):
        private_dir(tmp_path / "shared")


def test_private_dir_refuses_a_folder_of_another_user(tmp_path, monkeypatch):
    (tmp_path / "theirs").mkdir(mode=0o700)
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)  # the folder now belongs to "someone else"
    with pytest.raises(UnsafePath, match="theirs belongs to another user; refusing to use it$"):
        private_dir(tmp_path / "theirs")


def test_private_dir_refuses_a_symlink_to_a_folder(tmp_path):
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath, match="link is a symbolic link, not a folder"):
        private_dir(tmp_path / "link")


def test_private_dir_refuses_a_file_and_a_path_through_one(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnsafePath, match="file is not a folder"):
        private_dir(tmp_path / "file")
    with pytest.raises(UnsafePath, match="is inside something that is not a folder"):
        private_dir(tmp_path / "file" / "below")


# --- open_regular, check_regular_or_missing, set_aside ------------------------------


def test_open_regular_creates_new_files_0600_and_returns_a_blocking_descriptor(tmp_path):
    os.umask(old := os.umask(0))
    try:
        fd = open_regular(tmp_path / "new", os.O_WRONLY | os.O_CREAT)
    finally:
        os.umask(old)
    try:
        assert os.get_blocking(fd) and os.get_inheritable(fd) is False
    finally:
        os.close(fd)
    assert mode(tmp_path / "new") == 0o600


@pytest.mark.parametrize("flags", [os.O_RDONLY, os.O_WRONLY | os.O_CREAT | os.O_APPEND])
def test_open_regular_never_follows_a_symlink(tmp_path, secret, flags):
    (tmp_path / "link").symlink_to(secret)
    with pytest.raises(UnsafePath, match="link is a symbolic link; refusing to use it"):
        open_regular(tmp_path / "link", flags)
    assert secret.read_text() == '{"token": "not yours"}'


@pytest.mark.parametrize("flags", [os.O_RDONLY, os.O_WRONLY | os.O_APPEND, os.O_RDWR])
def test_open_regular_refuses_a_fifo_without_blocking(tmp_path, flags):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UnsafePath, match="fifo is a FIFO, not a regular file"):
        finishes(lambda: open_regular(tmp_path / "fifo", flags))


def test_open_regular_refuses_a_folder_and_a_device(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(UnsafePath, match="folder is a folder, not a regular file"):
        open_regular(tmp_path / "folder", os.O_RDONLY)
    with pytest.raises(UnsafePath, match="null is a device, not a regular file"):
        open_regular(Path("/dev/null"), os.O_RDONLY)


def test_open_regular_may_follow_a_symlink_when_asked(tmp_path, secret):
    (tmp_path / "link").symlink_to(secret)
    fd = open_regular(tmp_path / "link", os.O_RDONLY, follow_symlinks=True)
    with os.fdopen(fd) as handle:
        assert handle.read() == secret.read_text()


def test_check_regular_or_missing(tmp_path, secret):
    check_regular_or_missing(secret)
    check_regular_or_missing(tmp_path / "absent")
    (tmp_path / "link").symlink_to(secret)
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    for name, kind in [("link", "a symbolic link"), ("fifo", "a FIFO"), ("folder", "a folder")]:
        with pytest.raises(UnsafePath, match=f"{name} is {kind}, not a regular file; refusing to use it"):
            check_regular_or_missing(tmp_path / name)


def test_set_aside_renames_the_thing_itself_and_never_overwrites(tmp_path, secret):
    (tmp_path / "link").symlink_to(secret)
    first = set_aside(tmp_path / "link")
    (tmp_path / "link").symlink_to(secret)
    second = set_aside(tmp_path / "link")
    assert first != second
    for aside in (first, second):
        assert aside.name.startswith("link.bad-") and aside.is_symlink()
    assert not os.path.lexists(tmp_path / "link") and secret.exists()


# --- the remembered sign-in file --------------------------------------------------------


def test_the_session_file_is_written_0600_atomically_in_a_private_folder(tmp_path):
    file = SessionFile(tmp_path / "state" / "session.json")
    file.save({"token": "abc"})
    assert mode(file.path) == 0o600 and mode(file.path.parent) == 0o700
    assert file.load() == {"token": "abc"}
    assert sorted(p.name for p in file.path.parent.iterdir()) == ["session.json"]  # no temp file left


def test_saving_over_a_symlink_replaces_the_link_not_its_target(tmp_path, secret):
    (tmp_path / "session.json").symlink_to(secret)
    SessionFile(tmp_path / "session.json").save({"token": "new"})
    assert secret.read_text() == '{"token": "not yours"}'
    assert not (tmp_path / "session.json").is_symlink()


def test_saving_into_a_folder_others_can_write_is_refused(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared").chmod(0o777)
    with pytest.raises(UnsafePath, match="can be written by other users"):
        write_private_file(tmp_path / "shared" / "key", b"secret")
    assert list((tmp_path / "shared").iterdir()) == []


def test_a_symlinked_session_file_is_set_aside_not_followed(tmp_path, secret, caplog):
    (tmp_path / "session.json").symlink_to(secret)
    with caplog.at_level(logging.WARNING, "mentor_tui"):
        assert SessionFile(tmp_path / "session.json").load() is None  # the target's JSON is never read
    (aside,) = tmp_path.glob("session.json.bad-*")
    assert aside.is_symlink() and not os.path.lexists(tmp_path / "session.json")
    assert f"session.json is a symbolic link; refusing to use it; moved it to {aside.name}" in caplog.text


def test_a_fifo_session_file_is_set_aside_without_blocking(tmp_path, caplog):
    os.mkfifo(tmp_path / "session.json")
    with caplog.at_level(logging.WARNING, "mentor_tui"):
        assert finishes(SessionFile(tmp_path / "session.json").load) is None
    (aside,) = tmp_path.glob("session.json.bad-*")
    assert stat.S_ISFIFO(os.lstat(aside).st_mode)
    assert "is a FIFO" in caplog.text


def test_an_oversized_session_file_is_set_aside(tmp_path):
    (tmp_path / "session.json").write_text(json.dumps({"pad": "x" * MAX_SESSION_FILE_BYTES}))
    assert SessionFile(tmp_path / "session.json").load() is None
    assert len(list(tmp_path.glob("session.json.bad-*"))) == 1


def test_deleting_a_session_file_never_touches_a_symlink_target(tmp_path, secret):
    (tmp_path / "session.json").symlink_to(secret)
    SessionFile(tmp_path / "session.json").delete()
    assert secret.exists() and not os.path.lexists(tmp_path / "session.json")


# --- the log ----------------------------------------------------------------------------------


def emit(handler: logging.Handler, message: str, *args: object, exc: BaseException | None = None) -> None:
    logger = logging.getLogger("mentor_tui.test_local_files")
    logger.addHandler(handler)
    try:
        if exc is None:
            logger.warning(message, *args)
        else:
            try:
                raise exc
            except BaseException:
                logger.exception(message, *args)
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_the_log_is_created_0600_and_appended_to(tmp_path):
    path = tmp_path / "mentor-tui.log"
    path.write_text("an earlier line\n")
    path.chmod(0o600)
    handler, notice = open_log(path)
    assert handler is not None and notice is None
    emit(handler, "a new line")
    lines = path.read_text().splitlines()
    assert lines[0] == "an earlier line" and lines[1].endswith("WARNING mentor_tui.test_local_files: a new line")

    handler, _ = open_log(tmp_path / "fresh.log")
    handler.close()
    assert mode(tmp_path / "fresh.log") == 0o600


def test_a_symlinked_log_is_set_aside_and_a_new_one_started(tmp_path, secret):
    (tmp_path / "mentor-tui.log").symlink_to(secret)
    handler, notice = open_log(tmp_path / "mentor-tui.log")
    (aside,) = tmp_path.glob("mentor-tui.log.bad-*")
    assert notice == (
        f"{tmp_path / 'mentor-tui.log'} is a symbolic link; refusing to use it; "
        f"moved it to {aside.name} and started a new log"
    )
    emit(handler, "written here")
    assert secret.read_text() == '{"token": "not yours"}'
    assert "written here" in (tmp_path / "mentor-tui.log").read_text()
    assert not (tmp_path / "mentor-tui.log").is_symlink()


def test_a_fifo_log_never_blocks_start_up(tmp_path):
    os.mkfifo(tmp_path / "mentor-tui.log")
    handler, notice = finishes(lambda: open_log(tmp_path / "mentor-tui.log"))
    assert handler is not None and "is a FIFO" in notice
    handler.close()
    assert (tmp_path / "mentor-tui.log").is_file()


def test_without_a_place_for_the_log_the_app_still_starts(tmp_path):
    (tmp_path / "file").write_text("")
    handler, notice = open_log(tmp_path / "file" / "mentor-tui.log")
    assert handler is None and notice.endswith("running without a log")


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (f"Authorization: Bearer {JWT}", "Authorization: [redacted]", JWT),
        (f"session expired for token {JWT} at noon", "token [redacted] at noon", JWT),
        ("apikey sb_secret_Zx9_-a1 sent", "sb_secret_[redacted] sent", "Zx9_-a1"),
        ("key=sb_publishable_abc123&x=1", "sb_publishable_[redacted]&x=1", "abc123"),
        ('{"email": "a@b.c", "password": "hunter2!"}', '"password": [redacted]}', "hunter2"),
        ("{'refresh_token': 'r-123', 'user': 'x'}", "'refresh_token': [redacted], 'user'", "r-123"),
        ("POST /token?grant_type=refresh_token&refresh_token=abcDEF", "refresh_token=[redacted]", "abcDEF"),
        ("access_token: xyz789 new_password=pw0rd", "access_token: [redacted] new_password=[redacted]", "pw0rd"),
    ],
)
def test_secrets_are_redacted(text, kept, gone):
    assert kept in redact(text) and gone not in redact(text)


def test_plain_words_about_passwords_and_tokens_stay():
    text = "Wrong email or password. The refresh token was reused."
    assert redact(text) == text


def test_control_characters_are_escaped_onto_one_line():
    assert escape_controls("Ann\n2026-01-01 WARNING forged\x1b]52;c;x\x07\u202e") == (
        "Ann\\n2026-01-01 WARNING forged\\x1b]52;c;x\\x07\\u202e"
    )
    assert escape_controls("café\u2028next\x85line\tend") == "café\\u2028next\\x85line\\tend"


def test_a_record_cannot_forge_a_line_or_leak_a_token(tmp_path):
    handler, _ = open_log(tmp_path / "mentor-tui.log")
    name = "Ann\n2026-11-30 09:00:00,000 WARNING mentor_tui.app: forged\x1b[2J"
    emit(handler, "Cannot load %s (%r)", name, {"refresh_token": "r-secret"}, exc=ValueError(f"bad {JWT}\nforged too"))
    lines = (tmp_path / "mentor-tui.log").read_text().splitlines()
    assert lines[0].endswith(
        "Cannot load Ann\\n2026-11-30 09:00:00,000 WARNING mentor_tui.app: forged\\x1b[2J "
        "({'refresh_token': [redacted]})"
    )
    # The traceback keeps its lines, each indented: only real records start a line.
    assert lines[1] == "  Traceback (most recent call last):"
    assert all(line.startswith("  ") for line in lines[1:])
    assert lines[-2:] == ["  ValueError: bad [redacted]", "  forged too"]
    text = "\n".join(lines)
    assert JWT not in text and "r-secret" not in text and "\x1b" not in text


def test_the_filter_passes_every_record():
    record = logging.LogRecord("mentor_tui", logging.ERROR, __file__, 1, "user %s", ("x\ry",), None)
    assert SafeLogFilter().filter(record) is True
    assert record.getMessage() == "user x\\ry"
