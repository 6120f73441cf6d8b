"""The footer every screen shows: Textual's, built again only when its keys change.

Textual's ``Footer`` composes itself again whenever the screen's bindings are updated,
which is on every change of focus and every refresh of bindings, most of which leave the
keys it shows as they were. Building it costs a new widget per key, and each new
``FooterKey`` then restyles itself twice: it starts with ``compact`` True and is bound to
the footer's value (False here), so on mount its watcher adds the ``-compact`` class and
the binding removes it, each change re-applying the whole stylesheet to the key. In the
screen tests the footer was a fifth of all the CPU. Here the footer is built again only
for a different set of keys, and a bound key gets the footer's value and class before it
mounts, so it is drawn the same with neither change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey  # not exported; its keys are what is set up here

if TYPE_CHECKING:
    from textual.screen import Screen

Keys = tuple[tuple[object, ...], ...]


def _keys(screen: Screen[object]) -> Keys:
    """Everything about the screen's active bindings that the footer draws."""
    return tuple(
        (key, binding, enabled, tooltip) for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
    )


class Footer(TextualFooter):
    def __init__(self) -> None:
        super().__init__()
        self._drawn: Keys | None = None
        """The keys the footer was last built for (None: not built yet)."""

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._drawn = _keys(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and "compact" in (widget._reactive_connect or {}):
                # Set without watchers: the binding's first update then changes nothing.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        # Textual asks for this after every update of the screen's bindings, often twice for
        # one change of focus.
        if self._drawn is not None and self.is_attached and _keys(self.screen) == self._drawn:
            return
        await super().recompose()
