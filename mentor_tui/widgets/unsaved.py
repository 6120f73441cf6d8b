"""Forms that never lose work: anything holding typed-but-unsaved changes says so, and
quitting, signing out, changing tab or closing a dialog asks first."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.dom import DOMNode

from .dialog import ConfirmDialog


@runtime_checkable
class HoldsWork(Protocol):
    def unsaved_changes(self) -> bool:
        """True while the person has typed something not yet saved or sent."""
        ...

    @property
    def work_title(self) -> str:
        """What to call it in the question: "your profile", "the booking form"."""
        ...


def unsaved_in(root: DOMNode) -> list[HoldsWork]:
    """Every node under ``root`` (itself included) with unsaved changes."""
    nodes = [root, *root.query("*")]
    return [node for node in nodes if isinstance(node, HoldsWork) and node.unsaved_changes()]


def discard_question(holders: list[HoldsWork]) -> str:
    names = ", ".join(dict.fromkeys(holder.work_title for holder in holders))
    return f"You have unsaved changes in {names}. Discard them?"


class DiscardQuestion(ConfirmDialog):
    """Asked before leaving what ``holders`` hold; closes with True to discard it."""

    def __init__(self, holders: list[HoldsWork], ok_label: str = "Discard") -> None:
        super().__init__("Unsaved changes", discard_question(holders), ok_label, "Keep editing")


__all__ = ["DiscardQuestion", "HoldsWork", "discard_question", "unsaved_in"]
