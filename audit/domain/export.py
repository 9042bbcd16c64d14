"""Rules for exported audit data."""

from __future__ import annotations

import re

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_safe(value: str) -> str:
    """Make a text cell inert in spreadsheets: prefix a would-be formula with a quote."""
    if value.startswith(_FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
