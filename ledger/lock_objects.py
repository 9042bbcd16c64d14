"""Row locks for money changes on a claim (STYLE 13): ordered by pk, evaluated in the caller's
transaction. An ERA posting and a patient payment on the same claim wait for each other, so a
payment applied against the patient's due amount sees every posted responsibility."""

from __future__ import annotations

from claims.models import Claim


def claims_lock(*, claim_ids: list[int]) -> list[int]:
    """Lock the claims' rows (in pk order, so two lockers never deadlock)."""
    if not claim_ids:
        return []
    return list(
        Claim.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted(set(claim_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
