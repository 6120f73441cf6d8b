"""The signed-in person's home: one tab per section of their role (see ``navigation``)."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tabs

from ..navigation import NAVIGATION, NavItem, build_pane, items_for

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.worker import Worker

    from ..app import MentorApp
    from ..domain.models import Role

# One binding per key any role uses; ``check_action`` drops those the current role lacks.
# The tab labels show the keys, so the footer keeps its room for the pane's own keys.
_SECTION_KEYS = sorted({item.key for items in NAVIGATION.values() for item in items})


class HomeScreen(Screen[None]):
    BINDINGS = [
        *(Binding(key, f"section_key('{key}')", show=False) for key in _SECTION_KEYS),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    app: MentorApp

    def __init__(self, role: Role | str) -> None:
        super().__init__()
        self.items: tuple[NavItem, ...] = items_for(role)
        self._focus_wanted: TabPane | None = None
        """A section whose first control should get the focus as soon as it can take it."""
        # A section shown by a key or a command (and the first one) gets the focus;
        # one chosen on the tab bar leaves the focus on the tab bar.
        self._focus_next_section = True

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="sections"):
            for item in self.items:
                yield TabPane(f"{item.key.upper()} {item.title}", id=item.id)
        yield Footer()

    def item(self, section_id: str) -> NavItem:
        return next(item for item in self.items if item.id == section_id)

    def show_section(self, section_id: str) -> None:
        sections = self.query_one("#sections", TabbedContent)
        # Take the focus out of the section being hidden first: Textual would pass it to
        # a neighbour in that section, and TabbedContent would switch straight back to it.
        self.set_focus(self.query_one(Tabs))
        if sections.active == section_id:
            self._want_focus(sections.get_pane(section_id))
        else:
            self._focus_next_section = True
            sections.active = section_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "section_key":
            return any(item.key == parameters[0] for item in self.items)
        return True

    def action_section_key(self, key: str) -> None:
        self.show_section(next(item.id for item in self.items if item.key == key))

    @on(TabbedContent.TabActivated, "#sections")
    async def _section_shown(self, event: TabbedContent.TabActivated) -> None:
        """Mount the section's pane the first time it is shown; have it load every time."""
        tab_pane = event.pane
        if not tab_pane.children:
            await tab_pane.mount(build_pane(self.item(tab_pane.id or "")))
        refresh = getattr(tab_pane.children[0], "refresh_data", None)
        if callable(refresh):
            result = refresh()
            if inspect.isawaitable(result):
                await result
        if self._focus_next_section or self.focused is None:
            self._want_focus(tab_pane)
        else:
            self._focus_wanted = None
        self._focus_next_section = False

    def _want_focus(self, tab_pane: TabPane) -> None:
        self._focus_wanted = tab_pane
        self.call_after_refresh(self._settle_focus)

    def _settle_focus(self) -> None:
        """Focus the wanted section's first control (in the pane's order), so its keys work at once.

        Until it has one that can take the focus (its controls may be loading),
        the tab bar holds the focus and the next finished worker tries again.
        """
        tab_pane, focused = self._focus_wanted, self.focused
        if tab_pane is None or tab_pane.display is False or not (focused is None or isinstance(focused, Tabs)):
            self._focus_wanted = None  # shown elsewhere, or the person has moved on
            return
        # The pane's own order decides (the focus chain follows the layout, which may not be done yet).
        focusable = set(self.focus_chain)
        target = next((widget for widget in tab_pane.query("*") if widget in focusable), None)
        if target is None:
            self.set_focus(self.query_one(Tabs))
        else:
            self._focus_wanted = None
            self.set_focus(target)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self._focus_wanted is not None and event.worker.is_finished:
            self.call_after_refresh(self._settle_focus)

    def watch_focused(self, focused: Widget | None) -> None:
        # A pane that hides its focused control (a table that turned out empty, say)
        # leaves nothing focused; the section's keys should keep working.
        if focused is None and self.is_current:
            sections = self.query_one("#sections", TabbedContent)
            self._want_focus(sections.get_pane(sections.active))
