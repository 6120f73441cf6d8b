"""The mentor-tui command, short of drawing the app (the Pilot tests do that)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import types

import pytest

from mentor_tui import __version__, cli


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
        [sys.executable, "-m", "mentor_tui", "--version"], capture_output=True, text=True, timeout=60
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
    assert app.settings.db_path == tmp_path / "mine.db"
    backend = asyncio.run(app.repo.backend())
    assert backend.name == "local" and backend.db_path == tmp_path / "mine.db"


def test_demo_seeds_once_and_prints_the_logins(tmp_path, capsys, app_runs):
    from mentor_tui.repository.demo import DEMO_PASSWORD, demo_logins

    db = tmp_path / "demo.db"
    assert cli.main(["--demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    logins = demo_logins(db)
    assert logins and DEMO_PASSWORD in out
    assert all(login.email in out for login in logins)
    assert app_runs[0].settings.demo

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
