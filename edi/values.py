"""Value helpers shared by the typed transaction parsers (271, 835): located errors, dates,
numbers. Each error names the segment, its number, position and element."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from core.money import MoneyError, to_decimal
from edi.errors import X12StructureError
from edi.reader import Segment


def structure_error(segment: Segment, message: str, element: int | None = None) -> X12StructureError:
    return X12StructureError(
        message,
        segment_number=segment.number,
        segment_id=segment.id,
        position=segment.position,
        element=element,
    )


@lru_cache(maxsize=4096)
def _ccyymmdd(text: str) -> date:
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))  # strptime is 10x slower


# Amounts and dates repeat across a remittance (fee schedule amounts, dates of service): both
# are immutable, so a small cache of text -> value saves most of the conversion work.
_money = lru_cache(maxsize=8192)(to_decimal)


def parse_date(segment: Segment, text: str, element: int) -> date:
    try:
        return _ccyymmdd(text)
    except ValueError:
        raise structure_error(segment, f"{text!r} is not a CCYYMMDD date", element) from None


def plain_decimal(text: str) -> Decimal:
    """'.20' -> 0.2, '30' -> 30, '12.500' -> 12.5 (no exponent, no trailing zeros)."""
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(text)
    digits = format(value, "f")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return Decimal(digits or "0")


def decimal_element(segment: Segment, element: int, *, money: bool) -> Decimal | None:
    """Element `element` as money (Decimal to the cent) or a plain decimal; None when empty."""
    text = segment.get(element)
    if not text:
        return None
    try:
        return _money(text) if money else plain_decimal(text)
    except (MoneyError, InvalidOperation, ValueError):
        raise structure_error(segment, f"{text!r} is not a number", element) from None
