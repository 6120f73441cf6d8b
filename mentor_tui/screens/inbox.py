"""F8: the signed-in person's notifications, newest first, each a sentence in their zone.

Opening the inbox marks what it shows as read (the hint line says so); the unread ones
keep their mark while it stays open, so the person sees which were new. Enter on a line
closes the inbox with where the line leads (``services.notifications.Destination``); the
app takes the person there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain import messages
from ..keymap import binding
from ..services.notifications import Destination, destination, sentences
from ..widgets.failures import ReportsFailures
from ..widgets.footer import Footer
from ..widgets.notice import Notice
from ..widgets.notification_alerts import NotificationsRead
from ..widgets.plain import plain
from ..widgets.timefmt import TimeFormat

if TYPE_CHECKING:
    from ..context import AppContext
    from ..domain.models import Notification

UNREAD_MARK = "●"
TIME_WIDTH = len("Wed 30 Nov 10:00")
"""Room for when a notification was made, so the sentences line up (one of another year is wider)."""
LINE_ROOM = 300
"""The most of one sentence a line shows (it wraps inside the box)."""


class InboxScreen(ReportsFailures, ModalScreen[Destination | None]):
    BINDINGS: ClassVar[list[BindingType]] = [binding("close", label="Close", show=True)]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._notes: list[Notification] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="inbox-box") as box:
            box.border_title = messages.INBOX_TITLE
            yield Static(messages.INBOX_HINT, id="inbox-hint", markup=False)
            yield OptionList(id="inbox-list")
            yield Notice(messages.INBOX_EMPTY, id="inbox-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#inbox-empty").display = False
        listing = self.query_one("#inbox-list", OptionList)
        listing.loading = True
        listing.focus()
        self._load()

    def reload(self) -> None:
        """Show what changed elsewhere while open (what arrives is read here, so it is marked read too)."""
        self._load()

    @work(exclusive=True, group="inbox", exit_on_error=False)
    async def _load(self) -> None:
        services = self.ctx.services
        listing = self.query_one("#inbox-list", OptionList)
        try:
            self._notes = await services.notifications()
            # A session's time comes from the reader's own sessions (the notification holds only its id).
            views = await services.my_sessions() if any(note.session_id for note in self._notes) else []
        finally:
            listing.loading = False
        times = TimeFormat(self.ctx.zone, self.ctx.clock.now())
        lines = sentences(self._notes, views, times.session_when)
        kept = listing.highlighted_option.id if listing.highlighted_option is not None else None
        listing.clear_options()
        listing.add_options(
            Option(self._line(note, line, times), id=note.id) for note, line in zip(self._notes, lines, strict=True)
        )
        empty = not self._notes
        listing.display = not empty
        self.query_one("#inbox-empty").display = empty
        if not empty:
            ids = [note.id for note in self._notes]
            listing.highlighted = ids.index(kept) if kept in ids else 0
        unread = [note.id for note in self._notes if note.read_at is None]
        if unread:
            await services.mark_notifications_read(unread)
            self.post_message(NotificationsRead())

    @staticmethod
    def _line(note: Notification, line: str, times: TimeFormat) -> Table:
        """Mark, when it was made, the sentence: a long sentence wraps in its own column."""
        unread = note.read_at is None
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(no_wrap=True, min_width=TIME_WIDTH)
        grid.add_column(ratio=1)
        grid.add_row(
            Text(UNREAD_MARK if unread else "", style="bold"),
            Text(times.when(note.created_at), style="dim"),
            plain(line, LINE_ROOM, style="bold" if unread else ""),
        )
        return grid

    @on(OptionList.OptionSelected, "#inbox-list")
    def _go(self, event: OptionList.OptionSelected) -> None:
        note = next((note for note in self._notes if note.id == event.option.id), None)
        if note is not None:
            self.dismiss(destination(note, self.ctx.me.role))

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["InboxScreen"]
