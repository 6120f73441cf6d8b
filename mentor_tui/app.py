"""The application shell: who is signed in, which screen shows, and how failures reach the person.

Nothing heavy is imported here: the backend's libraries load on its first call
(see ``repository.factory``), and each section's pane when it is first shown.

Live updates: built with ``live=True`` (``cli.py`` does, for real runs), the app asks the
backend's change signal (``Storage.change_token``) every second while someone is signed
in, and when another person, terminal or process has changed the data, the section
showing loads again by itself (``Pane.Outdated``). Off by default, so tests and
snapshots see only the loads they cause.
"""

from __future__ import annotations

import logging
import traceback
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, LoadingIndicator
from textual.worker import Worker, WorkerState

from .context import AppContext
from .domain.errors import MentorError
from .keymap import KEYS_BY_ACTION, NamesActions, binding
from .services import Services
from .widgets.failures import WorkerFailed
from .widgets.pane import Pane
from .widgets.plain import NAME, shown
from .widgets.unsaved import DiscardQuestion, unsaved_in

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import PurePath

    from .clock import Clock
    from .config import Settings
    from .domain.demo_login import DemoLogin
    from .domain.models import Profile
    from .repository.base import Storage
    from .screens.sign_in import SignedIn

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong. Please try again; the details are in the log."
LIVE_INTERVAL_SECONDS = 1.0
"""How often live updates ask the backend whether the data changed: within 2 s on screen."""


class ScreenActions(Provider):
    """Every action of the current screen that applies now, with its key, in the command palette.

    The entries are the screen's active bindings from the keymap (the same ones the
    footer shows, hidden ones such as the section keys included) whose ``check_action``
    allows them; choosing one runs it on the node that holds the binding.
    """

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen, app = self.screen, self.app
        found = dict(screen.active_bindings)
        # A dialog's chain of bindings stops at the dialog; the app's priority keys work there all the same.
        for own in MentorApp.BINDINGS:
            if isinstance(own, Binding) and own.priority and own.key not in found:
                found[own.key] = ActiveBinding(app, own, app.check_action(own.action, ()) is not False)
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for key_name, active in found.items():
            key = KEYS_BY_ACTION.get(active.binding.action)
            if key is None or key.key != key_name or key.action == "command_palette" or not active.enabled:
                continue
            title = active.binding.description or key.label
            if isinstance(active.node, NamesActions):
                title = active.node.action_title(key.action) or title
            # The palette reads help as markup: "[" is a key here, not a tag.
            help_text = escape(f"{key.display} · {key.description}")
            commands.append((title, help_text, partial(app.run_action, key.action, active.node)))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help_text)


class MentorApp(App[None]):
    TITLE = "mentor-tui"
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "styles/shell.tcss", "styles/sessions.tcss", "styles/forms.tcss", "styles/messages.tcss",
    ]
    # Only the screen's own actions: Textual's system commands would offer to save
    # screenshots on the server when the app is served over SSH.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenActions}
    BINDINGS: ClassVar[list[BindingType]] = [binding("help"), binding("quit")]

    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        settings: Settings | None = None,
        demo_logins: tuple[DemoLogin, ...] = (),
        demo_password: str = "",
        *,
        live: bool = False,
    ) -> None:
        super().__init__()
        services = Services(storage, clock)
        services.watch_person(self._person_changed)
        self.ctx = AppContext(services, clock, settings, demo_logins, demo_password)
        self._live = live
        self._live_timer: Timer | None = None
        self._seen: int | None = None
        """The backend's change token when last asked; None until asked since the last sign-in."""
        self._live_failing = False

    def compose(self) -> ComposeResult:
        # Shown until the remembered sign-in has been looked up; kept small, as it is the first frame.
        yield Header()
        yield LoadingIndicator()

    def on_mount(self) -> None:
        # After the first frame: the backend's libraries load on its first call.
        self.call_after_refresh(self._restore)
        if self._live:
            self._live_timer = self.set_interval(LIVE_INTERVAL_SECONDS, self._look_for_changes, name="live-updates")

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
            self.show_home()

    def _person_changed(self, user: Profile | None) -> None:
        # The header shows its sub-title as plain text; the name is made safe and short here.
        self.sub_title = f"{shown(user.full_name, NAME)} · {user.role.value}" if user else ""
        if self._live:
            # What the new sign-in's screens load is compared with the token as of now.
            self._seen = None
            if user is not None:
                self.run_worker(self._look_for_changes(), name="live-baseline", group="live", exit_on_error=False)

    async def _look_for_changes(self) -> None:
        """Ask the backend's change signal once; when it moved, the showing sections load again.

        Runs in the interval's own task, the read itself in the backend's worker thread, so
        the screen never waits; the interval waits for it, so a slow read never piles up.
        """
        if self.ctx.services.me is None:
            return
        try:
            token = await self.ctx.services.change_token()
        except Exception as error:  # noqa: BLE001 - whatever it is, the next tick asks again
            # Asked every second: never a crash or a toast. The next load says what is wrong;
            # the log gets it once per run of failures.
            if not self._live_failing:
                log.warning(
                    "Live updates cannot read the change signal: %s: %s", type(error).__name__, shown(error, 200)
                )
            self._live_failing = True
            return
        self._live_failing = False
        seen, self._seen = self._seen, token
        if seen is not None and token is not None and token != seen:
            self.data_changed()

    def data_changed(self) -> None:
        """The data changed elsewhere: every section showing (behind a dialog too) loads again."""
        for screen in self.screen_stack:
            for pane in screen.query(Pane):
                if pane.showing:
                    pane.post_message(Pane.Outdated())

    def show_sign_in(self, email: str = "") -> None:
        from .screens.sign_in import SignInScreen

        self._show(SignInScreen(self.ctx, email=email))

    def on_signed_in(self, _: SignedIn) -> None:
        self.show_home()

    def show_home(self) -> None:
        from .screens.home import HomeScreen

        self._show(HomeScreen(self.ctx))

    def action_help(self) -> None:
        """F1 shows the keys; F1 again (or Esc) closes them."""
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.ctx))

    async def action_quit(self) -> None:
        self.after_asking("Quit", self.exit)

    def action_sign_out(self) -> None:
        self.after_asking("Sign out", self._sign_out)

    def after_asking(self, verb: str, then: Callable[[], object]) -> None:
        """Run ``then`` at once, or, when a screen of the stack holds unsaved work, once the person agrees."""
        if isinstance(self.screen, DiscardQuestion):
            return  # already asking
        holders = [holder for screen in self.screen_stack for holder in unsaved_in(screen)]
        if not holders:
            then()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                then()

        self.push_screen(DiscardQuestion(holders, f"Discard and {verb.lower()}"), answered)

    @work(name="sign-out", exclusive=True, exit_on_error=False)
    async def _sign_out(self) -> None:
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
        if self._live_timer is not None:
            self._live_timer.stop()  # before closing: a read after it would open the database again
        await self.ctx.services.close()
