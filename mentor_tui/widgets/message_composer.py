"""The box a message is written in: Enter sends, ctrl+j starts a new line (``keymap``).

Most terminals send ctrl+j for ctrl+Enter (and for a bare line feed), so it is the one
newline key that reaches the app everywhere. What is typed stays until it is sent, and
counts as unsaved work (``widgets.unsaved``) so changing tab or quitting asks first;
each conversation keeps its own draft, so text meant for one person never goes to another.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.message import Message

from ..keymap import binding, key_for
from .limited import LimitedTextArea


class MessageComposer(LimitedTextArea):
    BINDINGS: ClassVar[list[BindingType]] = [binding("send"), binding("newline")]

    class Send(Message):
        """The person pressed the send key with ``text`` in the box."""

        def __init__(self, composer: MessageComposer, text: str) -> None:
            super().__init__()
            self.composer = composer
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("body", id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self._drafts: dict[str, str] = {}
        self._to: str | None = None

    def switch_to(self, partner_id: str) -> None:
        """Keep what was typed for the conversation shown until now; show ``partner_id``'s draft."""
        if self._to is not None:
            self._drafts[self._to] = self.text
        self._to = partner_id
        self.load_text(self._drafts.pop(partner_id, ""))

    def sent(self, partner_id: str) -> None:
        """``partner_id``'s message went: the box empties if it still shows their draft."""
        if self._to == partner_id:
            self.load_text("")
        else:
            self._drafts.pop(partner_id, None)

    async def _on_key(self, event: events.Key) -> None:
        # TextArea would insert a newline for Enter and ignore ctrl+j: here the two swap.
        if event.key == key_for("send").key:
            event.stop()
            event.prevent_default()
            self.action_send()
        elif event.key == key_for("newline").key:
            event.stop()
            event.prevent_default()
            self.action_newline()

    def action_send(self) -> None:
        if self.text.strip():
            self.post_message(self.Send(self, self.text))

    def action_newline(self) -> None:
        start, end = self.selection
        self._replace_via_keyboard("\n", start, end)

    def unsaved_changes(self) -> bool:
        return bool(self.text.strip()) or any(draft.strip() for draft in self._drafts.values())

    @property
    def work_title(self) -> str:
        return "your message"


__all__ = ["MessageComposer"]
