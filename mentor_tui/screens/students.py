"""The mentor's My Students: each student's totals, and for the selected one their sessions and next call.

On the students list the call keys (join, copy link) act on that student's next call and
the message key writes to the student; on their sessions list every session key acts on
the selected session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from ..domain.models import MentorStudent, Role, SessionView
from ..keymap import key_for
from ..navigation import section_label
from ..services import sessions
from ..services.sessions import SessionAction
from ..widgets.message_open import Partner
from ..widgets.notice import Notice
from ..widgets.plain import CELL, NAME, plain, shown
from ..widgets.session_actions import SESSION_KEYS, SessionActions
from ..widgets.session_table import SessionTable
from ..widgets.table import Column, FittedTable
from ..widgets.timefmt import TimeFormat

if TYPE_CHECKING:
    from ..context import AppContext

STUDENT_COLUMNS = (
    Column("student", "Student"),
    Column("completed", "Completed", 9, right=True),
    Column("subjects", "Subjects"),
    Column("last", "Last completed", 14),
    Column("no_shows", "No-shows", 8, right=True),
)
"""A student's figures count completed sessions (``MentorStudent``); the list below them shows every session."""
CALL_KEYS = frozenset({SessionAction.JOIN.value, SessionAction.COPY_LINK.value})
"""What the keys do on the students list: the selected student's next call."""


def _cells(student: MentorStudent, times: TimeFormat) -> tuple[str, ...]:
    last = student.last_session_date
    return (
        student.student_name,
        str(student.total_sessions),
        ", ".join(shown(subject, CELL) for subject in student.subjects) or "—",
        times.day(last.astimezone(times.zone).date()) if last else "—",
        str(student.no_shows),
    )


class StudentsPane(SessionActions):
    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._students: dict[str, MentorStudent] = {}
        self._sessions: list[SessionView] = []

    def compose(self) -> ComposeResult:
        yield FittedTable(STUDENT_COLUMNS, id="students")
        yield Notice(id="students-empty")
        yield Static(id="student-title", classes="list-title")
        yield SessionTable(Role.MENTOR, other=False, id="student-sessions")
        yield Static(id="next-call")

    async def load(self) -> None:
        students = await self.ctx.services.mentor_students()
        views = await self.ctx.services.my_sessions()
        await self.load_history()
        self._students = {s.student_id: s for s in sorted(students, key=lambda s: s.student_name.casefold())}
        self._sessions = sorted(views, key=lambda v: (v.session.scheduled_time, v.session.id), reverse=True)
        self._show_students()

    def _show_students(self) -> None:
        times = self.times()
        self.query_one("#students", FittedTable).show_rows(
            (student.student_id, _cells(student, times)) for student in self._students.values()
        )
        has_students = bool(self._students)
        for widget in self.query("#students, #student-title, #student-sessions, #next-call"):
            widget.display = has_students
        empty = self.query_one("#students-empty", Notice)
        empty.display = not has_students
        empty.update(
            "No students yet. A student appears here once you have completed a session with them; answer requests in "
            f"{section_label(Role.MENTOR, 'overview')} or {section_label(Role.MENTOR, 'sessions')}."
        )
        self.settle_focus()
        self._show_student()

    def settle_focus(self) -> None:
        table = self.query_one("#students", FittedTable)
        if table.display and table.row_count:
            self.can_focus = False
            if self.screen.focused is None or self.screen.focused is self:
                table.focus()
        else:
            super().settle_focus()

    @on(DataTable.RowHighlighted, "#students")
    def _show_student(self) -> None:
        student = self.selected_student()
        if student is not None:
            self.query_one("#student-title", Static).update(Text("Sessions with ") + plain(student.student_name, NAME))
            self.query_one("#student-sessions", SessionTable).show(self._sessions_of(student), self.times())
            upcoming = self.next_call(student)
            self.query_one("#next-call", Static).update(
                Text(f"Next call: {self.times().session_when(upcoming.session)}, ")
                + plain(upcoming.session.subject, NAME)
                + Text(f". {key_for('join').display} joins it.")
                if upcoming is not None
                else Text("No confirmed session ahead with this student.")
            )
        self.selection_changed()

    def selected_student(self) -> MentorStudent | None:
        key = self.query_one("#students", FittedTable).selected_key
        return self._students.get(key) if key else None

    def _sessions_of(self, student: MentorStudent) -> list[SessionView]:
        return [v for v in self._sessions if v.session.student_id == student.student_id]

    def next_call(self, student: MentorStudent) -> SessionView | None:
        """The student's soonest upcoming session that has a call to join."""
        now = self.ctx.clock.now()
        ahead = [
            v for v in self._sessions_of(student)
            if sessions.is_upcoming(v.session, now) and SessionAction.JOIN in self.ctx.services.allowed(v.session)
        ]
        return min(ahead, key=lambda v: v.session.scheduled_time, default=None)

    def _on_students(self) -> bool:
        return self._active_table in (None, "students")

    def selected_view(self) -> SessionView | None:
        if self._on_students():
            student = self.selected_student()
            return self.next_call(student) if student is not None else None
        return super().selected_view()

    def message_partner(self) -> Partner | None:
        if self._on_students():
            student = self.selected_student()
            return Partner(student.student_id, student.student_name) if student is not None else None
        return super().message_partner()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SESSION_KEYS and self._on_students() and action not in CALL_KEYS:
            return False
        return super().check_action(action, parameters)


__all__ = ["StudentsPane"]
