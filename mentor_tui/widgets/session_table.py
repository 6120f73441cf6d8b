"""The one list of sessions, for both roles: when, the other party, subject, minutes, (for a
student) the estimated cost, and the status badge. Columns fit the table's width; the
cursor stays on its session across reloads."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..domain.models import Role, SessionView
from ..domain.money import estimate_cost, format_money
from .status import status_badge
from .table import Column, FittedTable
from .timefmt import TimeFormat


def session_columns(viewer: Role | str, *, other: bool = True) -> tuple[Column, ...]:
    """The columns a ``viewer`` sees: the other party's name (unless every row has the same one),
    and the cost only for a student."""
    student = str(viewer) == Role.STUDENT
    return (
        Column("when", "When", 16),
        *((Column("other", "Mentor" if student else "Student"),) if other else ()),
        Column("subject", "Subject"),
        Column("minutes", "Min", 3, right=True),
        *((Column("cost", "Cost", 8, right=True),) if student else ()),
        Column("status", "Status", 11),
    )


def session_cells(view: SessionView, viewer: Role | str, times: TimeFormat, *, other: bool = True
                  ) -> list[str | Text]:
    session = view.session
    student = str(viewer) == Role.STUDENT
    cells: list[str | Text] = [times.session_when(session)]
    if other:
        cells.append(view.mentor_name if student else view.student_name)
    cells += [session.subject, str(session.duration_minutes)]
    if student:
        rate = view.hourly_rate
        cells.append(format_money(None if rate is None else estimate_cost(rate, session.duration_minutes)))
    cells.append(status_badge(session))
    return cells


class SessionTable(FittedTable):
    """Sessions as ``viewer`` sees them; :meth:`show` fills it, :attr:`selected` is the one under the cursor."""

    DEFAULT_CSS = """
    SessionTable { height: 1fr; min-height: 3; }
    """

    def __init__(self, viewer: Role | str, *, other: bool = True, id: str | None = None) -> None:
        """``other=False`` leaves out the other party's column, for a list of one person's sessions."""
        super().__init__(session_columns(viewer, other=other), minimum_shared=18, id=id)
        self.viewer = viewer
        self.other = other
        self._views: dict[str, SessionView] = {}
        self._order: list[SessionView] = []

    @property
    def views(self) -> list[SessionView]:
        """The sessions shown, in order."""
        return list(self._order)

    @property
    def selected(self) -> SessionView | None:
        key = self.selected_key
        return self._views.get(key) if key is not None else None

    def show(self, views: Sequence[SessionView], times: TimeFormat) -> None:
        """Show ``views`` in this order, keeping the cursor on the session it was on."""
        self._order = list(views)
        self._views = {view.session.id: view for view in views}
        self.show_rows(
            (view.session.id, session_cells(view, self.viewer, times, other=self.other)) for view in views
        )


__all__ = ["SessionTable", "session_cells", "session_columns"]
