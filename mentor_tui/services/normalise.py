"""What a person typed, checked against the limits and made into what is stored, once.

The services call these before any backend sees a value, so both backends store the
same thing and refuse the same values with the same messages (``domain.text`` holds
the limits, ``domain.rules`` the checks, ``domain.messages`` the words).
"""

from __future__ import annotations

from ..domain import rules, text
from ..domain.errors import InvalidCredentials, InvalidInput
from ..domain.messages import CHOOSE_ROLE
from ..domain.models import BookingRequest, ProfileUpdate, Role


def email(value: str) -> str:
    """An address as accounts are keyed: trimmed, lower case."""
    return rules.normalise_email(value)


def sign_up(email_address: str, password: str, full_name: str, role: str) -> tuple[str, str, Role]:
    """The email, name and role to create an account with; InvalidInput names the first bad field."""
    rules.raise_first(rules.sign_up_errors(email=email_address, password=password, full_name=full_name))
    if role not in set(Role):
        raise InvalidInput("role", CHOOSE_ROLE)
    return email(email_address), text.normalise(full_name), Role(role)


def sign_in(email_address: str, password: str) -> str:
    """The email to sign in with; an empty email or password cannot match any account."""
    if not email_address.strip() or not password:
        raise InvalidCredentials()
    return email(email_address)


def profile_update(changes: ProfileUpdate) -> ProfileUpdate:
    """The fields a person gave (None leaves one as it is), checked and normalised, as a
    ``ProfileUpdate`` whose set fields are exactly those to store; an optional text left
    empty is set to None, which clears it."""
    rules.raise_first(rules.profile_errors(changes))
    values: dict[str, object] = {}
    for name, value in changes:
        if value is None:
            continue
        if name == "expertise":
            values[name] = text.normalise_tags(value)
        elif isinstance(value, str):
            values[name] = text.normalise_optional(value)
        else:
            values[name] = value
    return ProfileUpdate.model_validate(values)


def booking(request: BookingRequest) -> BookingRequest:
    """The request with its subject and notes as stored."""
    return request.model_copy(
        update={"subject": text.normalise(request.subject), "notes": text.normalise_optional(request.notes)}
    )


def comments(**values: str | None) -> dict[str, str]:
    """Person-written session texts (feedback, review, reason), checked; only those with content."""
    rules.check_text(**values)
    return {name: kept for name, value in values.items() if (kept := text.normalise_optional(value))}


def search(value: str | None) -> str:
    return text.normalise(value or "")


__all__ = ["booking", "comments", "email", "profile_update", "search", "sign_in", "sign_up"]
