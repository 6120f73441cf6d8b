"""Start-up stays light: heavy modules load only when the chosen backend needs them."""

from __future__ import annotations

import json
import subprocess
import sys

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
