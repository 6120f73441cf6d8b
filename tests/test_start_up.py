"""Start-up as the command builds the app: the sign-in form first when no sign-in is
remembered (decided from the files alone), the remembered path otherwise."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest
from shell_support import PASSWORD, PEOPLE, SIZE, add_account, settle, type_into
from textual.widgets import Input

from mentor_tui.cli import build_app
from mentor_tui.config import load_settings, prepare_folders
from mentor_tui.domain.models import Role
from mentor_tui.repository import local
from mentor_tui.repository.factory import may_be_signed_in
from mentor_tui.repository.session_file import LOCAL_SESSION_FILE_NAME
from mentor_tui.repository.supabase_storage import LEGACY_SESSION_FILE_NAME, session_file_name
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.sign_in import SignInScreen
from mentor_tui.screens.sign_up import SignUpScreen

PROJECT = "https://abc.supabase.co"
SUPABASE_ENV = {"SUPABASE_URL": PROJECT, "SUPABASE_ANON_KEY": "k"}


def local_settings():
    settings = load_settings()
    prepare_folders(settings)
    return settings


def supabase_settings():
    settings = load_settings(backend="supabase", environ=SUPABASE_ENV)
    prepare_folders(settings)
    return settings


def write(path, data) -> None:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


def test_the_embedded_backend_names_the_session_file_the_check_reads():
    assert local.SESSION_FILE_NAME == LOCAL_SESSION_FILE_NAME


def test_no_session_file_means_signed_out():
    assert may_be_signed_in(local_settings()) is False
    assert may_be_signed_in(supabase_settings()) is False


def test_a_local_sign_in_counts_only_for_its_own_database():
    settings = local_settings()
    path = settings.state_dir / LOCAL_SESSION_FILE_NAME
    write(path, {"database": str(settings.db_path.resolve()), "token": "t"})
    assert may_be_signed_in(settings) is True
    write(path, {"database": "/elsewhere/other.db", "token": "t"})
    assert may_be_signed_in(settings) is False


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\xff"], ids=["broken", "a-list", "not-utf8"])
def test_a_malformed_session_file_is_left_to_the_backend_to_judge(content):
    # "Maybe": the backend's restore reads it and deletes or sets aside what is not a sign-in.
    settings = local_settings()
    write(settings.state_dir / LOCAL_SESSION_FILE_NAME, content)
    assert may_be_signed_in(settings) is True


def test_a_symlink_or_folder_in_the_session_files_place_is_left_to_the_backend(tmp_path):
    settings = local_settings()
    path = settings.state_dir / LOCAL_SESSION_FILE_NAME
    target = tmp_path / "target.json"
    write(target, {"database": "/elsewhere/other.db"})
    os.symlink(target, path)
    assert may_be_signed_in(settings) is True  # never followed: its target says nothing
    path.unlink()
    path.mkdir()
    assert may_be_signed_in(settings) is True


def test_a_supabase_sign_in_counts_for_its_project_also_in_the_legacy_file():
    settings = supabase_settings()
    own = settings.state_dir / session_file_name(PROJECT)
    legacy = settings.state_dir / LEGACY_SESSION_FILE_NAME
    write(legacy, {"project_url": "https://other.supabase.co", "session": {}})
    assert may_be_signed_in(settings) is False
    write(legacy, {"project_url": PROJECT, "session": {}})
    assert may_be_signed_in(settings) is True
    legacy.unlink()
    write(own, {"project_url": PROJECT, "session": {}})
    assert may_be_signed_in(settings) is True


async def test_signed_out_the_sign_in_form_is_the_first_screen_and_signing_in_works(clock):
    await add_account(clock, Role.STUDENT, signed_in=False)
    app = build_app(local_settings(), clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen_stack == [app.screen] and isinstance(app.screen, SignInScreen)  # no start-up screen
        email, _ = PEOPLE[Role.STUDENT]
        await type_into(pilot, "#email", email)
        await type_into(pilot, "#password", PASSWORD)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.ctx.services.me is not None and app.ctx.services.me.email == email


async def test_from_a_first_sign_in_form_to_sign_up_home_and_back(clock):
    # The form that was the first screen cannot be replaced: the others go above it.
    await add_account(clock, Role.STUDENT, signed_in=False)
    email, _ = PEOPLE[Role.STUDENT]
    app = build_app(local_settings(), clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.screen
        assert isinstance(first, SignInScreen) and app.screen_stack == [first]
        await type_into(pilot, "#password", "typed, then left")
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, SignUpScreen)
        assert first.query_one("#password", Input).value == ""  # left beneath: forgets its password
        await type_into(pilot, "#email", email)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen) and app.screen is not first
        assert app.screen.query_one("#email", Input).value == email
        await type_into(pilot, "#password", PASSWORD)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [type(screen) for screen in app.screen_stack] == [SignInScreen, HomeScreen]
        assert app.screen_stack[0].query_one("#password", Input).value == ""
        await pilot.press("ctrl+o")  # sign out
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen) and app.screen.query_one("#email", Input).value == email
        assert app.ctx.services.me is None and len(app.screen_stack) == 2


async def test_a_remembered_sign_in_is_restored_as_before(clock):
    await add_account(clock, Role.STUDENT, signed_in=True)
    app = build_app(local_settings(), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_revoked_remembered_sign_in_leads_to_the_sign_in_form(clock):
    settings = local_settings()
    await add_account(clock, Role.STUDENT, signed_in=True)
    path = settings.state_dir / LOCAL_SESSION_FILE_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    write(path, {**data, "token": "not-the-token"})
    app = build_app(settings, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
    assert not path.exists()  # the backend's restore dropped it: the next start is form-first
    assert may_be_signed_in(settings) is False


@pytest.fixture
def collector_paused():
    """The collector off, as the command turns it off before it imports the app."""
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("remembered", [False, True], ids=["signed-out", "remembered"])
async def test_the_collector_is_on_again_once_the_first_screen_is_drawn(clock, collector_paused, remembered):
    await add_account(clock, Role.STUDENT, signed_in=remembered)
    app = build_app(local_settings(), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen if remembered else SignInScreen)
        assert gc.isenabled()


async def test_the_collector_is_on_again_when_a_remembered_sign_in_fails(clock, collector_paused):
    settings = local_settings()
    await add_account(clock, Role.STUDENT, signed_in=True)
    path = settings.state_dir / LOCAL_SESSION_FILE_NAME
    write(path, {**json.loads(path.read_text(encoding="utf-8")), "token": "not-the-token"})
    app = build_app(settings, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen) and gc.isenabled()


COMMAND_STARTS = """
import gc, json, sys
from mentor_tui import cli

seen = {}

class Started:
    return_code = 0

    def run(self):
        pass

def build_app(*args, **kwargs):
    seen.update(collecting=gc.isenabled(), textual="textual" in sys.modules)
    return Started()

cli.build_app = build_app
cli.main([])
print(json.dumps(seen))
"""


def test_the_command_turns_the_collector_off_before_it_imports_the_app(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MENTOR_TUI_", "SUPABASE_"))}
    env.update({f"MENTOR_TUI_{name}_DIR": str(tmp_path / name.lower()) for name in ("DATA", "STATE", "CONFIG")})
    done = subprocess.run(
        [sys.executable, "-c", COMMAND_STARTS], capture_output=True, text=True, timeout=120, check=True, env=env
    )
    assert json.loads(done.stdout.splitlines()[-1]) == {"collecting": False, "textual": False}
