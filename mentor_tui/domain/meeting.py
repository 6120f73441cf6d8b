"""Call rooms for confirmed sessions."""

from __future__ import annotations

import secrets

from .errors import InvalidInput
from .text import normalise, url_error

JITSI = "https://meet.jit.si/"


def new_meeting_link() -> str:
    """A Jitsi room whose name is long and random enough that nobody stumbles into it."""
    return f"{JITSI}mentor-tui-{secrets.token_hex(16)}"


def confirmation_link(given: str | None, room: str | None) -> str:
    """The link a confirmed session gets: the one the mentor typed, else their own room
    (when it is a valid address: an old row may hold anything), else a new Jitsi room.

    A typed link that breaks the URL rule is refused with ``InvalidInput("meeting_link", ...)``.
    """
    link = normalise(given or "")
    if link:
        problem = url_error("meeting_link", link)
        if problem is not None:
            raise InvalidInput("meeting_link", problem)
        return link
    room = normalise(room or "")
    if room and url_error("meeting_url", room) is None:
        return room
    return new_meeting_link()
