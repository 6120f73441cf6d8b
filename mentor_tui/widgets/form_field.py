"""One row of a form: a label, the control it names, and that control's own error beneath it,
shown until the control is changed; optionally a hint beneath it while the row has the focus
(a placeholder says the same only while the control is empty)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from .plain import plain


class FormField(Horizontal):
    DEFAULT_CSS = """
    FormField {
        height: auto;
    }
    FormField > .form-field--label {
        width: 11;
        /* level with the text line of a bordered Input or RadioSet */
        padding: 1 1 0 0;
        text-style: bold;
    }
    FormField > Vertical {
        width: 1fr;
        height: auto;
    }
    FormField .form-field--error {
        display: none;
        color: $text-error;
        padding: 0 1;
    }
    FormField.-has-error .form-field--error {
        display: block;
    }
    FormField .form-field--hint {
        display: none;
        color: $text-muted;
        padding: 0 1;
    }
    FormField.-editing .form-field--hint {
        display: block;
    }
    """

    def __init__(self, label: str, control: Widget, *, hint: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.control = control
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="form-field--label", markup=False)
        with Vertical():
            yield self.control
            if self.hint:
                yield Static(self.hint, classes="form-field--hint", markup=False)
            yield Static("", classes="form-field--error", markup=False)

    def on_input_changed(self) -> None:
        self._changed()

    def on_text_area_changed(self) -> None:
        # By name, not with @on(TextArea.Changed): importing TextArea would slow the sign-in form.
        self._changed()

    def _changed(self) -> None:
        # The message was about what the field held before: stale once it changes. Only when
        # one shows: clearing an empty one still re-lays out the screen, on every key.
        if self.has_class("-has-error"):
            self.show_error(None)

    def on_descendant_focus(self) -> None:
        if self.hint:  # the class only shows the hint; restyling a row without one is waste
            self.add_class("-editing")

    def on_descendant_blur(self) -> None:
        self.remove_class("-editing")

    def on_click(self) -> None:
        self.control.focus()

    def show_error(self, message: str | None) -> None:
        """Show ``message`` under the control, or clear it with None."""
        self.query_one(".form-field--error", Static).update(plain(message or "", 500, multiline=True))
        self.set_class(bool(message), "-has-error")
