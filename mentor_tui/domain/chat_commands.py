"""Commands typed in a conversation's composer: ``/schedule ...``, ``/help``.

A line starting with ``/`` is a command; one starting with ``//`` is a message that
starts with a slash, sent with the first slash removed (``message_text``), so
``//shrug`` sends "/shrug" and ``// comments`` sends "/ comments".
"""

from __future__ import annotations

from dataclasses import dataclass

from . import messages, text
from .errors import InvalidInput

PREFIX = "/"
COMMAND_FIELD = "body"
"""The composer's field, named as the message column is."""
NAME_SHOWN_MAX = 30
"""How much of an unknown command's name a refusal repeats."""


@dataclass(frozen=True)
class ChatCommand:
    name: str
    """What follows the slash: "schedule"."""
    usage: str
    summary: str
    """One line for /help."""
    example: str


SCHEDULE = ChatCommand(
    name="schedule",
    usage="/schedule <when> [duration] [subject]",
    summary="Ask for a session at the time you name; a preview shows it before it is sent.",
    example=messages.SCHEDULE_EXAMPLE,
)
HELP = ChatCommand(
    name="help",
    usage="/help",
    summary="List the commands.",
    example="/help",
)
COMMANDS: tuple[ChatCommand, ...] = (SCHEDULE, HELP)
_BY_NAME = {command.name: command for command in COMMANDS}


def split_command(value: str) -> tuple[ChatCommand, str] | None:
    """The command ``value`` gives and the text after its name, or None for a plain message.

    Leading and trailing whitespace is ignored, and the name's case ("/Schedule").
    ``//...`` is not a command (see ``message_text``). An unknown ``/name`` raises
    ``InvalidInput`` rather than being sent: a mistyped command is not a message.
    """
    stripped = value.strip()
    if not stripped.startswith(PREFIX) or stripped.startswith(PREFIX * 2):
        return None
    # Any whitespace ends the name ("/schedule\ntomorrow 3pm"); the rest is kept as typed.
    head, *args = stripped[len(PREFIX) :].split(maxsplit=1) or [""]
    command = _BY_NAME.get(head.casefold())
    if command is None:
        raise InvalidInput(COMMAND_FIELD, messages.unknown_command(text.displayable(head, NAME_SHOWN_MAX)))
    return command, args[0] if args else ""


def message_text(value: str) -> str:
    """What to send for ``value`` that ``split_command`` found not to be a command."""
    stripped = value.strip()
    return stripped[len(PREFIX) :] if stripped.startswith(PREFIX * 2) else value


def help_lines() -> list[str]:
    """What /help shows: each command with its use and an example, then how to send a slash."""
    lines: list[str] = []
    for command in COMMANDS:
        lines.append(f"{command.usage}  {command.summary}")
        if command.example != command.usage:
            lines.append(f"    e.g. {command.example}")
    lines.append(f"{PREFIX * 2}text  Send a message that starts with {PREFIX}: //shrug sends /shrug.")
    return lines
