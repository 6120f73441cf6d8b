"""Messages, for both roles: the conversations on the left, the selected one's thread and the
box to write in on the right.

A mentor and a student may write to each other once they share a session, of any status
(``services.messages``). Opening a conversation marks what the other person sent read.
Another section's message key (``widgets.message_open``) opens this one on a person,
before their first message too. A refusal shows above the box, which keeps the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain.errors import MentorError
from ..domain.models import Conversation, Message, Role
from ..keymap import key_for
from ..navigation import section_label
from ..widgets.message_composer import MessageComposer
from ..widgets.message_open import Partner
from ..widgets.message_thread import MessageThread, thread_text
from ..widgets.notice import Notice
from ..widgets.pane import Pane
from ..widgets.plain import NAME, plain, shown

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


class MessagesPane(Pane):
    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._conversations: dict[str, Conversation] = {}
        self._partners: dict[str, Partner] = {}
        self._wanted: Partner | None = None
        """A person another section asked for, shown at the next load."""
        self._current: Partner | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="messages-body"):
            yield OptionList(id="conversations")
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

    def open_conversation(self, partner: Partner) -> None:
        self._wanted = partner

    # --- loading --------------------------------------------------------------
    async def load(self) -> None:
        found = await self.ctx.services.conversations()
        found.sort(key=lambda c: c.last.created_at, reverse=True)
        self._conversations = {c.other_id: c for c in found}
        self._partners = {c.other_id: Partner(c.other_id, c.other_name) for c in found}
        wanted, self._wanted = self._wanted, None
        # Someone asked for whom there is no message yet goes first; so does the one being written to.
        for new in (self._current, wanted):
            if new is not None and new.id not in self._partners:
                self._partners = {new.id: new, **self._partners}
        self._show_list()
        chosen = wanted or self._current or next(iter(self._partners.values()), None)
        if chosen is not None:
            self._highlight(chosen.id)
            await self._show_thread(self._partners[chosen.id])  # the conversation shown is read
        if wanted is not None:
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
            self.run_worker(self._show_thread(partner), exclusive=True, group="thread", exit_on_error=False)

    @on(OptionList.OptionSelected, "#conversations")
    def _write(self) -> None:
        self.query_one(MessageComposer).focus()

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
        self._show_messages(partner, messages)
        conversation = self._conversations.get(partner.id)
        if conversation is not None and conversation.unread:
            await self.ctx.services.mark_thread_read(partner.id)
            self._conversations[partner.id] = conversation.model_copy(update={"unread": 0})
            self.query_one("#conversations", OptionList).replace_option_prompt(
                partner.id, _entry(partner, self._conversations[partner.id], self._room())
            )

    def _show_messages(self, partner: Partner, messages: list[Message]) -> None:
        thread = self.query_one("#thread", MessageThread)
        if messages:
            thread.show(thread_text(messages, self.ctx.me.id, partner.name, self.times()))
        else:
            thread.show(Text("No messages yet: write the first one below.", style="dim"))

    # --- writing --------------------------------------------------------------
    @on(MessageComposer.Send)
    def _send(self, event: MessageComposer.Send) -> None:
        if self._current is not None:
            self.run_worker(self._deliver(self._current, event.text), group="send", exit_on_error=False)

    async def _deliver(self, partner: Partner, body: str) -> None:
        try:
            await self.ctx.services.send_message(partner.id, body)
        except MentorError as refused:
            self._problem_beside_box(refused.message)  # the box keeps the text to fix or keep
            return
        self._problem_beside_box("")
        self.query_one(MessageComposer).sent(partner.id)
        await self.load()

    def _problem_beside_box(self, message: str) -> None:
        problem = self.query_one("#composer-problem", Static)
        problem.update(plain(message, 500))
        problem.display = bool(message)


__all__ = ["MessagesPane"]
