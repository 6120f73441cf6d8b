"""Arrival alerts: which terminal gets OSC 9 or OSC 777, what is written for hostile text,
and that each switch off writes nothing of its kind (captured where the driver writes)."""

from __future__ import annotations

import re

import pytest
import student_support
from student_support import SIZE, settle, signed_in_app

from mentor_tui.alert_choices import AlertChoices
from mentor_tui.widgets.notification_alerts import announce
from mentor_tui.widgets.notification_terminal import TerminalNotice, notice_kind, notify_terminal, sequence

world, world_template = student_support.world, student_support.world_template  # the fixtures

OSC9, OSC777, NONE = TerminalNotice.OSC9, TerminalNotice.OSC777, TerminalNotice.NONE


@pytest.mark.parametrize(
    ("environ", "kind"),
    [
        ({"TERM_PROGRAM": "iTerm.app", "TERM": "xterm-256color"}, OSC9),
        ({"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}, OSC9),
        ({"TERM_PROGRAM": "ghostty", "TERM": "xterm-ghostty"}, OSC9),
        ({"TERM": "xterm-kitty"}, OSC9),
        ({"TERM": "foot"}, OSC777),
        ({"TERM": "foot-extra"}, OSC777),
        ({"TERM": "rxvt-unicode-256color"}, OSC777),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, OSC777),
        ({"TERM": "xterm-256color"}, NONE),
        ({"TERM_PROGRAM": "Apple_Terminal", "TERM": "xterm-256color"}, NONE),
        ({"TERM_PROGRAM": "vscode", "TERM": "xterm-256color"}, NONE),
        ({"TERM_PROGRAM": "tmux", "TERM": "tmux-256color"}, NONE),
        ({"TERM": "screen-256color", "VTE_VERSION": "7600"}, NONE),  # inside screen, under a VTE terminal
        ({}, NONE),
    ],
)
def test_the_sequence_follows_what_the_terminal_says_it_is(environ, kind):
    assert notice_kind(environ) is kind


def test_the_two_sequences():
    assert sequence(OSC9, "Just now", "Ana confirmed Tue 1 Dec 10:00") == (
        "\x1b]9;mentor-tui: Just now: Ana confirmed Tue 1 Dec 10:00\x07"
    )
    assert sequence(OSC777, "Just now", "Ana confirmed Tue 1 Dec 10:00") == (
        "\x1b]777;notify;mentor-tui: Just now;Ana confirmed Tue 1 Dec 10:00\x07"
    )
    assert sequence(NONE, "Just now", "Ana confirmed") == ""


HOSTILE = "Eve\x07\x1b]52;c;aGVsbG8=\x07; title;x\x9b31m\r\nsecond line\u202e"


@pytest.mark.parametrize("kind", [OSC9, OSC777])
def test_people_text_cannot_end_the_sequence_or_start_another(kind):
    written = sequence(kind, "Just now", f"New message from {HOSTILE}: {HOSTILE}")
    assert written.startswith(("\x1b]9;", "\x1b]777;notify;")) and written.endswith("\x07")
    inner = written[2:-1]
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202e]", inner)  # one sequence: nothing ends it early
    if kind is OSC777:
        assert inner.count(";") == 3  # 777 ; notify ; title ; body: no field added by the text


def test_a_long_text_is_cut():
    assert len(sequence(OSC9, "Just now", "x" * 5000)) < 300


class Captured:
    def __init__(self) -> None:
        self.written: list[str] = []
        self.bells = 0


@pytest.fixture
async def running(world, clock, monkeypatch):
    """An app at home, with what its driver writes and its bells captured."""
    app = await signed_in_app(world, clock, "sam")
    captured = Captured()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app._driver, "write", captured.written.append)

        def bell() -> None:
            captured.bells += 1

        monkeypatch.setattr(app, "bell", bell)
        yield app, pilot, captured


@pytest.mark.parametrize(
    ("choices", "toasts", "bells", "sequences"),
    [
        (AlertChoices(), 1, 1, 1),
        (AlertChoices(toast=False), 0, 1, 1),
        (AlertChoices(bell=False), 1, 0, 1),
        (AlertChoices(terminal=False), 1, 1, 0),
        (AlertChoices(toast=False, bell=False, terminal=False), 0, 0, 0),
    ],
)
async def test_each_switch_off_writes_nothing_of_its_kind(running, choices, toasts, bells, sequences):
    app, pilot, captured = running
    before = len(app._notifications)
    announce(app, "Just now", f"New message from {HOSTILE}", choices, OSC9)
    await pilot.pause()
    assert len(app._notifications) - before == toasts
    assert captured.bells == bells
    assert len([w for w in captured.written if w.startswith("\x1b]9;")]) == sequences
    for toast in list(app._notifications)[before:]:
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", toast.message)  # plain, safe text


async def test_an_unknown_terminal_gets_no_sequence(running):
    app, _, captured = running
    notify_terminal(app, NONE, "Just now", "Ana confirmed")
    assert captured.written == []
