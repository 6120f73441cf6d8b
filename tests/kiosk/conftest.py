"""A kiosk on a free loopback port, running the real app against a database of the test's own."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

from mentor_tui.kiosk.limits import Limits
from mentor_tui.kiosk.server import Kiosk, KioskConfig

NEW_ACCOUNT = "\x0e"  # ctrl+n: the sign-in screen's "Create an account"


def app_argv(tmp_path: Path) -> list[str]:
    return [sys.executable, "-m", "mentor_tui", "--db", str(tmp_path / "kiosk.db")]


def reporting_app(folder: Path) -> list[str]:
    """An app that writes what its process was given to ``folder`` (see session_report.py)."""
    folder.mkdir(exist_ok=True)
    return [sys.executable, "-m", "tests.kiosk.session_report", str(folder)]


async def reported(folder: Path, pid: int) -> dict:
    """What the reporting app with ``pid`` was given."""
    path = folder / f"{pid}.json"
    await eventually(path.exists, f"session {pid} reported")
    return json.loads(path.read_text())


@pytest.fixture
async def start_kiosk(tmp_path):
    """``await start_kiosk(allow_guests=True, idle_timeout=2, ...)``: options and limits by name;
    ``app`` replaces the command each connection runs."""
    kiosks: list[Kiosk] = []

    async def start(
        *, allow_guests: bool = False, authorized_keys: Path | None = None, app: list[str] | None = None,
        **limits: float,
    ) -> Kiosk:
        limits.setdefault("shutdown_grace", 0.5)
        kiosk = Kiosk(
            KioskConfig(
                state_root=tmp_path / "kiosk-state",
                app_argv=app or app_argv(tmp_path),
                port=0,
                allow_guests=allow_guests,
                authorized_keys=authorized_keys,
                limits=Limits(**limits),
            )
        )
        await kiosk.start()
        kiosks.append(kiosk)
        return kiosk

    yield start
    for kiosk in kiosks:
        await kiosk.shutdown()


@pytest.fixture
def new_key() -> Callable[[], asyncssh.SSHKey]:
    return lambda: asyncssh.generate_private_key("ssh-ed25519")


async def eventually(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Poll ``check`` until it holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


def alive(pid: int) -> bool:
    """Running, or dead but not reaped: either way, still there."""
    return Path(f"/proc/{pid}").exists()
