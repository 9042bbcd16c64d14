"""Money: integer cents in the database, Decimal quantized to 0.01 in code. Never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class MoneyError(ValueError):
    pass


def to_decimal(value: str | int | Decimal) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"Not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"Not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cents_from_decimal(amount: Decimal) -> int:
    return int(to_decimal(amount) * 100)


def decimal_from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    amount = decimal_from_cents(cents)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
