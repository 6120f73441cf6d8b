"""Start-up stays light: heavy modules load only when the chosen backend needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("supabase", "postgrest", "realtime", "httpx", "gotrue", "supabase_auth")


def modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


def test_importing_the_app_loads_no_backend_library():
    modules = modules_after("import mentor_tui.app")
    assert heavy(modules) == []
    # Not even the embedded backend: it is chosen after the command line is read.
    assert "mentor_tui.repository.local" not in modules
    assert "sqlite3" not in modules


SIGN_IN_SHOWN = """
import asyncio
from mentor_tui.app import MentorApp
from mentor_tui.clock import SystemClock
from mentor_tui.screens.sign_in import SignInScreen

class NoOneSignedIn:
    name = "stand-in"

    async def restore(self):
        return None

    async def close(self):
        pass

async def show_sign_in():
    app = MentorApp(NoOneSignedIn(), SystemClock())
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, SignInScreen):
            await pilot.pause()

asyncio.run(show_sign_in())
"""


def test_the_sign_in_screen_loads_no_database_models_or_demo_data():
    # The demo logins come from the command line that seeded them: showing them needs no backend.
    modules = modules_after(SIGN_IN_SHOWN)
    assert "mentor_tui.screens.sign_in" in modules
    for name in ("sqlite3", "pydantic", "mentor_tui.repository.demo", "mentor_tui.repository.local"):
        assert name not in modules, name
    assert heavy(modules) == []


def test_the_command_line_loads_no_backend_library_before_it_runs():
    assert heavy(modules_after("import mentor_tui.cli")) == []


def test_building_the_supabase_backend_loads_no_backend_library():
    code = (
        "from mentor_tui.clock import SystemClock\n"
        "from mentor_tui.config import load_settings\n"
        "from mentor_tui.repository.factory import build_repository\n"
        "build_repository(load_settings(backend='supabase', environ={'SUPABASE_URL': 'https://x.supabase.co',"
        " 'SUPABASE_ANON_KEY': 'k'}), SystemClock())"
    )
    assert heavy(modules_after(code)) == []


FORM_FIRST = """
import asyncio, json, sys
from mentor_tui.cli import build_app
from mentor_tui.clock import SystemClock
from mentor_tui.config import load_settings, prepare_folders
from mentor_tui.repository.factory import check_storage
from mentor_tui.screens.sign_in import SignInScreen

settings = load_settings()
check_storage(settings)
prepare_folders(settings)
seen = {}
shown = SignInScreen.on_mount

def on_mount(screen):
    seen["form"] = sorted(sys.modules)
    shown(screen)

SignInScreen.on_mount = on_mount

async def start():
    app = build_app(settings, SystemClock())
    async with app.run_test(size=(80, 24)) as pilot:
        while "form" not in seen:
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["drawn"] = sorted(sys.modules)
        await pilot.press(*"ann@example.org", "tab", *"secret", "enter")
        await app.workers.wait_for_complete()
        seen["sent"] = sorted(sys.modules)

asyncio.run(start())
print(json.dumps(seen))
"""


def modules_at_the_form(tmp_path, *, database: bool) -> dict[str, set[str]]:
    """What the command's app has imported when its sign-in form mounts, once it is drawn
    (its workers done), and once the form is sent."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MENTOR_TUI_", "SUPABASE_"))}
    for name in ("DATA", "STATE", "CONFIG"):
        env[f"MENTOR_TUI_{name}_DIR"] = str(tmp_path / name.lower())
    if database:  # an existing database: the command checks it before the app starts
        from mentor_tui.config import load_settings, prepare_folders
        from mentor_tui.repository.sqlite_file import connect

        settings = load_settings(environ=env)
        prepare_folders(settings)
        connect(settings.db_path).close()
    done = subprocess.run(
        [sys.executable, "-c", FORM_FIRST], capture_output=True, text=True, timeout=120, check=True, env=env
    )
    return {moment: set(names) for moment, names in json.loads(done.stdout.splitlines()[-1]).items()}


@pytest.mark.parametrize("database", [False, True], ids=["first-run", "existing-database"])
def test_signed_out_the_backend_is_built_when_the_form_is_sent(tmp_path, database):
    modules = modules_at_the_form(tmp_path, database=database)
    for moment in ("form", "drawn"):
        for name in ("pydantic", "mentor_tui.domain.models", "mentor_tui.repository.local", "mentor_tui.repository.demo"):
            assert name not in modules[moment], (moment, name)
        if not database:  # checking an existing file opens it with sqlite3, and no more
            assert "sqlite3" not in modules[moment], moment
        assert heavy(modules[moment]) == []
    assert {"pydantic", "mentor_tui.repository.local"} <= modules["sent"]
