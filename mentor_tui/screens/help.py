"""F1: every key of the app (``keymap.KEYS``), grouped by where it works.

The section keys are named after the signed-in person's sections ("F3 My Sessions");
signed out, they are described in general. It scrolls, so it fits 80x24.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keymap import EVERYWHERE, KEYS, Key, binding
from ..navigation import SECTION_KEYS, items_for
from ..widgets.footer import Footer

KEY_WIDTH = max(len(key.display) for key in KEYS)
"""The key column: as wide as the longest key's name, so none is cut short."""

if TYPE_CHECKING:
    from ..context import AppContext


def key_rows(ctx: AppContext) -> dict[str, list[tuple[str, str]]]:
    """(key, what it does) by where it works, in the keymap's order."""
    me = ctx.services.me
    sections = {key: item.title for key, item in zip(SECTION_KEYS, items_for(me.role))} if me else {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for key in KEYS:
        description = _described(key, sections, signed_in=me is not None)
        if description is not None:
            groups.setdefault(key.where, []).append((key.display, description))
    return groups


def _described(key: Key, sections: dict[str, str], *, signed_in: bool) -> str | None:
    if key.key not in SECTION_KEYS:
        return key.description
    if not signed_in:
        return key.description
    title = sections.get(key.key)
    return f"Go to {title}" if title else None  # this role has fewer sections


class HelpScreen(ModalScreen[None]):
    # Its own, not in the app's stylesheets: F1 works on the sign-in form, whose start
    # parses only what the form needs (``stylesheets``).
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }

    #help-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
    }

    #help-keys {
        height: auto;
        max-height: 100%;
        padding: 0 1;
    }

    .help-group {
        margin-bottom: 1;
    }

    .help-group:last-of-type {
        margin-bottom: 0;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [binding("close", label="Close", show=True)]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            with VerticalScroll(id="help-keys"):
                for where, rows in key_rows(self.ctx).items():
                    yield Static(self._table(where, rows), classes="help-group")
        yield Footer()

    @staticmethod
    def _table(where: str, rows: list[tuple[str, str]]) -> Table:
        heading = "Everywhere" if where == EVERYWHERE else f"In {where}"
        table = Table(title=Text(heading), title_justify="left", title_style="bold", box=None, show_header=False,
                      padding=(0, 1), expand=True)
        table.add_column(style="bold", width=KEY_WIDTH, no_wrap=True)
        table.add_column(ratio=1)
        for key, description in rows:
            table.add_row(Text(key), Text(description))
        return table

    def on_mount(self) -> None:
        # The arrow and page keys scroll the list at once.
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss()


__all__ = ["HelpScreen", "key_rows"]
