"""Row locks for practice services: evaluated inside the caller's transaction, ordered by pk."""

from __future__ import annotations

from django.db.models import QuerySet

from practice.models import Practice, Provider, Supervision


def practice_lock(*, practice_id: int) -> Practice:
    return Practice.objects.select_for_update(of=("self",)).get(pk=practice_id)


def providers_lock(*, practice_id: int, provider_ids: list[int]) -> dict[int, Provider]:
    """Lock the practice's providers among `provider_ids` (missing or foreign ids are left out)."""
    rows: QuerySet[Provider] = (
        Provider.objects.select_for_update(of=("self",))
        .filter(practice_id=practice_id, pk__in=provider_ids)
        .order_by("pk")
    )
    return {p.pk: p for p in rows}


def supervision_lock(*, practice_id: int, supervision_id: int) -> Supervision | None:
    return (
        Supervision.objects.select_for_update(of=("self",))
        .filter(pk=supervision_id, supervisee__practice_id=practice_id)
        .first()
    )
