"""Settings for everyone: full name and time zone; for a mentor, their public profile too.

One ctrl+s saves the whole pane (the person's fields and, for a mentor, the profile)
in one go, with one message. A refused field shows its reason beside it until it is
changed, and a failed save keeps everything as typed.
"""

from __future__ import annotations

import asyncio
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo, available_timezones

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static, Switch, TextArea
from textual.widgets.option_list import Option, OptionDoesNotExist

from .. import alert_choices
from ..alert_choices import AlertChoices
from ..domain import booking_rules, rules
from ..domain.errors import InvalidInput, MentorError
from ..domain.models import Profile, ProfileUpdate, Role
from ..domain.text import FIELDS
from ..keymap import binding, key_for
from ..widgets.form_field import FormField
from ..widgets.limited import LimitedInput
from ..widgets.notification_alerts import AlertChoicesChanged
from ..widgets.pane import Pane
from ..widgets.plain import plain, shown
from .mentor_profile import MentorProfileForm
from .reminder_settings import ReminderLeadSelect, reminder_lead_row
from .settings_booking_rules import BookingRulesForm
from .search_field import SearchField

if TYPE_CHECKING:
    from ..clock import Clock
    from ..context import AppContext

OWN_FIELDS = ("full_name", "timezone")
"""The fields every person has; ``#<name>`` is the field's row."""
ALERT_SWITCHES = {
    "toast": "A message in the corner",
    "bell": "The terminal bell",
    "terminal": "A desktop notification, where your terminal shows one",
}
"""Each way an arrival is announced (``alert_choices.CHOICES``), as the switch names it; ``#alert-<name>``."""


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def _searchable(text: str) -> str:
    """Lower case, no accents, underscores as spaces: 'São_Paulo' -> 'sao paulo'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("_", " "))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matching_zones(query: str) -> list[str]:
    """Zones whose name holds every word of ``query``: 'new york' finds America/New_York."""
    words = _searchable(query).split()
    return [name for name in zone_names() if all(word in _searchable(name) for word in words)]


class ZonePicker(Vertical):
    """Search the IANA zones as you type; Enter or a click picks one."""

    class Picked(Message):
        """A zone was chosen (by the person, or shown from the profile)."""

    def __init__(self, value: str, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = value
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield SearchField(results="#zone-list", id="zone-search", placeholder="Search: lisbon, new york, tokyo…")
        yield OptionList(id="zone-list")
        yield Static(id="zone-chosen")

    def on_mount(self) -> None:
        self._show_matches("")

    def set_value(self, value: str) -> None:
        self.value = value
        self._show_chosen()
        self._highlight_value()
        self.post_message(self.Picked())

    def _show_chosen(self) -> None:
        now = self.clock.now().astimezone(ZoneInfo(self.value))
        self.query_one("#zone-chosen", Static).update(f"Chosen: {self.value} · now {now:%H:%M} there")

    def _show_matches(self, query: str) -> None:
        options = self.query_one("#zone-list", OptionList)
        names = matching_zones(query)
        options.clear_options()
        options.add_options(Option(name, id=name) for name in names)
        if not names:
            options.add_option(Option("No zone matches; try a city or region name.", disabled=True))
        self._highlight_value()
        self._show_chosen()

    def _highlight_value(self) -> None:
        options = self.query_one("#zone-list", OptionList)
        try:
            options.highlighted = options.get_option_index(self.value)
        except OptionDoesNotExist:  # the search hides the chosen zone
            options.highlighted = 0 if options.option_count else None

    @on(Input.Changed, "#zone-search")
    def _search(self, event: Input.Changed) -> None:
        self._show_matches(event.value)

    @on(Input.Submitted, "#zone-search")
    def _pick_highlighted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter here picks a zone; it does not save the form
        options = self.query_one("#zone-list", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.set_value(option.id)

    @on(OptionList.OptionSelected, "#zone-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.set_value(event.option.id)


class SettingsPane(Pane):
    BINDINGS: ClassVar = [binding("save")]
    work_title = "your settings"

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._shown_values: tuple[str, str] | None = None
        """The name and zone last shown from the profile, to tell unsaved edits apart."""
        self._saving = False
        self._refused: tuple[str, ...] = ()
        """Every field as it was when a save was last refused; () when none is."""

    def compose(self) -> ComposeResult:
        me = self.ctx.me
        with VerticalScroll(id="settings-body") as body:
            body.can_focus = False  # showing the section puts the cursor in its first field
            yield Static("Your profile", classes="settings-title")
            yield FormField(
                "Full name", LimitedInput("full_name", id="full-name", placeholder="Your name"), id="full_name"
            )
            yield FormField("Time zone", ZonePicker(me.timezone, self.ctx.clock, id="zone"), id="timezone")
            # Personal, like the fields above: before the public profile, which ends the form.
            yield Static("When something arrives while the app is open", classes="settings-title")
            yield Static("Takes effect at once; remembered on this computer.", classes="settings-hint", markup=False)
            for name, label in ALERT_SWITCHES.items():
                with Horizontal(classes="alert-row"):
                    yield Switch(id=f"alert-{name}", animate=False)
                    yield Static(label, markup=False)
            yield from reminder_lead_row(self.ctx)
            if me.role is Role.MENTOR:
                yield MentorProfileForm()
                yield BookingRulesForm()
        with Horizontal(id="settings-bar"):
            yield Button(f"Save  {key_for('save').key}", id="save-settings", variant="primary", compact=True)
            yield Static(id="settings-message")

    async def load(self) -> None:
        self._show(self.ctx.me, keep_edits=True)
        if rules_form := self._rules_form:
            rules_form.show_rules(await self.ctx.services.booking_rules(self.ctx.me.id))
        choices = await asyncio.to_thread(alert_choices.load, self.ctx.settings, self.ctx.me.id)
        with self.prevent(Switch.Changed):
            for name in alert_choices.CHOICES:
                self.query_one(f"#alert-{name}", Switch).value = getattr(choices, name)
        await self.query_one(ReminderLeadSelect).show_stored()

    @on(Switch.Changed)
    def _alert_switched(self, event: Switch.Changed) -> None:
        event.stop()
        choices = AlertChoices(
            **{name: self.query_one(f"#alert-{name}", Switch).value for name in alert_choices.CHOICES}
        )
        self.post_message(AlertChoicesChanged(choices))
        self._remember(choices)

    @work(exclusive=True, group="alert-choices", exit_on_error=False)
    async def _remember(self, choices: AlertChoices) -> None:
        await asyncio.to_thread(alert_choices.save, self.ctx.settings, self.ctx.me.id, choices)

    # --- showing ------------------------------------------------------------------------
    @property
    def _mentor_form(self) -> MentorProfileForm | None:
        forms = self.query(MentorProfileForm)
        return forms.first() if forms else None

    @property
    def _rules_form(self) -> BookingRulesForm | None:
        forms = self.query(BookingRulesForm)
        return forms.first() if forms else None

    def _show(self, profile: Profile, *, keep_edits: bool) -> None:
        """Show ``profile``; with ``keep_edits``, what the person is editing stays as typed."""
        if not (keep_edits and self.unsaved_changes()):
            # A stored name written by another client may hold control characters: the field shows
            # them as visible symbols, so saving it again stores only safe text.
            self.query_one("#full-name", Input).value = shown(profile.full_name, FIELDS["full_name"].max_length)
            self.query_one("#zone", ZonePicker).set_value(profile.timezone)
            self._shown_values = self._own_values()
        if form := self._mentor_form:
            form.show_profile(profile, keep_edits=keep_edits)

    def _own_values(self) -> tuple[str, str]:
        return self.query_one("#full-name", Input).value, self.query_one("#zone", ZonePicker).value

    def unsaved_changes(self) -> bool:
        """The name or zone differs from the profile (the mentor form answers for itself)."""
        return self._shown_values is not None and self._own_values() != self._shown_values

    def _say(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#settings-message", Static)
        line.update(plain(message, 500))
        line.set_class(error, "-error")

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each field's reason beside it; the first field with one gets the focus."""
        for name in OWN_FIELDS:
            self.query_one(f"#{name}", FormField).show_error(errors.get(name))
        form = self._mentor_form
        in_form = form.show_errors(errors) if form else None
        rules_form = self._rules_form
        in_rules = rules_form.show_errors(errors) if rules_form else None
        first = next((name for name in OWN_FIELDS if name in errors), None)
        target = {"full_name": "#full-name", "timezone": "#zone-search"}.get(first or "") or (
            f"#{in_form or in_rules}" if in_form or in_rules else None
        )
        if target:
            self.query_one(target).focus()

    def _all_values(self) -> tuple[str, ...]:
        form, rules_form = self._mentor_form, self._rules_form
        return self._own_values() + (form.values() if form else ()) + (rules_form.values() if rules_form else ())

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(ZonePicker.Picked)
    def _typed(self, event: Input.Changed | TextArea.Changed | ZonePicker.Picked) -> None:
        # "Not saved: fix the marked fields" is stale once the person changes what was refused
        # (a change made before that save may reach here after it: that one is not news).
        if isinstance(event, ZonePicker.Picked):
            self.query_one("#timezone", FormField).show_error(None)
        if self._refused and self._all_values() != self._refused:
            self._refused = ()
            self._say("")

    def _refuse(self, message: str) -> None:
        self._refused = self._all_values()
        self._say(message, error=True)

    # --- saving -------------------------------------------------------------------------
    @on(Input.Submitted, "#full-name")
    @on(Button.Pressed, "#save-settings")
    def action_save(self) -> None:
        if self._saving:
            return
        full_name, zone = self._own_values()
        fields: dict[str, object] = {"full_name": full_name.strip(), "timezone": zone}
        unreadable: dict[str, str] = {}
        if form := self._mentor_form:
            more, unreadable = form.changes()
            fields |= more
        update = ProfileUpdate.model_validate(fields)
        errors = rules.profile_errors(update) | unreadable
        booking: dict[str, int | None] | None = None
        if rules_form := self._rules_form:
            booking, unreadable_rules = rules_form.changes()
            errors |= booking_rules.rules_errors(booking) | unreadable_rules
        self._show_errors(errors)
        if errors:
            self._refuse("Not saved: please fix the marked fields.")
            return
        self._saving = True
        self._save(update, booking)

    @work(exclusive=True, group="settings-save", exit_on_error=False)
    async def _save(self, update: ProfileUpdate, booking: dict[str, int | None] | None) -> None:
        self._say("Saving…")
        try:
            profile = await self.ctx.services.update_profile(update)
            if booking is not None and (rules_form := self._rules_form) is not None:
                rules_form.show_rules(await self.ctx.services.save_booking_rules(booking), keep_edits=False)
        except InvalidInput as refused:
            self._show_errors({refused.field: refused.message})
            self._refuse(f"Not saved: {refused.message}")
            return
        except MentorError as failed:
            self._refuse(f"Not saved: {failed.message} Your changes are still here.")
            return
        finally:
            self._saving = False
        self._show(profile, keep_edits=False)
        said = f"Saved. Times now show in {profile.timezone}."
        if profile.role is Role.MENTOR:
            said += " Students see your profile as shown."
        self._say(said)


__all__ = ["SettingsPane", "ZonePicker", "matching_zones"]
