"""What every pane that lists sessions does with the selected one, for both roles.

The keys are the keymap's (c confirm, d decline, x cancel, m complete, r rate, o join,
y copy link, p reply to the review, w write notes, i calendar file, s reschedule, n no-show,
a accept a request to move; ctrl+l writes to the other person, in Messages). A pane loads its
sessions' requests to move them and their no-shows with the sessions
(:meth:`SessionActions.load_history`), so the keys that depend on them apply at once; ``d``
answers the other person's open request to move the session, or withdraws the person's own,
before it declines a booking request. The footer
shows a key only when ``services.allowed`` gives its action for the selected session, so "Rate"
never shows on a session still ahead; a press checks again with ``services.check``
(time may have moved on) and says why it is refused.
Changing a session goes through the session dialogs, which call the service themselves.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.binding import BindingType
from textual.widgets import DataTable

from ..domain import messages
from ..domain.errors import NotAllowed
from ..domain.models import MentorSession, SessionStatus, SessionView
from ..domain.no_show import NoShow
from ..domain.reschedule import RescheduleRequest, RescheduleStatus
from ..keymap import bindings
from ..services import reschedule
from ..services.sessions import SessionAction
from .dialog import Dialog
from .message_open import OpenConversation, Partner
from .pane import Pane
from .plain import LINK, shown
from .rating import stars
from .reschedule_detail import SessionHistory
from .reschedule_dialogs import NoShowDialog, RescheduleDialog, other_name
from .session_call import join_call
from .session_detail import SessionDetail
from .session_dialogs import FeedbackDialog, RatingDialog, ReasonDialog
from .session_table import SessionTable
from .text_boxes import text_box_focused

if TYPE_CHECKING:
    from ..context import AppContext

SESSION_KEYS = frozenset(action.value for action in SessionAction) | {"accept"}
"""Every key that acts on the selected session."""


class SessionActions(Pane):
    """A pane with one or more :class:`SessionTable`; the selected session is the one under the
    cursor of the table last focused, and its :class:`SessionDetail` (if the pane has one) follows it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings(*(action.value for action in SessionAction), "accept", "message", "calendar_file")
    ]

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._active_table: str | None = None
        self._requests: list[RescheduleRequest] = []
        self._marks: list[NoShow] = []

    async def load_history(self) -> None:
        """The requests to move the person's sessions and their no-shows; each pane's ``load`` calls it."""
        self._requests, self._marks = await asyncio.gather(
            self.ctx.services.reschedules(), self.ctx.services.no_shows()
        )

    def allowed_now(self, session: MentorSession) -> frozenset[SessionAction]:
        """``services.allowed``, less asking to move a session that already has an open request
        and marking a no-show this person already marked."""
        allowed = self.ctx.services.allowed(session)
        me, now = self.ctx.me.id, self.ctx.clock.now()
        if SessionAction.RESCHEDULE in allowed and not reschedule.may_propose(session, self._requests, me, now):
            allowed -= {SessionAction.RESCHEDULE}
        if SessionAction.NO_SHOW in allowed and not reschedule.may_mark_no_show(session, self._marks, me, now):
            allowed -= {SessionAction.NO_SHOW}
        return allowed

    def answerable(self, view: SessionView | None, answer: RescheduleStatus) -> RescheduleRequest | None:
        """The selected session's open request to move it, when the person may give ``answer`` now."""
        if view is None:
            return None
        return reschedule.answerable(view.session, self._requests, self.ctx.me.id, answer, self.ctx.clock.now())

    def closable(self, view: SessionView | None) -> tuple[RescheduleRequest, RescheduleStatus] | None:
        """What ``d`` does to the selected session's open request to move it: the other person's
        is declined, the person's own withdrawn; None when it does neither."""
        for answer in (RescheduleStatus.DECLINED, RescheduleStatus.WITHDRAWN):
            if (request := self.answerable(view, answer)) is not None:
                return request, answer
        return None

    # --- the selection ------------------------------------------------------------------
    def session_tables(self) -> list[SessionTable]:
        return list(self.query(SessionTable))

    def active_table(self) -> SessionTable | None:
        """The list the keys act on: the one last focused, else the first shown with rows."""
        tables = [table for table in self.session_tables() if table.display]
        if self._active_table is not None:
            return next((table for table in tables if table.id == self._active_table), None)
        return next((table for table in tables if table.row_count), None)

    def selected_view(self) -> SessionView | None:
        """The session the keys act on."""
        table = self.active_table()
        return table.selected if table is not None else None

    def settle_focus(self) -> None:
        """After a load, keep the focus on a list that is shown, so the keys still work.

        Focus leaves a list the load has just hidden for the first list still shown, or the
        pane itself when none is: an empty pane keeps its keys (refresh, at least).
        """
        shown = [table for table in self.session_tables() if table.display and table.row_count]
        self.can_focus = not shown
        focused = self.screen.focused
        lost = focused is None or (focused is self and bool(shown)) or (self in focused.ancestors and not focused.display)
        if lost and self.parent is not None and self.parent.display:
            (shown[0] if shown else self).focus()

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, DataTable):
            self._active_table = event.widget.id
            self.selection_changed()
        else:
            self.refresh_bindings()  # letters act only while no text box has the focus

    @on(SessionTable.RowHighlighted)
    def _row_highlighted(self, event: SessionTable.RowHighlighted) -> None:
        if event.data_table is self.active_table():
            self.selection_changed()

    def selection_changed(self) -> None:
        """The keys that apply and the detail follow the selection."""
        self.refresh_bindings()
        details = self.query(SessionDetail)
        if details:
            view = self.selected_view()
            allowed = self.allowed_now(view.session) if view is not None else frozenset()
            history = None
            if view is not None:
                history = SessionHistory(
                    reschedule.history(self._requests, view.session.id),
                    [mark for mark in self._marks if mark.session_id == view.session.id],
                    self.answerable(view, RescheduleStatus.ACCEPTED) is not None,
                )
            details.first().show(view, self.ctx.me.id, self.times(), allowed, history)
            if view is not None:
                self._load_notes(view.session)

    @work(exclusive=True, group="session-notes", exit_on_error=False)
    async def _load_notes(self, session: MentorSession) -> None:
        """The selected session's notes and the open items carried into it, for the detail."""
        services = self.ctx.services
        notes, carried = await asyncio.gather(services.session_notes(session.id), services.carried_items(session))
        view = self.selected_view()
        if view is not None and view.session.id == session.id:
            self.query(SessionDetail).first().show_notes(session.id, notes, carried, self.times())

    def message_partner(self) -> Partner | None:
        """Whom the message key writes to: the other person of the selected session."""
        view = self.selected_view()
        if view is None:
            return None
        mentor = self.ctx.me.id == view.session.mentor_id
        return Partner(view.session.student_id if mentor else view.session.mentor_id, self._other_name(view))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "message":
            return self.message_partner() is not None
        if action == "calendar_file":
            view = self.selected_view()
            return not text_box_focused(self.screen) and view is not None and not view.session.time_invalid
        if action not in SESSION_KEYS:
            return True
        if text_box_focused(self.screen):
            return False
        view = self.selected_view()
        if action == "accept":
            return self.answerable(view, RescheduleStatus.ACCEPTED) is not None
        if action == "decline" and self.closable(view) is not None:
            return True
        return view is not None and SessionAction(action) in self.allowed_now(view.session)

    # --- the keys -----------------------------------------------------------------------
    def _checked(self, action: SessionAction) -> SessionView | None:
        """The selected session when ``action`` is allowed on it now; otherwise says why."""
        view = self.selected_view()
        if view is None:
            self.notify("Pick a session in a list first.", severity="warning")
            return None
        try:
            self.ctx.services.check(view.session, action)
            if action not in self.allowed_now(view.session):
                raise NotAllowed(
                    messages.RESCHEDULE_ALREADY_OPEN if action is SessionAction.RESCHEDULE else messages.NO_SHOW_ALREADY
                )
        except NotAllowed as refused:
            self.notify(refused.message, severity="warning", markup=False)
            self.refresh_bindings()
            return None
        return view

    def _open(self, dialog: Dialog[MentorSession]) -> None:
        self.app.push_screen(dialog, self._changed)

    def action_confirm(self) -> None:
        if view := self._checked(SessionAction.CONFIRM):
            self.run_worker(self._confirm(view), group="session-action", exit_on_error=False)

    async def _confirm(self, view: SessionView) -> None:
        # No link typed: the mentor's own room, else a new one (domain.meeting).
        self._changed(await self.ctx.services.confirm_session(view.session.id, ""))

    def action_decline(self) -> None:
        view = self.selected_view()
        if (closing := self.closable(view)) is not None and view is not None:
            self.run_worker(self._answer(view, *closing), group="session-action", exit_on_error=False)
            return
        if view := self._checked(SessionAction.DECLINE):
            self._open(ReasonDialog(self.ctx.services, view, self.times(), SessionAction.DECLINE))

    def action_cancel(self) -> None:
        if view := self._checked(SessionAction.CANCEL):
            self._open_cancel(view)

    @work(group="session-cancel-open", exclusive=True, exit_on_error=False)
    async def _open_cancel(self, view: SessionView) -> None:
        """The cancel dialog, told up front when cancelling now is late (the mentor's window)."""
        from ..domain.booking_rules import is_late_cancel

        late_hours = None
        if view.session.status is SessionStatus.CONFIRMED:
            rules = await self.ctx.services.booking_rules(view.session.mentor_id)
            if is_late_cancel(rules, view.session, self.ctx.clock.now()):
                late_hours = rules.cancel_window_hours
        self._open(ReasonDialog(self.ctx.services, view, self.times(), SessionAction.CANCEL, late_hours))

    def action_complete(self) -> None:
        if view := self._checked(SessionAction.COMPLETE):
            self._open(FeedbackDialog(self.ctx.services, view, self.times()))

    def action_rate(self) -> None:
        if view := self._checked(SessionAction.RATE):
            self._open(RatingDialog(self.ctx.services, view, self.times()))

    def action_join(self) -> None:
        if (view := self._checked(SessionAction.JOIN)) and view.session.meeting_link:
            title = messages.call_with(shown(self._other_name(view)))
            self.run_worker(join_call(self.app, view.session.meeting_link, title), group="join", exit_on_error=False)

    def action_copy_link(self) -> None:
        if (view := self._checked(SessionAction.COPY_LINK)) and view.session.meeting_link:
            link = view.session.meeting_link
            self.app.copy_to_clipboard(link)
            self.notify(f"Copied the call link: {shown(link, LINK)}", timeout=15, markup=False)

    def action_reply(self) -> None:
        from .session_notes import ReplyDialog

        if view := self._checked(SessionAction.REPLY):
            self.app.push_screen(ReplyDialog(self.ctx.services, view, self.times()), self._replied)

    def _replied(self, session: MentorSession | None) -> None:
        if session is not None:
            self.notify(f"Your reply to the review of “{shown(session.subject)}” is published.", markup=False)
            self.refresh_data()

    def action_write_notes(self) -> None:
        if view := self._checked(SessionAction.WRITE_NOTES):
            self.run_worker(self._open_notes(view), group="session-notes-open", exit_on_error=False)

    async def _open_notes(self, view: SessionView) -> None:
        from .session_notes import NotesDialog

        notes = await self.ctx.services.session_notes(view.session.id)
        self.app.push_screen(NotesDialog(self.ctx.services, view, self.times(), notes), self._notes_saved)

    def _notes_saved(self, session: MentorSession | None) -> None:
        if session is not None:
            self.notify(f"Notes of “{shown(session.subject)}” saved; the student can read them.", markup=False)
            self._load_notes(session)

    def action_calendar_file(self) -> None:
        view = self.selected_view()
        if view is not None and not view.session.time_invalid:
            self._calendar_file(view)

    @work(group="calendar-file", exclusive=True, exit_on_error=False)
    async def _calendar_file(self, view: SessionView) -> None:
        from .calendar_file import CalendarFileDialog, in_kiosk

        text, suggested = await asyncio.to_thread(self._calendar_text, view, in_kiosk())
        about = f"{shown(view.session.subject)} · {self.times().session_when(view.session)}"
        self.app.push_screen(CalendarFileDialog(about, text, suggested), self._calendar_saved)

    def _calendar_text(self, view: SessionView, kiosk: bool) -> tuple[str, Path | None]:
        """The .ics text (icalendar loads here, in a thread) and the file to offer saving to."""
        from .. import paths, reminder_lead
        from ..domain import ics
        from .calendar_file import default_folder

        me, settings = self.ctx.me, self.ctx.settings
        lead = reminder_lead.load(settings, me.id)
        text = ics.calendar([view], me, lead, self.ctx.clock.now()).decode("utf-8")
        if kiosk:
            return text, None
        state = settings.state_dir if settings is not None else paths.state_dir()
        return text, default_folder(state) / ics.file_name(view.session)

    def _calendar_saved(self, said: str | None) -> None:
        if said:
            self.notify(said, timeout=15, markup=False)

    def action_accept(self) -> None:
        view = self.selected_view()
        request = self.answerable(view, RescheduleStatus.ACCEPTED)
        if request is None or view is None:
            self.notify(messages.RESCHEDULE_NONE_OPEN, severity="warning")
            return
        self.run_worker(self._answer(view, request, RescheduleStatus.ACCEPTED), group="session-action",
                        exit_on_error=False)

    async def _answer(self, view: SessionView, request: RescheduleRequest, answer: RescheduleStatus) -> None:
        await self.ctx.services.answer_reschedule(request.id, answer)
        subject = f"“{shown(view.session.subject)}”"
        if answer is RescheduleStatus.ACCEPTED:
            self.notify(messages.reschedule_done(subject, self.times().when(request.new_time)), markup=False)
        elif answer is RescheduleStatus.WITHDRAWN:
            self.notify(messages.reschedule_withdrawn_done(subject), markup=False)
        else:
            self.notify(messages.reschedule_declined_done(subject), markup=False)
        self.refresh_data()

    def action_reschedule(self) -> None:
        if view := self._checked(SessionAction.RESCHEDULE):
            self.app.push_screen(RescheduleDialog(self.ctx.services, view, self.times()), self._asked)

    def _asked(self, request: RescheduleRequest | None) -> None:
        view = self.selected_view()
        if request is not None:
            subject = f"“{shown(view.session.subject)}”" if view is not None else "the session"
            self.notify(messages.reschedule_sent(subject), markup=False)
            self.refresh_data()

    def action_no_show(self) -> None:
        if view := self._checked(SessionAction.NO_SHOW):
            self.app.push_screen(NoShowDialog(self.ctx.services, view, self.times()), self._marked)

    def _marked(self, mark: NoShow | None) -> None:
        view = self.selected_view()
        if mark is not None:
            name = shown(other_name(view, self.ctx.me.id)) if view is not None else "them"
            self.notify(messages.no_show_done(name), markup=False)
            self.refresh_data()

    def action_message(self) -> None:
        if (partner := self.message_partner()) is not None:
            self.post_message(OpenConversation(partner))

    # --- after a change -----------------------------------------------------------------
    def _other_name(self, view: SessionView) -> str:
        return view.student_name if self.ctx.me.id == view.session.mentor_id else view.mentor_name

    def _changed(self, session: MentorSession | None) -> None:
        """Say what happened, then load again so every list shows it."""
        if session is None:
            return
        subject = f"“{shown(session.subject)}”"
        if session.status is SessionStatus.CONFIRMED:
            done = f"Confirmed {subject}; the call link is set."
        elif session.status is SessionStatus.CANCELLED:
            done = f"Declined {subject}." if session.declined else f"Cancelled {subject}."
        elif session.rating is not None and self.ctx.me.id == session.student_id:
            done = f"Thank you: your {stars(session.rating)} for {subject} is saved."
        else:
            done = f"Completed {subject}."
        self.notify(done, markup=False)
        self.refresh_data()


__all__ = ["SESSION_KEYS", "SessionActions"]
