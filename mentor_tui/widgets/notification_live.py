"""The line above the footer that says live updates have stopped, and how to see changes meanwhile."""

from __future__ import annotations

from textual.widgets import Static

from .plain import plain


class LiveUpdatesNotice(Static):
    """Hidden while live updates work; :meth:`say` shows why they do not."""

    DEFAULT_CSS = """
    LiveUpdatesNotice { height: auto; padding: 0 1; background: $warning-muted; color: $text; }
    LiveUpdatesNotice.-hidden { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-hidden")

    def say(self, sentence: str | None) -> None:
        """Show ``sentence`` (made safe here: it may quote a server), or hide the line for None."""
        self.set_class(sentence is None, "-hidden")
        self.update(plain(sentence or "", 300))


__all__ = ["LiveUpdatesNotice"]
