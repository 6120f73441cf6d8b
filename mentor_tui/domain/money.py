"""Money in ``Decimal``, rounded the way an invoice is."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def estimate_cost(hourly_rate: Decimal, duration_minutes: int) -> Decimal:
    """Rate x minutes / 60, to the cent."""
    return (hourly_rate * duration_minutes / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"
