"""What a profile still needs before students can book it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.models import Profile

MENTOR_PROFILE_NEEDS = {
    "profession": "your profession",
    "hourly_rate": "an hourly rate",
    "expertise": "at least one area of expertise",
}


def missing_for_booking(profile: Profile) -> list[str]:
    """The fields (as keys of ``MENTOR_PROFILE_NEEDS``) a mentor's profile lacks; empty for a student."""
    if profile.role != "mentor":
        return []
    missing = []
    if not (profile.profession or "").strip():
        missing.append("profession")
    if profile.hourly_rate is None:
        missing.append("hourly_rate")
    if not profile.expertise:
        missing.append("expertise")
    return missing


def missing_sentence(missing: list[str]) -> str:
    """'Add your profession and an hourly rate so students can find and book you.'"""
    parts = [MENTOR_PROFILE_NEEDS[name] for name in missing]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Add {listed} so students can find and book you."


__all__ = ["MENTOR_PROFILE_NEEDS", "missing_for_booking", "missing_sentence"]
