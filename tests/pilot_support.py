"""Driving an app under Pilot quickly where the keys and clicks themselves are not under test.

``Pilot.press`` waits for the app to go idle after every key (tens of milliseconds each, far
more on a loaded machine), and ``Pilot.click`` waits before each of its three mouse events.
These helpers send what a terminal sends, at once, and wait once. Tests of typing itself
(limits, bindings that letters must not trigger, composer keys) still press each key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled


async def paste(pilot, text: str) -> None:
    """Put ``text`` into the focused text box as a terminal's paste does: over the selection,
    within the box's limits; fails when no text box has the focus, as typing would have gone
    elsewhere."""
    focused = pilot.app.focused
    assert isinstance(focused, (Input, TextArea)), f"no text box has the focus to type into: {focused!r}"
    # To the app, as the terminal's driver sends it: the app hands it to the focused widget.
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()  # the app has handed it on
    await pilot.pause()  # the text box has taken it, and told its screen


async def click_at(pilot, x: int, y: int) -> None:
    """A left click at screen cell (x, y), as a terminal reports one: button down and up in a
    row (the app makes the Click from them, as it does for a real mouse), then one wait."""
    app = pilot.app
    for event_type in (events.MouseDown, events.MouseUp):
        app.post_message(
            event_type(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
        )
    await pilot.pause()


async def until(pilot, check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Let the app run until ``check()`` holds, however long that takes on a loaded machine;
    fail naming ``what`` after ``timeout`` seconds (a guard against hanging, not a measure)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await pilot.pause()


def _quiet(app) -> bool:
    """Nothing is waiting to happen: no message in any queue of the app, its screens and
    their widgets, and no callback waiting for a screen's refresh (``call_after_refresh``)."""
    for screen in app.screen_stack:
        if screen._callbacks:  # Textual keeps after-refresh callbacks here, with no public view
            return False
        if any(node.message_queue_size for node in screen.walk_children(with_self=True)):
            return False
    return not app.message_queue_size


async def settle(app, pilot, timeout: float = 10.0) -> None:
    """Let the app run until it is quiet: every worker finished and, twice in a row after a
    pause, nothing left to happen (``_quiet``). ``Pilot.pause`` alone cannot tell: it takes a
    process that gets little CPU (a loaded machine) for an idle one and returns early, with a
    chain of messages (a section shown, its pane mounted, its first control focused) half done.

    A worker cancelled on the way counts as finished: an exclusive worker is cancelled when a
    newer one of its group replaces it, and that newer one is waited for in its place. While a
    dialog is open, the worker that opened it waits for its answer; only the dialog's own
    workers are waited for then. A worker that failed still fails the test. Fails after
    ``timeout`` seconds (a guard against hanging, not a measure)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet_rounds = 0
    while quiet_rounds < 2:
        if loop.time() > deadline:
            raise AssertionError(f"the app did not settle within {timeout} s")
        top = app.screen
        modal = isinstance(top, ModalScreen)
        for worker in [w for w in app.workers if not modal or w.node.screen is top]:
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
        quiet_rounds = quiet_rounds + 1 if _quiet(app) else 0


__all__ = ["click_at", "paste", "settle", "until"]
