"""Reads for coding: code-set look-ups, the catalog the rules check dates against, the payer's
coding rules, and ICD-10-CM checks and search (reference data; no PHI, so no audit event).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from coding.domain.code_sets import CodeCatalog
from coding.domain.icd10 import Icd10Check, Icd10Entry
from coding.domain.types import CodeInfo, CodeKind, CodeUnit, PayerCodingRules
from coding.icd10 import icd10_check as _icd10_check
from coding.icd10 import icd10_description as _icd10_description
from coding.icd10 import icd10_exists as _icd10_exists
from coding.icd10 import icd10_is_billable as _icd10_is_billable
from coding.icd10 import icd10_search as _icd10_search
from coding.models import CodeSetEntry
from core.errors import NotFound
from payers.models import Payer
from payers.selectors import payer_coding_rules_on


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


@dataclass(frozen=True, slots=True)
class PayerRef:
    payer_pk: int
    practice_id: int
    name: str
    kind: str
    payer_id: str


def payer_for_coding(*, payer_id: str) -> PayerRef:
    """The payer with electronic payer ID `payer_id` (any practice; the first by practice, then pk).

    Raises NotFound. Used by the `suggest_codes` command until coding runs per practice.
    """
    payer = (
        Payer.objects.filter(payer_id=payer_id.strip())
        .exclude(payer_id="")
        .order_by("practice_id", "pk")
        .only("pk", "practice_id", "name", "kind", "payer_id")
        .first()
    )
    if payer is None:
        raise NotFound(f"No payer has the electronic payer ID {payer_id.strip()!r}.")
    return PayerRef(
        payer_pk=payer.pk,
        practice_id=payer.practice_id,
        name=payer.name,
        kind=payer.kind,
        payer_id=payer.payer_id,
    )


def coding_rules_for_payer(*, payer: PayerRef, on: date | None) -> PayerCodingRules:
    """The coding rules for `payer` on date `on` (the practice's today when None).

    Delegates to `payers.selectors.payer_coding_rules_on`, THE one place payer -> rules is
    decided: the payer's rule set in force on the date, or the defaults for its kind
    (`coding.domain.payer_defaults`) when none is.
    """
    return payer_coding_rules_on(payer_pk=payer.payer_pk, on=on)


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
