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
