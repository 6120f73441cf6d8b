"""A mentor's public profile, edited inside Settings: what students see when they choose a mentor.

Full name and time zone belong to everyone and live in the Settings pane itself;
this form holds what only mentors have, and saves it on its own.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, TextArea

from ..domain import rules
from ..domain.models import Profile, ProfileUpdate
from ..repository.base import InvalidInput
from ..domain.text import EXPERTISE_MAX_TAGS, FIELDS, SHORT_INPUT_MAX, TextField, normalise_tags
from ..widgets.form_field import FormField
from ..widgets.limited import LimitedInput, LimitedTextArea
from ..widgets.plain import plain, shown

FORM_FIELDS = ("profession", "experience", "hourly_rate", "expertise", "bio", "meeting_url")

Values = tuple[str, ...]

EXPERTISE_TEXT = TextField("expertise list", EXPERTISE_MAX_TAGS * (FIELDS["expertise"].max_length + 2))
"""Room for every tag the rules allow, with ", " between them."""


def parse_rate(text: str) -> Decimal | None:
    """The hourly rate typed; None for an empty field. Raises ValueError for anything but an amount."""
    text = text.strip().removeprefix("$").replace(",", "")
    if not text:
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not rate.is_finite() or rate.as_tuple().exponent < -2:
        raise ValueError
    return rate


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, without blanks or repeats (ignoring case)."""
    return normalise_tags(text.split(","))


class MentorProfileForm(Vertical):
    DEFAULT_CSS = """
    MentorProfileForm { height: auto; }
    MentorProfileForm .mentor-profile-title { text-style: bold; margin-top: 1; }
    MentorProfileForm .mentor-profile-hint { color: $text-muted; padding-left: 11; }
    MentorProfileForm #bio-text { height: 5; }
    MentorProfileForm #mentor-profile-message { height: auto; padding-left: 11; color: $text-success; }
    MentorProfileForm #mentor-profile-message.-error { color: $text-error; }
    MentorProfileForm .mentor-profile-buttons { height: auto; padding-left: 11; margin-bottom: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save mentor profile")]

    def __init__(self) -> None:
        super().__init__(id="mentor-profile")
        self._loaded: Values | None = None
        """The values last shown from the profile, to tell unsaved edits apart."""

    def compose(self) -> ComposeResult:
        yield Static("Mentor profile: what students see", classes="mentor-profile-title")
        yield FormField(
            "Profession",
            LimitedInput("profession", id="profession-text", placeholder="e.g. Senior Python Engineer"),
            id="profession",
        )
        yield FormField(
            "Experience", LimitedInput("experience", id="experience-text", placeholder="e.g. 8 years"), id="experience"
        )
        yield FormField(
            "Rate $/h",
            Input(id="hourly_rate-text", placeholder="0 to 10000, e.g. 60 or 45.50", max_length=SHORT_INPUT_MAX),
            id="hourly_rate",
        )
        yield FormField(
            "Expertise",
            LimitedInput(EXPERTISE_TEXT, id="expertise-text", placeholder="Tags, separated by commas: Python, Testing"),
            id="expertise",
        )
        yield FormField("Bio", LimitedTextArea("bio", id="bio-text", show_line_numbers=False), id="bio")
        yield FormField(
            "Call room", LimitedInput("meeting_url", id="meeting_url-text", placeholder="https://…"), id="meeting_url"
        )
        yield Static(
            "Confirmed sessions get this room; leave it empty for a new Jitsi room each time.",
            classes="mentor-profile-hint",
        )
        yield Static(id="mentor-profile-message", markup=False)
        with Horizontal(classes="mentor-profile-buttons"):
            yield Button("Save mentor profile  ctrl+s", id="save-mentor-profile", variant="primary")

    def refresh_data(self) -> None:
        """Show the profile as it is, unless the person is in the middle of editing it."""
        user = self.app.ctx.me
        if user is not None and (self._loaded is None or self._values() == self._loaded):
            self._fill(user)

    def _fill(self, profile: Profile) -> None:
        # Stored values written by another client may hold control characters: the fields show
        # them as visible symbols (within each field's length), so saving stores only safe text.
        values = (
            shown(profile.profession or "", FIELDS["profession"].max_length),
            shown(profile.experience or "", FIELDS["experience"].max_length),
            "" if profile.hourly_rate is None else f"{profile.hourly_rate}",
            shown(", ".join(profile.expertise), EXPERTISE_TEXT.max_length),
            shown(profile.bio or "", FIELDS["bio"].max_length, multiline=True),
            shown(profile.meeting_url or "", FIELDS["meeting_url"].max_length),
        )
        for name, value in zip(FORM_FIELDS, values, strict=True):
            control = self.query_one(f"#{name}-text")
            if isinstance(control, TextArea):
                control.text = value
            else:
                control.value = value
        self._loaded = values

    def _values(self) -> Values:
        return tuple(
            control.text if isinstance(control, TextArea) else control.value
            for control in (self.query_one(f"#{name}-text") for name in FORM_FIELDS)
        )

    def _say(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#mentor-profile-message", Static)
        line.update(plain(message, 500, multiline=True))
        line.set_class(error, "-error")

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in FORM_FIELDS:
            self.query_one(f"#{name}", FormField).show_error(errors.get(name))
        if errors:
            self.query_one(f"#{next(name for name in FORM_FIELDS if name in errors)}-text").focus()

    @on(Button.Pressed, "#save-mentor-profile")
    def action_save(self) -> None:
        profession, experience, rate_text, tags, bio, meeting_url = self._values()
        errors: dict[str, str] = {}
        try:
            rate = parse_rate(rate_text)
        except ValueError:
            rate = None
            errors["hourly_rate"] = "Enter an amount like 60 or 45.50."
        update = ProfileUpdate(
            profession=profession.strip(),
            experience=experience.strip(),
            hourly_rate=rate,
            expertise=parse_tags(tags),
            bio=bio.strip(),
            meeting_url=meeting_url.strip(),
        )
        errors = rules.profile_errors(update) | errors
        self._show_errors(errors)
        if errors:
            self._say("Not saved: please fix the marked fields.", error=True)
            return
        self._save(update)

    @work(exclusive=True, group="mentor-profile-save", exit_on_error=False)
    async def _save(self, update: ProfileUpdate) -> None:
        self._say("Saving…")
        try:
            profile = await self.app.ctx.services.update_profile(update)
        except InvalidInput as error:
            if error.field in FORM_FIELDS:
                self._show_errors({error.field: error.message})
                self._say("Not saved: please fix the marked field.", error=True)
            else:
                self._say(error.message, error=True)
            return
        except Exception:
            self._say("Not saved; your changes are still here.", error=True)
            raise  # the app reports why
        self._fill(profile)
        self._say("Saved. Students see your profile as shown here.")
