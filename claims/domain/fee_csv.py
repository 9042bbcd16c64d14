"""Reading a fee file (CSV) into rows, all or nothing, with line-numbered problems.

The file has a header row naming these columns (any order, case-insensitive, extra columns
refused so a typo is not silently ignored):

    code,modifiers,amount,effective_from,effective_to
    90834,,120.00,2026-01-01,
    90837,HO 95,165.50,2026-01-01,2026-12-31

`modifiers` holds up to four two-character modifiers separated by spaces, commas or dashes
("HO 95", "HO-95"); `amount` is dollars and cents ("120", "120.00"; no "$" or thousands
separators); dates are YYYY-MM-DD; `effective_to` may be empty. Line numbers count the header as
line 1, as a spreadsheet shows them. The same code, modifiers and start date twice is an error.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from claims.domain.capture import modifiers_key
from core.domain.problems import Problem
from core.money import MoneyError, cents_from_decimal, to_decimal

REQUIRED = ("code", "amount", "effective_from")
OPTIONAL = ("modifiers", "effective_to")
_CODE = re.compile(r"[A-Z0-9]{5}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_AMOUNT = re.compile(r"\d{1,7}(\.\d{1,2})?")
MAX_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class FeeRow:
    line: int
    code: str
    modifiers_key: str
    amount_cents: int
    effective_from: date
    effective_to: date | None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def parse_fee_csv(text: str) -> tuple[list[FeeRow], list[Problem]]:
    """Rows, or the problems (each naming its line) when any line is wrong: never both."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [Problem("fee_csv_empty", "Line 1: the file is empty.", "file")]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if len(set(header)) != len(header):
            parts.append("a column is named twice")
        expected = ", ".join(REQUIRED + OPTIONAL)
        return [], [Problem("fee_csv_header", f"Line 1: {'; '.join(parts)} (expected: {expected}).", "file")]
    rows: list[FeeRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, date], int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(Problem("fee_csv_too_long", f"Line {line}: more than {MAX_ROWS} rows.", "file"))
            break
        if len(values) != len(header):
            problems.append(
                Problem(
                    "fee_csv_columns",
                    f"Line {line}: {len(values)} values for {len(header)} columns.",
                    "file",
                )
            )
            continue
        cell = {name: value.strip() for name, value in zip(header, values, strict=True)}
        errors: list[str] = []
        code = cell["code"].upper()
        if not _CODE.fullmatch(code):
            errors.append(f"code {cell['code']!r} is not a 5-character CPT/HCPCS code")
        modifiers = [m for m in re.split(r"[\s,\-]+", cell.get("modifiers", "").upper()) if m]
        if len(modifiers) > 4 or not all(_MODIFIER.fullmatch(m) for m in modifiers):
            errors.append(f"modifiers {cell.get('modifiers', '')!r} are not up to four 2-character modifiers")
        amount_cents = 0
        if not _AMOUNT.fullmatch(cell["amount"]):
            errors.append(f"amount {cell['amount']!r} is not dollars and cents like 120.00")
        else:
            try:
                amount_cents = cents_from_decimal(to_decimal(cell["amount"]))
            except MoneyError:
                errors.append(f"amount {cell['amount']!r} is not dollars and cents like 120.00")
        start = _date(cell["effective_from"])
        if start is None:
            errors.append(f"effective_from {cell['effective_from']!r} is not a date like 2026-01-01")
        end: date | None = None
        if cell.get("effective_to"):
            end = _date(cell["effective_to"])
            if end is None:
                errors.append(f"effective_to {cell['effective_to']!r} is not a date like 2026-12-31")
            elif start is not None and end < start:
                errors.append("effective_to is before effective_from")
        key = modifiers_key(modifiers)
        if start is not None and not errors:
            first = seen.setdefault((code, key, start), line)
            if first != line:
                errors.append(f"same code, modifiers and start date as line {first}")
        if errors or start is None:
            problems.append(Problem("fee_csv_row", f"Line {line}: {'; '.join(errors)}.", "file"))
            continue
        rows.append(FeeRow(line, code, key, amount_cents, start, end))
    if not rows and not problems:
        problems.append(Problem("fee_csv_empty", "The file has a header but no fee rows.", "file"))
    return ([], problems) if problems else (rows, [])
