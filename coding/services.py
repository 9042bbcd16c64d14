"""Coding use cases. For now: importing a code-set update (all-or-nothing, idempotent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from coding.domain.code_sets import overlap_problems, parse_code_set_csv
from coding.domain.types import CodeInfo, CodeKind, CodeUnit
from coding.models import CodeSetEntry
from coding.selectors import code_catalog_forget
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
