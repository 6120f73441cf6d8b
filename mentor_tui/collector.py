"""Python's garbage collector around start-up: off while the first screen is built, and
what start-up made set aside once a section has shown its data.

Start-up makes tens of thousands of objects (modules, classes, styles, the first screen)
that live as long as the app, and next to no garbage (about a thousand objects up to the
sign-in form): each collection meanwhile only walks what is alive, some 13 ms of a
signed-out start (``benchmarks/startup.py``). So the command turns the collector off before
it imports the app (``pause``), and the first screen turns it back on (``resume``) once
drawn (the sign-in form) or once its first load has ended (a section).

A section's first load that succeeds also sets aside all that exists then (``set_aside``,
``gc.freeze``): a full collection would otherwise walk it all again, on the event loop, for
tens of milliseconds at a time once a list of 200 mentors has been shown a few times. Once
per process: the kiosk's fork server freezes what it imported before forking, and objects
frozen are never collected, the cycles among them included.
"""

from __future__ import annotations

import gc


def pause() -> None:
    gc.disable()


def resume() -> None:
    gc.enable()


def set_aside() -> None:
    if not gc.get_freeze_count():
        gc.freeze()


__all__ = ["pause", "resume", "set_aside"]
