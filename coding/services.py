"""Coding use cases: importing a code-set update and an ICD-10-CM year (both all-or-nothing,
idempotent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from coding.domain.code_sets import overlap_problems, parse_code_set_csv
from coding.domain.icd10_order_file import (
    OrderRow,
    fiscal_year_problems,
    order_rows_digest,
    parse_order_file,
)
from coding.domain.types import CodeInfo, CodeKind, CodeUnit
from coding.models import CodeSetEntry, Icd10cmCode, Icd10cmRelease
from coding.selectors import code_catalog_forget, loaded_years_forget
from core.domain.problems import field_errors
from core.errors import ValidationFailed

FIELDS = ("label", "unit", "timed_minutes", "add_on", "effective_to", "note")


@dataclass(frozen=True, slots=True)
class CodeSetImportResult:
    created: int
    updated: int
    unchanged: int
    skipped: int = 0  # rows of another kind than the one asked for


def _values(info: CodeInfo) -> dict[str, object]:
    return {
        "label": info.label,
        "unit": info.unit.value,
        "timed_minutes": info.timed_minutes,
        "add_on": info.add_on,
        "effective_to": info.effective_to,
        "note": info.note,
    }


def _as_info(entry: CodeSetEntry) -> CodeInfo:
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


def code_set_import_csv(*, text: str, kind: CodeKind | None = None) -> CodeSetImportResult:
    """Check a code-set CSV and upsert it; any bad row means nothing is written (ValidationFailed)."""
    parsed = parse_code_set_csv(text, kind=kind)
    if not parsed.ok:
        raise ValidationFailed(
            f"The code-set file has {len(parsed.problems)} problem(s); nothing was imported.",
            field_errors=field_errors(list(parsed.problems)),
            code="code_set_invalid",
        )
    result = code_set_import(rows=parsed.rows)
    return CodeSetImportResult(result.created, result.updated, result.unchanged, skipped=parsed.skipped)


def code_set_import(*, rows: Sequence[CodeInfo]) -> CodeSetImportResult:
    """Upsert `rows` on (code, kind, effective_from) in one transaction.

    Re-importing the same rows changes nothing. After the upsert every code's date ranges must
    still not overlap, or the whole import is rolled back (ValidationFailed).
    """
    created = updated = unchanged = 0
    with transaction.atomic(durable=True):
        codes = sorted({r.code for r in rows})
        existing = {
            (e.code, e.kind, e.effective_from): e
            for e in CodeSetEntry.objects.select_for_update().filter(code__in=codes).order_by("pk")
        }
        for info in rows:
            values = _values(info)
            entry = existing.get((info.code, info.kind.value, info.effective_from))
            if entry is None:
                entry = CodeSetEntry(
                    code=info.code, kind=info.kind.value, effective_from=info.effective_from, **values
                )
                entry.full_clean()
                entry.save()
                created += 1
                continue
            changed = [name for name, value in values.items() if getattr(entry, name) != value]
            if not changed:
                unchanged += 1
                continue
            for name in changed:
                setattr(entry, name, values[name])
            entry.full_clean()
            entry.save(update_fields=[*changed, "updated_at"])
            updated += 1
        overlaps = overlap_problems(_as_info(e) for e in CodeSetEntry.objects.filter(code__in=codes))
        if overlaps:
            raise ValidationFailed(
                "The import would give a code overlapping date ranges; nothing was imported.",
                field_errors=field_errors(overlaps),
                code="code_set_overlap",
            )
        transaction.on_commit(code_catalog_forget)  # the rules see the new codes from now on
    return CodeSetImportResult(created=created, updated=updated, unchanged=unchanged)


# ---- ICD-10-CM years ------------------------------------------------------------------------------

ICD10CM_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Icd10cmImportResult:
    fiscal_year: int
    outcome: str  # "loaded" (a new year), "replaced" (the year's rows changed) or "unchanged"
    codes: int
    billable: int
    added: int = 0  # codes not in the year's previous import
    removed: int = 0
    changed: int = 0  # same code, other flag or descriptions


def _row_values(row: OrderRow) -> tuple[int, bool, str, str]:
    return (row.order_number, row.billable, row.short_description, row.long_description)


def icd10cm_import(*, text: str, fiscal_year: int | None, file_name: str = "") -> Icd10cmImportResult:
    """Load CMS's ICD-10-CM order file as fiscal year `fiscal_year`, all or nothing.

    Any malformed line (reported with its number) or a missing year: ValidationFailed and nothing
    is stored. The same rows again: nothing changes. Other rows for a loaded year replace it.
    """
    parsed = parse_order_file(text)
    problems = [*fiscal_year_problems(fiscal_year), *parsed.problems]
    if problems or fiscal_year is None:
        raise ValidationFailed(
            f"The ICD-10-CM file has {len(problems)} problem(s); nothing was imported.",
            field_errors=field_errors(problems),
            code="icd10cm_invalid",
        )
    rows = parsed.rows
    digest = order_rows_digest(rows)
    billable = sum(1 for r in rows if r.billable)
    with transaction.atomic(durable=True):
        release = Icd10cmRelease.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
        if release is not None and release.digest == digest:
            return Icd10cmImportResult(fiscal_year, "unchanged", len(rows), billable)
        added = removed = changed = 0
        if release is None:
            release = Icd10cmRelease(fiscal_year=fiscal_year)
            outcome = "loaded"
            added = len(rows)
        else:
            outcome = "replaced"
            before = {
                code: (order, flag, short, long)
                for code, order, flag, short, long in release.codes.values_list(
                    "code", "order_number", "billable", "short_description", "long_description"
                )
            }
            after = {r.code: _row_values(r) for r in rows}
            added = len(after.keys() - before.keys())
            removed = len(before.keys() - after.keys())
            changed = sum(1 for code in after.keys() & before.keys() if after[code] != before[code])
            release.codes.all().delete()
        release.file_name = file_name[:200]
        release.digest = digest
        release.code_count = len(rows)
        release.billable_count = billable
        release.full_clean()
        release.save()
        Icd10cmCode.objects.bulk_create(
            (
                Icd10cmCode(
                    release=release,
                    order_number=r.order_number,
                    code=r.code,
                    billable=r.billable,
                    short_description=r.short_description,
                    long_description=r.long_description,
                )
                for r in rows
            ),
            batch_size=ICD10CM_BATCH,
        )
        transaction.on_commit(loaded_years_forget)  # checks use the year from now on
    return Icd10cmImportResult(fiscal_year, outcome, len(rows), billable, added, removed, changed)
