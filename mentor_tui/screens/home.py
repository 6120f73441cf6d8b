"""The signed-in person's home: one tab per section of their role (see ``navigation``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tabs

from ..keymap import binding
from ..navigation import SECTION_KEYS, NavItem, items_for
from ..widgets.failures import ReportsFailures
from ..widgets.pane import Pane

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.worker import Worker

    from ..context import AppContext

# The tab labels show the section keys, so the footer keeps its room for the pane's own keys.


class HomeScreen(ReportsFailures, Screen[None]):
    BINDINGS = [
        *(binding(f"section({n})") for n in range(1, len(SECTION_KEYS) + 1)),
        binding("sign_out"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.items: tuple[NavItem, ...] = items_for(ctx.me.role)
        self._focus_wanted: TabPane | None = None
        """A section whose first control should get the focus as soon as it can take it."""
        # A section shown by a key or a command (and the first one) gets the focus;
        # one chosen on the tab bar leaves the focus on the tab bar.
        self._focus_next_section = True

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="sections"):
            for item, key in zip(self.items, SECTION_KEYS):
                yield TabPane(f"{key.upper()} {item.title}", id=item.id)
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
        if action == "section":
            (number,) = parameters
            return isinstance(number, int) and 1 <= number <= len(self.items)
        return True

    def action_section(self, number: int) -> None:
        self.show_section(self.items[number - 1].id)

    def action_sign_out(self) -> None:
        self.app.run_action("sign_out")

    @on(TabbedContent.TabActivated, "#sections")
    async def _section_shown(self, event: TabbedContent.TabActivated) -> None:
        """Mount the section's pane the first time it is shown; have it load every time."""
        tab_pane = event.pane
        if not tab_pane.children:
            await tab_pane.mount(self.item(tab_pane.id or "").pane()(self.ctx))
        refresh = getattr(tab_pane.children[0], "refresh_data", None)
        if callable(refresh):
            refresh()
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

    @on(Pane.Loaded)
    def _pane_loaded(self) -> None:
        # A pane that has loaded may now have a control to take the focus.
        if self._focus_wanted is not None:
            self.call_after_refresh(self._settle_focus)

    def watch_focused(self, focused: Widget | None) -> None:
        # A pane that hides its focused control (a table that turned out empty, say)
        # leaves nothing focused; the section's keys should keep working.
        if focused is None and self.is_current:
            sections = self.query_one("#sections", TabbedContent)
            self._want_focus(sections.get_pane(sections.active))
