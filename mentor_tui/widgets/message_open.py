"""Opening the Messages section on one person's conversation, from any section.

A pane that knows who the other person is (of a session, a student, a booked mentor)
posts :class:`OpenConversation`; the home screen shows the Messages section and hands it
the person, so the conversation is there even before its first message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.message import Message


@dataclass(frozen=True)
class Partner:
    """The other person of a conversation."""

    id: str
    name: str


class OpenConversation(Message):
    """Show the Messages section on the conversation with ``partner``."""

    def __init__(self, partner: Partner) -> None:
        super().__init__()
        self.partner = partner


@runtime_checkable
class OpensConversations(Protocol):
    def open_conversation(self, partner: Partner) -> None:
        """Show the conversation with ``partner`` once loaded (a new one when they have not written yet)."""
        ...


__all__ = ["OpenConversation", "OpensConversations", "Partner"]
