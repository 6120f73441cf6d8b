"""The application shell: who is signed in, which screen shows, and how failures reach the person.

Nothing heavy is imported here: the backend's libraries load on its first call
(see ``repository.factory``), and each section's pane when it is first shown.
Start-up: with ``signed_out`` (no remembered sign-in, known from the files before the
app starts) the sign-in form is the first screen and the backend is built when the form
is sent; otherwise a loading indicator shows while the remembered sign-in is restored.

Live updates: built with ``live=True`` (``cli.py`` does, for real runs), the app asks the
backend's change signal (``Storage.change_token``) every second while someone is signed
in, and when another person, terminal or process has changed the data, the section
showing loads again by itself (``Pane.Outdated``), the header's count of unread
notifications is asked again, and what arrived for the person is announced (a toast, the
bell, a terminal notification: each can be switched off, see ``alert_choices``). Signing
in (or a remembered sign-in) then lists what changed since last time: the unread ones.
When the change signal fails ``LIVE_FAILURES_SHOWN`` times in a row, a line above the
footer says live updates are off until it works again. Off by default, so tests and
snapshots see only the loads (and toasts) they cause.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, LoadingIndicator
from textual.worker import Worker, WorkerState

from . import stylesheets
from .context import AppContext
from .domain import messages
from .domain.errors import MentorError
from .keymap import KEYS_BY_ACTION, NamesActions, binding, key_for
from .services import Services
from .widgets.failures import WorkerFailed
from .widgets.notification_alerts import AlertChoicesChanged, NotificationsRead, announce
from .widgets.notification_live import LiveUpdatesNotice
from .widgets.notification_terminal import notice_kind
from .widgets.plain import NAME, shown

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import PurePath

    from .clock import Clock
    from .config import Settings
    from .domain.demo_login import DemoLogin
    from .domain.models import Notification, Profile, SessionView
    from .repository.base import Storage
    from .screens.sign_in import SignedIn
    from .alert_choices import AlertChoices
    from .services.notifications import Destination, Seen

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong. Please try again; the details are in the log."
LIVE_INTERVAL_SECONDS = 1.0
"""How often live updates ask the backend whether the data changed: within 2 s on screen."""
LIVE_FAILURES_SHOWN = 3
"""Failed asks in a row before the footer says live updates are off: one blip says nothing."""
REMINDER_INTERVAL_SECONDS = 20.0
"""How often a live run looks for a reminder due (``services.reminders``): within 20 s of its time."""


def live_problem(error: BaseException) -> str:
    """The footer's sentence for a change signal that keeps failing, saying why in a few words."""
    why = error.message if isinstance(error, MentorError) else type(error).__name__
    return messages.live_updates_off(shown(why, 120).rstrip(". "), key_for("refresh").display)


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
    CSS_PATH: ClassVar[list[str | PurePath]] = [*stylesheets.FIRST, *stylesheets.HOME]
    # Only the screen's own actions: Textual's system commands would offer to save
    # screenshots on the server when the app is served over SSH.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenActions}
    # ``join`` here is the fallback of the one join key: a list of sessions (or a conversation)
    # joins its own selection first; anywhere else it joins the session a reminder is about.
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("help"), binding("quit"), binding("inbox"), binding("join"),
        # Textual's own field-to-field keys, their meaning unchanged, taken before the focused
        # widget sees them: keys that arrive together (a slow link, a busy kiosk, a password
        # manager typing "email, Tab, password") are handed to the focused widget as they are
        # read, so a Tab the widget passed up to its screen moved the focus only after the
        # password had gone into the email box, in clear.
        binding("focus_next"), binding("focus_previous"),
    ]

    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        settings: Settings | None = None,
        demo_logins: tuple[DemoLogin, ...] = (),
        demo_password: str = "",
        *,
        live: bool = False,
        signed_out: bool = False,
    ) -> None:
        """``signed_out``: known before start (``repository.factory.may_be_signed_in``) that
        no sign-in is remembered, so the sign-in form is the first screen and nothing is
        restored: the backend is built on its first use, when the form is sent. Not sooner:
        a thread importing its libraries holds the GIL in turns with the thread writing to
        the terminal, and delays the form (and the keys typed into it) by as long. Nor are
        the home screen's styles parsed before the form (``stylesheets``)."""
        super().__init__(css_path=stylesheets.FIRST if signed_out else None)
        services = Services(storage, clock)
        services.watch_person(self._person_changed)
        self.ctx = AppContext(services, clock, settings, demo_logins, demo_password)
        self._live = live
        self._signed_out = signed_out
        self._live_timer: Timer | None = None
        self._seen: int | None = None
        """The backend's change token when last asked; None until asked since the last sign-in."""
        self._live_failures = 0
        """Asks of the change signal that failed in a row."""
        self._unread: int | None = None
        """The signed-in person's unread notifications, as last counted (None: not yet)."""
        self._known: Seen | None = None
        """The notifications already known: only others are announced (None: none yet)."""
        self._alerts: AlertChoices | None = None
        """How the signed-in person wants arrivals announced (None until read)."""
        self._terminal = notice_kind(os.environ)
        self._reminded: set[tuple[str, str]] = set()
        """The reminders (session, kind) given in this run, for the signed-in person."""
        self._reminded_call: SessionView | None = None
        """The soonest session a reminder is due for whose call can be joined: what the join
        key opens outside a list of sessions, until the session ends."""
        self._person_id: str | None = None
        """Who is signed in, as last told: a sign-in starts afresh, a saved profile does not."""

    def get_default_screen(self) -> Screen[Any]:
        if self._signed_out:
            from .screens.sign_in import SignInScreen

            # The form is the first screen itself: one screen to build and draw, not an empty
            # start-up screen with the form pushed above it (about 40 ms of CPU less).
            return SignInScreen(self.ctx)
        return super().get_default_screen()

    def compose(self) -> ComposeResult:
        if self._signed_out:
            return  # nothing to add to the sign-in form
        # Shown until the remembered sign-in has been looked up; kept small, as it is the first frame.
        yield Header()
        yield LoadingIndicator()

    def on_mount(self) -> None:
        if not self._signed_out:
            # After the first frame: the backend's libraries load on its first call.
            self.call_after_refresh(self._restore)
        if self._live:
            self._live_timer = self.set_interval(LIVE_INTERVAL_SECONDS, self._look_for_changes, name="live-updates")
            self.set_interval(REMINDER_INTERVAL_SECONDS, self._remind, name="reminders")

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
        same_person = user is not None and user.id == self._person_id
        self._person_id = user.id if user is not None else None
        if same_person:
            self._show_person()  # their profile was saved: only the header's name may change
            return
        self._unread, self._known = None, None
        self._reminded, self._reminded_call = set(), None
        self._show_person()
        if user is not None:
            self._signed_in(user.id)
        if self._live:
            # What the new sign-in's screens load is compared with the token as of now.
            self._seen = None
            if user is not None:
                self.run_worker(self._look_for_changes(), name="live-baseline", group="live", exit_on_error=False)

    def _show_person(self) -> None:
        """The header: who is signed in, and how many notifications they have not read."""
        user = self.ctx.services.me
        # The header shows its sub-title as plain text; the name is made safe and short here.
        title = f"{shown(user.full_name, NAME)} · {user.role.value}" if user else ""
        if user and self._unread:
            title += f" · {messages.unread_badge(self._unread, key_for('inbox').display)}"
        self.sub_title = title

    @work(name="notifications", group="sign-in-notes", exclusive=True, exit_on_error=False)
    async def _signed_in(self, user_id: str) -> None:
        """Count the unread notifications; on a live run, list them ("since you were last here")."""
        from . import alert_choices
        from .services import notifications as notes

        services = self.ctx.services
        self._alerts = await asyncio.to_thread(alert_choices.load, self.ctx.settings, user_id)
        count = await services.unread_notifications()
        recent = await services.notifications(notes.ARRIVALS_PAGE)
        if services.me is None or services.me.id != user_id:
            return  # signed out (or in as someone else) meanwhile
        self._unread, self._known = count, notes.seen(recent)
        self._show_person()
        unread = notes.arrived(recent, None)
        if self._live and unread:
            body = notes.summary(await self._sentences(unread), self._unread, key_for("inbox").display)
            self.notify(shown(body, 1000, multiline=True), title=messages.SINCE_LAST_TIME, markup=False, timeout=15)

    async def _sentences(self, arrived: Sequence[Notification]) -> list[str]:
        """The sentences of ``arrived``, with the times of their sessions in the person's zone."""
        from .services import notifications as notes
        from .widgets.timefmt import TimeFormat

        services = self.ctx.services
        views = await services.my_sessions() if any(note.session_id for note in arrived) else []
        return notes.sentences(arrived, views, TimeFormat(self.ctx.zone, self.ctx.clock.now()).session_when)

    def _being_read(self, note: Notification) -> bool:
        """A message to the conversation on screen is read there as it arrives: no alert for it."""
        from .domain.models import NotificationKind
        from .screens.messages import MessagesPane

        return note.kind is NotificationKind.MESSAGE and any(
            pane.showing and pane.partner_id is not None and pane.partner_id == note.actor_id
            for pane in self.screen.query(MessagesPane)
        )

    @work(name="arrivals", group="arrivals", exclusive=True, exit_on_error=False)
    async def _look_for_arrivals(self) -> None:
        """The data changed: count again, and announce the notifications not known before."""
        from .services import notifications as notes, reminders

        services = self.ctx.services
        if self._unread is None:
            return  # the sign-in's own count is still under way; it sets what counts as known
        count = await services.unread_notifications()
        recent = await services.notifications(notes.ARRIVALS_PAGE)
        arrived = [
            note for note in notes.arrived(recent, self._known)
            if not self._being_read(note) and note.kind not in reminders.KINDS  # announced as they were given
        ]
        self._unread, self._known = count, notes.seen(recent)
        self._show_person()
        if arrived:
            lines = await self._sentences(arrived)
            body = notes.summary(lines, len(arrived), key_for("inbox").display)
            if self._alerts is not None:
                announce(self, messages.JUST_NOW, body, self._alerts, self._terminal)

    async def _remind(self) -> None:
        """The reminders' tick: a failed look is logged and tried again on the next one."""
        try:
            await self.check_reminders()
        except Exception as error:  # noqa: BLE001 - a timer's failure would end the app
            log.warning("Looking for reminders failed: %s: %s", type(error).__name__, shown(error, 200))

    async def check_reminders(self) -> None:
        """Remind the person, the ways their alert switches allow, of a confirmed session
        starting within their lead time, and at its start: once each, kept as a notification
        (``Services.record_reminder``), so a restart or a second terminal does not repeat it."""
        from . import reminder_lead
        from .services import reminders
        from .services.sessions import SessionAction

        services = self.ctx.services
        me = services.me
        if me is None or self._alerts is None:
            return  # signed out, or the sign-in's own reads (the alert switches) are under way
        lead = await asyncio.to_thread(reminder_lead.load, self.ctx.settings, me.id)
        now = self.ctx.clock.now()
        due = reminders.due(await services.my_sessions_as_stored(), now, lead)
        if services.me is not None and services.me.id == me.id:
            calls = (r.view for r in due if SessionAction.JOIN in services.allowed(r.view.session))
            call = next(calls, None)
            if call != self._reminded_call:  # the footer and palette change only then, not every tick
                self._reminded_call = call
                self.refresh_bindings()
        for reminder in due:
            if reminder.key in self._reminded or services.me is None or services.me.id != me.id:
                continue
            self._reminded.add(reminder.key)
            try:
                new = await services.record_reminder(reminder.view.session.id, reminder.kind)
            except MentorError as error:
                # Still reminded here; only keeping it (for other devices and the inbox) failed.
                log.warning("A reminder could not be kept: %s", shown(error.message, 200))
                new = True
            if new:
                body = reminders.sentence(reminder, me.id, now, key_for("join").display)
                announce(self, messages.REMINDER_TITLE, body, self._alerts, self._terminal)

    def on_notifications_read(self, _: NotificationsRead) -> None:
        """Ask the unread count again (the inbox or a conversation marked some read)."""
        if self.ctx.services.me is not None:
            self._recount()

    @work(name="unread", group="unread", exclusive=True, exit_on_error=False)
    async def _recount(self) -> None:
        self._unread = await self.ctx.services.unread_notifications()
        self._show_person()

    def on_alert_choices_changed(self, changed: AlertChoicesChanged) -> None:
        self._alerts = changed.choices

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
            # Asked every second: never a crash or a toast. The log gets it once per run of
            # failures; the footer says so once it is more than a blip.
            if not self._live_failures:
                log.warning(
                    "Live updates cannot read the change signal: %s: %s", type(error).__name__, shown(error, 200)
                )
            self._live_failures += 1
            if self._live_failures >= LIVE_FAILURES_SHOWN:
                self._say_live(live_problem(error))
            return
        if self._live_failures:
            self._live_failures = 0
            self._say_live(None)
        seen, self._seen = self._seen, token
        if seen is not None and token is not None and token != seen:
            self.data_changed()
            self._look_for_arrivals()

    def _say_live(self, sentence: str | None) -> None:
        for screen in self.screen_stack:
            for notice in screen.query(LiveUpdatesNotice):
                notice.say(sentence)

    def data_changed(self) -> None:
        """The data changed elsewhere: every section showing (behind a dialog too) loads again, and so does an open inbox."""
        from .screens.inbox import InboxScreen
        from .widgets.pane import Pane

        for screen in self.screen_stack:
            if isinstance(screen, InboxScreen):
                screen.reload()
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "inbox":
            return self.ctx.services.me is not None
        if action == "join":
            from .widgets.text_boxes import text_box_focused  # TextArea: not before a reminder

            call = self._reminded_call
            return call is not None and self.ctx.clock.now() < call.session.end_time and not text_box_focused(self.screen)
        return True

    def action_title(self, action: str) -> str | None:
        """The palette names the join key after the session it opens here."""
        return "Join the call you were reminded of" if action == "join" else None

    def action_join(self) -> None:
        """The call of the session the last reminder is about (a list's own selection comes first)."""
        from .widgets.session_call import join_call

        call = self._reminded_call
        if call is None or self.ctx.services.me is None:
            return
        other = call.student_name if self.ctx.services.me.id == call.session.mentor_id else call.mentor_name
        title = messages.call_with(shown(other, NAME))
        self.run_worker(join_call(self, call.session.meeting_link or "", title), group="join", exit_on_error=False)

    def action_inbox(self) -> None:
        """F8 shows the inbox; F8 again (or Esc) closes it; Enter on a line goes where it leads."""
        from .screens.inbox import InboxScreen

        if isinstance(self.screen, InboxScreen):
            self.screen.dismiss(None)
        elif self.ctx.services.me is not None:
            self.push_screen(InboxScreen(self.ctx), self._go_to)

    def _go_to(self, destination: Destination | None) -> None:
        from .screens.home import HomeScreen

        if destination is not None and isinstance(self.screen, HomeScreen):
            self.screen.go_to(destination)

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
        from .widgets.unsaved import DiscardQuestion, unsaved_in

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
        """Make ``screen`` the one screen above the first screen (the start-up screen, or the
        sign-in form when it was the first: Textual cannot replace the first screen)."""
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
