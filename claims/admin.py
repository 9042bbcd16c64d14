from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from claims.models import (
    BillableNote,
    Charge,
    ChargeEvent,
    ChargeSet,
    Claim,
    ClaimAcknowledgement,
    ClaimAdjudication,
    ClaimBatch,
    ClaimBatchItem,
    ClaimEvent,
    ClaimLine,
    ClaimLineAdjudication,
    ContractedRate,
    FeeScheduleEntry,
    InboundFile,
)


@admin.register(BillableNote)
class BillableNoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["pk", "note_id", "practice_id", "status", "recorded_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BillableNote | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: BillableNote | None = None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Charges change only through the services (history, audit, re-scrub): read-only here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChargeSet)
class ChargeSetAdmin(_ReadOnly):
    list_display = [
        "pk",
        "note_id",
        "practice_id",
        "date_of_service",
        "payer",
        "self_pay",
        "status",
        "error_count",
    ]
    list_filter = ["status", "self_pay"]


@admin.register(Charge)
class ChargeAdmin(_ReadOnly):
    list_display = ["pk", "charge_set_id", "line_number", "code", "units", "place_of_service", "fee_cents"]


@admin.register(ChargeEvent)
class ChargeEventAdmin(_ReadOnly):
    list_display = ["pk", "charge_set_id", "kind", "actor_label", "occurred_at"]
    list_filter = ["kind"]


@admin.register(FeeScheduleEntry)
class FeeScheduleEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The fee schedule is reference data (no PHI): admins may keep it here."""

    list_display = [
        "code",
        "modifiers_key",
        "payer",
        "practice",
        "amount_cents",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["practice", "payer"]
    search_fields = ["code"]


@admin.register(ContractedRate)
class ContractedRateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Contracted (allowed) amounts: reference data like the fee schedule."""

    list_display = [
        "code",
        "modifiers_key",
        "payer",
        "practice",
        "amount_cents",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["practice", "payer"]
    search_fields = ["code"]


# Claims change only through the services (state machine, events, audit): read-only here.


@admin.register(Claim)
class ClaimAdmin(_ReadOnly):
    list_display = [
        "pk",
        "patient_control_number",
        "version",
        "practice_id",
        "payer",
        "status",
        "date_from",
        "total_cents",
        "error_count",
    ]
    list_filter = ["status", "frequency", "responsibility"]


@admin.register(ClaimLine)
class ClaimLineAdmin(_ReadOnly):
    list_display = ["pk", "claim_id", "line_number", "code", "units", "charge_cents", "line_control_number"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(_ReadOnly):
    list_display = ["pk", "claim_id", "kind", "from_status", "to_status", "actor_label", "occurred_at"]
    list_filter = ["kind"]


@admin.register(ClaimBatch)
class ClaimBatchAdmin(_ReadOnly):
    list_display = ["pk", "practice_id", "status", "interchange_control_number", "claim_count", "attempts"]
    list_filter = ["status"]


@admin.register(ClaimBatchItem)
class ClaimBatchItemAdmin(_ReadOnly):
    list_display = ["pk", "batch_id", "claim_id"]


@admin.register(InboundFile)
class InboundFileAdmin(_ReadOnly):
    list_display = ["pk", "practice_id", "kind", "name", "status", "received_at"]
    list_filter = ["kind", "status"]


@admin.register(ClaimAcknowledgement)
class ClaimAcknowledgementAdmin(_ReadOnly):
    list_display = ["pk", "claim_id", "source", "accepted", "category_code", "status_code", "occurred_at"]
    list_filter = ["source", "accepted"]


@admin.register(ClaimAdjudication)
class ClaimAdjudicationAdmin(_ReadOnly):
    list_display = ["pk", "claim_id", "era_reference", "claim_status_code", "paid_cents", "is_reversal"]


@admin.register(ClaimLineAdjudication)
class ClaimLineAdjudicationAdmin(_ReadOnly):
    list_display = ["pk", "adjudication_id", "claim_line_id", "paid_cents", "allowed_cents"]
