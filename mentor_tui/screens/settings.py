"""Settings for everyone: full name and time zone; a mentor's profile form follows when present."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import AppContext

import unicodedata
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ..domain import rules
from ..domain.models import ProfileUpdate, Role
from ..repository.base import InvalidInput
from ..domain.text import FIELDS
from ..widgets.form_field import FormField
from ..widgets.limited import LimitedInput
from ..widgets.plain import plain, shown
from .search_field import SearchField


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

    DEFAULT_CSS = """
    ZonePicker { height: auto; }
    ZonePicker #zone-list { height: 7; border: round $panel; }
    ZonePicker #zone-list:focus { border: round $primary; }
    ZonePicker #zone-chosen { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, value: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = value

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

    def _show_chosen(self) -> None:
        now = self.app.ctx.clock.now().astimezone(ZoneInfo(self.value))
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


def mentor_profile_form() -> Widget | None:
    """The mentor's own profile form, when this version has one."""
    try:
        from .mentor_profile import MentorProfileForm
    except ModuleNotFoundError as exc:
        if exc.name == f"{__package__}.mentor_profile":
            return None
        raise
    return MentorProfileForm()


class SettingsPane(VerticalScroll, can_focus=False):
    """Not focusable itself, so showing the section puts the cursor in its first field."""

    DEFAULT_CSS = """
    SettingsPane { height: 1fr; padding: 0 1; }
    SettingsPane .settings-title { text-style: bold; margin-top: 1; }
    SettingsPane #settings-message { height: auto; padding-left: 11; color: $text-success; }
    SettingsPane #settings-message.-error { color: $text-error; }
    SettingsPane .settings-buttons { height: auto; padding-left: 11; }
    """

    BINDINGS = [Binding("ctrl+s", "save", "Save")]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._loaded: tuple[str, str] | None = None
        """The name and zone last shown from the profile, to tell unsaved edits apart."""

    def compose(self) -> ComposeResult:
        user = self.app.ctx.me
        yield Static("Your profile", classes="settings-title")
        yield FormField(
            "Full name", LimitedInput("full_name", id="full-name", placeholder="Your name"), id="full_name"
        )
        yield FormField("Time zone", ZonePicker(user.timezone if user else "UTC", id="zone"), id="timezone")
        yield Static(id="settings-message")
        with Horizontal(classes="settings-buttons"):
            yield Button("Save  ctrl+s", id="save-settings", variant="primary")
        if user is not None and user.role is Role.MENTOR:
            form = mentor_profile_form()
            if form is not None:
                yield form

    def refresh_data(self) -> None:
        """Show the profile as it is, unless the person is in the middle of editing it."""
        user = self.app.ctx.me
        if user is not None and (self._loaded is None or self._form_values() == self._loaded):
            self._fill(user.full_name, user.timezone)
        for child in self.children:
            refresh = getattr(child, "refresh_data", None)
            if callable(refresh):
                refresh()

    def _fill(self, full_name: str, zone: str) -> None:
        # A stored name written by another client may hold control characters: the field shows them
        # as visible symbols, so saving it again stores only safe text.
        full_name = shown(full_name, FIELDS["full_name"].max_length)
        self.query_one("#full-name", Input).value = full_name
        self.query_one("#zone", ZonePicker).set_value(zone)
        self._loaded = (full_name, zone)

    def _form_values(self) -> tuple[str, str]:
        return self.query_one("#full-name", Input).value, self.query_one("#zone", ZonePicker).value

    def _say(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#settings-message", Static)
        line.update(plain(message, 500, multiline=True))
        line.set_class(error, "-error")

    @on(Input.Submitted, "#full-name")
    @on(Button.Pressed, "#save-settings")
    def action_save(self) -> None:
        full_name, zone = self._form_values()
        update = ProfileUpdate(full_name=full_name.strip(), timezone=zone)
        errors = rules.profile_errors(update)
        for field in ("full_name", "timezone"):
            self.query_one(f"#{field}", FormField).show_error(errors.get(field))
        if errors:
            self._say("")
            return
        self._save(update)

    @work(exclusive=True, group="settings-save", exit_on_error=False)
    async def _save(self, update: ProfileUpdate) -> None:
        self._say("Saving…")
        try:
            profile = await self.app.ctx.services.update_profile(update)
        except InvalidInput as exc:
            if exc.field in ("full_name", "timezone"):
                self.query_one(f"#{exc.field}", FormField).show_error(exc.message)
                self._say("")
            else:
                self._say(exc.message, error=True)
            return
        except Exception:
            self._say("Not saved; your changes are still here.", error=True)
            raise  # the app reports why
        self._fill(profile.full_name, profile.timezone)
        self._say(f"Saved. Times now show in {profile.timezone}.")
