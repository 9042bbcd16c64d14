"""Code sets as data: parse a code-set CSV, check it, and look codes up by date.

The shipped catalog is `coding/data/codes.csv` (our own short labels, never AMA descriptor
text). The same parser checks an annual update file before `import_code_set` writes anything.
Columns: code, kind (cpt/hcpcs/modifier/pos), label, unit (15min/30min/session/untimed/
per_diem/hour, blank for modifiers and POS), timed_minutes, add_on, effective_from,
effective_to, note. Lines starting with "#" are comments.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from coding.domain.types import CodeInfo, CodeKind, CodeUnit
from core.domain.problems import Problem

DATA_PACKAGE = "coding.data"
CODES_FILE = "codes.csv"

COLUMNS = (
    "code",
    "kind",
    "label",
    "unit",
    "timed_minutes",
    "add_on",
    "effective_from",
    "effective_to",
    "note",
)
REQUIRED_COLUMNS = frozenset({"code", "label", "effective_from"})
LABEL_MAX = 120
NOTE_MAX = 200

CODE_SHAPES: Mapping[CodeKind, re.Pattern[str]] = {
    CodeKind.CPT: re.compile(r"^\d{4}[0-9FTU]$"),
    CodeKind.HCPCS: re.compile(r"^[A-V]\d{4}$"),
    CodeKind.MODIFIER: re.compile(r"^[0-9A-Z]{2}$"),
    CodeKind.POS: re.compile(r"^\d{2}$"),
}
TRUE_WORDS = frozenset({"true", "yes", "1", "y"})
FALSE_WORDS = frozenset({"false", "no", "0", "n", ""})


class CodeSetProblemCode:
    MISSING_COLUMN = "code_set_missing_column"
    BAD_VALUE = "code_set_bad_value"
    DUPLICATE = "code_set_duplicate"
    OVERLAP = "code_set_overlap"
    EMPTY = "code_set_empty"


@dataclass(frozen=True, slots=True)
class ParsedCodeSet:
    rows: tuple[CodeInfo, ...]
    problems: tuple[Problem, ...]
    skipped: int = 0  # rows of another kind than the one asked for

    @property
    def ok(self) -> bool:
        return not self.problems


def _bad(line: int, column: str, message: str) -> Problem:
    return Problem(code=CodeSetProblemCode.BAD_VALUE, message=f"line {line}: {message}", field=column)


def _parse_date(raw: str, line: int, column: str, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(_bad(line, column, f"{column} {raw!r} is not a date (YYYY-MM-DD)"))
        return None


def _parse_row(row: Mapping[str, str], line: int, kind: CodeKind) -> tuple[CodeInfo | None, list[Problem]]:
    problems: list[Problem] = []
    code = row.get("code", "").strip().upper()
    if not code:
        problems.append(_bad(line, "code", "code is empty"))
    elif not CODE_SHAPES[kind].match(code):
        problems.append(_bad(line, "code", f"{code!r} is not a valid {kind.value} code"))
    label = row.get("label", "").strip()
    if not label:
        problems.append(_bad(line, "label", "label is empty"))
    elif len(label) > LABEL_MAX:
        problems.append(_bad(line, "label", f"label is longer than {LABEL_MAX} characters"))
    raw_unit = row.get("unit", "").strip().lower()
    unit = CodeUnit.NONE
    if raw_unit not in {u.value for u in CodeUnit}:
        allowed = ", ".join(u.value for u in CodeUnit if u.value)
        problems.append(_bad(line, "unit", f"unit {raw_unit!r} is not one of {allowed} (or blank)"))
    else:
        unit = CodeUnit(raw_unit)
        if kind in (CodeKind.MODIFIER, CodeKind.POS) and unit is not CodeUnit.NONE:
            problems.append(_bad(line, "unit", f"a {kind.value} has no unit; leave unit blank"))
    raw_minutes = row.get("timed_minutes", "").strip()
    timed_minutes: int | None = None
    if raw_minutes:
        if not raw_minutes.isdigit() or int(raw_minutes) <= 0:
            problems.append(
                _bad(line, "timed_minutes", f"timed_minutes {raw_minutes!r} is not a whole number > 0")
            )
        else:
            timed_minutes = int(raw_minutes)
    raw_add_on = row.get("add_on", "").strip().lower()
    if raw_add_on not in TRUE_WORDS | FALSE_WORDS:
        problems.append(_bad(line, "add_on", f"add_on {raw_add_on!r} is not true or false"))
    add_on = raw_add_on in TRUE_WORDS
    raw_from = row.get("effective_from", "").strip()
    effective_from: date | None = None
    if raw_from:
        effective_from = _parse_date(raw_from, line, "effective_from", problems)
    else:
        problems.append(_bad(line, "effective_from", "effective_from is empty"))
    raw_to = row.get("effective_to", "").strip()
    effective_to = _parse_date(raw_to, line, "effective_to", problems) if raw_to else None
    if effective_from is not None and effective_to is not None and effective_to < effective_from:
        problems.append(_bad(line, "effective_to", "effective_to is before effective_from"))
    note = row.get("note", "").strip()
    if len(note) > NOTE_MAX:
        problems.append(_bad(line, "note", f"note is longer than {NOTE_MAX} characters"))
    if problems or effective_from is None:
        return None, problems
    return (
        CodeInfo(
            code=code,
            kind=kind,
            label=label,
            unit=unit,
            timed_minutes=timed_minutes,
            add_on=add_on,
            effective_from=effective_from,
            effective_to=effective_to,
            note=note,
        ),
        [],
    )


def parse_code_set_csv(text: str, *, kind: CodeKind | None = None) -> ParsedCodeSet:
    """Parse and check a code-set CSV. All rows are checked; any problem means "import nothing".

    `kind` limits the import to one kind: rows of other kinds are skipped (counted), and a file
    without a `kind` column takes this kind for every row.
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = {(name or "").strip() for name in (reader.fieldnames or [])}
    needed = REQUIRED_COLUMNS | ({"kind"} if kind is None else set())
    missing = sorted(needed - header)
    if missing:
        return ParsedCodeSet(
            rows=(),
            problems=(
                Problem(
                    code=CodeSetProblemCode.MISSING_COLUMN,
                    message=f"the header lacks column(s): {', '.join(missing)}",
                    field="header",
                ),
            ),
        )
    rows: list[CodeInfo] = []
    problems: list[Problem] = []
    skipped = 0
    seen: dict[tuple[str, CodeKind, date], int] = {}
    for index, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "") for k, v in raw.items()}
        if not any(value.strip() for value in row.values()):
            continue
        raw_kind = row.get("kind", "").strip().lower() or (kind.value if kind else "")
        if raw_kind not in {k.value for k in CodeKind}:
            problems.append(_bad(index, "kind", f"kind {raw_kind!r} is not one of cpt, hcpcs, modifier, pos"))
            continue
        row_kind = CodeKind(raw_kind)
        if kind is not None and row_kind is not kind:
            skipped += 1
            continue
        info, row_problems = _parse_row(row, index, row_kind)
        problems.extend(row_problems)
        if info is None:
            continue
        key = (info.code, info.kind, info.effective_from)
        if key in seen:
            problems.append(
                Problem(
                    code=CodeSetProblemCode.DUPLICATE,
                    message=(
                        f"line {index}: {info.kind.value} {info.code} from {info.effective_from} "
                        f"is already on line {seen[key]}"
                    ),
                    field="code",
                )
            )
            continue
        seen[key] = index
        rows.append(info)
    if not rows and not problems:
        problems.append(
            Problem(code=CodeSetProblemCode.EMPTY, message="the file has no rows to import", field="")
        )
    problems.extend(overlap_problems(rows))
    return ParsedCodeSet(rows=tuple(rows), problems=tuple(problems), skipped=skipped)


def overlap_problems(entries: Iterable[CodeInfo]) -> list[Problem]:
    """Two date ranges of the same code and kind must not overlap (a date finds one entry)."""
    by_key: dict[tuple[str, CodeKind], list[CodeInfo]] = {}
    for entry in entries:
        by_key.setdefault((entry.code, entry.kind), []).append(entry)
    problems: list[Problem] = []
    for (code, kind), group in sorted(by_key.items()):
        ordered = sorted(group, key=lambda e: e.effective_from)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                problems.append(
                    Problem(
                        code=CodeSetProblemCode.OVERLAP,
                        message=(
                            f"{kind.value} {code}: the entry from {earlier.effective_from} "
                            f"(to {earlier.effective_to or 'open'}) overlaps the one from "
                            f"{later.effective_from}; end the earlier one first"
                        ),
                        field="effective_to",
                    )
                )
    return problems


class CodeCatalog:
    """Code-set entries indexed by code; answers "what is this code on this date?"."""

    def __init__(self, entries: Iterable[CodeInfo]) -> None:
        self._by_code: dict[str, list[CodeInfo]] = {}
        for entry in entries:
            self._by_code.setdefault(entry.code, []).append(entry)
        for group in self._by_code.values():
            group.sort(key=lambda e: (e.kind.value, e.effective_from))

    def lookup(self, code: str, *, on: date, kind: CodeKind | None = None) -> CodeInfo | None:
        """The entry for `code` effective on `on` (procedure kinds first when `kind` is None)."""
        candidates = [
            entry
            for entry in self._by_code.get(code.strip().upper(), ())
            if entry.effective_on(on) and (kind is None or entry.kind is kind)
        ]
        if not candidates:
            return None
        order = {CodeKind.CPT: 0, CodeKind.HCPCS: 1, CodeKind.MODIFIER: 2, CodeKind.POS: 3}
        return min(candidates, key=lambda e: order[e.kind])

    def any_version(self, code: str, *, kind: CodeKind | None = None) -> Sequence[CodeInfo]:
        """Every dated entry of `code` (to explain "valid only from ..." problems)."""
        return [e for e in self._by_code.get(code.strip().upper(), ()) if kind is None or e.kind is kind]

    def __len__(self) -> int:
        return sum(len(group) for group in self._by_code.values())


def read_shipped_code_set() -> str:
    return resources.files(DATA_PACKAGE).joinpath(CODES_FILE).read_text(encoding="utf-8")


@cache
def shipped_catalog() -> CodeCatalog:
    """The catalog shipped in coding/data/codes.csv (parsed once). It must parse cleanly."""
    parsed = parse_code_set_csv(read_shipped_code_set())
    if not parsed.ok:
        raise ValueError(
            "coding/data/codes.csv does not parse: " + "; ".join(p.message for p in parsed.problems)
        )
    return CodeCatalog(parsed.rows)
