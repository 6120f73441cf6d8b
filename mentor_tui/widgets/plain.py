"""The one way a person's text reaches the screen: plain content, never markup.

Names, subjects, notes, bios, reviews, reasons and links are written by other people
(and rows may come from other clients that never checked them). In Textual a plain
``str`` given to a Static, a Label, a DataTable cell, a border title, an Option or a
Select is parsed as markup, so ``[@click=app.quit]`` would become a live action and
``Mentor [/] Name`` would crash the screen. ``plain`` returns a Rich ``Text`` built
from ``domain.text.displayable``: every one of those sinks shows a ``Text`` as it is,
with control characters made visible and the length bounded for the space it is in.

Sinks that take only a ``str`` (``notify`` with ``markup=False``, the app's sub-title,
log lines) get ``shown``: the same sanitising, as a string.
"""

from __future__ import annotations

from rich.text import Text

from ..domain.text import displayable

NAME = 60
"""Room for a name or a subject inside a sentence, a title or a notification."""
CELL = 40
"""Room for a person's text in a table cell whose column sizes itself."""
LINK = 120
"""Room for a call link shown in a detail or a notification."""


def shown(value: object, limit: int | None = NAME, *, multiline: bool = False) -> str:
    """``value`` as a safe string, for sinks that take only a ``str`` and are told not to parse markup."""
    return displayable(value, limit, multiline=multiline)


def plain(value: object, limit: int | None = None, *, multiline: bool = False, style: str = "") -> Text:
    """``value`` as content that is never parsed as markup: safe characters, at most ``limit`` of them."""
    return Text(displayable(value, limit, multiline=multiline), style=style, end="")


__all__ = ["CELL", "LINK", "NAME", "plain", "shown"]
