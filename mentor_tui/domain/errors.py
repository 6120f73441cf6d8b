"""Typed errors raised by the rules and by every repository.

Screens catch these (re-exported from ``mentor_tui.repository.base``) and turn
them into messages; ``str(error)`` is always a sentence fit to show a person.
"""

from __future__ import annotations


class MentorError(Exception):
    """Base of every error a screen is expected to handle."""

    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self)


class NotSignedIn(MentorError):
    default_message = "Please sign in first."


class InvalidCredentials(MentorError):
    default_message = "Wrong email or password."


class NotAllowed(MentorError):
    default_message = "You are not allowed to do that."


class NotFound(MentorError):
    default_message = "Not found."


class SlotTaken(MentorError):
    default_message = "That time is already taken. Please pick another slot."


class BackendUnavailable(MentorError):
    default_message = "The server cannot be reached. Please try again."


class StorageRefused(MentorError):
    """The local database file cannot be used safely (newer schema, not mentor-tui's,
    a symlink or special file); nothing was written. The message is one line."""

    default_message = "The database file cannot be used."


class InvalidInput(MentorError):
    """A value a person typed is wrong; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class OutsideAvailability(InvalidInput):
    """The requested time is not inside the mentor's weekly availability."""

    def __init__(self, message: str = "The mentor is not available at that time.") -> None:
        super().__init__("scheduled_time", message)
