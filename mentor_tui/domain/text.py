"""People's text: the limits every form and backend share, what is refused at the door,
and the one way to turn it into something safe to put on a terminal.

Whatever a person typed (names, bios, notes, subjects, reviews, reasons, URLs) may
reach another person's screen. It is checked here before any backend writes it, and
``displayable`` makes it harmless again on the way out, because rows written by other
clients (the web app, PostgREST directly, an older version) were never checked here.
The Supabase schema repeats these limits as CHECK constraints (``sql/supabase/``);
``tests/test_text_limits.py`` keeps the two in step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import messages


@dataclass(frozen=True)
class TextField:
    """A person-written field: how a message names it, its longest length, and
    whether it may hold several lines (then tab and newline are allowed)."""

    label: str
    max_length: int
    multiline: bool = False
    url: bool = False
    """The value is a web address and must pass ``url_error``."""


FIELDS: dict[str, TextField] = {
    "full_name": TextField("name", 100),
    "subject": TextField("subject", 100),
    "notes": TextField("notes", 2000, multiline=True),
    "bio": TextField("bio", 2000, multiline=True),
    "feedback": TextField("feedback", 2000, multiline=True),
    "review": TextField("review", 1000, multiline=True),
    "cancellation_reason": TextField("reason", 500, multiline=True),
    "profession": TextField("profession", 100),
    "experience": TextField("experience", 100),
    "expertise": TextField("expertise tag", 40),
    "meeting_url": TextField("call room address", 500, url=True),
    "meeting_link": TextField("meeting link", 500, url=True),
    "body": TextField("message", 4000, multiline=True),
    "review_reply": TextField("reply", 1000, multiline=True),
    "summary": TextField("session notes", 10000, multiline=True),
    "reason": TextField("reason", 500, multiline=True),
    "note": TextField("note", 500, multiline=True),
}
"""Every person-written text column, by its column name (the same on both backends)."""

EXPERTISE_MAX_TAGS = 20
EMAIL_MAX = 254
"""The longest address SMTP allows (RFC 5321's path limit less its brackets)."""
PASSWORD_MAX = 128
SHORT_INPUT_MAX = 40
"""Fields that hold a time, a date, an amount or a search: room for any sensible value."""

# C0 controls, DEL and C1 controls: a terminal acts on them (ESC starts OSC 52 clipboard
# writes, title changes, hyperlinks, device queries). Bidi embeddings, overrides and
# isolates reorder what is shown (U+202E makes "exe.txt" read as "txt.exe").
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""A regular-expression character class; the log (``logfile``) escapes the same ones."""
_REFUSED_MULTILINE = re.compile(f"[{_CONTROLS}{BIDI_CONTROLS}]")
_ANY_CONTROL = re.compile(f"[\t\n{_CONTROLS}{BIDI_CONTROLS}]")
"""Refused in a single-line field; shown as a symbol (or a space) by ``displayable``."""

URL_PATTERN = r"^https://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?$"
_URL = re.compile(URL_PATTERN, re.ASCII)


def field(name: str) -> TextField:
    return FIELDS[name]


def normalise(value: str) -> str:
    """What is stored for a typed value: trimmed, Windows line ends made plain newlines."""
    return value.replace("\r\n", "\n").strip()


def normalise_optional(value: str | None) -> str | None:
    """What is stored for an optional typed value: normalised, or None when nothing is left."""
    return normalise(value or "") or None


def text_error(name: str, value: str) -> str | None:
    """Why ``value`` cannot be stored in field ``name``, or None when it can.

    ``value`` is taken as already normalised; an empty value is for the caller to judge
    (some fields are required, others optional).
    """
    spec = FIELDS[name]
    refused = _REFUSED_MULTILINE if spec.multiline else _ANY_CONTROL
    if refused.search(value):
        return messages.text_has_controls(spec.label, multiline=spec.multiline)
    if len(value) > spec.max_length:
        return messages.text_too_long(spec.label, spec.max_length)
    return None


def url_error(name: str, value: str) -> str | None:
    """Why ``value`` is not an acceptable call address: https with a host, no spaces or controls."""
    problem = text_error(name, value)
    if problem is not None:
        return problem
    if not _URL.match(value) or not urlsplit(value).hostname:
        return messages.URL_FORMAT
    return None


def field_error(name: str, value: str) -> str | None:
    """Why ``value`` cannot be stored in field ``name`` (a web address checked as one)."""
    return url_error(name, value) if FIELDS[name].url else text_error(name, value)


def expertise_error(tags: tuple[str, ...]) -> str | None:
    if len(tags) > EXPERTISE_MAX_TAGS:
        return messages.too_many_tags(EXPERTISE_MAX_TAGS)
    for tag in tags:
        problem = text_error("expertise", tag)
        if problem is not None:
            return problem
    return None


def normalise_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Trimmed tags without blanks, repeats dropped ignoring case (the first spelling kept)."""
    kept: dict[str, str] = {}
    for tag in (normalise(t) for t in tags):
        if tag:
            kept.setdefault(tag.casefold(), tag)
    return tuple(kept.values())


# --- showing it ------------------------------------------------------------------------

ELLIPSIS = "…"


def _visible(char: str, multiline: bool) -> str:
    code = ord(char)
    if char == "\n":
        return "\n" if multiline else " "
    if char == "\t":
        return "    " if multiline else " "
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F:
        return "\ufffd"
    return ""  # a bidi control: dropped, so text reads in its stored order


def displayable(value: object, limit: int | None = None, *, multiline: bool = False) -> str:
    """Text that is safe to write to a terminal, for any value a row may hold.

    Control characters become visible symbols (ESC as ␛), bidi controls are dropped,
    line breaks become spaces unless ``multiline``, and the result is cut to ``limit``
    characters with an ellipsis. It is still *plain text*: widgets must show it as
    content, never parse it as markup (``widgets.plain`` does both).
    """
    text = "" if value is None else str(value)
    if limit is not None and len(text) > limit * 4:
        text = text[: limit * 4]  # bound the work for huge values; cut precisely below
    text = _ANY_CONTROL.sub(lambda m: _visible(m.group(), multiline), text)
    # Unassigned and private-use code points can render unpredictably; show a box instead.
    text = "".join(c if unicodedata.category(c) not in ("Cn", "Co", "Cs") else "\ufffd" for c in text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + ELLIPSIS if limit > 0 else ""
    return text
