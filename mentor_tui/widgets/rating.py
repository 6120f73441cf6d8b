"""Stars and rating figures, written the same way for both roles."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from ..domain.models import ReviewStats

RATING_WORDS = ("Poor", "Fair", "Good", "Very good", "Excellent")


def stars(rating: int) -> str:
    """'★★★★☆' for 4."""
    return "★" * rating + "☆" * (5 - rating)


def rating_label(average: Decimal | None, count: int) -> str:
    """'★4.5 (12)', or 'new' for a mentor nobody has rated yet."""
    return "new" if average is None else f"★{average:.1f} ({count})"


CHART_WIDTH = 20
"""The longest bar of the star chart, in cells."""


def star_bar(count: int, most: int, width: int = CHART_WIDTH) -> str:
    """A plain-text bar for ``count`` out of ``most``: at least one cell for any count above 0."""
    if count <= 0 or most <= 0:
        return ""
    return "█" * max(1, round(width * count / most))


def review_chart(stats: ReviewStats) -> Text:
    """The mentor page's figures: sessions completed, then one bar per star, 5 down to 1."""
    text = Text(f"\nSessions completed: {stats.completed_sessions}", end="")
    most = max(stats.stars)
    for rating in range(5, 0, -1):
        count = stats.stars[rating - 1]
        text.append(f"\n  {rating}★ ", style="yellow")
        text.append(star_bar(count, most).ljust(CHART_WIDTH), style="yellow")
        text.append(f" {count}", style="dim")
    return text


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else full_name


__all__ = ["RATING_WORDS", "first_name", "rating_label", "review_chart", "star_bar", "stars"]
