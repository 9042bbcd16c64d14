"""Which practice owns an object an audit event names: so a denied cross-practice attempt is also
recorded where the owning practice's compliance auditor looks (their practice's audit log).

Apps register one lookup per object type they audit (in their AppConfig.ready), so the audit app
learns who owns a patient, note or appointment without importing the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

# A lookup answers (practice id, patient id or None) for an object id, or None if there is no such row.
OwnerLookup = Callable[[int], tuple[int, int | None] | None]

_LOOKUPS: dict[str, OwnerLookup] = {}
_MAX_ID = 2**63 - 1


def audit_owner_register(object_type: str, lookup: OwnerLookup) -> None:
    _LOOKUPS[object_type] = lookup


def audit_owner_lookup_for(model: type[Model], *, patient_field: str | None = "patient_id") -> OwnerLookup:
    """The usual lookup: the row's `practice_id` (and `patient_field`), one query."""

    def lookup(object_id: int) -> tuple[int, int | None] | None:
        fields = ["practice_id", *([patient_field] if patient_field else [])]
        row: Any = model._default_manager.filter(pk=object_id).values_list(*fields).first()
        if row is None:
            return None
        return int(row[0]), (row[1] if patient_field else None)

    return lookup


def audit_object_owner(object_type: str, object_id: str | int) -> tuple[int, int | None] | None:
    """The owning practice (and patient) of an audited object, when its type is registered."""
    lookup = _LOOKUPS.get(object_type)
    text = str(object_id)
    if lookup is None or not text.isdigit() or int(text) > _MAX_ID:
        return None
    return lookup(int(text))
