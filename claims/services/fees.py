"""The practice's fee schedule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims import selectors
from claims.domain.capture import modifiers_key
from claims.models import FeeScheduleEntry
from claims.services.common import raise_problems
from coding.domain.types import CodeKind
from core.domain.problems import Problem
from core.errors import PermissionDenied
from payers.selectors import payer_in_practice


def fee_schedule_entry_set(
    *,
    access: PracticeAccess,
    code: str,
    amount_cents: int,
    effective_from: date,
    payer_id: int | None = None,
    modifiers: Sequence[str] = (),
    effective_to: date | None = None,
) -> FeeScheduleEntry:
    """Set the practice's fee for a code (and modifiers), for a payer or as the default (upsert on
    practice, payer, code, modifiers and start date). Unknown payer or code, a negative amount:
    ValidationFailed, nothing written."""
    if not (access.can(Capability.BILLING_EDIT) or access.can(Capability.PRACTICE_MANAGE)):
        raise PermissionDenied()
    problems: list[Problem] = []
    code = code.strip().upper()
    if payer_id is not None and not payer_in_practice(practice_id=access.practice_id, payer_pk=payer_id):
        problems.append(Problem("fee_payer_unknown", "No such payer in this practice.", "payer"))
    info = selectors.catalog().lookup(code, on=effective_from)
    if info is None or info.kind not in (CodeKind.CPT, CodeKind.HCPCS):
        problems.append(
            Problem(
                "fee_code_unknown",
                f"{code or 'The code'} is not a CPT/HCPCS code on {effective_from}.",
                "code",
            )
        )
    if amount_cents < 0:
        problems.append(Problem("fee_amount_negative", "A fee cannot be negative.", "amount_cents"))
    if effective_to is not None and effective_to < effective_from:
        problems.append(
            Problem("fee_dates_order", "The end date cannot be before the start date.", "effective_to")
        )
    raise_problems(problems, message="The fee was not saved.")
    key = modifiers_key(modifiers)
    with transaction.atomic(durable=True):
        payer_lookup: dict[str, object] = (
            {"payer_id": payer_id} if payer_id is not None else {"payer__isnull": True}
        )
        entry = (
            FeeScheduleEntry.objects.select_for_update()
            .filter(
                **payer_lookup,
                practice_id=access.practice_id,
                code=code,
                modifiers_key=key,
                effective_from=effective_from,
            )
            .first()
        )
        if entry is not None and (entry.amount_cents, entry.effective_to) == (amount_cents, effective_to):
            return entry  # already so: nothing to write, nothing to audit
        created = entry is None
        if entry is None:
            entry = FeeScheduleEntry(
                practice_id=access.practice_id,
                payer_id=payer_id,
                code=code,
                modifiers_key=key,
                effective_from=effective_from,
            )
        entry.amount_cents = amount_cents
        entry.effective_to = effective_to
        entry.full_clean()
        entry.save()
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            category=Category.BILLING,
            practice_id=access.practice_id,
            object_type="fee_schedule_entry",
            object_id=entry.pk,
            detail=f"code={code};modifiers={key};cents={amount_cents}",
        )
    return entry
