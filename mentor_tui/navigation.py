"""What the signed-in person can go to, by role, and how each section is loaded.

The home screen shows one tab per item. A section's pane class is named by a
dotted path and imported only when its tab is first shown, so start-up never
pays for screens nobody opened and a section that is not written yet cannot
break the app.

The pane contract (the shell relies on nothing else):

- A pane is a Textual widget whose class takes no constructor arguments.
- It reaches data through ``self.app.repo``, ``self.app.user`` and ``self.app.clock``.
- Panes load on show: if the pane has a ``refresh_data()`` method, the home
  screen calls it just after mounting the pane and again every time its tab
  becomes active. ``refresh_data()`` starts the loading in a worker and returns
  at once (``self.run_worker(self._load(), exclusive=True, group="load",
  exit_on_error=False)``), so it needs no other trigger, not even ``on_mount``.
- A section shown by its key or a command gets the focus on the pane's first
  control, in the order the pane composes them, as soon as one can take it (not
  while it is loading); so its keys work at once.
- Failed workers are reported by the app; a pane only catches the errors it
  shows inline.

Keys are function keys because they reach the app while an Input in a pane
has focus (letters would be typed into it, and most ctrl keys are editing
keys of Input and TextArea).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    from .domain.models import Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NavItem:
    id: str
    """The tab pane's id; also names the section in commands."""
    title: str
    key: str
    """The key that shows the section, from anywhere on the home screen."""
    pane: str
    """``"package.module:ClassName"`` of the pane widget."""


_SETTINGS = "mentor_tui.screens.settings:SettingsPane"

NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    "student": (
        NavItem("mentors", "Mentors", "f1", "mentor_tui.screens.mentors:MentorsPane"),
        NavItem("my-sessions", "My Sessions", "f2", "mentor_tui.screens.my_sessions:MySessionsPane"),
        NavItem("settings", "Settings", "f3", _SETTINGS),
    ),
    "mentor": (
        NavItem("overview", "Overview", "f1", "mentor_tui.screens.dashboard:OverviewPane"),
        NavItem("sessions", "Sessions", "f2", "mentor_tui.screens.dashboard:SessionsPane"),
        NavItem("my-students", "My Students", "f3", "mentor_tui.screens.students:StudentsPane"),
        NavItem("schedule", "Schedule", "f4", "mentor_tui.screens.schedule:SchedulePane"),
        NavItem("settings", "Settings", "f5", _SETTINGS),
    ),
}


def items_for(role: Role | str) -> tuple[NavItem, ...]:
    return NAVIGATION[str(role)]


class _Missing(Exception):
    """The section's module or class is not part of this version."""


def _pane_class(item: NavItem) -> type[Widget]:
    module_name, _, class_name = item.pane.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Only the section's own module missing means "not here"; a module it
        # imports being missing is a bug and is reported as one.
        if exc.name and (module_name + ".").startswith(exc.name + "."):
            raise _Missing from exc
        raise
    try:
        return getattr(module, class_name)
    except AttributeError as exc:
        raise _Missing from exc


def build_pane(item: NavItem) -> Widget:
    """A new instance of the item's pane, or a plain notice saying why there is none."""
    from .widgets.notice import Notice

    try:
        return _pane_class(item)()
    except _Missing:
        return Notice(f"{item.title} is not available in this version.")
    except Exception:
        log.exception("Cannot open the %s section", item.title)
        return Notice(f"{item.title} could not be opened because of an error; it is in the log.")


__all__ = ["NAVIGATION", "NavItem", "build_pane", "items_for"]
