"""Shared fixtures: every test gets its own folders and a frozen clock."""

from __future__ import annotations

import gc
from datetime import datetime, timezone

import pytest
import textual._wait
import textual.constants

from clocks import FixedClock
from mentor_tui.repository import local

# A Tuesday, mid-morning UTC; far from any DST change in Europe or the Americas.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)

# Pilot waits for the app to go idle after every key and in every pause: it sleeps in slices and
# stops at the first slice in which the process used under 5 % of the CPU. Textual's slice is
# 20 ms, so a test spent most of its time asleep after the app had finished; a 5 ms slice with
# the same 5 % bar sees the same idleness four times sooner. Tests that wait for something slower
# than a slice (workers, timers, another process) wait on that condition, not on idleness
# (settle, pilot_support.until).
textual._wait.SLEEP_GRANULARITY = 1 / 200
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20

# No animation: a snapshot taken while a tab's underline still slides to a new section (on a
# busy machine, after the app has otherwise settled) would differ from one taken after it.
# Every app a test builds reads this when it is made (App.animation_level).
textual.constants.TEXTUAL_ANIMATIONS = "none"  # type: ignore[misc]

# A test worker runs hundreds of apps, each leaving a large graph of cycles behind; with the
# default thresholds the collector ran a full collection over all of it about once per screen
# test (a third of the CPU of the screen tests). Collecting young objects less often promotes
# fewer of them, and full collections become rare; the garbage still goes within a few tests.
gc.set_threshold(10_000, 10, 10)

# Every screen test signs someone in, and the shared worlds sign many people up: at full cost
# (about 50 ms a hash) scrypt took a twentieth of the screen tests' time. Same function and format,
# cheaper cost factor, set before any fixture hashes so the worlds built once per run agree
# with the tests that sign into them. Apps started in another process (kiosk, terminal tests)
# hash at full cost on databases of their own, or restore a remembered sign-in.
local.SCRYPT_PARAMETERS["n"] = 2**4


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
