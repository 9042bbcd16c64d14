"""The demo's claims, through the real services and the sandbox clearinghouse: the biller marks
the clean charges reviewed (all but the last day's), claims are assembled and sent in three
batches (the oldest holds every claim dated up to `oldest_through`, the day of the newest
session of the money cycle, demo/seed_clinical.py `_cycle_cases`; the rest are halved), and the
sandbox's answers are collected in stages so the demo shows claims at every step: the oldest
batch answered through its 835, the next accepted by the clearinghouse, the
newest just acknowledged by its 999. The last day's charges stay unreviewed (ready), so a new
user has claims to build and a batch to submit.

Idempotent: a practice that already has a claim batch is left alone. Sends and collections run
here, in-process (the send job a batch queues finds its batch sent and does nothing).
"""

from __future__ import annotations

import datetime as dt
import shutil

from accounts.access import PracticeAccess
from claims.adapters import clearinghouse_name, sandbox_allowed, sandbox_directory
from claims.models import ChargeSet, Claim, ClaimBatch
from claims.services import charge_set_mark_reviewed
from claims.services.acknowledgements import claims_responses_collect
from claims.services.assembly import claims_assemble
from claims.services.batches import claim_batch_create, claim_batch_send


def seed_claims(*, access: PracticeAccess, oldest_through: dt.date) -> dict[str, int]:
    practice_id = access.practice_id
    if clearinghouse_name() != "sandbox" or not sandbox_allowed():
        return {}
    if ClaimBatch.objects.filter(practice_id=practice_id).exists():
        return {}
    # A mailbox left by an earlier database (a fresh `make run`) would answer for files this one
    # never sent, under the same names: the sandbox starts empty with the practice's claims.
    shutil.rmtree(sandbox_directory(practice_id), ignore_errors=True)
    ready = ChargeSet.objects.filter(practice_id=practice_id, status="ready")
    last_day = ready.order_by("-date_of_service").values_list("date_of_service", flat=True).first()
    if last_day is None:
        return {}
    reviewed = list(ready.filter(date_of_service__lt=last_day).order_by("pk").values_list("pk", flat=True))
    if not reviewed:
        return {}
    for charge_set_id in reviewed:
        charge_set_mark_reviewed(access=access, charge_set_id=charge_set_id)
    result = claims_assemble(practice_id, actor=access, charge_set_ids=reviewed)
    claims = list(
        Claim.objects.filter(pk__in=result.claim_ids, status="ready")
        .order_by("date_from", "pk")
        .values_list("pk", "date_from")
    )
    if not claims:
        return {"claims": len(result.claim_ids)}
    oldest = [pk for pk, day in claims if day <= oldest_through]
    rest = [pk for pk, day in claims if day > oldest_through]
    half = -(-len(rest) // 2)
    groups = [ids for ids in (oldest, rest[:half], rest[half:]) if ids]
    for index, claim_ids in enumerate(groups):
        batch = claim_batch_create(practice_id, claim_ids, actor=access)
        claim_batch_send(batch_id=batch.pk)
        # the oldest batch sees 4 collections (999, clearinghouse 277CA, payer 277CA, 835), the
        # next 2, the newest 1
        for _ in range(2 if index == 0 else 1):
            claims_responses_collect(practice_id=practice_id)
    return {"claims": len(result.claim_ids), "claim_batches": len(groups)}
