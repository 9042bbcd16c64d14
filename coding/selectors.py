"""Reads for coding: code-set look-ups, the catalog the rules check dates against, and ICD-10-CM
checks and search (reference data; no PHI, so no audit event). A payer's coding rules are read
where payers live (`payers.selectors.payer_coding_rules_on`): coding depends on core only.
"""

from __future__ import annotations

import time
from datetime import date

from coding.domain.code_sets import CodeCatalog
from coding.domain.icd10 import Icd10Check, Icd10Entry
from coding.domain.types import CodeInfo, CodeKind, CodeUnit
from coding.icd10 import icd10_check as _icd10_check
from coding.icd10 import icd10_description as _icd10_description
from coding.icd10 import icd10_exists as _icd10_exists
from coding.icd10 import icd10_is_billable as _icd10_is_billable
from coding.icd10 import icd10_search as _icd10_search
from coding.models import CodeSetEntry


def _info(entry: CodeSetEntry) -> CodeInfo:
    return CodeInfo(
        code=entry.code,
        kind=CodeKind(entry.kind),
        label=entry.label,
        unit=CodeUnit(entry.unit),
        timed_minutes=entry.timed_minutes,
        add_on=entry.add_on,
        effective_from=entry.effective_from,
        effective_to=entry.effective_to,
        note=entry.note,
    )


def code_lookup(code: str, *, on: date, kind: CodeKind | str | None = None) -> CodeInfo | None:
    """The code-set entry for `code` valid on `on` (any kind, procedure codes first), or None."""
    entries = CodeSetEntry.objects.filter(code=code.strip().upper(), effective_from__lte=on).exclude(
        effective_to__lt=on
    )
    if kind is not None:
        entries = entries.filter(kind=CodeKind(kind).value)
    return CodeCatalog(_info(e) for e in entries).lookup(code, on=on)


# The catalog is reference data that changes a few times a year: load it once per process.
# An import in this process forgets it (on commit); another process's import is picked up within
# CATALOG_MAX_AGE_SECONDS.
CATALOG_MAX_AGE_SECONDS = 300.0
_catalog: list[tuple[float, CodeCatalog]] = []


def code_catalog() -> CodeCatalog:
    """Every code-set entry in the database, for the coding rules (one query, ~150 rows, then
    kept in the process; see `code_catalog_forget`)."""
    if _catalog and time.monotonic() - _catalog[0][0] < CATALOG_MAX_AGE_SECONDS:
        return _catalog[0][1]
    loaded = CodeCatalog(_info(e) for e in CodeSetEntry.objects.all())
    _catalog[:] = [(time.monotonic(), loaded)]
    return loaded


def code_catalog_forget() -> None:
    """Drop the process's catalog: the next `code_catalog()` reads the table again."""
    _catalog.clear()


def code_set_entries() -> list[CodeInfo]:
    return [_info(e) for e in CodeSetEntry.objects.order_by("kind", "code", "effective_from")]


# ---- ICD-10-CM (the table loads on first use; see coding.icd10) ------------------------------------


def icd10_check(code: str, *, on: date | None = None) -> Icd10Check:
    return _icd10_check(code, on=on)


def icd10_is_billable(code: str, *, on: date | None = None) -> bool:
    return _icd10_is_billable(code, on=on)


def icd10_exists(code: str) -> bool:
    return _icd10_exists(code)


def icd10_description(code: str) -> str | None:
    return _icd10_description(code)


def icd10_search(text: str, *, limit: int = 20, billable_only: bool = True) -> list[Icd10Entry]:
    return _icd10_search(text, limit=limit, billable_only=billable_only)
