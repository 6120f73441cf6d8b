"""The mentor's My Students tab: each student's totals, and from a row their sessions and next call."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import AppContext

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from ..domain.models import MentorStudent, SessionStatus, SessionView
from ..widgets.plain import CELL, NAME, plain, shown
from .dashboard_actions import (
    MentorPane,
    SessionActions,
    refill,
    selected_key,
    session_short,
    settle_focus,
    status_text,
)


class StudentsPane(SessionActions, MentorPane):
    DEFAULT_CSS = """
    StudentsPane { padding: 0 1; }
    StudentsPane #students { height: auto; max-height: 45%; }
    StudentsPane #empty { height: 1fr; color: $text-muted; padding: 1 2; }
    StudentsPane #student-title { text-style: bold; margin-top: 1; }
    StudentsPane #student-sessions { height: 1fr; }
    StudentsPane #next-call { color: $text-muted; }
    """
    BINDINGS = [
        Binding("j", "join", "Join next call"),
        Binding("r", "reload", "Refresh"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._students: dict[str, MentorStudent] = {}
        self._sessions: list[SessionView] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="students", cursor_type="row", zebra_stripes=True)
        yield Static(
            "No students yet. Students appear here once you have completed a session with them; "
            "answer requests in Overview or Sessions.",
            id="empty",
        )
        yield Label("", id="student-title")
        yield DataTable(id="student-sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="next-call")

    def on_mount(self) -> None:
        self.query_one("#students", DataTable).add_columns("Student", "Sessions", "Subjects", "Last session")
        self.query_one("#student-sessions", DataTable).add_columns("When", "Subject", "Min", "Status")

    async def _fetch(self) -> tuple[list[MentorStudent], list[SessionView]]:
        return await self.app.ctx.services.mentor_students(), await self.app.ctx.services.my_sessions()

    def _present(self, data: tuple[list[MentorStudent], list[SessionView]]) -> None:
        students, sessions = data
        self._students = {s.student_id: s for s in sorted(students, key=lambda s: s.student_name.casefold())}
        self._sessions = sorted(sessions, key=lambda v: v.session.scheduled_time, reverse=True)
        self._show_students()

    def _show_students(self) -> None:
        zone = self.app.ctx.zone
        table = self.query_one("#students", DataTable)
        refill(
            table,
            (
                (
                    s.student_id,
                    (
                        s.student_name,
                        str(s.total_sessions),
                        ", ".join(shown(subject, CELL) for subject in s.subjects) or "—",
                        f"{s.last_session_date.astimezone(zone):%a %d %b %Y}" if s.last_session_date else "—",
                    ),
                )
                for s in self._students.values()
            ),
        )
        has_students = bool(self._students)
        for widget in self.query("#students, #student-title, #student-sessions, #next-call"):
            widget.display = has_students
        self.query_one("#empty").display = not has_students
        self._show_student()
        settle_focus(self, table)

    @on(DataTable.RowHighlighted, "#students")
    def _show_student(self) -> None:
        self.refresh_bindings()
        student = self._selected_student()
        if student is None:
            return
        zone = self.app.ctx.zone
        self.query_one("#student-title", Label).update(Text("Sessions with ") + plain(student.student_name, NAME))
        refill(
            self.query_one("#student-sessions", DataTable),
            (
                (
                    v.session.id,
                    (
                        session_short(v.session, zone),
                        v.session.subject,
                        str(v.session.duration_minutes),
                        status_text(v.session.status),
                    ),
                )
                for v in self._sessions_of(student)
            ),
        )
        upcoming = self._next_call(student)
        self.query_one("#next-call", Static).update(
            Text(f"Next call: {session_short(upcoming.session, zone)}, ")
            + plain(upcoming.session.subject, NAME)
            + Text(". Press j to join.")
            if upcoming
            else Text("No confirmed session ahead with this student.")
        )

    def _selected_student(self) -> MentorStudent | None:
        key = selected_key(self.query_one("#students", DataTable))
        return self._students.get(key) if key else None

    def _sessions_of(self, student: MentorStudent) -> list[SessionView]:
        return [v for v in self._sessions if v.session.student_id == student.student_id]

    def _next_call(self, student: MentorStudent) -> SessionView | None:
        now = self.app.ctx.clock.now()
        ahead = [
            v
            for v in self._sessions_of(student)
            if v.session.status is SessionStatus.CONFIRMED and not v.session.time_invalid and v.session.end_time > now
        ]
        return min(ahead, key=lambda v: v.session.scheduled_time, default=None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "join":
            student = self._selected_student()
            return student is not None and self._next_call(student) is not None
        return True

    def action_join(self) -> None:
        student = self._selected_student()
        if student and (upcoming := self._next_call(student)):
            self.join(upcoming)
