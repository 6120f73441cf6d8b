"""Messages, for both roles: the conversations on the left, the selected one's thread and the
box to write in on the right.

A mentor and a student may write to each other once they share a session, of any status
(``services.messages``). Opening a conversation marks what the other person sent read.
Another section's message key (``widgets.message_open``) opens this one on a person,
before their first message too. A refusal shows above the box, which keeps the text.

A line starting with ``/`` is a command (``domain.chat_commands``): ``/help`` lists them
above the box; ``/schedule`` reads a time in the writer's own zone and shows a preview
(``widgets.schedule_preview``); confirmed, a student's becomes a pending request and a
mentor's a proposal, each with a message that the thread shows as a card. The student
accepts the newest open proposal with one key; the join key opens the call of the next
session with the person shown.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain import messages as texts
from ..domain.errors import MentorError
from ..domain.models import BookingRequest, Conversation, Message, Profile, Proposal, Role, SessionView
from ..domain.slots import overlaps, within_availability
from ..keymap import binding, key_for
from ..navigation import section_label
from ..services import proposals as proposal_rules
from ..services.sessions import SessionAction
from ..widgets.message_composer import MessageComposer
from ..widgets.message_open import Partner
from ..widgets.message_thread import MessageThread, thread_text
from ..widgets.notice import Notice
from ..widgets.notification_alerts import NotificationsRead
from ..widgets.pane import Pane
from ..widgets.plain import NAME, plain, shown
from ..widgets.schedule_preview import SchedulePlan, SchedulePreview
from ..widgets.session_call import join_call

if TYPE_CHECKING:
    from ..context import AppContext

WIDE = 110
"""From this width on, the list of conversations is wider (messages.tcss: 40 columns, else 28)."""
EXCERPT = {False: 22, True: 34}
"""Characters of the last message shown under a name, by ``-wide``: one line of the list."""


def _entry(partner: Partner, conversation: Conversation | None, room: int) -> Text:
    """A name with its unread count, and the last message on the line below."""
    unread = conversation.unread if conversation is not None else 0
    entry = plain(partner.name, NAME, style="bold" if unread else "")
    if unread:
        entry.append(f" ({unread})", style="bold")
    if conversation is None:
        entry.append("\nNo messages yet", style="dim italic")
    else:
        entry.append("\n")
        entry.append_text(plain(" ".join(conversation.last.body.split()), room, style="dim"))
    return entry


class ConversationList(OptionList):
    """The people the signed-in person writes with; j and k move as in every list."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("cursor_down"), binding("cursor_up")]


class MessagesPane(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [binding("accept"), binding("join")]

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._conversations: dict[str, Conversation] = {}
        self._partners: dict[str, Partner] = {}
        self._wanted: Partner | None = None
        """A person another section asked for, shown at the next load."""
        self._current: Partner | None = None
        self._views: list[SessionView] = []
        """The sessions with the person shown, as the thread last loaded them."""
        self._proposals: list[Proposal] = []
        """The proposals between the signed-in person and the person shown."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="messages-body"):
            yield ConversationList(id="conversations")
            with Vertical(id="conversation"):
                yield Static(id="conversation-title", classes="list-title")
                yield MessageThread(id="thread")
                yield Static(id="composer-problem")
                yield MessageComposer(id="composer")
        yield Notice(id="messages-empty")

    def on_mount(self) -> None:
        self.query_one("#composer-problem").display = False

    def on_resize(self) -> None:
        wide = self.size.width >= WIDE
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            self._show_list()  # the excerpts fit the list's new width

    @property
    def partner_id(self) -> str | None:
        """Whose conversation is shown, if any."""
        return self._current.id if self._current is not None else None

    def open_conversation(self, partner: Partner) -> None:
        self._wanted = partner

    # --- loading --------------------------------------------------------------
    async def load(self) -> None:
        found = await self.ctx.services.conversations()
        found.sort(key=lambda c: c.last.created_at, reverse=True)
        self._conversations = {c.other_id: c for c in found}
        self._partners = {c.other_id: Partner(c.other_id, c.other_name) for c in found}
        # Kept until done: a reload (live updates) may cancel this load while it waits below,
        # and the next one must still open that conversation and put the cursor in the box.
        wanted = self._wanted
        # Someone asked for whom there is no message yet goes first; so does the one being written to.
        for new in (self._current, wanted):
            if new is not None and new.id not in self._partners:
                self._partners = {new.id: new, **self._partners}
        self._show_list()
        chosen = wanted or self._current or next(iter(self._partners.values()), None)
        if chosen is not None:
            self._highlight(chosen.id)
            await self._show_thread(self._partners[chosen.id])  # the conversation shown is read
        if wanted is not None and self._wanted is wanted:
            self._wanted = None
            self.query_one(MessageComposer).focus()

    def _show_list(self) -> None:
        none = not self._partners
        self.set_class(none, "-none")
        self.can_focus = none  # an empty section keeps its keys (refresh, at least)
        if none:
            self.query_one("#messages-empty", Notice).update(self._empty_text())
        self.query_one("#conversations", OptionList).set_options(
            Option(_entry(partner, self._conversations.get(partner.id), self._room()), id=partner.id)
            for partner in self._partners.values()
        )
        if self._current is not None and self._current.id in self._partners:
            self._highlight(self._current.id)

    def _room(self) -> int:
        return EXCERPT[self.has_class("-wide")]

    def _empty_text(self) -> str:
        role, write = self.ctx.me.role, key_for("message").display
        if role is Role.MENTOR:
            return (
                "No conversations yet.\nMessaging opens once a student books a session with you: then press "
                f"{write} on it in {section_label(role, 'sessions')} or {section_label(role, 'my-students')}."
            )
        return (
            "No conversations yet.\nMessaging opens once you share a session with a mentor: find one under "
            f"{section_label(role, 'mentors')} and press {key_for('new').display} to book, then {write} on the "
            f"session in {section_label(role, 'my-sessions')}."
        )

    def _highlight(self, partner_id: str) -> None:
        options = self.query_one("#conversations", OptionList)
        options.highlighted = options.get_option_index(partner_id)

    # --- one conversation -----------------------------------------------------
    @on(OptionList.OptionHighlighted, "#conversations")
    def _picked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != event.option_list.highlighted:
            return  # news of a cursor a reload has moved since
        partner = self._partners.get(event.option.id or "")
        if partner is not None and partner != self._current:
            self._open_thread(partner)

    @on(OptionList.OptionSelected, "#conversations")
    def _write(self) -> None:
        self.query_one(MessageComposer).focus()

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def _open_thread(self, partner: Partner) -> None:
        """The conversation the cursor moved to, in a worker that a newer move replaces (a
        load awaits ``_show_thread`` itself, to end with the conversation shown)."""
        await self._show_thread(partner)

    async def _show_thread(self, partner: Partner) -> None:
        # Until its first wait this runs at once, so the cursor's news finds it already current.
        switched = partner != self._current
        if switched:
            self.query_one(MessageComposer).switch_to(partner.id)
            self._problem_beside_box("")
        self._current = partner
        self.query_one("#conversation-title", Static).update(Text("With ") + plain(partner.name, NAME))
        self.query_one(MessageComposer).placeholder = Content(  # literal text, never markup
            f"Write to {shown(partner.name)} · {key_for('send').display} sends · "
            f"{key_for('newline').display} starts a new line"
        )
        messages = await self.ctx.services.thread(partner.id)
        self._proposals = await self.ctx.services.proposals_with(partner.id)
        self._views = [
            view for view in await self.ctx.services.my_sessions() if partner.id in (view.session.mentor_id, view.session.student_id)
        ]
        self._show_messages(partner, messages)
        self.refresh_bindings()
        conversation = self._conversations.get(partner.id)
        if conversation is not None and conversation.unread:
            await self.ctx.services.mark_thread_read(partner.id)
            self.post_message(NotificationsRead())  # the messages' notifications were read with them
            self._conversations[partner.id] = conversation.model_copy(update={"unread": 0})
            self.query_one("#conversations", OptionList).replace_option_prompt(
                partner.id, _entry(partner, self._conversations[partner.id], self._room())
            )

    def _show_messages(self, partner: Partner, messages: list[Message]) -> None:
        thread = self.query_one("#thread", MessageThread)
        if messages:
            sessions = {view.session.id: view.session for view in self._views}
            proposals = {proposal.id: proposal for proposal in self._proposals}
            thread.show(thread_text(messages, self.ctx.me.id, partner.name, self.times(), sessions, proposals))
        else:
            thread.show(Text("No messages yet: write the first one below.", style="dim"))

    # --- writing --------------------------------------------------------------
    @on(MessageComposer.Send)
    def _send(self, event: MessageComposer.Send) -> None:
        if self._current is None:
            return
        from ..domain.chat_commands import SCHEDULE, message_text, split_command

        try:
            command = split_command(event.text)
        except MentorError as refused:
            self._problem_beside_box(refused.message)
            return
        if command is None:
            work = self._deliver(self._current, message_text(event.text))
        elif command[0] is SCHEDULE:
            work = self._preview_schedule(self._current, command[1])
        else:  # /help, the one other command
            self._show_help()
            return
        self.run_worker(work, group="send", exit_on_error=False)

    async def _deliver(self, partner: Partner, body: str) -> None:
        try:
            await self.ctx.services.send_message(partner.id, body)
        except MentorError as refused:
            self._problem_beside_box(refused.message)  # the box keeps the text to fix or keep
            return
        self._sent(partner)
        await self.load()

    def _sent(self, partner: Partner) -> None:
        self._problem_beside_box("")
        self.query_one(MessageComposer).sent(partner.id)

    def _show_help(self) -> None:
        from ..domain.chat_commands import help_lines

        self._problem_beside_box("\n".join(help_lines()), note=True)
        self.query_one(MessageComposer).load_text("")

    # --- /schedule ------------------------------------------------------------
    async def _preview_schedule(self, partner: Partner, args: str) -> None:
        """Read the time in the writer's own zone, then show what would be sent."""
        try:
            plan, theirs = await self._plan(partner, args)
        except MentorError as refused:
            self._problem_beside_box(refused.message)
            return
        self._problem_beside_box("")

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.run_worker(self._schedule(partner, plan), group="send", exit_on_error=False)

        await self.app.push_screen(SchedulePreview(plan, self.times(), self.times().in_zone(theirs)), answered)

    async def _plan(self, partner: Partner, args: str) -> tuple[SchedulePlan, ZoneInfo]:
        from ..domain.schedule_text import parse_schedule

        services, me = self.ctx.services, self.ctx.me
        ask = parse_schedule(args, services.now(), me.zone)
        proposing = me.role is Role.MENTOR
        mentor: Profile = me if proposing else (await services.get_mentor(partner.id)).profile
        if proposing:
            zones = [view.student_timezone for view in self._views if view.session.student_id == partner.id]
            theirs = ZoneInfo(zones[0]) if zones else me.zone
        else:
            theirs = mentor.zone
        start = ask.starts_at.astimezone(UTC)
        end = start + timedelta(minutes=ask.duration_minutes)
        windows = await services.get_availability(mentor.id)
        busy = await services.busy_times(mentor.id, start, end)
        if any(overlaps(start, end, held.start, held.end) for held in busy):
            fit = texts.PREVIEW_BUSY
        elif not windows:
            fit = texts.PREVIEW_NO_WINDOWS
        elif within_availability(start, ask.duration_minutes, windows, mentor.zone):
            fit = texts.PREVIEW_FITS
        else:
            fit = texts.PREVIEW_OUTSIDE_PROPOSAL if proposing else texts.PREVIEW_OUTSIDE_REQUEST
        if not proposing and fit in (texts.PREVIEW_FITS, texts.PREVIEW_NO_WINDOWS):
            fit = await self._rules_refusal(mentor, start, ask.duration_minutes) or fit
        plan = SchedulePlan(
            proposing=proposing,
            other_name=partner.name,
            subject=ask.subject or texts.SCHEDULE_SUBJECT,
            start=start,
            duration_minutes=ask.duration_minutes,
            hourly_rate=mentor.hourly_rate,
            fit=fit,
            adjusted=ask.adjusted,
        )
        return plan, theirs

    async def _rules_refusal(self, mentor: Profile, start: datetime, minutes: int) -> str | None:
        """The sentence of the mentor's booking rule that would refuse this request, if one would
        (their own proposals are theirs to make)."""
        from ..domain import booking_rules

        services = self.ctx.services
        rules = await services.booking_rules(mentor.id)
        held = await services.mentor_held_times(mentor.id, *booking_rules.context_window(start, minutes))
        reason = booking_rules.refusal(rules, start, minutes, held, mentor.zone, services.now())
        return None if reason is None else booking_rules.refusal_message(reason, rules)

    async def _schedule(self, partner: Partner, plan: SchedulePlan) -> None:
        """Send what the preview showed; a refusal shows above the box, which keeps the text."""
        services = self.ctx.services
        try:
            if plan.proposing:
                await services.propose(partner.id, plan.subject, plan.start, plan.duration_minutes)
            else:
                await services.request_in_chat(
                    BookingRequest(
                        mentor_id=partner.id,
                        subject=plan.subject,
                        scheduled_time=plan.start,
                        duration_minutes=plan.duration_minutes,
                    )
                )
        except MentorError as refused:
            self._problem_beside_box(refused.message)
            return
        self._sent(partner)
        await self.load()

    # --- accepting a proposal, joining the call ---------------------------------
    def _open_proposal(self) -> Proposal | None:
        return proposal_rules.newest_open(self._proposals, self.ctx.me.id, self.ctx.services.now())

    def _composer_focused(self) -> bool:
        return self.query_one(MessageComposer).has_focus

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept":
            return not self._composer_focused() and self._open_proposal() is not None
        if action == "join":
            return not self._composer_focused() and self._current is not None
        return super().check_action(action, parameters)

    def action_accept(self) -> None:
        proposal = self._open_proposal()
        if proposal is None:
            self.notify(texts.NO_OPEN_PROPOSAL, severity="warning")
            return
        self.run_worker(self._accept(proposal), group="accept", exit_on_error=False)

    async def _accept(self, proposal: Proposal) -> None:
        try:
            session = await self.ctx.services.accept_proposal(proposal.id)
        except MentorError as refused:
            self.notify(refused.message or "", severity="warning", markup=False)
            await self.load()  # shows it expired or accepted meanwhile
            return
        self.notify(texts.proposal_accepted(self.times().when(session.scheduled_time)), markup=False)
        await self.load()

    def action_join(self) -> None:
        from ..services import sessions

        partner = self._current
        if partner is None:
            return
        now = self.ctx.services.now()
        joinable = [
            view.session
            for view in self._views
            if SessionAction.JOIN in self.ctx.services.allowed(view.session)
        ]
        upcoming = sessions.upcoming(joinable, now)
        if not upcoming or not upcoming[0].meeting_link:
            self.notify(texts.no_call_with(shown(partner.name, NAME)), severity="warning", markup=False)
            return
        title = texts.call_with(shown(partner.name, NAME))
        self.run_worker(join_call(self.app, upcoming[0].meeting_link, title), group="join", exit_on_error=False)

    def _problem_beside_box(self, message: str, *, note: bool = False) -> None:
        """A refusal above the box (or, with ``note``, the app's own help); empty hides it."""
        problem = self.query_one("#composer-problem", Static)
        problem.update(plain(message, 2000, multiline=note))
        problem.set_class(note, "-note")
        problem.display = bool(message)


__all__ = ["MessagesPane"]
