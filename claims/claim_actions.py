"""The claim screens' two actions, each one call into the service that owns it.

* Submit a batch: `claims.services.batches.claim_batch_create` (the submission work).
* Resubmit a rejected claim: `claims.services.resubmit.claim_resubmit` (the fixed claim
  re-scrubbed: ready again when clean, else draft with its findings).

BILLING_EDIT is checked here before anything is read; the services check state and write the
events and audit rows. The services are looked up when called: until they are on main, the
screens answer with a clear Conflict ("not available yet") instead of failing to import.
TODO(merge): import them directly once both are on main.
"""

from __future__ import annotations

import importlib
from typing import Any

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from claims.selectors.claim_screens import claim_in_practice
from core.errors import Conflict, NotFound

BATCH_SERVICE = ("claims.services.batches", "claim_batch_create")
RESUBMIT_SERVICE = ("claims.services.resubmit", "claim_resubmit")


def _service(path: tuple[str, str]) -> Any:
    module_name, name = path
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        module = None
    service = getattr(module, name, None)
    if service is None:
        raise Conflict(f"{name.replace('_', ' ').capitalize()} is not available yet.")
    return service


def batch_submit(*, access: PracticeAccess, claim_ids: list[int]) -> int:
    """Queue `claim_ids` (ready claims of the practice) as one batch; the batch's id."""
    access.require(Capability.BILLING_EDIT)
    batch = _service(BATCH_SERVICE)(access.practice_id, list(claim_ids), actor=access)
    return int(batch.pk)


def rejection_resubmit(*, access: PracticeAccess, claim_id: int) -> tuple[int, str]:
    """A rejected claim, fixed, re-scrubbed: ready for the next batch (or draft with the findings
    still to fix). The claim's id and its state now."""
    access.require(Capability.BILLING_EDIT)
    if not claim_in_practice(practice_id=access.practice_id, claim_id=claim_id):
        raise NotFound()
    claim = _service(RESUBMIT_SERVICE)(claim_id=claim_id, actor=access)
    return int(claim.pk), str(claim.status)
