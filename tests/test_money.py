"""Amounts read the way people type them, and refused with one clear message when they are not one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.money import parse_money
from mentor_tui.domain.rules import MAX_HOURLY_RATE


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("60", Decimal(60)),
        ("60.5", Decimal("60.5")),
        ("60.50", Decimal("60.50")),
        ("60,50", Decimal("60.50")),
        ("$60.50", Decimal("60.50")),
        ("  $ 60,5 ", Decimal("60.5")),
        ("0", Decimal(0)),
        (str(MAX_HOURLY_RATE), MAX_HOURLY_RATE),
    ],
)
def test_an_amount_is_read_with_a_point_or_a_comma(typed, amount):
    assert parse_money(typed) == amount


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1e3", "Enter an amount like 60"),
        ("NaN", "Enter an amount like 60"),
        ("inf", "Enter an amount like 60"),
        ("Infinity", "Enter an amount like 60"),
        ("", "Enter an amount like 60"),
        ("sixty", "Enter an amount like 60"),
        ("1,000.50", "without thousands separators"),
        ("1.000,50", "without thousands separators"),
        ("1,000", "at most two decimals"),
        ("60.505", "at most two decimals"),
        ("-5", "from 0 to 10000"),
        ("10000.01", "from 0 to 10000"),
        ("٦٠", "Enter an amount like 60"),
    ],
)
def test_anything_else_is_refused_on_the_field_with_a_reason(typed, says):
    with pytest.raises(InvalidInput) as refused:
        parse_money(typed)
    assert refused.value.field == "hourly_rate"
    assert says in refused.value.message


def test_the_field_and_limit_can_be_named():
    with pytest.raises(InvalidInput) as refused:
        parse_money("120", field="budget", limit=Decimal(100))
    assert refused.value.field == "budget"
