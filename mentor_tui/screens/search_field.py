"""A search box that hands over to its results: ↓ and Esc (leave the search box) move there."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from ..domain.text import SHORT_INPUT_MAX
from ..keymap import binding


class SearchField(Input):
    # Input scrolls on ↑↓ (it is a ScrollView); a one-line search box has nothing to scroll.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "To the results", show=False),
        binding("close", label="Leave search"),
    ]

    def __init__(self, *, results: str, placeholder: str, id: str, compact: bool = False) -> None:
        super().__init__(max_length=SHORT_INPUT_MAX, placeholder=placeholder, id=id, compact=compact)
        self.results = results
        """Selector of the widget ↓ and Esc focus."""

    def action_to_results(self) -> None:
        self.screen.query_one(self.results).focus()

    def action_close(self) -> None:
        self.action_to_results()
