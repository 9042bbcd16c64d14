"""The claim screens' two actions, each one call into the service that owns it.

* Submit a batch: `claims.services.batches.claim_batch_create` (the submission work).
* Resubmit a rejected claim: `claims.services.resubmit.claim_resubmit` (the fixed claim
  re-scrubbed: ready again when clean, else draft with its findings).

BILLING_EDIT is checked here before anything is read; the services check state, write the
events and audit rows, and take the request's PracticeAccess as the actor.
"""

from __future__ import annotations

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from claims.selectors.claim_screens import claim_in_practice
from claims.services.batches import claim_batch_create
from claims.services.resubmit import claim_resubmit
from core.errors import NotFound


def batch_submit(*, access: PracticeAccess, claim_ids: list[int]) -> int:
    """Queue `claim_ids` (ready claims of the practice) as one batch; the batch's id."""
    access.require(Capability.BILLING_EDIT)
    batch = claim_batch_create(access.practice_id, list(claim_ids), actor=access)
    return int(batch.pk)


def rejection_resubmit(*, access: PracticeAccess, claim_id: int) -> tuple[int, str]:
    """A rejected claim, fixed, re-scrubbed: ready for the next batch (or draft with the findings
    still to fix). The claim's id and its state now."""
    access.require(Capability.BILLING_EDIT)
    if not claim_in_practice(practice_id=access.practice_id, claim_id=claim_id):
        raise NotFound()
    claim = claim_resubmit(claim_id=claim_id, actor=access)
    return int(claim.pk), str(claim.status)
