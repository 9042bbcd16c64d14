"""Row locks on payers, taken inside the caller's transaction."""

from __future__ import annotations

from payers.models import Payer
from payers.selectors import PayerTerms, payer_terms


def payer_lock(*, practice_id: int, payer_pk: int) -> PayerTerms | None:
    """Lock the practice's payer (changes to its rule versions queue here); None when it is not
    the practice's. Call inside `transaction.atomic`."""
    locked = (
        Payer.objects.select_for_update(of=("self",))
        .filter(pk=payer_pk, practice_id=practice_id)
        .values_list("pk", flat=True)
        .first()
    )
    return payer_terms(payer_pk=locked) if locked is not None else None
