"""Call rooms for confirmed sessions."""

from __future__ import annotations

import secrets

JITSI = "https://meet.jit.si/"


def new_meeting_link() -> str:
    """A Jitsi room whose name is long and random enough that nobody stumbles into it."""
    return f"{JITSI}mentor-tui-{secrets.token_hex(16)}"
