"""The mentor's Overview tab: today's figures, the next sessions and the requests to answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import AppContext

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Label, Static

from ..domain.models import DashboardStats, SessionStatus, SessionView
from ..widgets.stat_card import StatCard
from .dashboard_actions import (
    MentorPane,
    SessionActions,
    refill,
    selected_key,
    session_short,
    settle_focus,
)
from .dashboard_sessions import SessionsPane

NEXT_LIMIT = 8


class OverviewPane(SessionActions, MentorPane):
    DEFAULT_CSS = """
    OverviewPane { padding: 0 1; }
    OverviewPane #cards { height: 4; }
    OverviewPane .section { text-style: bold; margin-top: 1; }
    OverviewPane DataTable { height: auto; max-height: 7; }
    OverviewPane #next { max-height: 100%; }
    OverviewPane .empty { color: $text-muted; padding-left: 2; }
    """
    BINDINGS = [
        Binding("c", "confirm", "Confirm"),
        Binding("d", "decline", "Decline"),
        Binding("j", "join", "Join call"),
        Binding("r", "reload", "Refresh"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._sessions: dict[str, SessionView] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="cards"):
            yield StatCard("Students", id="students")
            yield StatCard("Upcoming", id="upcoming")
            yield StatCard("Done today", id="today")
            yield StatCard("Rating", id="rating")
        yield Label("Requests waiting for you", classes="section")
        yield DataTable(id="pending", cursor_type="row", zebra_stripes=True)
        yield Static(
            "No requests to answer. Students book inside your weekly availability: keep it current in Schedule.",
            id="pending-empty",
            classes="empty",
        )
        yield Label("Next sessions", id="next-title", classes="section")
        yield DataTable(id="next", cursor_type="row", zebra_stripes=True)
        yield Static(
            "No confirmed sessions ahead. Confirm a request above, or open more time in Schedule.",
            id="next-empty",
            classes="empty",
        )

    def on_mount(self) -> None:
        self.query_one("#next", DataTable).add_columns("When", "Student", "Subject", "Min")
        self.query_one("#pending", DataTable).add_columns("Requested for", "Student", "Subject", "Min")

    async def _fetch(self) -> tuple[DashboardStats, list[SessionView]]:
        return await self.app.ctx.services.dashboard_stats(), await self.app.ctx.services.my_sessions()

    def _present(self, data: tuple[DashboardStats, list[SessionView]]) -> None:
        stats, sessions = data
        self._show_stats(stats)
        self._show_sessions(sessions)

    def _show_stats(self, stats: DashboardStats) -> None:
        zone = self.app.ctx.zone
        today = self.app.ctx.clock.now().astimezone(zone)
        self.query_one("#students", StatCard).show(str(stats.total_students), "all time")
        self.query_one("#upcoming", StatCard).show(str(stats.upcoming_sessions), "ahead of you")
        self.query_one("#today", StatCard).show(str(stats.completed_today), f"{today:%a %d %b}")
        if stats.average_rating is None:
            self.query_one("#rating", StatCard).show("—", "no ratings yet")
        else:
            rating = f"{stats.average_rating:.1f} ★"
            count = stats.rating_count
            self.query_one("#rating", StatCard).show(rating, f"{count} rating{'' if count == 1 else 's'}")

    def _show_sessions(self, sessions: list[SessionView]) -> None:
        now = self.app.ctx.clock.now()
        self._sessions = {view.session.id: view for view in sessions}
        upcoming = sorted(
            (v for v in sessions if v.session.status is SessionStatus.CONFIRMED and v.session.end_time > now),
            key=lambda v: v.session.scheduled_time,
        )[:NEXT_LIMIT]
        pending = sorted(
            (v for v in sessions if v.session.status is SessionStatus.PENDING),
            key=lambda v: v.session.scheduled_time,
        )
        self._fill("next", upcoming, now)
        # Sessions that are over but still confirmed wait for the mentor's feedback.
        ended = sum(1 for v in sessions if v.session.status is SessionStatus.CONFIRMED and v.session.end_time <= now)
        self.query_one("#next-title", Label).update(
            "Next sessions"
            + (f"   [dim]{ended} past session{'s' if ended > 1 else ''} to complete in Sessions[/]" if ended else "")
        )
        self._fill("pending", pending, now)
        settle_focus(self, self.query_one("#pending"), self.query_one("#next"))
        self.refresh_bindings()

    def _fill(self, name: str, views: list[SessionView], now: datetime) -> None:
        table = self.query_one(f"#{name}", DataTable)
        refill(
            table,
            (
                (v.session.id, (self._when(v, now), v.student_name, v.session.subject, str(v.session.duration_minutes)))
                for v in views
            ),
        )
        table.display = bool(views)
        self.query_one(f"#{name}-empty").display = not views

    def _when(self, view: SessionView, now: datetime) -> str:
        zone = self.app.ctx.zone
        session = view.session
        if not session.time_invalid and session.scheduled_time <= now < session.end_time:
            return f"Now, until {session.end_time.astimezone(zone):%H:%M}"
        return session_short(session, zone)

    def _selected(self, name: str) -> SessionView | None:
        """The session under the cursor of list ``name``; none for one whose time is invalid, as nothing applies to it."""
        key = selected_key(self.query_one(f"#{name}", DataTable))
        view = self._sessions.get(key) if key else None
        return None if view is None or view.session.time_invalid else view

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "decline"):
            return self._selected("pending") is not None
        if action == "join":
            return self._selected("next") is not None
        return True

    def action_confirm(self) -> None:
        if view := self._selected("pending"):
            self.confirm(view)

    def action_decline(self) -> None:
        if view := self._selected("pending"):
            self.decline(view)

    def action_join(self) -> None:
        if view := self._selected("next"):
            self.join(view)


__all__ = ["OverviewPane", "SessionsPane"]
