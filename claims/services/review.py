"""A biller marks a note's charges reviewed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from claims import lock_objects, selectors
from claims.domain.status import review_problems
from claims.domain.types import ChargeStatus as Status
from claims.models import ChargeEvent, ChargeSet, ChargeStatus
from claims.services.common import audit_change, new_event, raise_problems, require_edit
from core.errors import Conflict, NotFound


def charge_set_mark_reviewed(*, access: PracticeAccess, charge_set_id: int) -> ChargeSet:
    """A biller marks the charges reviewed (only when the scrubber found no errors)."""
    require_edit(access, object_id=charge_set_id)
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        if charge_set is None:
            raise NotFound()
        before = charge_set.status
        raise_problems(
            review_problems(status=Status(before), error_count=charge_set.error_count),
            message="The charges cannot be marked reviewed.",
        )
        updated = ChargeSet.objects.filter(pk=charge_set.pk, status=before).update(
            status=ChargeStatus.REVIEWED, reviewed_at=now, reviewed_by_id=access.user_id, updated_at=now
        )
        if updated != 1:
            raise Conflict("The charges changed; reload them.", code="charges_conflict")
        new_event(
            charge_set,
            kind=ChargeEvent.Kind.REVIEWED,
            actor=access,
            at=now,
            from_status=before,
            to_status=ChargeStatus.REVIEWED,
        ).save()
        audit_change(access, charge_set, detail=f"reviewed;{before}->reviewed")
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)
