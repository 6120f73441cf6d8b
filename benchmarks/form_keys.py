"""CPU per key typed into the sign-in form, against a bare Textual app with one Input.

Each run types the same address into the email field of a headless app (80x24,
``App.run_test``) and divides the process's CPU time by the keys typed; Pilot's own
cost is in both figures alike. It also counts, per key, the screen re-layouts
(``Screen._refresh_layout``) and which widgets asked for one: a key should ask
only for the Input's own (Textual's Input changes its virtual size on each key),
and the form's containers should not make that re-layout any dearer.

    python benchmarks/form_keys.py [--runs N] [--keys N]

It prints every run and the medians: CPU ms per key for each app, their ratio,
and the re-layouts per key.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from textual import messages
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.clock import SystemClock
from mentor_tui.screens.sign_in import SignInScreen

SIZE = (80, 24)
TYPED = "maya.chen@example.org"


class NoOneSignedIn:
    """Storage that is never reached: typing into the form asks no backend."""

    name = "stand-in"

    async def restore(self) -> None:
        return None

    async def close(self) -> None:
        pass


class BareInput(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="email")


class Layouts:
    """Screen re-layouts, and the widgets whose change asked for one."""

    def __init__(self) -> None:
        self.reflows = 0
        self.asked: Counter[str] = Counter()

    @contextmanager
    def counting(self) -> Iterator[None]:
        refresh_layout, on_layout = Screen._refresh_layout, Screen._on_layout
        layouts = self

        def counted_refresh_layout(screen: Screen[object], *args: object, **kwargs: object) -> None:
            layouts.reflows += 1
            refresh_layout(screen, *args, **kwargs)  # type: ignore[arg-type]

        async def counted_on_layout(screen: Screen[object], message: messages.Layout) -> None:
            layouts.asked[type(message.widget).__name__] += 1
            await on_layout(screen, message)

        Screen._refresh_layout = counted_refresh_layout  # type: ignore[method-assign,assignment]
        Screen._on_layout = counted_on_layout  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Screen._refresh_layout = refresh_layout  # type: ignore[method-assign]
            Screen._on_layout = on_layout  # type: ignore[method-assign]


async def type_keys(app: App[None], ready: type[Screen[None]] | None, keys: int) -> tuple[float, Layouts]:
    """CPU seconds per key typed into ``#email`` once ``ready`` (a screen class) shows."""
    text = (TYPED * (keys // len(TYPED) + 1))[:keys]
    layouts = Layouts()
    async with app.run_test(size=SIZE) as pilot:
        while ready is not None and not isinstance(app.screen, ready):
            await pilot.pause()
        app.screen.query_one("#email", Input).focus()
        await pilot.pause()
        with layouts.counting():
            started = time.process_time()
            for char in text:
                await pilot.press(char)
                await pilot.pause()
            spent = time.process_time() - started
    return spent / keys, layouts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each app (default 7)")
    parser.add_argument("--keys", type=int, default=60, help="keys typed per run (default 60)")
    args = parser.parse_args()

    bare: list[float] = []
    form: list[float] = []
    last: Layouts | None = None
    print(f"{'run':>4} {'bare Input':>12} {'sign-in form':>14}")
    for number in range(1, args.runs + 1):
        bare_cpu, _ = asyncio.run(type_keys(BareInput(), None, args.keys))
        form_cpu, last = asyncio.run(
            type_keys(MentorApp(NoOneSignedIn(), SystemClock()), SignInScreen, args.keys)  # type: ignore[arg-type]
        )
        bare.append(bare_cpu)
        form.append(form_cpu)
        print(f"{number:>4} {bare_cpu * 1000:>9.2f} ms {form_cpu * 1000:>11.2f} ms")

    print(f"median CPU per key, bare Input:   {statistics.median(bare) * 1000:.2f} ms")
    print(f"median CPU per key, sign-in form: {statistics.median(form) * 1000:.2f} ms")
    print(f"median ratio, sign-in form / bare Input: {statistics.median(form) / statistics.median(bare):.2f}")
    assert last is not None
    asked = ", ".join(f"{name} {count / args.keys:.1f}" for name, count in last.asked.most_common())
    print(f"sign-in form, per key: {last.reflows / args.keys:.1f} screen re-layouts; asked by {asked}")


if __name__ == "__main__":
    main()
