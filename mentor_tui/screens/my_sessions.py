"""A student's sessions: the upcoming ones and the past ones, with the selected one's detail.

Upcoming and past are the services' definitions (``services.sessions``); the keys are
the session keys every list has (``widgets.session_actions``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..domain.models import Role, SessionView
from ..keymap import key_for
from ..navigation import section_label
from ..services import sessions
from ..widgets.notice import Notice
from ..widgets.session_actions import SessionActions
from ..widgets.session_detail import SessionDetail
from ..widgets.session_table import SessionTable

LISTS = (("upcoming", "Upcoming"), ("past", "Past and cancelled"))


class MySessionsPane(SessionActions):
    def compose(self) -> ComposeResult:
        for name, title in LISTS:
            with Vertical(id=f"{name}-list", classes="session-list"):
                yield Static(title, id=f"{name}-title", classes="list-title")
                yield SessionTable(Role.STUDENT, id=name)
                yield Static(id=f"{name}-empty", classes="list-empty")
        yield SessionDetail(id="session-detail")
        yield Notice(id="sessions-none")

    async def load(self) -> None:
        views = await self.ctx.services.my_sessions()
        await self.load_history()
        by_id = {view.session.id: view for view in views}
        now = self.ctx.clock.now()
        upcoming = [by_id[s.id] for s in sessions.upcoming((v.session for v in views), now)]
        past = [by_id[s.id] for s in sessions.past((v.session for v in views), now)]
        self._show(upcoming, past)

    def _show(self, upcoming: list[SessionView], past: list[SessionView]) -> None:
        mentors, book = section_label(self.ctx.me.role, "mentors"), key_for("new").display
        self.set_class(not upcoming and not past, "-none")
        self.query_one("#sessions-none", Notice).update(
            f"You have no sessions yet.\nFind a mentor under {mentors} and press {book} to book one."
        )
        self.query_one("#upcoming-empty", Static).update(f"Nothing coming up. Book a session under {mentors} with {book}.")
        self.query_one("#past-empty", Static).update("No past sessions yet.")
        times = self.times()
        for name, title in LISTS:
            views = upcoming if name == "upcoming" else past
            self.query_one(f"#{name}", SessionTable).show(views, times)
            self.query_one(f"#{name}-title", Static).update(f"{title} · {len(views)}")
            self.query_one(f"#{name}-list").set_class(not views, "-empty")
        if self._active_table is None or not self.query_one(f"#{self._active_table}", SessionTable).row_count:
            # The list that was loading could not take the focus when the pane was first shown.
            self._active_table = "upcoming" if upcoming or not past else "past"
            if self.screen.focused in self.session_tables():
                self.query_one(f"#{self._active_table}", SessionTable).focus()
        self.selection_changed()


__all__ = ["MySessionsPane"]
