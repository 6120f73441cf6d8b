"""The kiosk's pieces on their own: limits, identities, the app's environment, OpenSSH's ForceCommand."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest

from mentor_tui import paths
from mentor_tui.kiosk.identity import KeyId, StateFolders
from mentor_tui.kiosk.limits import ConnectionRate, format_duration, parse_duration, warning_lead
from mentor_tui.kiosk.openssh import authenticated_key
from mentor_tui.kiosk.server import app_environment, shared_environment


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("8h", 28800), ("2.5", 2.5)])
def test_durations_read_as_people_write_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5m", "15 minutes", "1d"])
def test_a_bad_duration_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_durations_read_back_as_words():
    assert [format_duration(s) for s in (900, 3600, 7200, 1, 30, 90)] == [
        "15 minutes", "1 hour", "2 hours", "1 second", "30 seconds", "90 seconds"]
    assert warning_lead(15 * 60) == 60 and warning_lead(2) == 1


def test_connections_are_counted_per_address_over_a_sliding_minute():
    now = [0.0]
    rate = ConnectionRate(2, clock=lambda: now[0])
    assert rate.allow("10.0.0.1") and rate.allow("10.0.0.1")
    assert not rate.allow("10.0.0.1")
    assert rate.allow("10.0.0.2")
    now[0] = 59.9
    assert not rate.allow("10.0.0.1")
    now[0] = 60.0
    assert rate.allow("10.0.0.1")


def test_a_key_is_known_by_the_fingerprint_ssh_shows():
    key = asyncssh.generate_private_key("ssh-ed25519")
    other = asyncssh.generate_private_key("ssh-ed25519")
    assert KeyId.of(key.public_data).fingerprint == key.get_fingerprint("sha256")
    assert KeyId.of(key.public_data).folder_name != KeyId.of(other.public_data).folder_name


def test_state_folders_are_private_and_guest_leftovers_go(tmp_path):
    folders = StateFolders(tmp_path / "kiosk")
    folders.prepare()
    leftover = folders.for_guest()
    (leftover / "session.json").write_text("{}")
    key = KeyId.of(asyncssh.generate_private_key("ssh-ed25519").public_data)
    kept = folders.for_key(key)

    folders.prepare()  # as at the next start

    assert not leftover.exists() and kept.exists()
    for folder in (folders.root, folders.users, folders.guests, kept, folders.for_guest()):
        assert folder.stat().st_mode & 0o777 == 0o700


def test_the_app_sees_its_terminal_and_folder_but_nothing_of_the_operator(tmp_path):
    operator = {
        "HOME": "/home/kiosk", "LANG": "C.UTF-8", "MENTOR_TUI_DB": "/srv/m.db", "SUPABASE_URL": "https://x.supabase.co",
        "MENTOR_TUI_STATE_DIR": "/home/kiosk/state", "SSH_AUTH_SOCK": "/run/user/1000/agent.sock", "SSH_CONNECTION": "1 2 3 4",
        "DISPLAY": ":0", "COLUMNS": "80", "LINES": "24", "PYTHONINSPECT": "1", "PATH": "/usr/bin:/bin",
    }
    env = app_environment(operator, "xterm-256color", tmp_path / "me")
    assert env == {
        "HOME": "/home/kiosk", "LANG": "C.UTF-8", "MENTOR_TUI_DB": "/srv/m.db", "SUPABASE_URL": "https://x.supabase.co",
        "MENTOR_TUI_STATE_DIR": str(tmp_path / "me"), "TERM": "xterm-256color", "PATH": "", "MALLOC_ARENA_MAX": "2",
        "MENTOR_TUI_KIOSK": "1",
    }
    # The fork server's: everything the apps share, nothing that is one app's own.
    assert shared_environment(operator) == {
        name: value for name, value in env.items() if name not in ("TERM", "MENTOR_TUI_STATE_DIR")
    }


# --- OpenSSH: ForceCommand mentor-tui with ExposeAuthInfo yes --------------------------------------

def auth_info(key: asyncssh.SSHKey) -> str:
    return f"publickey {key.get_algorithm()} {base64.b64encode(key.public_data).decode()}\n"


def test_the_authenticated_key_is_read_from_sshds_auth_info():
    key = asyncssh.generate_private_key("ssh-ed25519")
    assert authenticated_key("password\n" + auth_info(key)) == key.public_data
    assert authenticated_key("password\nkeyboard-interactive\n") is None
    assert authenticated_key("publickey ssh-ed25519 not*base64\n") is None


@pytest.fixture
def under_sshd(monkeypatch, tmp_path):
    """The environment sshd gives a ForceCommand: no MENTOR_TUI_STATE_DIR, SSH_CONNECTION set."""
    monkeypatch.delenv("MENTOR_TUI_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.7 50000 192.0.2.1 22")
    monkeypatch.delenv("SSH_USER_AUTH", raising=False)
    return paths.account_state_dir()


def test_under_sshd_each_key_gets_its_own_state_folder(under_sshd, monkeypatch, tmp_path):
    ada, grace = (asyncssh.generate_private_key("ssh-ed25519") for _ in range(2))

    def state_dir_for(key: asyncssh.SSHKey) -> Path:
        auth_file = tmp_path / f"auth-{key.get_fingerprint('md5')[-5:].replace(':', '')}"
        auth_file.write_text(auth_info(key))
        monkeypatch.setenv("SSH_USER_AUTH", str(auth_file))
        return paths.state_dir()

    first = state_dir_for(ada)
    assert first.parent == under_sshd / "ssh" and first.stat().st_mode & 0o777 == 0o700
    assert state_dir_for(grace) != first
    assert state_dir_for(ada) == first


def test_an_explicit_state_folder_wins_under_sshd_too(under_sshd, monkeypatch, tmp_path):
    monkeypatch.setenv("MENTOR_TUI_STATE_DIR", str(tmp_path / "mine"))
    assert paths.state_dir() == tmp_path / "mine"


def test_under_sshd_a_connection_without_a_key_remembers_nothing(under_sshd, tmp_path):
    anonymous = under_sshd / "ssh-anonymous"
    dead_pid = _finished_pid()
    leftover = anonymous / str(dead_pid)
    leftover.mkdir(parents=True)

    script = "from mentor_tui import paths; d = paths.state_dir(); (d / 'session.json').write_text('{}'); print(d)"
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=os.environ)
            for _ in range(2)]
    folders = [Path(run.stdout.strip()) for run in runs]

    assert folders[0] != folders[1]
    assert all(folder.parent == anonymous for folder in folders)
    assert not any(folder.exists() for folder in folders)  # removed when each process ended
    assert not leftover.exists()  # one a killed process left behind is swept


def _finished_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
