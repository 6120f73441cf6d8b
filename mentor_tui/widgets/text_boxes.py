"""Where letters are typing: a text box with the focus takes them, so no letter key acts there."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input, TextArea

TEXT_BOXES = (Input, TextArea)


def text_box_focused(screen: Screen[object]) -> bool:
    """True while a text box on ``screen`` has the focus: letters are then typing, not actions."""
    return isinstance(screen.focused, TEXT_BOXES)


__all__ = ["TEXT_BOXES", "text_box_focused"]
