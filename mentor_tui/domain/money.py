"""Money in ``Decimal``, rounded the way an invoice is, and read the way people type it."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from . import messages
from .errors import InvalidInput
from .rules import MAX_HOURLY_RATE

CENT = Decimal("0.01")

# Digits, then at most one decimal separator (a point or a comma) and its digits. There are
# no thousands separators: "1,000" could be a thousand or one, so it is refused, not guessed.
_AMOUNT = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<cents>[0-9]+))?")
AMOUNT_HINT = messages.AMOUNT_FORMAT


def estimate_cost(hourly_rate: Decimal, duration_minutes: int) -> Decimal:
    """Rate x minutes / 60, to the cent."""
    return (hourly_rate * duration_minutes / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def parse_money(text: str, *, field: str = "hourly_rate", limit: Decimal = MAX_HOURLY_RATE) -> Decimal:
    """An amount as typed: "60", "60.5", "60,50" (comma as the decimal point), "$60.50".

    Refused with ``InvalidInput(field, ...)``: anything but digits with one decimal
    separator (so "1e3", "NaN", "inf" and "1,000.50"), a negative amount, more than two
    decimals (so "1,000" too, which is not guessed to be a thousand), and over ``limit``.
    """
    typed = text.strip().removeprefix("$").strip()
    if typed.startswith("-") and _AMOUNT.fullmatch(typed[1:]):
        raise InvalidInput(field, messages.amount_range(limit))
    match = _AMOUNT.fullmatch(typed)
    if match is None:
        raise InvalidInput(field, AMOUNT_HINT)
    cents = match["cents"] or ""
    if len(cents) > 2:
        raise InvalidInput(field, messages.AMOUNT_DECIMALS)
    amount = Decimal(f"{match['whole']}.{cents}" if cents else match["whole"])
    if amount > limit:
        raise InvalidInput(field, messages.amount_range(limit))
    return amount


__all__ = ["AMOUNT_HINT", "CENT", "estimate_cost", "format_money", "parse_money"]
