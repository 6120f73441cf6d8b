"""The one dialog of the app, for both roles: a titled box with a short explanation, its
fields, one line for a refusal, Back and an OK button, and its keys in the footer.

ctrl+s sends (so does Enter in a one-line field); Esc goes back, asking first when
something typed would be lost. :meth:`Dialog.send` runs in a worker and returns what the
dialog closes with; a ``MentorError`` it raises is shown inside the dialog and the form
stays as typed, with the field an ``InvalidInput`` names focused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, Literal, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from ..domain.errors import InvalidInput, MentorError
from ..keymap import binding
from .failures import ReportsFailures
from .footer import Footer
from .plain import plain

ResultT = TypeVar("ResultT")


class Dialog(ReportsFailures, ModalScreen[ResultT | None], Generic[ResultT]):
    DEFAULT_CSS = """
    Dialog { align: center middle; background: $background 60%; }
    Dialog #dialog-box {
        width: 68; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-style: bold; background: $surface; padding: 0 1;
    }
    Dialog #dialog-about { color: $text-muted; margin-bottom: 1; height: auto; }
    Dialog #dialog-error { color: $text-error; height: auto; display: none; }
    Dialog #dialog-error.-shown { display: block; }
    Dialog #dialog-buttons { height: 1; margin-top: 1; align-horizontal: right; }
    Dialog #dialog-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar = [binding("close", label="Back", show=True), binding("save", label="Send")]

    ok_variant: ClassVar[Literal["default", "primary", "success", "warning", "error"]] = "primary"
    work_title = "this dialog"

    def __init__(self, title: str, about: str | Text = "", ok_label: str = "OK", back_label: str = "Back") -> None:
        super().__init__()
        self.dialog_title = title
        self.about = about
        self.ok_label = ok_label
        self.back_label = back_label
        self._sending = False

    # --- what a dialog defines ----------------------------------------------------------
    def fields(self) -> ComposeResult:
        """The dialog's inputs, in focus order; an input's id is the field name errors use."""
        return iter(())

    async def send(self) -> ResultT:
        """Do the dialog's work; raise ``MentorError`` to refuse (shown in the dialog)."""
        raise NotImplementedError

    def unsaved_changes(self) -> bool:
        """True when going back would lose something typed; Esc then asks first."""
        return False

    # --- the frame ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box") as box:
            box.border_title = plain(self.dialog_title, 60)
            if self.about:
                about = self.about if isinstance(self.about, Text) else plain(self.about, multiline=True)
                yield Static(about, id="dialog-about")
            yield from self.fields()
            yield Static(id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.back_label, id="dialog-back", compact=True)
                yield Button(self.ok_label, id="dialog-ok", variant=self.ok_variant, compact=True)
        yield Footer()

    def say(self, message: str) -> None:
        """Show a refusal in the dialog (an empty message hides the line)."""
        line = self.query_one("#dialog-error", Static)
        line.update(plain(message, 500, multiline=True))
        line.set_class(bool(message), "-shown")

    def on_input_changed(self) -> None:
        # A message about what was there before is stale once the person changes it.
        self.say("")

    def on_text_area_changed(self) -> None:
        # By name, not with @on(TextArea.Changed): importing TextArea would slow the first screen.
        self.say("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#dialog-ok")
    def _submit(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#dialog-back")
    def _back(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_save(self) -> None:
        if not self._sending:
            self._sending = True
            self._send()

    @work(exclusive=True, group="dialog", exit_on_error=False)
    async def _send(self) -> None:
        self.say("")
        try:
            result = await self.send()
        except MentorError as refused:
            self.say(refused.message)
            if isinstance(refused, InvalidInput):
                self._focus_field(refused.field)
        else:
            self.dismiss(result)
        finally:
            self._sending = False

    def _focus_field(self, field: str) -> None:
        try:
            widget = self.query_one(f"#{field}", Widget)
        except NoMatches:
            return
        if widget.focusable:
            widget.focus()

    def action_close(self) -> None:
        if not self.unsaved_changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard what you typed?", "Going back loses it.", "Discard", "Keep editing"), answered
        )


class ConfirmDialog(Dialog[bool]):
    """A yes/no question; closes with True only when confirmed, None when not."""

    ok_variant = "error"

    def on_mount(self) -> None:
        self.query_one("#dialog-ok", Button).focus()

    async def send(self) -> bool:
        return True


def ask(
    screen_host: Widget | ModalScreen[object], question: str, about: str, ok: str, then: Callable[[], object]
) -> None:
    """Ask ``question``; call ``then`` only when the person confirms."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    screen_host.app.push_screen(ConfirmDialog(question, about, ok, "Back"), answered)


__all__ = ["ConfirmDialog", "Dialog", "ask"]
