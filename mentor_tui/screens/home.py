"""The signed-in person's home: one tab per section of their role (see ``navigation``).

Leaving a section that holds unsaved work asks first, whichever way it is left (a
section key, the tab bar, the palette). Esc in a search box goes back to the
section's list. A mentor whose profile students cannot book yet starts in Settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Header,
    Input,
    ListView,
    OptionList,
    TabbedContent,
    TabPane,
    Tabs,
    Tree,
)

from .. import stylesheets
from ..keymap import binding
from ..navigation import SECTION_KEYS, NavItem, items_for
from ..services.profiles import missing_for_booking, missing_sentence
from ..widgets.failures import ReportsFailures
from ..widgets.footer import Footer
from ..widgets.message_open import OpenConversation, OpensConversations, Partner
from ..widgets.notification_live import LiveUpdatesNotice
from ..widgets.pane import Pane
from ..widgets.session_table import SessionTable
from ..widgets.unsaved import DiscardQuestion, unsaved_in

if TYPE_CHECKING:
    from textual.widget import Widget

    from ..context import AppContext
    from ..services.notifications import Destination

# The tab labels show the section keys, so the footer keeps its room for the pane's own keys.

LISTS = (DataTable, OptionList, ListView, Tree)
"""What Esc in a search box goes back to: the section's list."""


class Sections(TabbedContent):
    """The section tabs, ignoring a pane's news that something in it took the focus once the
    focus has moved on: that news arrives a few messages late, and a section key pressed
    meanwhile would otherwise be undone by it (TabbedContent switches to the pane it names)."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors:
            event.prevent_default()
            event.stop()


class HomeScreen(ReportsFailures, Screen[None]):
    CSS_PATH = stylesheets.HOME
    BINDINGS: ClassVar[list[BindingType]] = [
        *(binding(f"section({n})") for n in range(1, len(SECTION_KEYS) + 1)),
        binding("sign_out"),
        # Not a priority: a dialog, or a pane with its own use for Esc, handles it first.
        binding("close", label="Back to the list"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.items: tuple[NavItem, ...] = items_for(ctx.me.role)
        self._missing = missing_for_booking(ctx.me)
        """What a mentor's profile lacks before students can book it; they start in Settings until it is done."""
        self._focus_wanted: TabPane | None = None
        """A section whose first control should get the focus as soon as it can take it."""
        # A section shown by a key or a command (and the first one) gets the focus;
        # one chosen on the tab bar leaves the focus on the tab bar.
        self._focus_next_section = True
        self._shown: str | None = None
        """The section whose pane is showing (the tab bar may be a step ahead while we ask)."""
        self._leave_anyway = False
        """Set while leaving a section whose unsaved work the person chose to discard."""
        self._last_focus: Widget | None = None
        """Where the focus was in the shown section, to go back to after "Keep editing"."""
        self._session_wanted: str | None = None
        """A session (from the inbox) to put the cursor on once its section has loaded."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Sections(id="sections", initial="settings" if self._missing else ""):
            for item, key in zip(self.items, SECTION_KEYS):
                yield TabPane(f"{key.upper()} {item.title}", id=item.id)
        yield LiveUpdatesNotice(id="live-notice")
        yield Footer()

    def on_mount(self) -> None:
        if self._missing:
            self.notify(missing_sentence(self._missing), title="Your profile", severity="warning", markup=False)

    def item(self, section_id: str) -> NavItem:
        return next(item for item in self.items if item.id == section_id)

    def action_title(self, action: str) -> str | None:
        """The palette names a section key after its section ("Go to Schedule")."""
        for number, item in enumerate(self.items, 1):
            if action == f"section({number})":
                return f"Go to {item.title}"
        return None

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
        if action == "close":
            return self._list_behind_search_box() is not None
        return True

    def action_section(self, number: int) -> None:
        self.show_section(self.items[number - 1].id)

    async def action_sign_out(self) -> None:
        await self.app.run_action("sign_out")

    def action_close(self) -> None:
        target = self._list_behind_search_box()
        if target is not None:
            self.set_focus(target)

    def _list_behind_search_box(self) -> Widget | None:
        """The list of the section whose search box (a text box) has the focus, if it has one."""
        from ..widgets.text_boxes import TEXT_BOXES  # TextArea: not before the first section shows

        focused = self.focused
        if not isinstance(focused, TEXT_BOXES):
            return None
        tab_pane = next((node for node in focused.ancestors if isinstance(node, TabPane)), None)
        if tab_pane is None:
            return None
        focusable = set(self.focus_chain)
        return next((widget for widget in tab_pane.query("*") if isinstance(widget, LISTS) and widget in focusable), None)

    @on(TabbedContent.TabActivated, "#sections")
    async def _section_shown(self, event: TabbedContent.TabActivated) -> None:
        """Mount the section's pane the first time it is shown; have it load every time."""
        tab_pane = event.pane
        if tab_pane.id == self._shown:
            return  # put back while asking about unsaved work: it keeps what it shows
        if self._ask_before_leaving(tab_pane.id or ""):
            return
        self._shown = tab_pane.id
        self._last_focus = None
        if not tab_pane.children:
            await tab_pane.mount(self.item(tab_pane.id or "").pane()(self.ctx))
        pane = tab_pane.children[0]
        if isinstance(pane, Pane):
            pane.refresh_data()
        if self._focus_next_section or self.focused is None:
            self._want_focus(tab_pane)
        else:
            self._focus_wanted = None
        self._focus_next_section = False

    def _ask_before_leaving(self, section_id: str) -> bool:
        """When the shown section holds unsaved work, stay on it and ask; True when asking."""
        sections = self.query_one("#sections", TabbedContent)
        holders = unsaved_in(sections.get_pane(self._shown)) if self._shown else []
        if self._leave_anyway or not holders:
            self._leave_anyway = False
            return False
        sections.active = self._shown or ""

        def answered(discard: bool | None) -> None:
            if discard:
                self._leave_anyway = True
                self.show_section(section_id)
            elif self._last_focus is not None and self._last_focus.is_attached:
                self._refocus(self._last_focus)
            else:
                self._want_focus(sections.get_pane(self._shown or ""))

        self.app.push_screen(DiscardQuestion(holders, "Discard and leave"), answered)
        return True

    def _refocus(self, widget: Widget) -> None:
        """Focus ``widget`` again as it was left: an Input would select all it holds, and the next key replace it."""
        selection = widget.selection if isinstance(widget, Input) else None
        self.set_focus(widget)
        if isinstance(widget, Input) and selection is not None:
            self.call_after_refresh(setattr, widget, "selection", selection)

    def _want_focus(self, tab_pane: TabPane) -> None:
        self._focus_wanted = tab_pane
        self.call_after_refresh(self._settle_focus)

    def _settle_focus(self) -> None:
        """Focus the wanted section's first control (in the pane's order), so its keys work at once.

        Until it has one that can take the focus (its controls may be loading),
        the tab bar holds the focus and the pane's next load tries again.
        """
        tab_pane, focused = self._focus_wanted, self.focused
        # ``active`` changes at once when a key picks another section; the old pane is hidden
        # only later, and focusing inside it meanwhile would make TabbedContent switch back.
        chosen = self.query_one("#sections", TabbedContent).active
        if (
            tab_pane is None
            or tab_pane.id != chosen
            or tab_pane.display is False
            or not (focused is None or isinstance(focused, Tabs))
        ):
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

    @on(OpenConversation)
    async def _open_conversation(self, event: OpenConversation) -> None:
        """A section's message key: Messages, on the conversation with the person it names."""
        tab_pane = self.query_one("#sections", TabbedContent).get_pane("messages")
        if not tab_pane.children:
            await tab_pane.mount(self.item("messages").pane()(self.ctx))
        pane = tab_pane.children[0]
        if isinstance(pane, OpensConversations):
            pane.open_conversation(event.partner)
        self.show_section("messages")

    def go_to(self, destination: Destination) -> None:
        """Where an inbox line leads: a conversation, or a session in its section."""
        if destination.partner_id is not None:
            self.post_message(OpenConversation(Partner(destination.partner_id, destination.partner_name)))
            return
        self._session_wanted = destination.session_id
        loaded = self._shown == destination.section  # showing already: no load will follow
        self.show_section(destination.section)
        self.call_after_refresh(self._select_wanted_session, last_try=loaded)

    def _select_wanted_session(self, *, last_try: bool = False) -> None:
        """Put the cursor on the wanted session in the shown section, if a table there lists it;
        ``last_try`` (after the section loaded) gives up on one it does not list (a filter hides it)."""
        wanted = self._session_wanted
        if last_try:
            self._session_wanted = None
        if wanted is None or not self._shown:
            return
        tab_pane = self.query_one("#sections", TabbedContent).get_pane(self._shown)
        for table in tab_pane.query(SessionTable):
            if wanted in table.rows:
                self._session_wanted = None
                table.move_cursor(row=table.get_row_index(wanted))
                self.set_focus(table)
                return

    @on(Pane.Loaded)
    def _pane_loaded(self) -> None:
        # A pane that has loaded may now have a control to take the focus.
        if self._focus_wanted is not None:
            self.call_after_refresh(self._settle_focus)
        if self._session_wanted is not None:
            self.call_after_refresh(self._select_wanted_session, last_try=True)

    def watch_focused(self, focused: Widget | None) -> None:
        if focused is not None:
            shown = self.query_one("#sections", TabbedContent).get_pane(self._shown) if self._shown else None
            if shown is not None and shown in focused.ancestors:
                self._last_focus = focused
        elif self.is_current:
            # A pane that hides its focused control (a table that turned out empty, say)
            # leaves nothing focused; the section's keys should keep working.
            sections = self.query_one("#sections", TabbedContent)
            self._want_focus(sections.get_pane(sections.active))
