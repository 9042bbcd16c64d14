"""Money: integer cents in the database, Decimal quantized to 0.01 in code. Never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class MoneyError(ValueError):
    pass


def to_decimal(value: str | int | Decimal) -> Decimal:
    """`value` as an amount in dollars, rounded half up to the cent (-1.005 → -1.01).

    Plain digits only ("1234.5", not "$1,234.50"); floats, booleans, NaN, infinities and amounts
    too large to hold to the cent are refused with MoneyError.
    """
    if isinstance(value, bool | float):
        raise MoneyError(f"Not an amount: {value!r}")
    try:
        amount = Decimal(value)
        if not amount.is_finite():
            raise MoneyError(f"Not an amount: {value!r}")
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError) as exc:  # quantize: more digits than the context holds
        raise MoneyError(f"Not an amount: {value!r}") from exc


def cents_from_decimal(amount: Decimal) -> int:
    return int(to_decimal(amount) * 100)


def decimal_from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    amount = decimal_from_cents(cents)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
