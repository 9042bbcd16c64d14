"""ICD-10-CM rules: normalising codes, fiscal years, billable checks by date, and search.

Pure: the code table comes in through `Icd10Source` (the loader in `coding.icd10` wraps
simple-icd-10-cm; tests pass a small fake). A code is billable when it is a valid category or
subcategory with no children (DOMAIN 10a: `is_valid_item and is_category_or_subcategory and
is_leaf`). ICD-10-CM fiscal year N runs 1 October N-1 to 30 September N; the package holds one
year. A year whose complete billable list we ship (FY2025, `coding/data/icd10cm_fy2025_billable.txt.gz`)
is checked against that list exactly; any other year uses the package's table plus the `FyChange`
rows (coding/data/icd10cm_fy_changes.csv) and says the answer is inexact.
"""

from __future__ import annotations

import bisect
import csv
import heapq
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from coding.domain.codes import CodingProblemCode
from core.domain.problems import Problem, Severity

# A letter, a digit, a digit or letter; or (since FY2026's QA0- codes) a letter, a letter, a digit.
CODE_SHAPE = re.compile(r"^([A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9]))\.?([0-9A-Z]{1,4})?$")
WORD = re.compile(r"[a-z0-9]+")
CODE_PREFIX = re.compile(r"^[A-Z]([0-9][0-9A-Z]{0,5}|[A-Z]([0-9][0-9A-Z]{0,4})?)?$")
# a billable-list line: 3-7 chars (F99 is billable), shaped like CODE_SHAPE without the dot
UNDOTTED_CODE = re.compile(r"^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])[0-9A-Z]{0,4}$")
RELEASE_NAME = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)-\d{1,2}-(\d{4})"
)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FISCAL_YEAR_START_MONTH = 10
# Abbreviations clinicians type that the tabular list spells out (search expands them).
SEARCH_ABBREVIATIONS = {
    "adhd": "attention deficit hyperactivity",
    "ptsd": "post traumatic stress",
    "ocd": "obsessive compulsive",
    "gad": "generalized anxiety",
    "mdd": "major depressive",
    "asd": "autistic",
}


def normalise_icd10(raw: str) -> str | None:
    """The code in its dotted, upper-case form ("f321 " -> "F32.1"), or None if it cannot be one.

    Strips spaces, upper-cases, and adds the dot after the third character when missing
    (a trailing dot is dropped). Whether the code exists is the table's question.
    """
    text = "".join(raw.split()).upper().rstrip(".")
    match = CODE_SHAPE.match(text)
    if match is None:
        return None
    category, rest = match.group(1), match.group(2)
    return f"{category}.{rest}" if rest else category


def icd10_fiscal_year(day: date) -> int:
    """The ICD-10-CM fiscal year a date of service falls in (FY N: 1 Oct N-1 .. 30 Sep N)."""
    return day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year


def release_fiscal_year(file_name: str, default: int) -> int:
    """The fiscal year of a CDC release named like 'icd10c-tabular-April-1-2026.xml'."""
    match = RELEASE_NAME.search(file_name)
    if match is None:
        return default
    month = MONTHS.index(match.group(1)) + 1
    return icd10_fiscal_year(date(int(match.group(2)), month, 1))


class ChangeKind(StrEnum):
    ADDED = "added"  # valid from this fiscal year on
    DELETED = "deleted"  # valid until the previous fiscal year
    EXPANDED = "expanded"  # billable until the previous year; a header from this year


@dataclass(frozen=True, slots=True)
class FyChange:
    fiscal_year: int
    code: str
    change: ChangeKind
    description: str = ""


def parse_fy_changes(text: str) -> tuple[FyChange, ...]:
    """Parse the fiscal-year change table (comment lines start with '#'); raise ValueError on a bad row."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    changes: list[FyChange] = []
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        code = normalise_icd10(row.get("code") or "")
        year = (row.get("fiscal_year") or "").strip()
        kind = (row.get("change") or "").strip()
        if code is None or not year.isdigit() or kind not in {k.value for k in ChangeKind}:
            raise ValueError(f"icd10cm_fy_changes.csv row {number} is not valid: {row}")
        changes.append(FyChange(int(year), code, ChangeKind(kind), (row.get("description") or "").strip()))
    return tuple(changes)


def parse_billable_list(text: str) -> frozenset[str]:
    """Parse a fiscal year's billable-code list: one undotted upper-case code a line ('#' comments).

    Raises ValueError on a line that is not shaped like a code.
    """
    codes: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.strip()
        if not code or code.startswith("#"):
            continue
        if not UNDOTTED_CODE.match(code):
            raise ValueError(f"billable list line {number} is not an undotted ICD-10-CM code: {code!r}")
        codes.add(code)
    return frozenset(codes)


BillableList = Callable[[], frozenset[str]]
"""Gives one fiscal year's complete set of billable codes (undotted, upper-case).

Called when a date of service in that year is checked; the loader outside the domain reads the
file once and returns the same frozenset on every call."""


@dataclass(frozen=True, slots=True)
class Icd10Entry:
    """A category or subcategory of the table (chapters and blocks are not entries)."""

    code: str  # dotted
    description: str
    billable: bool


class Icd10Source(Protocol):
    """One year's ICD-10-CM table."""

    fiscal_year: int

    def entry(self, code: str) -> Icd10Entry | None:
        """The category/subcategory `code` (dotted, normalised), or None if the table lacks it."""
        ...

    def entries(self) -> Iterable[Icd10Entry]:
        """Every category and subcategory (for the search index)."""
        ...


@dataclass(frozen=True, slots=True)
class Icd10Check:
    """The answer to "may this diagnosis go on a claim for this date of service?"."""

    raw: str
    code: str  # normalised; "" when the input cannot be a code
    valid: bool  # a category or subcategory in the year's table
    billable: bool  # valid and a leaf (no longer code exists)
    description: str
    fiscal_year: int  # the date of service's fiscal year
    table_fiscal_year: int  # the year of the table (or billable list) the answer comes from
    exact: bool  # False when the answer for another year was inferred from the change rows
    reason: str  # plain-language why


def diagnosis_problems(checks: Sequence[Icd10Check]) -> list[Problem]:
    """Problems for diagnoses that cannot go on a claim for their date of service.

    Not a code, or not in that year's table: error. A header (needs more characters): error.
    Checked against another year's table than the date's: warning (the answer is inferred).
    """
    problems: list[Problem] = []
    for index, check in enumerate(checks):
        where = f"diagnoses[{index}]"
        if not check.valid:
            problems.append(
                Problem(code=CodingProblemCode.DIAGNOSIS_INVALID, message=check.reason, field=where)
            )
        elif not check.billable:
            problems.append(
                Problem(
                    code=CodingProblemCode.DIAGNOSIS_NOT_BILLABLE,
                    message=check.reason,
                    field=where,
                    fix_hint="Pick one of the longer codes under it.",
                )
            )
        elif not check.exact:
            problems.append(
                Problem(
                    code=CodingProblemCode.DIAGNOSIS_YEAR_INEXACT,
                    message=check.reason,
                    field=where,
                    severity=Severity.WARNING,
                    fix_hint=f"Load the FY{check.fiscal_year} table: python manage.py import_icd10cm "
                    f"icd10cm-order-{check.fiscal_year}.txt",
                )
            )
    return problems


class Icd10Catalog:
    """Billable checks by date of service and search over one source plus fiscal-year changes.

    `billable_lists` maps a fiscal year to its complete billable list (see `BillableList`): a
    date of service in such a year is checked against it exactly. Descriptions and headers still
    come from `source` (a code that is not billable in the list is a header that year when the
    source has it and some longer code under it is in the list; checked on the real FY2025 and
    FY2026 data, where it holds for every code).
    """

    def __init__(
        self,
        source: Icd10Source,
        changes: Sequence[FyChange] = (),
        billable_lists: Mapping[int, BillableList] | None = None,
    ) -> None:
        self.source = source
        self.changes = tuple(changes)
        self.billable_lists = dict(billable_lists or {})
        self._sorted_lists: dict[int, tuple[frozenset[str], list[str]]] = {}
        self._changes_by_code: dict[str, list[FyChange]] = {}
        for change in self.changes:
            self._changes_by_code.setdefault(change.code, []).append(change)
        self._index: _SearchIndex | None = None

    # ---- checks ------------------------------------------------------------------------------------

    def check(self, raw: str, *, on: date | None = None, loaded: Icd10Source | None = None) -> Icd10Check:
        """The answer for `raw` on date of service `on`. `loaded` is the fiscal year's imported
        order file when an admin loaded it (`manage.py import_icd10cm`): CMS's complete table,
        headers included, so its answer is exact and takes precedence over the package's table and
        the shipped lists."""
        table_year = self.source.fiscal_year
        year = icd10_fiscal_year(on) if on is not None else table_year
        code = normalise_icd10(raw)
        if code is None:
            return Icd10Check(
                raw,
                "",
                False,
                False,
                "",
                year,
                table_year,
                True,
                f"{raw.strip()!r} is not shaped like an ICD-10-CM code.",
            )
        if loaded is not None and on is not None and loaded.fiscal_year == year:
            return self._check_against_loaded(raw, code, year, loaded)
        listed = self.billable_lists.get(year) if year != table_year else None
        if listed is not None:
            return self._check_against_list(raw, code, year, listed())
        entry = self.source.entry(code)
        valid = entry is not None
        billable = entry is not None and entry.billable
        description = entry.description if entry is not None else ""
        change = self._change_between(code, year, table_year)
        exact = year == table_year
        if change is not None:
            valid, billable, description = self._apply(change, year, table_year, description)
        if not valid:
            reason = f"{code} is not an ICD-10-CM code in FY{year}."
            if change is not None and change.change is ChangeKind.ADDED and year < table_year:
                reason = f"{code} was added in FY{change.fiscal_year}; it is not valid for a date of service in FY{year}."
        elif not billable:
            reason = f"{code} is a header, not a billable code: a more specific code is needed."
        else:
            reason = f"{code} is a billable ICD-10-CM code in FY{year}."
        if not exact:
            reason += (
                f" (Checked against the FY{table_year} table"
                + (" and the listed changes" if change is not None else "")
                + f"; the FY{year} table is not loaded.)"
            )
        return Icd10Check(raw, code, valid, billable, description, year, table_year, exact, reason)

    def _check_against_list(
        self, raw: str, code: str, year: int, billable_codes: frozenset[str]
    ) -> Icd10Check:
        """The exact answer for `year` from its complete billable list."""
        key = code.replace(".", "")
        entry = self.source.entry(code)
        billable = key in billable_codes
        # Not billable: a header that year if the table has it and a longer code under it is billable.
        valid = billable or (entry is not None and self._has_longer_code(year, billable_codes, key))
        description = entry.description if entry is not None else self._change_description(code)
        if billable:
            reason = f"{code} is a billable ICD-10-CM code in FY{year}."
        elif valid:
            reason = f"{code} is a header, not a billable code: a more specific code is needed."
        elif entry is not None and year < self.source.fiscal_year:
            added = f"in FY{year + 1}" if self.source.fiscal_year == year + 1 else f"after FY{year}"
            reason = f"{code} was added {added}; it is not valid for a date of service in FY{year}."
            description = ""
        else:
            reason = f"{code} is not an ICD-10-CM code in FY{year}."
            description = ""
        return Icd10Check(raw, code, valid, billable, description, year, year, True, reason)

    def _check_against_loaded(self, raw: str, code: str, year: int, table: Icd10Source) -> Icd10Check:
        """The exact answer for `year` from its imported order file (headers included)."""
        entry = table.entry(code)
        if entry is None:
            reason = f"{code} is not an ICD-10-CM code in FY{year}."
            return Icd10Check(raw, code, False, False, "", year, year, True, reason)
        if entry.billable:
            reason = f"{code} is a billable ICD-10-CM code in FY{year}."
        else:
            reason = f"{code} is a header, not a billable code: a more specific code is needed."
        return Icd10Check(raw, code, True, entry.billable, entry.description, year, year, True, reason)

    def _has_longer_code(self, year: int, billable_codes: frozenset[str], key: str) -> bool:
        cached = self._sorted_lists.get(year)
        if cached is None or cached[0] is not billable_codes:
            cached = (billable_codes, sorted(billable_codes))  # once per list (~20 ms for FY2025)
            self._sorted_lists[year] = cached
        ordered = cached[1]
        at = bisect.bisect_right(ordered, key)
        return at < len(ordered) and ordered[at].startswith(key)

    def _change_description(self, code: str) -> str:
        return next((c.description for c in self._changes_by_code.get(code, []) if c.description), "")

    def is_billable(self, raw: str, *, on: date | None = None) -> bool:
        return self.check(raw, on=on).billable

    def exists(self, raw: str) -> bool:
        """Whether `raw` is a category/subcategory in the table, a fiscal-year change row, or a
        shipped billable list (loads the lists on first use)."""
        code = normalise_icd10(raw)
        if code is None:
            return False
        if self.source.entry(code) is not None or code in self._changes_by_code:
            return True
        key = code.replace(".", "")
        return any(key in listed() for listed in self.billable_lists.values())

    def description(self, raw: str) -> str | None:
        code = normalise_icd10(raw)
        entry = self.source.entry(code) if code is not None else None
        return entry.description if entry is not None else None

    def _change_between(self, code: str, year: int, table_year: int) -> FyChange | None:
        """The change row that decides `code` in `year` when the table is of `table_year`."""
        rows = self._changes_by_code.get(code, [])
        if year < table_year:
            # Undo changes made after `year`, newest first: the oldest such change decides.
            between = [c for c in rows if year < c.fiscal_year <= table_year]
            return min(between, key=lambda c: c.fiscal_year) if between else None
        if year > table_year:
            between = [c for c in rows if table_year < c.fiscal_year <= year]
            return max(between, key=lambda c: c.fiscal_year) if between else None
        return None

    @staticmethod
    def _apply(change: FyChange, year: int, table_year: int, description: str) -> tuple[bool, bool, str]:
        text = change.description or description
        if year < table_year:  # before the change
            if change.change is ChangeKind.ADDED:
                return False, False, ""
            return True, True, text  # deleted or expanded later: a billable leaf back then
        if change.change is ChangeKind.ADDED:
            return True, True, text
        if change.change is ChangeKind.DELETED:
            return False, False, ""
        return True, False, text  # expanded: a header from then on

    # ---- search ------------------------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 20, billable_only: bool = True) -> list[Icd10Entry]:
        """Codes whose code starts with `text`, or whose description has words starting with each word.

        Code matches come first (in code order), then description matches, shortest description
        first. The index is built on first use.
        """
        return self._built_index().search(text, limit=limit, billable_only=billable_only)

    def ensure_index(self) -> None:
        self._built_index()

    def indexed_entries(self) -> Sequence[Icd10Entry]:
        """Every category and subcategory, in code order (builds the search index)."""
        return self._built_index().entries

    def _built_index(self) -> _SearchIndex:
        if self._index is None:
            self._index = _SearchIndex(self.source.entries())
        return self._index


class _SearchIndex:
    """Sorted codes (prefix by bisect) and an inverted index of description words."""

    def __init__(self, entries: Iterable[Icd10Entry]) -> None:
        ordered = sorted({e.code: e for e in entries}.values(), key=lambda e: e.code.replace(".", ""))
        self.entries = ordered
        self.keys = [e.code.replace(".", "") for e in ordered]
        postings: dict[str, list[int]] = {}
        self.rank: list[tuple[int, int]] = []
        for i, entry in enumerate(ordered):
            words = WORD.findall(entry.description.lower())
            self.rank.append((len(words), i))
            for word in set(words):
                postings.setdefault(word, []).append(i)
        self.vocabulary = sorted(postings)
        self.postings = postings

    def _prefix_range(self, items: list[str], prefix: str) -> tuple[int, int]:
        low = bisect.bisect_left(items, prefix)
        high = bisect.bisect_left(items, prefix + "\uffff")
        return low, high

    def _code_matches(self, text: str) -> list[int]:
        key = "".join(text.split()).upper().replace(".", "")
        if not CODE_PREFIX.match(key):
            return []
        low, high = self._prefix_range(self.keys, key)
        return list(range(low, high))

    def _word_matches(self, text: str) -> set[int] | None:
        tokens = [part for t in WORD.findall(text.lower()) for part in SEARCH_ABBREVIATIONS.get(t, t).split()]
        if len(tokens) > 1:
            tokens = [t for t in tokens if len(t) > 1] or tokens
        if not tokens:
            return None
        ranges = []
        for token in tokens:
            low, high = self._prefix_range(self.vocabulary, token)
            if low == high:
                return set()
            size = sum(len(self.postings[w]) for w in self.vocabulary[low:high])
            ranges.append((size, low, high))
        ranges.sort()
        result: set[int] | None = None
        for _size, low, high in ranges:
            found: set[int] = set()
            for word in self.vocabulary[low:high]:
                found.update(self.postings[word])
            result = found if result is None else result & found
            if not result:
                return set()
        return result

    def search(self, text: str, *, limit: int, billable_only: bool) -> list[Icd10Entry]:
        if limit <= 0 or not text.strip():
            return []
        chosen: list[int] = []
        seen: set[int] = set()
        for i in self._code_matches(text):
            if billable_only and not self.entries[i].billable:
                continue
            chosen.append(i)
            seen.add(i)
            if len(chosen) >= limit:
                return [self.entries[j] for j in chosen]
        words = self._word_matches(text) or set()
        candidates = (i for i in words if i not in seen and (not billable_only or self.entries[i].billable))
        best = heapq.nsmallest(limit - len(chosen), candidates, key=self.rank.__getitem__)
        return [self.entries[j] for j in chosen + best]
