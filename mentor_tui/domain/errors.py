"""Typed errors raised by the rules and by every repository.

Screens catch these (re-exported from ``mentor_tui.repository.base``) and turn
them into messages; ``str(error)`` is always a sentence fit to show a person.
"""

from __future__ import annotations

from . import messages


class MentorError(Exception):
    """Base of every error a screen is expected to handle."""

    default_message = messages.SOMETHING_WRONG

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self)


class NotSignedIn(MentorError):
    default_message = messages.SIGN_IN_FIRST


class InvalidCredentials(MentorError):
    default_message = messages.WRONG_CREDENTIALS


class NotAllowed(MentorError):
    default_message = messages.NOT_ALLOWED


class NotFound(MentorError):
    default_message = messages.NOT_FOUND


class SlotTaken(MentorError):
    default_message = messages.SLOT_TAKEN


class BackendUnavailable(MentorError):
    default_message = messages.SERVER_UNREACHABLE


class StorageRefused(MentorError):
    """The local database file cannot be used safely (newer schema, not mentor-tui's,
    a symlink or special file); nothing was written. The message is one line."""

    default_message = messages.DATABASE_REFUSED


class InvalidInput(MentorError):
    """A value a person typed is wrong; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class OutsideAvailability(InvalidInput):
    """The requested time is not inside the mentor's weekly availability."""

    def __init__(self, message: str = messages.OUTSIDE_AVAILABILITY) -> None:
        super().__init__("scheduled_time", message)
