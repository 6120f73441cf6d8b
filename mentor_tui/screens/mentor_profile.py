"""A mentor's public profile, part of Settings: what students see when they choose a mentor.

Full name and time zone belong to everyone and live in the Settings pane itself; this
form holds what only mentors have. The pane saves both in one go (one ctrl+s, one
message): the form reads its fields into a ``ProfileUpdate`` and shows what was refused.
"""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static, TextArea

from ..domain.errors import InvalidInput
from ..domain.models import Profile
from ..domain.money import parse_money
from ..domain.text import (
    EXPERTISE_MAX_TAGS,
    FIELDS,
    SHORT_INPUT_MAX,
    TextField,
    normalise_tags,
)
from ..services.profiles import missing_for_booking, missing_sentence
from ..widgets.form_field import FormField
from ..widgets.limited import LimitedInput, LimitedTextArea
from ..widgets.plain import plain, shown

FORM_FIELDS = ("profession", "experience", "hourly_rate", "expertise", "bio", "meeting_url")
"""The profile's fields this form edits, in the order shown; ``#<name>`` is the field's row."""

Values = tuple[str, ...]

EXPERTISE_TEXT = TextField("expertise list", EXPERTISE_MAX_TAGS * (FIELDS["expertise"].max_length + 2))
"""Room for every tag the rules allow, with ", " between them."""


def parse_rate(text: str) -> Decimal | None:
    """The hourly rate typed; None for an empty field; ``InvalidInput`` for anything but an amount."""
    return parse_money(text) if text.strip() else None


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, without blanks or repeats (ignoring case)."""
    return normalise_tags(text.split(","))


class MentorProfileForm(Vertical):
    work_title = "your mentor profile"

    def __init__(self) -> None:
        super().__init__(id="mentor-profile")
        self._loaded: Values | None = None
        """The values last shown from the profile, to tell unsaved edits apart."""

    def compose(self) -> ComposeResult:
        yield Static("Mentor profile: what students see", classes="settings-title")
        yield Static(id="profile-missing")
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
            Input(id="hourly_rate-text", placeholder="0 to 10000, e.g. 60, 45.50 or 45,50", max_length=SHORT_INPUT_MAX),
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
            classes="settings-hint",
        )

    def show_profile(self, profile: Profile, *, keep_edits: bool = True) -> None:
        """Show ``profile``; with ``keep_edits``, fields being edited are left as typed."""
        if not (keep_edits and self.unsaved_changes()):
            self._fill(profile)
        missing = missing_for_booking(profile)
        line = self.query_one("#profile-missing", Static)
        line.update(plain(missing_sentence(missing)) if missing else "")
        line.display = bool(missing)

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
            elif isinstance(control, Input):
                control.value = value
        self._loaded = self.values()

    def values(self) -> Values:
        values = []
        for name in FORM_FIELDS:
            control = self.query_one(f"#{name}-text")
            values.append(control.text if isinstance(control, TextArea) else control.value if isinstance(control, Input) else "")
        return tuple(values)

    def unsaved_changes(self) -> bool:
        return self._loaded is not None and self.values() != self._loaded

    def changes(self) -> tuple[dict[str, object], dict[str, str]]:
        """What the form holds, as ``ProfileUpdate`` fields, and what could not be read."""
        profession, experience, rate_text, tags, bio, meeting_url = self.values()
        errors: dict[str, str] = {}
        try:
            rate = parse_rate(rate_text)
        except InvalidInput as refused:
            rate, errors[refused.field] = None, refused.message
        fields: dict[str, object] = {
            "profession": profession.strip(),
            "experience": experience.strip(),
            "hourly_rate": rate,
            "expertise": parse_tags(tags),
            "bio": bio.strip(),
            "meeting_url": meeting_url.strip(),
        }
        return fields, errors

    def show_errors(self, errors: dict[str, str]) -> str | None:
        """Show each field's error beside it; the first field with one, to focus, or None."""
        for name in FORM_FIELDS:
            self.query_one(f"#{name}", FormField).show_error(errors.get(name))
        first = next((name for name in FORM_FIELDS if name in errors), None)
        return None if first is None else f"{first}-text"


__all__ = ["FORM_FIELDS", "MentorProfileForm", "parse_rate", "parse_tags"]
