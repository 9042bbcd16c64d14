"""Reads of practice data: providers, locations, supervision."""

from __future__ import annotations

from practice.models import Provider


def provider_id_for_user(*, user_id: int, practice_id: int) -> int | None:
    return (
        Provider.objects.filter(user_id=user_id, practice_id=practice_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
