"""A small bordered card: one figure, what it counts, and an optional note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label


class StatCard(Widget):
    DEFAULT_CSS = """
    StatCard {
        width: 1fr;
        height: 4;
        border: round $primary;
        border-title-color: $text-muted;
        padding: 0 1;
    }
    StatCard .value { text-style: bold; color: $accent; width: 1fr; }
    StatCard .note { color: $text-muted; width: 1fr; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title

    def compose(self) -> ComposeResult:
        yield Label("…", classes="value")
        yield Label("", classes="note")

    def show(self, value: str, note: str = "") -> None:
        self.query_one(".value", Label).update(value)
        self.query_one(".note", Label).update(note)
