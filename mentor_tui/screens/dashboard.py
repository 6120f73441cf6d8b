"""The mentor's Overview: the figures of the day, the requests to answer and the next sessions.

The "Requests waiting" and "Next sessions" cards count the lists below them, both made
with the services' definitions (``needs_answer``, ``is_upcoming``, ``reschedule.answerable``),
so card and list agree. A session a student asks to move waits for an answer too: it is
listed with the requests, not with the sessions ahead.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ..domain.models import DashboardStats, Role, SessionView
from ..domain.reschedule import RescheduleStatus
from ..keymap import key_for
from ..navigation import section_label
from ..services import sessions
from ..widgets.session_actions import SessionActions
from ..widgets.session_table import SessionTable
from ..widgets.stat_card import StatCard

NEXT_LIMIT = 8


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class OverviewPane(SessionActions):
    def compose(self) -> ComposeResult:
        with Horizontal(id="cards"):
            yield StatCard("Requests", id="requests")
            yield StatCard("Next", id="next-count")
            yield StatCard("Students", id="students")
            yield StatCard("Done today", id="today")
            yield StatCard("Rating", id="rating")
        yield Static("Requests waiting for you", id="pending-title", classes="list-title")
        yield SessionTable(Role.MENTOR, id="pending")
        yield Static(id="pending-empty", classes="list-empty")
        yield Static("Next sessions", id="next-title", classes="list-title")
        yield SessionTable(Role.MENTOR, id="next")
        yield Static(id="next-empty", classes="list-empty")

    async def load(self) -> None:
        stats = await self.ctx.services.dashboard_stats()
        views = await self.ctx.services.my_sessions()
        await self.load_history()
        self._show(stats, views)

    def _show(self, stats: DashboardStats, views: list[SessionView]) -> None:
        me, now = self.ctx.me.id, self.ctx.clock.now()
        by_id = {view.session.id: view for view in views}
        upcoming = [by_id[s.id] for s in sessions.upcoming((v.session for v in views), now)]
        bookings = [v for v in upcoming if sessions.needs_answer(v.session, me, now)]
        moves = [v for v in upcoming if v not in bookings and self.answerable(v, RescheduleStatus.ACCEPTED) is not None]
        requests = [v for v in upcoming if v in bookings or v in moves]
        ahead = [v for v in upcoming if v not in requests]
        to_complete = sum(1 for v in views if sessions.needs_completion(v.session, me, now))

        self.query_one("#requests", StatCard).show(str(len(requests)), "to answer")
        self.query_one("#next-count", StatCard).show(str(len(ahead)), "ahead of you")
        self.query_one("#students", StatCard).show(str(stats.total_students), "all time")
        times = self.times()
        self.query_one("#today", StatCard).show(str(stats.completed_today), times.day(now.astimezone(self.ctx.zone)))
        if stats.average_rating is None:
            self.query_one("#rating", StatCard).show("—", "no ratings yet")
        else:
            self.query_one("#rating", StatCard).show(
                f"{stats.average_rating:.1f} ★", plural(stats.rating_count, "rating")
            )

        schedule = section_label(Role.MENTOR, "schedule")
        self._fill("pending", requests, f"No requests to answer. Students book your open time: keep it current in {schedule}.")
        shown = ahead[:NEXT_LIMIT]
        self._fill("next", shown, f"No sessions ahead. Answer a request above, or open more time in {schedule}.")
        title = f"Next sessions · {len(ahead)}" if len(ahead) <= NEXT_LIMIT else f"Next {NEXT_LIMIT} of {len(ahead)} sessions"
        if to_complete:
            title += f" · {plural(to_complete, 'past session')} to complete in {section_label(Role.MENTOR, 'sessions')}"
        self.query_one("#next-title", Static).update(title)
        keys = [f"{key_for('confirm').display} confirms"] if bookings else []
        keys += [f"{key_for('accept').display} accepts a move"] if moves else []
        keys += [f"{key_for('decline').display} declines"] if requests else []
        self.query_one("#pending-title", Static).update(
            f"Requests waiting for you · {len(requests)}" + (f"  ({', '.join(keys)})" if keys else "")
        )
        self.settle_focus()
        self.selection_changed()

    def _fill(self, name: str, views: list[SessionView], empty: str) -> None:
        table = self.query_one(f"#{name}", SessionTable)
        table.show(views, self.times())
        table.display = bool(views)
        notice = self.query_one(f"#{name}-empty", Static)
        notice.update(empty)
        notice.display = not views


__all__ = ["OverviewPane"]
