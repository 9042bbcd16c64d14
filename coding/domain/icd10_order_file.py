"""CMS's yearly ICD-10-CM order file (`icd10cm-order-YYYY.txt`): parse and check it.

Pure: the importer (`coding.services.icd10cm_import`) passes the text in and stores the rows.
One line per category or code, fixed width (columns counted from 1):

    1-5    order number (5 digits)            6  blank
    7-13   code without the dot, left-aligned  14  blank
    15     1 = billable, 0 = header           16  blank
    17-76  short description (60 characters)   77  blank
    78-    long description

Every malformed line is reported with its line number, so one run lists every fix needed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from core.domain.problems import Problem

# undotted, 3-7 characters: letter, digit, digit-or-letter (or, since FY2026's QA0-, letter, letter, digit)
ORDER_CODE = re.compile(r"^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])[0-9A-Z]{0,4}$")
FILE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
FIRST_FISCAL_YEAR = 2016  # ICD-10-CM took effect on 1 October 2015 (FY2016)
LAST_FISCAL_YEAR = 2099
LONG_DESCRIPTION_AT = 77  # 0-based column where the long description starts
SHORT_MAX = 60
LONG_MAX = 400


class OrderFileProblemCode:
    BAD_LINE = "icd10cm_bad_line"
    DUPLICATE = "icd10cm_duplicate_code"
    BILLABLE_WITH_CHILDREN = "icd10cm_billable_has_children"
    EMPTY = "icd10cm_empty_file"
    YEAR = "icd10cm_year"


@dataclass(frozen=True, slots=True)
class OrderRow:
    order_number: int
    code: str  # undotted, upper-case
    billable: bool
    short_description: str
    long_description: str


@dataclass(frozen=True, slots=True)
class ParsedOrderFile:
    rows: tuple[OrderRow, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _bad(line: int, message: str, code: str = OrderFileProblemCode.BAD_LINE) -> Problem:
    return Problem(code=code, message=f"line {line}: {message}", field=f"line {line}")


def _line_problems(line: str, number: int) -> tuple[OrderRow | None, list[Problem]]:
    if len(line) <= LONG_DESCRIPTION_AT:
        return None, [
            _bad(
                number,
                f"is {len(line)} characters long; a line has the order number, code, flag, a "
                "60-character short description and a long description from column 78",
            )
        ]
    problems: list[Problem] = []
    order, code, flag = line[0:5], line[6:13].rstrip(), line[14]
    short, long = line[16:76].strip(), line[LONG_DESCRIPTION_AT:].strip()
    if not (order.isascii() and order.isdigit()):
        problems.append(_bad(number, f"the order number {order!r} (columns 1-5) is not 5 digits"))
    blanks = {6: line[5], 14: line[13], 16: line[15], 77: line[76]}
    for column, char in blanks.items():
        if char != " ":
            problems.append(_bad(number, f"column {column} should be blank but holds {char!r}"))
    if not ORDER_CODE.match(code):
        problems.append(
            _bad(number, f"{code!r} (columns 7-13) is not an ICD-10-CM code without the dot, like F4323")
        )
    if flag not in ("0", "1"):
        problems.append(_bad(number, f"the billable flag (column 15) is {flag!r}; it must be 0 or 1"))
    if not short:
        problems.append(_bad(number, "the short description (columns 17-76) is empty"))
    if not long:
        problems.append(_bad(number, "the long description (from column 78) is empty"))
    elif len(long) > LONG_MAX:
        problems.append(_bad(number, f"the long description is longer than {LONG_MAX} characters"))
    if problems:
        return None, problems
    return OrderRow(int(order), code, flag == "1", short[:SHORT_MAX], long), []


def parse_order_file(text: str) -> ParsedOrderFile:
    """Every row of an order file, or every problem (with its line number) if any line is bad.

    Blank lines are ignored (a trailing newline); a code listed twice, or a code flagged
    billable while a longer code under it is listed, is a problem too.
    """
    rows: list[OrderRow] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    line_of: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        row, found = _line_problems(line, number)
        problems.extend(found)
        if row is None:
            continue
        if row.code in first_line:
            problems.append(
                _bad(
                    number,
                    f"{row.code} is listed again (first on line {first_line[row.code]})",
                    OrderFileProblemCode.DUPLICATE,
                )
            )
            continue
        first_line[row.code] = number
        line_of[row.code] = number
        rows.append(row)
    if not rows and not problems:
        problems.append(
            Problem(code=OrderFileProblemCode.EMPTY, message="The file holds no codes.", field="file")
        )
    problems.extend(_billable_parent_problems(rows, line_of))
    problems.sort(key=_line_key)
    return ParsedOrderFile(tuple(rows) if not problems else (), tuple(problems))


def _line_key(problem: Problem) -> int:
    digits = problem.field.removeprefix("line ")
    return int(digits) if digits.isdigit() else 0


def _billable_parent_problems(rows: list[OrderRow], line_of: dict[str, int]) -> list[Problem]:
    """A billable code is a leaf: no longer code may start with it."""
    ordered = sorted(r.code for r in rows)
    billable = {r.code for r in rows if r.billable}
    problems: list[Problem] = []
    for at, code in enumerate(ordered[:-1]):
        child = ordered[at + 1]
        if code in billable and child.startswith(code):
            problems.append(
                _bad(
                    line_of[code],
                    f"{code} is flagged billable (1) but {child} is listed under it; a code with "
                    "longer codes under it is a header (0)",
                    OrderFileProblemCode.BILLABLE_WITH_CHILDREN,
                )
            )
    return problems


def fiscal_year_from_file_name(name: str) -> int | None:
    """The fiscal year in a file name like 'icd10cm-order-2027.txt' (the last 20xx in it)."""
    found = FILE_YEAR.findall(PurePath(name).name)
    return int(found[-1]) if found else None


def fiscal_year_problems(year: int | None) -> list[Problem]:
    if year is None:
        return [
            Problem(
                code=OrderFileProblemCode.YEAR,
                message="The file name has no year (like icd10cm-order-2027.txt); give it with --year.",
                field="year",
            )
        ]
    if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        return [
            Problem(
                code=OrderFileProblemCode.YEAR,
                message=f"FY{year} is not an ICD-10-CM fiscal year ({FIRST_FISCAL_YEAR} or later).",
                field="year",
            )
        ]
    return []


def order_rows_digest(rows: tuple[OrderRow, ...] | list[OrderRow]) -> str:
    """A fingerprint of the rows' content (line ends and blank lines do not change it)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(
            f"{row.order_number}\t{row.code}\t{int(row.billable)}\t{row.short_description}\t"
            f"{row.long_description}\n".encode()
        )
    return digest.hexdigest()
