"""Telling a command from a message in the composer, and what /help lists."""

from __future__ import annotations

import pytest

from hostile_text import OSC52
from mentor_tui.domain.chat_commands import COMMANDS, HELP, SCHEDULE, help_lines, message_text, split_command
from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.messages import SCHEDULE_EXAMPLE


@pytest.mark.parametrize(
    ("typed", "command", "args"),
    [
        ("/schedule tomorrow 3pm 45m Python review", SCHEDULE, "tomorrow 3pm 45m Python review"),
        ("  /schedule friday 4pm  \n", SCHEDULE, "friday 4pm"),
        ("/Schedule friday 4pm", SCHEDULE, "friday 4pm"),
        ("/schedule\nfriday 4pm", SCHEDULE, "friday 4pm"),
        ("/schedule", SCHEDULE, ""),
        ("/help", HELP, ""),
        ("/HELP please", HELP, "please"),
    ],
)
def test_commands_and_their_arguments(typed: str, command: object, args: str) -> None:
    assert split_command(typed) == (command, args)


def test_arguments_keep_what_was_typed_between_their_words() -> None:
    # The subject's control characters must reach the parser, which refuses them as a booking does.
    assert split_command("/schedule tomorrow 3pm Py\tthon\x1b[31m") == (SCHEDULE, "tomorrow 3pm Py\tthon\x1b[31m")


@pytest.mark.parametrize("typed", ["hello", "see you at 3pm", " hi /schedule", "", "   ", "a/b"])
def test_text_not_starting_with_a_slash_is_a_message(typed: str) -> None:
    assert split_command(typed) is None
    assert message_text(typed) == typed


@pytest.mark.parametrize(
    ("typed", "sent"),
    [("//shrug", "/shrug"), ("//schedule is a command", "/schedule is a command"), ("  // comment", "/ comment"),
     ("///", "//")],
)
def test_a_double_slash_sends_a_message_starting_with_one(typed: str, sent: str) -> None:
    assert split_command(typed) is None
    assert message_text(typed) == sent


@pytest.mark.parametrize(("typed", "name"), [("/foo", "foo"), ("/sched tomorrow", "sched"), ("/", "")])
def test_an_unknown_command_is_refused_pointing_to_help(typed: str, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        split_command(typed)
    assert caught.value.field == "body"
    assert caught.value.message == (
        f"There is no /{name} command. Type /help to see the commands, or start with // to send a line beginning with /."
    )


def test_an_unknown_command_is_repeated_short_and_without_control_characters() -> None:
    with pytest.raises(InvalidInput) as caught:
        split_command(f"/{OSC52}{'x' * 500} tomorrow")
    message = caught.value.message
    assert "\x1b" not in message and "\x07" not in message
    assert "x" * 30 not in message


def test_help_lists_every_command_with_its_usage_summary_and_example() -> None:
    lines = help_lines()
    for command in COMMANDS:
        assert any(command.usage in line and command.summary in line for line in lines), command.name
    assert any(SCHEDULE_EXAMPLE in line for line in lines)
    assert any(line.startswith("//") for line in lines)


def test_command_names_are_unique_and_what_follows_the_slash() -> None:
    names = [command.name for command in COMMANDS]
    assert len(set(names)) == len(names)
    for command in COMMANDS:
        assert command.usage.startswith(f"/{command.name}")
        assert command.example.startswith(f"/{command.name}")
        assert split_command(command.example) is not None
