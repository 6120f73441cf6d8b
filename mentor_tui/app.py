"""The application shell: who is signed in, which screen shows, and how failures reach the person.

Nothing heavy is imported here: the backend's libraries load on its first call
(see ``repository.factory``), and each section's pane when it is first shown.
"""

from __future__ import annotations

import logging
import traceback
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widgets import Header, LoadingIndicator
from textual.worker import Worker, WorkerState

from .context import AppContext, DemoLogin
from .domain.errors import MentorError
from .keymap import binding
from .services import Services
from .widgets.failures import WorkerFailed
from .widgets.plain import NAME, shown

if TYPE_CHECKING:
    from collections.abc import Callable

    from .clock import Clock
    from .config import Settings
    from .domain.models import Profile
    from .repository.base import Repository

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong. Please try again; the details are in the log."

class SectionCommands(Provider):
    """The command palette's entries for the sections of the signed-in role, and signing out."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from .screens.home import HomeScreen

        from .navigation import SECTION_KEYS

        app, home = self.app, self.screen
        if not isinstance(app, MentorApp) or app.ctx.services.me is None or not isinstance(home, HomeScreen):
            return []
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"Go to {item.title}", f"{key.upper()} shows this section too", partial(home.show_section, item.id))
            for item, key in zip(home.items, SECTION_KEYS)
        ]
        # The palette parses help as markup, so it names no one: the header shows who is signed in.
        commands.append(("Sign out", "Sign out of this account (ctrl+o)", app.action_sign_out))
        return commands

    async def discover(self) -> Hits:
        for text, help_text, callback in self._commands():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)


class MentorApp(App[None]):
    TITLE = "mentor-tui"
    CSS_PATH = ["styles/shell.tcss", "styles/sessions.tcss", "styles/forms.tcss"]
    COMMANDS = App.COMMANDS | {SectionCommands}
    BINDINGS = [binding("quit")]

    def __init__(
        self,
        repo: Repository,
        clock: Clock,
        settings: Settings | None = None,
        demo_logins: tuple[DemoLogin, ...] = (),
        demo_password: str = "",
    ) -> None:
        super().__init__()
        services = Services(repo, clock)
        services.watch_person(self._person_changed)
        self.ctx = AppContext(services, clock, settings, demo_logins, demo_password)

    def compose(self) -> ComposeResult:
        # Shown until the remembered sign-in has been looked up; kept small, as it is the first frame.
        yield Header()
        yield LoadingIndicator()

    def on_mount(self) -> None:
        # After the first frame: the backend's libraries load on its first call.
        self.call_after_refresh(self._restore)

    @work(name="restore", exit_on_error=False)
    async def _restore(self) -> None:
        try:
            user = await self.ctx.services.restore()
        except Exception:
            self.show_sign_in()
            raise  # reported by on_worker_state_changed
        if user is None:
            self.show_sign_in()
        else:
            self.signed_in(user)

    def _person_changed(self, user: Profile | None) -> None:
        # The header shows its sub-title as plain text; the name is made safe and short here.
        self.sub_title = f"{shown(user.full_name, NAME)} · {user.role.value}" if user else ""

    def show_sign_in(self, email: str = "") -> None:
        from .screens.sign_in import SignInScreen

        self._show(SignInScreen(self.ctx, email=email))

    def signed_in(self, user: Profile) -> None:
        """Called by the sign-in and sign-up screens (and restore) with the person now signed in."""
        from .screens.home import HomeScreen

        self._show(HomeScreen(self.ctx))

    @work(name="sign-out", exclusive=True, exit_on_error=False)
    async def action_sign_out(self) -> None:
        me = self.ctx.services.me
        email = me.email if me else ""
        try:
            await self.ctx.services.sign_out()
        finally:
            # Signed out here even if the server could not be told.
            self.show_sign_in(email)

    def _show(self, screen: Screen[None]) -> None:
        """Make ``screen`` the one screen above the start-up screen."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            # A hidden LoadingIndicator keeps animating and repainting; on an SSH kiosk
            # fifty idle sessions doing that saturate the host. Its job is done here.
            self.query(LoadingIndicator).remove()
            self.push_screen(screen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.report_failure(event.worker)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self.report_failure(message.worker)

    def report_failure(self, worker: Worker[object]) -> None:
        """The one place a failed worker, wherever it ran, becomes a message for the person."""
        error = worker.error
        if isinstance(error, MentorError):
            # Messages can quote what people typed or what a server said: never markup.
            self.notify(shown(error.message, 500, multiline=True), severity="error", markup=False)
        else:
            # The error's text may quote a stored row (a validation error repeats its input):
            # the log gets its kind, a short safe excerpt and where it happened, never the row.
            where = "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
            log.error(
                "Worker %r failed: %s: %s\n%s",
                worker.name, type(error).__name__, shown(error, 200), where.rstrip(),
            )
            self.notify(GENERIC_FAILURE, title="Unexpected error", severity="error")

    async def on_unmount(self) -> None:
        await self.ctx.services.close()
