"""Stars and rating figures, written the same way for both roles."""

from __future__ import annotations

from decimal import Decimal

RATING_WORDS = ("Poor", "Fair", "Good", "Very good", "Excellent")


def stars(rating: int) -> str:
    """'★★★★☆' for 4."""
    return "★" * rating + "☆" * (5 - rating)


def rating_label(average: Decimal | None, count: int) -> str:
    """'★4.5 (12)', or 'new' for a mentor nobody has rated yet."""
    return "new" if average is None else f"★{average:.1f} ({count})"


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else full_name


__all__ = ["RATING_WORDS", "first_name", "rating_label", "stars"]
