"""What the signed-in person can go to, by role, and how each section is built.

The home screen shows one tab per item, in this order; F2 shows the first, F3 the
second and so on (``keymap``). A new section goes last, so no section's key moves. A section's pane class is imported only when its tab
is first shown, through a typed factory, so start-up never pays for screens nobody
opened and a renamed class is an import error the type checker and the tests see.

The pane contract (the shell relies on nothing else): a pane is a
``widgets.pane.Pane``, built with the app's context; the home screen calls its
``refresh_data()`` each time its tab becomes active.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain.models import Role
    from .widgets.pane import Pane


def _mentors() -> type[Pane]:
    from .screens.mentors import MentorsPane

    return MentorsPane


def _my_sessions() -> type[Pane]:
    from .screens.my_sessions import MySessionsPane

    return MySessionsPane


def _settings() -> type[Pane]:
    from .screens.settings import SettingsPane

    return SettingsPane


def _overview() -> type[Pane]:
    from .screens.dashboard import OverviewPane

    return OverviewPane


def _sessions() -> type[Pane]:
    from .screens.dashboard_sessions import SessionsPane

    return SessionsPane


def _students() -> type[Pane]:
    from .screens.students import StudentsPane

    return StudentsPane


def _messages() -> type[Pane]:
    from .screens.messages import MessagesPane

    return MessagesPane


def _schedule() -> type[Pane]:
    from .screens.schedule import SchedulePane

    return SchedulePane


def _calendar() -> type[Pane]:
    from .screens.calendar import CalendarPane

    return CalendarPane


@dataclass(frozen=True)
class NavItem:
    id: str
    """The tab pane's id; also names the section in commands."""
    title: str
    pane: Callable[[], type[Pane]]
    """Imports and returns the section's pane class."""


NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    "student": (
        NavItem("mentors", "Mentors", _mentors),
        NavItem("my-sessions", "My Sessions", _my_sessions),
        NavItem("settings", "Settings", _settings),
        NavItem("messages", "Messages", _messages),
        NavItem("calendar", "Calendar", _calendar),
    ),
    "mentor": (
        NavItem("overview", "Overview", _overview),
        NavItem("sessions", "Sessions", _sessions),
        NavItem("my-students", "My Students", _students),
        NavItem("schedule", "Schedule", _schedule),
        NavItem("settings", "Settings", _settings),
        NavItem("messages", "Messages", _messages),
    ),
}
SECTION_KEYS = ("f2", "f3", "f4", "f5", "f6", "f7")
"""The key of each section, by its position (``keymap`` names them ``section(n)``)."""


def items_for(role: Role | str) -> tuple[NavItem, ...]:
    return NAVIGATION[str(role)]


def section_key(role: Role | str, section_id: str) -> str:
    """'F3': the key that shows ``section_id`` for ``role``."""
    index = next(i for i, item in enumerate(items_for(role)) if item.id == section_id)
    return SECTION_KEYS[index].upper()


def section_label(role: Role | str, section_id: str) -> str:
    """'Mentors (F2)': how to reach a section, for hints in empty states."""
    item = next(item for item in items_for(role) if item.id == section_id)
    return f"{item.title} ({section_key(role, section_id)})"


__all__ = ["NAVIGATION", "SECTION_KEYS", "NavItem", "items_for", "section_key", "section_label"]
