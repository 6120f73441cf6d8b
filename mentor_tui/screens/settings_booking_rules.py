"""A mentor's booking rules, part of Settings: notice, buffers, limits, how far ahead
bookings open, the cancellation window and when unanswered requests expire.

The Settings pane saves this form with everything else (one ctrl+s): the form reads its
fields into the values ``booking_rules.rules_errors`` judges and shows each refusal
beside its field.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..domain import messages
from ..domain.booking_rules import LIMITS, OPTIONAL, BookingRules
from ..widgets.form_field import FormField

RULE_FIELDS: dict[str, tuple[str, str]] = {
    "min_notice_minutes": ("Notice min", "Minutes' notice a booking needs (720 = 12 hours; 0 = none)"),
    "buffer_minutes": ("Buffer min", "Minutes kept free before and after each session"),
    "max_per_day": ("Per day", "Most sessions a day; empty = no limit"),
    "max_per_week": ("Per week", "Most sessions a week (Monday to Sunday); empty = no limit"),
    "horizon_days": ("Ahead days", "Days ahead bookings open (at most 730)"),
    "cancel_window_hours": ("Late hours", "Hours before the start inside which a cancel is late and needs a reason"),
    "request_expiry_hours": ("Expire hrs", "Hours an unanswered request waits before it expires"),
}
"""Each rule's label and placeholder, in the order shown; ``#rule-<name>`` is its row."""

Values = tuple[str, ...]


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


class BookingRulesForm(Vertical):
    work_title = "your booking rules"

    def __init__(self) -> None:
        super().__init__(id="booking-rules")
        self._loaded: Values | None = None

    def compose(self) -> ComposeResult:
        yield Static("Booking rules: what students may book", classes="settings-title")
        for name, (label, hint) in RULE_FIELDS.items():
            # The hint shows while the rule is being edited: the placeholder alone hides behind a value.
            yield FormField(
                label, Input(id=f"rule-{name}-text", placeholder=hint, max_length=6, type="text"), hint=hint,
                id=f"rule-{name}",
            )

    def show_rules(self, rules: BookingRules, *, keep_edits: bool = True) -> None:
        """Show ``rules``; with ``keep_edits``, fields being edited stay as typed."""
        if keep_edits and self.unsaved_changes():
            return
        for name in RULE_FIELDS:
            self.query_one(f"#rule-{name}-text", Input).value = _text(getattr(rules, name))
        self._loaded = self.values()

    def values(self) -> Values:
        return tuple(self.query_one(f"#rule-{name}-text", Input).value for name in RULE_FIELDS)

    def unsaved_changes(self) -> bool:
        return self._loaded is not None and self.values() != self._loaded

    def changes(self) -> tuple[dict[str, int | None], dict[str, str]]:
        """The rules as typed, and the fields that are not whole numbers."""
        read: dict[str, int | None] = {}
        errors: dict[str, str] = {}
        for name, text in zip(RULE_FIELDS, self.values(), strict=True):
            text = text.strip()
            if not text and name in OPTIONAL:
                read[name] = None
            elif text.isascii() and text.isdigit():
                read[name] = int(text)
            else:
                read[name] = None
                errors[name] = messages.rule_range(*LIMITS[name])
        return read, errors

    def show_errors(self, errors: dict[str, str]) -> str | None:
        """Each rule's error beside it; the id of the first control with one, to focus, or None."""
        for name in RULE_FIELDS:
            self.query_one(f"#rule-{name}", FormField).show_error(errors.get(name))
        first = next((name for name in RULE_FIELDS if name in errors), None)
        return None if first is None else f"rule-{first}-text"


__all__ = ["RULE_FIELDS", "BookingRulesForm"]
