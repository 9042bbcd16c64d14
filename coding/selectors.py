"""Reads for coding: code-set look-ups, the catalog the rules check dates against, and ICD-10-CM
checks and search (reference data; no PHI, so no audit event). A payer's coding rules are read
where payers live (`payers.selectors.payer_coding_rules_on`): coding depends on core only.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

from coding.domain.code_sets import CodeCatalog
from coding.domain.icd10 import Icd10Check, Icd10Entry, icd10_fiscal_year, normalise_icd10
from coding.domain.types import CodeInfo, CodeKind, CodeUnit
from coding.icd10 import icd10_check as _icd10_check
from coding.icd10 import icd10_description as _icd10_description
from coding.icd10 import icd10_exists as _icd10_exists
from coding.icd10 import icd10_is_billable as _icd10_is_billable
from coding.icd10 import icd10_search as _icd10_search
from coding.models import CodeSetEntry, Icd10cmCode, Icd10cmRelease


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
    """The answer for the date of service's fiscal year: from its imported order file when an admin
    loaded it, else from the shipped tables (inexact for a year we hold no table of)."""
    loaded = loaded_year_table(icd10_fiscal_year(on)) if on is not None else None
    return _icd10_check(code, on=on, loaded=loaded)


# Years imported from CMS's order file (`manage.py import_icd10cm`). Which years are loaded is read
# once per process and kept: an import in this process forgets it (on commit); another process's
# import is picked up within LOADED_YEARS_MAX_AGE_SECONDS.
LOADED_YEARS_MAX_AGE_SECONDS = 300.0
_loaded_years: list[tuple[float, dict[int, int]]] = []


class ImportedYear:
    """An imported fiscal year as an `Icd10Source`: one indexed query per code looked up."""

    def __init__(self, fiscal_year: int, release_id: int) -> None:
        self.fiscal_year = fiscal_year
        self.release_id = release_id

    def entry(self, code: str) -> Icd10Entry | None:
        row = (
            Icd10cmCode.objects.filter(release_id=self.release_id, code=code.replace(".", ""))
            .values_list("billable", "long_description")
            .first()
        )
        if row is None:
            return None
        return Icd10Entry(code=code, description=row[1], billable=row[0])

    def entries(self) -> Iterator[Icd10Entry]:
        rows = Icd10cmCode.objects.filter(release_id=self.release_id).order_by("order_number")
        for code, billable, description in rows.values_list("code", "billable", "long_description"):
            yield Icd10Entry(code=normalise_icd10(code) or code, description=description, billable=billable)


def loaded_fiscal_years() -> dict[int, int]:
    """{fiscal year: release id} of the imported ICD-10-CM years (kept in the process; see above)."""
    if _loaded_years and time.monotonic() - _loaded_years[0][0] < LOADED_YEARS_MAX_AGE_SECONDS:
        return _loaded_years[0][1]
    years = dict(Icd10cmRelease.objects.values_list("fiscal_year", "pk"))
    _loaded_years[:] = [(time.monotonic(), years)]
    return years


def loaded_year_table(fiscal_year: int) -> ImportedYear | None:
    release_id = loaded_fiscal_years().get(fiscal_year)
    return ImportedYear(fiscal_year, release_id) if release_id is not None else None


def loaded_years_forget() -> None:
    """Drop the process's list of imported years: the next check reads it again."""
    _loaded_years.clear()


def icd10_is_billable(code: str, *, on: date | None = None) -> bool:
    return _icd10_is_billable(code, on=on)


def icd10_exists(code: str) -> bool:
    return _icd10_exists(code)


def icd10_description(code: str) -> str | None:
    return _icd10_description(code)


def icd10_search(text: str, *, limit: int = 20, billable_only: bool = True) -> list[Icd10Entry]:
    return _icd10_search(text, limit=limit, billable_only=billable_only)
