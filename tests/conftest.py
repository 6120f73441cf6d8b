"""Shared fixtures: every test gets its own folders and a frozen clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from clocks import FixedClock

# A Tuesday, mid-morning UTC; far from any DST change in Europe or the Americas.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Keep every test away from the real home folder, any real Supabase settings and the screen."""
    for name in ("DATA", "STATE", "CONFIG"):
        folder = tmp_path / name.lower()
        monkeypatch.setenv(f"MENTOR_TUI_{name}_DIR", str(folder))
    for name in ("MENTOR_TUI_BACKEND", "MENTOR_TUI_DB", "SUPABASE_URL", "SUPABASE_ANON_KEY",
                 "SUPABASE_PUBLISHABLE_KEY", "SUPABASE_KEY"):
        monkeypatch.delenv(name, raising=False)
    # No test opens a real browser on the developer's screen (joining a call would).
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)
