"""A search box whose ↓ key moves on to the results under it."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from ..domain.text import SHORT_INPUT_MAX


class SearchField(Input):
    # Input scrolls on ↑↓ (it is a ScrollView); a one-line search box has nothing to scroll.
    BINDINGS = [Binding("down", "to_results", "To the results", show=False)]

    def __init__(self, *, results: str, **kwargs) -> None:
        super().__init__(max_length=SHORT_INPUT_MAX, **kwargs)
        self.results = results
        """Selector of the widget ↓ focuses."""

    def action_to_results(self) -> None:
        self.screen.query_one(self.results).focus()
