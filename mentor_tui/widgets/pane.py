"""A section of the home screen, for either role: built with the context, loads when shown.

The one loading/empty/error pattern: the first load covers the pane with a loading
indicator, later reloads keep what is shown; a load that fails shows the reason on a
line at the top of the pane (with the key that tries again) and keeps the old content;
an empty list is a :class:`~mentor_tui.widgets.notice.Notice` saying what to do next.
When the stored data changes elsewhere (live updates, see ``MentorApp``) the pane that
is showing loads again the same way; the others load when next shown, as always.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from .. import collector
from ..domain.errors import MentorError
from ..keymap import binding, key_for
from .failures import ReportsFailures
from .plain import plain

if TYPE_CHECKING:
    from ..context import AppContext
    from .timefmt import TimeFormat


class LoadProblem(Static):
    DEFAULT_CSS = """
    LoadProblem { dock: top; height: auto; color: $text-error; padding: 0 1; }
    """


class Pane(ReportsFailures, Vertical):
    """Subclasses define :meth:`load` (fetch and show) and the home screen calls
    :meth:`refresh_data` each time the section is shown."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("refresh")]

    class Loaded(Message):
        """A load ended (either way); the home screen may now give the pane the focus."""

    class Outdated(Message, bubble=False):
        """What the pane shows was changed elsewhere (another person, terminal or process)."""

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ctx = ctx
        self._loaded = False

    def times(self) -> TimeFormat:
        from .timefmt import TimeFormat

        return TimeFormat(self.ctx.zone, self.ctx.clock.now())

    async def load(self) -> None:
        """Fetch through ``self.ctx.services`` and show it."""
        raise NotImplementedError

    def refresh_data(self) -> None:
        self._load()

    def action_refresh(self) -> None:
        self.refresh_data()

    @property
    def showing(self) -> bool:
        """Its section is the one shown (a dialog may be above it)."""
        return self.display and all(node.display for node in self.ancestors if isinstance(node, Widget))

    def on_pane_outdated(self, _: Outdated) -> None:
        # Asked again: the person may have changed section while the message waited.
        if self.showing:
            self.refresh_data()

    def loading_cover(self) -> Widget:
        """What the first load covers with the loading indicator: the whole pane, unless the
        pane keeps a control usable meanwhile (a search box that takes the first keys)."""
        return self

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load(self) -> None:
        cover = self.loading_cover()
        if not self._loaded:
            cover.loading = True
        try:
            await self.load()
        except MentorError as failed:
            self._problem(f"Could not load: {failed.message} {key_for('refresh').display} tries again.")
        else:
            if not self._loaded:
                collector.set_aside()
            self._loaded = True
            self._problem("")
        finally:
            collector.resume()  # off since start-up (``cli``) until a first load, whatever its end
            cover.loading = False
            self.post_message(self.Loaded())

    def _problem(self, message: str) -> None:
        shown = self.query(LoadProblem)
        if not message:
            shown.remove()
        elif shown:
            shown.first().update(plain(message, 500))
        else:
            self.mount(LoadProblem(plain(message, 500)))


__all__ = ["LoadProblem", "Pane"]
