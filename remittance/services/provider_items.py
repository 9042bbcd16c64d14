"""Provider-level items (R10, R11): open one per tracked PLB amount of a posted ERA, or offset
the payer's open item that it cancels. Runs inside `era_post`'s transaction, called from
`remittance.services.posting._post_provider_level` with the ERA's planned PLB entries; the rule is
`remittance.domain.provider_items`. Queries: none when the ERA has no FB/WO/72, else one locked
read of the payer's open items, one update of what it offsets and one insert."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.errors import Conflict, NotFound, ValidationFailed
from remittance.domain import posting as plan
from remittance.domain.provider_items import OpenItem, PlbAmount, is_tracked, plan_provider_items
from remittance.models import EraFile, ProviderLevelItem


def provider_items_record(*, era: EraFile, entries: Sequence[plan.LedgerEntry]) -> None:
    """Track the ERA's forward balances and unlinked recoupments; offset what they cancel."""
    amounts = [
        PlbAmount(
            reason=entry.reason_code,
            reference=entry.reference,
            amount_cents=-entry.cents,  # the plan's entries count money received as positive
            linked_to_claim=entry.claim_id is not None,
        )
        for entry in entries
        if entry.kind == plan.PROVIDER
    ]
    tracked = [amount for amount in amounts if is_tracked(amount)]
    if not tracked:
        return
    open_rows = (
        ProviderLevelItem.objects.select_for_update(of=("self",))
        .filter(practice_id=era.practice_id, payer_id=era.payer_id, status=ProviderLevelItem.Status.OPEN)
        .order_by("pk")
    )
    decided = plan_provider_items(
        tracked, [OpenItem(row.pk, row.reason, row.reference, row.amount_cents) for row in open_rows]
    )
    now = timezone.now()
    if decided.offset_ids:
        ProviderLevelItem.objects.filter(
            pk__in=decided.offset_ids, status=ProviderLevelItem.Status.OPEN
        ).update(status=ProviderLevelItem.Status.OFFSET, offset_by=era, offset_at=now)
    ProviderLevelItem.objects.bulk_create(
        [
            ProviderLevelItem(
                practice_id=era.practice_id,
                era=era,
                payer_id=era.payer_id,
                payer_name=era.payer_name,
                reason=amount.reason[:3],
                reference=amount.reference[:80],
                amount_cents=amount.amount_cents,
                created_at=now,
            )
            for amount in decided.opened
        ]
    )


def provider_item_close(*, access: PracticeAccess, item_id: int, reason: str) -> None:
    """Close an open provider-level item settled outside the 835s (a refund check, a payer's
    letter), with the reason (required and kept). BILLING_EDIT; audited. The ledger is not
    touched: the money moved when the ERAs were posted, and what settles it outside an ERA is
    recorded where it happens."""
    access.require(Capability.BILLING_EDIT)
    why = reason.strip()
    if not why:
        raise ValidationFailed("Say how the item was settled.", field_errors={"reason": ["Required."]})
    with transaction.atomic():
        item = (
            ProviderLevelItem.objects.select_for_update(of=("self",))
            .filter(pk=item_id, practice_id=access.practice_id)
            .first()
        )
        if item is None:
            raise NotFound("No such provider-level item.")
        if item.status != ProviderLevelItem.Status.OPEN:
            raise Conflict("This item is not open any more.", code="provider_item_not_open")
        ProviderLevelItem.objects.filter(pk=item.pk).update(
            status=ProviderLevelItem.Status.CLOSED,
            closed_at=timezone.now(),
            closed_by_id=access.user_id,
            close_reason=why[:300],
        )
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.UPDATE,
            category=Category.BILLING,
            practice_id=access.practice_id,
            object_type="provider_level_item",
            object_id=str(item.pk),
            detail="closed by hand",
        )
