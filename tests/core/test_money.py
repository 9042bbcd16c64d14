"""core.money at its edges: rounding half up, negatives, large amounts, and what is not an amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.money import MoneyError, cents_from_decimal, decimal_from_cents, format_cents, to_decimal

BIGINT_MAX = 9_223_372_036_854_775_807  # the largest *_cents a BigIntegerField holds


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        ("text", "12.5", Decimal("12.50")),
        ("int", 7, Decimal("7.00")),
        ("decimal", Decimal("0.1"), Decimal("0.10")),
        ("half_cent_rounds_up", "0.005", Decimal("0.01")),
        ("just_under_half_rounds_down", "0.00499", Decimal("0.00")),
        ("half_up_not_half_even", "2.675", Decimal("2.68")),
        ("even_half_rounds_up_too", "2.665", Decimal("2.67")),
        ("negative_half_rounds_away_from_zero", "-1.005", Decimal("-1.01")),
        ("negative", "-45.5", Decimal("-45.50")),
        ("zero", "0", Decimal("0.00")),
        ("negative_zero_is_zero", "-0.001", Decimal("0.00")),
        ("surrounding_spaces", " 3.10 ", Decimal("3.10")),
        ("exponent", "1.5E+3", Decimal("1500.00")),
        ("largest_bigint_amount", "92233720368547758.07", Decimal("92233720368547758.07")),
    ],
)
def test_to_decimal_rounds_half_up_to_the_cent(
    _case: str, value: str | int | Decimal, expected: Decimal
) -> None:
    amount = to_decimal(value)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("_case", "value"),
    [
        ("empty", ""),
        ("words", "twelve"),
        ("currency_sign", "$12.50"),
        ("thousands_separator", "1,000.00"),
        ("nan", "NaN"),
        ("infinity", "Infinity"),
        ("negative_infinity", Decimal("-Infinity")),
        ("none", None),
        ("float", 0.1),
        ("bool", True),
        ("too_many_digits_for_cents", "1E+30"),
    ],
)
def test_to_decimal_refuses_what_is_not_an_amount(_case: str, value: object) -> None:
    with pytest.raises(MoneyError, match="Not an amount"):
        to_decimal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("_case", "amount", "cents"),
    [
        ("whole", Decimal("45"), 4500),
        ("cents", Decimal("45.07"), 4507),
        ("rounded_half_up", Decimal("0.125"), 13),
        ("negative_rounded_away_from_zero", Decimal("-0.125"), -13),
        ("zero", Decimal("0"), 0),
        ("largest_bigint", Decimal("92233720368547758.07"), BIGINT_MAX),
    ],
)
def test_cents_from_decimal(_case: str, amount: Decimal, cents: int) -> None:
    assert cents_from_decimal(amount) == cents


@pytest.mark.parametrize(
    ("_case", "cents", "amount"),
    [
        ("one_cent", 1, Decimal("0.01")),
        ("dollars", 4500, Decimal("45.00")),
        ("negative", -1, Decimal("-0.01")),
        ("zero", 0, Decimal("0.00")),
        ("largest_bigint", BIGINT_MAX, Decimal("92233720368547758.07")),
        ("smallest_bigint", -BIGINT_MAX - 1, Decimal("-92233720368547758.08")),
    ],
)
def test_decimal_from_cents_is_exact(_case: str, cents: int, amount: Decimal) -> None:
    result = decimal_from_cents(cents)
    assert result == amount
    assert result.as_tuple().exponent == -2
    assert cents_from_decimal(result) == cents  # and back, without loss


@pytest.mark.parametrize(
    ("_case", "cents", "text"),
    [
        ("zero", 0, "$0.00"),
        ("one_cent", 1, "$0.01"),
        ("under_a_thousand", 99_999, "$999.99"),
        ("thousands", 123_456, "$1,234.56"),
        ("millions", 123_456_789, "$1,234,567.89"),
        ("negative_cent", -1, "-$0.01"),
        ("negative_thousands", -123_456, "-$1,234.56"),
        ("largest_bigint", BIGINT_MAX, "$92,233,720,368,547,758.07"),
    ],
)
def test_format_cents(_case: str, cents: int, text: str) -> None:
    assert format_cents(cents) == text
