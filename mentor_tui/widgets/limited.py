"""Inputs for person-written fields, held to the field's length from ``domain.text.FIELDS``.

Textual's ``Input(max_length=...)`` drops a whole paste that would go over the limit,
without a word, and ``TextArea`` has no limit at all. Here a paste (or any insert) is
cut to the room left and the person is told, so nothing is lost silently.
"""

from __future__ import annotations

from textual.document._document import Location
from textual.document._edit import EditResult
from textual.widget import Widget
from textual.widgets import Input, TextArea

from ..domain.text import FIELDS, TextField


def _spec(field: str | TextField) -> TextField:
    return FIELDS[field] if isinstance(field, str) else field


def cut_message(kept: int, spec: TextField) -> str:
    if kept == spec.max_length:
        return f"Pasted text was cut to {kept} characters."
    return f"Pasted text was cut to {kept} characters: the {spec.label} holds at most {spec.max_length}."


def _fitted(widget: Widget, spec: TextField, insert: str, room: int) -> str:
    """``insert`` cut to the ``room`` left; a cut paste (more than one character) is said."""
    if len(insert) <= room:
        return insert
    kept = max(room, 0)
    if len(insert) > 1:  # a paste, not one key pressed at the limit
        widget.notify(cut_message(kept, spec), severity="warning", markup=False)
    return insert[:kept]


class LimitedInput(Input):
    """A one-line Input for ``field`` (a name in ``FIELDS``, or a ``TextField`` of its own)."""

    def __init__(self, field: str | TextField, **kwargs: object) -> None:
        self.spec = _spec(field)
        super().__init__(max_length=self.spec.max_length, **kwargs)  # type: ignore[arg-type]

    def replace(self, text: str, start: int, end: int) -> None:
        start, end = sorted((max(0, start), min(len(self.value), end)))
        room = self.spec.max_length - (len(self.value) - (end - start))
        fitted = _fitted(self, self.spec, text, room)
        if fitted or len(text) <= room:  # nothing at all fits: leave the value as it is
            super().replace(fitted, start, end)


class LimitedTextArea(TextArea):
    """A multi-line TextArea for ``field``; every insert (typed, pasted) stops at the limit."""

    def __init__(self, field: str | TextField, **kwargs: object) -> None:
        self.spec = _spec(field)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location) -> EditResult | None:
        # Typing, pasting (terminal paste and ctrl+v) and deleting all come through here.
        removed = len(self.get_text_range(*sorted((start, end))))
        room = self.spec.max_length - (len(self.text) - removed)
        fitted = _fitted(self, self.spec, insert, room)
        if not fitted and len(insert) > room:  # nothing at all fits
            return None
        return super()._replace_via_keyboard(fitted, start, end)


__all__ = ["LimitedInput", "LimitedTextArea", "cut_message"]
