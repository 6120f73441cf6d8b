"""The one list of sessions, for both roles: when, the other party, subject, minutes, (for a
student) the estimated cost, and the status badge. Columns fit the table's width; the
cursor stays on its session across reloads."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from ..domain.models import Role, SessionView
from ..domain.money import estimate_cost, format_money
from .status import status_badge
from .table import (
    Column,
    column_widths,
    row_cells,
    selected_key,
    set_columns,
    table_room,
)
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


class SessionTable(DataTable[Text]):
    """Sessions as ``viewer`` sees them; :meth:`show` fills it, :attr:`selected` is the one under the cursor."""

    DEFAULT_CSS = """
    SessionTable { height: 1fr; min-height: 3; }
    """

    def __init__(self, viewer: Role | str, *, other: bool = True, id: str | None = None) -> None:
        """``other=False`` leaves out the other party's column, for a list of one person's sessions."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.viewer = viewer
        self.other = other
        self.columns_shown = session_columns(viewer, other=other)
        self._views: dict[str, SessionView] = {}
        self._order: list[SessionView] = []
        self._times: TimeFormat | None = None
        self._fitted = -1

    @property
    def views(self) -> list[SessionView]:
        """The sessions shown, in order."""
        return list(self._order)

    @property
    def selected(self) -> SessionView | None:
        key = selected_key(self)
        return self._views.get(key) if key is not None else None

    def show(self, views: Sequence[SessionView], times: TimeFormat) -> None:
        """Show ``views`` in this order, keeping the cursor on the session it was on."""
        keep = selected_key(self)
        self._order = list(views)
        self._views = {view.session.id: view for view in views}
        self._times = times
        self._fill(keep)

    def _fill(self, keep: str | None) -> None:
        if self._times is None:
            return
        room = table_room(self, self.container_size.width or self.app.size.width)
        self._fitted = room
        widths = column_widths(self.columns_shown, room, minimum_shared=18)
        set_columns(self, self.columns_shown, widths)
        for view in self._order:
            cells = session_cells(view, self.viewer, self._times, other=self.other)
            self.add_row(*row_cells(cells, self.columns_shown, widths), key=view.session.id)
        if keep is not None and keep in self._views:
            self.move_cursor(row=self.get_row_index(keep))

    def on_resize(self) -> None:
        # Columns fill the width: refit when the terminal (or the pane) changes size.
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self._times is not None and table_room(self, 0) != self._fitted:
            self._fill(selected_key(self))


__all__ = ["SessionTable", "session_cells", "session_columns"]
