"""The mentor-tui command, short of drawing the app (the Pilot tests do that)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import types

import pytest

from mentor_tui import __version__, cli
from mentor_tui.domain.models import Role


@pytest.fixture
def app_runs(monkeypatch):
    """Record what the command would run instead of taking over the terminal."""
    runs: list = []

    def run(self) -> None:
        runs.append(self)

    monkeypatch.setattr("mentor_tui.app.MentorApp.run", run)
    return runs


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"mentor-tui {__version__}"


def test_python_dash_m_is_the_same_command():
    done = subprocess.run(
        [sys.executable, "-m", "mentor_tui", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"mentor-tui {__version__}")


def test_a_configuration_error_is_one_line_and_exit_code_2(monkeypatch, capsys, app_runs):
    monkeypatch.setenv("MENTOR_TUI_BACKEND", "supabase")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mentor-tui: The Supabase backend needs SUPABASE_URL and SUPABASE_PUBLISHABLE_KEY")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert app_runs == []


def test_an_unknown_backend_flag_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--backend", "sqlite"])
    assert exited.value.code == 2
    assert "invalid choice: 'sqlite'" in capsys.readouterr().err


def test_the_flags_reach_the_app(tmp_path, app_runs):
    assert cli.main(["--db", str(tmp_path / "mine.db"), "--backend", "local"]) == 0
    (app,) = app_runs
    assert app.ctx.settings.db_path == tmp_path / "mine.db"
    assert app.ctx.services.backend_name == "local"

    async def first_sign_up() -> None:
        await app.ctx.services.sign_up("sam@example.org", "correct horse", "Sam Rivera", Role.STUDENT)
        await app.ctx.services.close()

    asyncio.run(first_sign_up())
    assert (tmp_path / "mine.db").is_file()  # the app's backend is the database the flag named


def test_demo_seeds_once_and_prints_the_logins(tmp_path, capsys, app_runs):
    from mentor_tui.repository.demo import DEMO_PASSWORD, demo_logins

    db = tmp_path / "demo.db"
    assert cli.main(["--demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    logins = demo_logins(db)
    assert logins and DEMO_PASSWORD in out
    assert all(login.email in out for login in logins)
    # The sign-in screen offers the same logins, given by the command line (it opens no backend itself).
    (app,) = app_runs
    assert app.ctx.settings.demo
    assert [login.email for login in app.ctx.demo_logins] == [login.email for login in logins]
    assert app.ctx.demo_password == DEMO_PASSWORD

    # Running it again changes nothing and still prints the logins.
    assert cli.main(["--demo", "--db", str(db)]) == 0
    assert demo_logins(db) == logins
    assert logins[0].email in capsys.readouterr().out


def test_demo_data_that_cannot_be_written_is_one_line_and_exit_code_1(tmp_path, monkeypatch, capsys, app_runs):
    from mentor_tui.domain.errors import BackendUnavailable

    def busy(path, now):
        raise BackendUnavailable(f"The database {path} is busy (another program holds it). Please try again.")

    monkeypatch.setattr("mentor_tui.repository.demo.seed_demo", busy)
    assert cli.main(["--demo", "--db", str(tmp_path / "demo.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mentor-tui: The database") and "is busy" in err and err.count("\n") == 1
    assert app_runs == []


def test_a_mistake_in_the_flags_is_one_line_and_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-such-flag"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err == "mentor-tui: unrecognized arguments: --no-such-flag (see mentor-tui --help)\n"


@pytest.mark.parametrize("text", ["65536", "99999", "-1", "22x", ""])
def test_port_number_refuses_what_is_not_a_port(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="is not a port number"):
        cli.port_number(text)


@pytest.mark.parametrize("text", ["0", "22", "65535"])
def test_port_number_accepts_every_port(text):
    assert cli.port_number(text) == int(text)


def test_serve_ssh_hands_every_argument_to_the_kiosk(monkeypatch):
    received: list[list[str]] = []
    kiosk_cli = types.ModuleType("mentor_tui.kiosk.cli")
    kiosk_cli.main = lambda argv: received.append(argv) or 7
    monkeypatch.setitem(sys.modules, "mentor_tui.kiosk.cli", kiosk_cli)

    assert cli.main(["serve-ssh", "--port", "2222", "--help"]) == 7
    assert received == [["--port", "2222", "--help"]]


def test_the_app_logs_to_a_private_file_through_the_safe_filter(isolated_dirs, monkeypatch, app_runs):
    import logging
    import stat

    def run(self) -> None:
        logging.getLogger("mentor_tui.app").warning("refresh failed: refresh_token=abc123\nforged")

    monkeypatch.setattr("mentor_tui.app.MentorApp.run", run)
    assert cli.main([]) == 0
    log = isolated_dirs / "state" / cli.LOG_FILE_NAME
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE((isolated_dirs / "state").stat().st_mode) == 0o700
    (line,) = log.read_text().splitlines()
    assert line.endswith("WARNING mentor_tui.app: refresh failed: refresh_token=[redacted]\\nforged")
    assert not logging.getLogger("mentor_tui").handlers  # removed once the app has ended


def test_a_symlinked_log_is_set_aside_with_one_line_and_the_app_still_starts(isolated_dirs, capsys, app_runs):
    target = isolated_dirs / "victim.txt"
    target.write_text("keep me")
    state = isolated_dirs / "state"
    state.mkdir(mode=0o700)
    (state / cli.LOG_FILE_NAME).symlink_to(target)
    assert cli.main([]) == 0 and len(app_runs) == 1
    (aside,) = state.glob(f"{cli.LOG_FILE_NAME}.bad-*")
    err = capsys.readouterr().err
    assert err == (
        f"mentor-tui: {state / cli.LOG_FILE_NAME} is a symbolic link; refusing to use it; "
        f"moved it to {aside.name} and started a new log\n"
    )
    assert target.read_text() == "keep me" and aside.is_symlink()
    assert (state / cli.LOG_FILE_NAME).is_file() and not (state / cli.LOG_FILE_NAME).is_symlink()


def test_an_existing_database_is_checked_before_the_app_starts(tmp_path, capsys, app_runs):
    (tmp_path / "notes.db").write_text("my notes")
    assert cli.main(["--db", str(tmp_path / "notes.db")]) == 2
    assert "notes.db is not a mentor-tui database" in capsys.readouterr().err
    assert app_runs == [] and (tmp_path / "notes.db").read_text() == "my notes"


def test_a_new_database_is_left_for_the_first_sign_up(tmp_path, app_runs):
    assert cli.main(["--db", str(tmp_path / "new.db")]) == 0
    assert not (tmp_path / "new.db").exists()
