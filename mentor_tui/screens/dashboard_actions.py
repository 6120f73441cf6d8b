"""What the mentor's Schedule still takes from the old dashboard kit, until it moves to
``widgets.pane.Pane`` and ``widgets.dialog.Dialog`` like the session panes have.

The session panes no longer use anything here: their dialogs are ``widgets.session_dialogs``
and their keys ``widgets.session_actions``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Static

from ..keymap import binding
from ..widgets.plain import plain
from ..widgets.table import refill, selected_key

ResultT = TypeVar("ResultT")


def settle_focus(pane: Widget, *candidates: Widget) -> None:
    """After a load, keep focus on something shown in a shown pane, so the pane's keys still work.

    Focus moves off a control the load has just hidden (say, an emptied table) to the first
    candidate still shown, or to the pane itself when none is: an empty pane keeps its keys.
    """
    shown = [widget for widget in candidates if widget.display]
    pane.can_focus = not shown
    focused = pane.screen.focused
    lost = (
        focused is None
        or (focused is pane and bool(shown))
        or (pane in focused.ancestors and not focused.display)
    )
    if lost and pane.parent is not None and pane.parent.display:
        (shown[0] if shown else pane).focus()


class MentorDialog(ModalScreen[ResultT]):
    """A question in a frame, the fields it needs, Back and an OK button, and its keys in a footer.

    Esc or Back dismisses with ``back``; OK dismisses with :meth:`answer`.
    """

    DEFAULT_CSS = """
    MentorDialog { align: center middle; }
    MentorDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    MentorDialog .field { margin-top: 1; }
    MentorDialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    MentorDialog .buttons Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [binding("close", label="Back", show=True)]

    back: ResultT
    ok_variant: Literal["primary", "success", "error"] = "primary"

    def __init__(self, question: str, ok_label: str) -> None:
        super().__init__()
        self.question = question
        self.ok_label = ok_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question, multiline=True), classes="question")
            yield from self.fields()
            with Horizontal(classes="buttons"):
                yield Button("Back", id="back")
                yield Button(self.ok_label, id="ok", variant=self.ok_variant)
        yield Footer()

    def fields(self) -> ComposeResult:
        return iter(())

    def answer(self) -> ResultT:
        raise NotImplementedError

    def action_ok(self) -> None:
        self.dismiss(self.answer())

    def action_close(self) -> None:
        self.dismiss(self.back)

    @on(Button.Pressed, "#ok")
    def _ok_pressed(self) -> None:
        self.action_ok()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_close()


class ConfirmDialog(MentorDialog[bool]):
    """A yes/no question; dismisses with True only when confirmed."""

    back = False

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def answer(self) -> bool:
        return True


class MentorPane(Vertical):
    """A dashboard tab: loads when shown (``refresh_data``, called by the home screen) and after
    each change it makes, with a loading indicator while the repository answers."""

    def refresh_data(self) -> None:
        self.run_worker(self._load(), exclusive=True, group="load", exit_on_error=False)

    def action_reload(self) -> None:
        self.refresh_data()

    async def _load(self) -> None:
        self.loading = True
        try:
            data = await self._fetch()
        finally:
            self.loading = False
        self._present(data)

    async def _fetch(self) -> Any:
        """Everything the tab shows, from the repository."""
        raise NotImplementedError

    def _present(self, data: Any) -> None:
        raise NotImplementedError


__all__ = ["ConfirmDialog", "MentorDialog", "MentorPane", "refill", "selected_key", "settle_focus"]
