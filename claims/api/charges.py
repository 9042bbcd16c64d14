"""Charges REST API (mounted at /api/charges/): one APIView per operation, nested Input/Output
serializers that check shape only.

Reads go through `claims.selectors` (practice-scoped, BILLING_VIEW, audited); changes through
`claims.services` (BILLING_EDIT). Errors come back in the one shape {"message", "code",
"extra"}; a refused override lists its problems in `extra.problems` and `extra.fields`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from claims import selectors, services
from claims.api.listing import StatusCountedListApi
from claims.domain.types import ChargeStatus
from core.api.mixins import int_param, query_param, validated
from core.errors import ValidationFailed

STATUSES = [s.value for s in ChargeStatus]


def _date_param(request: Request, name: str) -> date | None:
    raw = query_param(request, name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(field_errors={name: ["Enter a date as YYYY-MM-DD."]}) from None


def _bool_param(request: Request, name: str) -> bool | None:
    raw = query_param(request, name).lower()
    if not raw:
        return None
    if raw in {"1", "true", "yes"}:
        return True
    if raw in {"0", "false", "no"}:
        return False
    raise ValidationFailed(field_errors={name: ["Use true or false."]})


# ---------------------------------------------------------------------------------------------
# Output shapes


class ChargeFindingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    fix_hint = serializers.CharField(allow_blank=True)


class ChargeLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    line_number = serializers.IntegerField()
    code = serializers.CharField()
    units = serializers.IntegerField()
    modifiers = serializers.ListField(child=serializers.CharField())
    place_of_service = serializers.CharField()
    diagnosis_pointers = serializers.ListField(child=serializers.IntegerField())
    documented_minutes = serializers.IntegerField()
    add_on = serializers.BooleanField()
    unit_fee_cents = serializers.IntegerField()
    fee_cents = serializers.IntegerField()
    fee_source = serializers.CharField(allow_blank=True)
    authorization_id = serializers.IntegerField(allow_null=True)
    auth_number = serializers.CharField(allow_blank=True)
    overridden = serializers.BooleanField()


class ChargeSetSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    note_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    date_of_service = serializers.DateField()
    payer_id = serializers.IntegerField(allow_null=True)
    self_pay = serializers.BooleanField()
    rendering_provider_id = serializers.IntegerField()
    supervising_provider_id = serializers.IntegerField(allow_null=True)
    supervisor_billing = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=STATUSES)
    error_count = serializers.IntegerField()
    warning_count = serializers.IntegerField()
    total_cents = serializers.SerializerMethodField()
    lines = ChargeLineSerializer(many=True, source="lines.all")

    def get_total_cents(self, charge_set: Any) -> int:
        return sum(line.fee_cents for line in charge_set.lines.all() if line.units > 0)


class ChargeEventSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    line_number = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_label")
    occurred_at = serializers.DateTimeField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    before = serializers.JSONField()
    after = serializers.JSONField()
    detail = serializers.CharField(allow_blank=True)

    def get_line_number(self, event: Any) -> int | None:
        return event.charge.line_number if event.charge is not None else None


class ChargeSetDetailSerializer(ChargeSetSummarySerializer):
    coverage_id = serializers.IntegerField(allow_null=True)
    rules_label = serializers.CharField(allow_blank=True)
    claim_diagnoses = serializers.ListField(child=serializers.CharField())
    why = serializers.ListField(child=serializers.CharField())
    coding_problems = ChargeFindingSerializer(many=True)
    findings = ChargeFindingSerializer(many=True)
    captured_at = serializers.DateTimeField()
    scrubbed_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    events = ChargeEventSerializer(many=True, source="events.all")


def _detail(charge_set: Any) -> Response:
    return Response(ChargeSetDetailSerializer(charge_set).data)


# ---------------------------------------------------------------------------------------------
# Reads


class ChargeListApi(StatusCountedListApi):
    # counts_by_status: charge sets per status over the other filters
    @extend_schema(
        operation_id="charges_list",
        parameters=[
            OpenApiParameter("status", str, enum=STATUSES),
            OpenApiParameter("has_errors", bool),
            OpenApiParameter("payer", int),
            OpenApiParameter("self_pay", bool),
            OpenApiParameter("provider", int),
            OpenApiParameter("date_from", date),
            OpenApiParameter("date_to", date),
        ],
        responses=ChargeSetSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = selectors.ChargeFilters(
            status=query_param(request, "status"),
            has_errors=_bool_param(request, "has_errors"),
            payer_id=int_param(request, "payer"),
            self_pay=bool(_bool_param(request, "self_pay")),
            provider_id=int_param(request, "provider"),
            date_from=_date_param(request, "date_from"),
            date_to=_date_param(request, "date_to"),
        )
        return self.counted_page_response(
            request, read=selectors.charge_list, filters=filters, serializer=ChargeSetSummarySerializer
        )


class ChargeSetDetailApi(APIView):
    @extend_schema(operation_id="charges_retrieve", responses=ChargeSetDetailSerializer)
    def get(self, request: Request, charge_set_id: int) -> Response:
        return _detail(selectors.charge_set_get(access=request_access(request), charge_set_id=charge_set_id))


class ChargeSetForNoteApi(APIView):
    @extend_schema(operation_id="charges_for_note", responses=ChargeSetDetailSerializer)
    def get(self, request: Request, note_id: int) -> Response:
        return _detail(selectors.charge_set_for_note(access=request_access(request), note_id=note_id))


# ---------------------------------------------------------------------------------------------
# Changes


class ChargeOverrideApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        code = serializers.CharField(max_length=10)
        units = serializers.IntegerField()
        modifiers = serializers.ListField(
            child=serializers.CharField(max_length=4), max_length=10, default=list
        )
        place_of_service = serializers.CharField(max_length=4)
        diagnosis_pointers = serializers.ListField(
            child=serializers.IntegerField(), max_length=12, default=list
        )
        reason = serializers.CharField(allow_blank=True, max_length=1000)

    @extend_schema(
        operation_id="charges_line_override", request=InputSerializer, responses=ChargeSetDetailSerializer
    )
    def post(self, request: Request, charge_id: int) -> Response:
        access = request_access(request)
        services.require_edit(access, object_id=charge_id)  # permission before the body
        data = validated(self.InputSerializer, request.data)
        return _detail(services.charge_override(access=access, charge_id=charge_id, **data))


class ChargeLineAddApi(APIView):
    InputSerializer = ChargeOverrideApi.InputSerializer

    @extend_schema(
        operation_id="charges_line_add", request=InputSerializer, responses=ChargeSetDetailSerializer
    )
    def post(self, request: Request, charge_set_id: int) -> Response:
        access = request_access(request)
        services.require_edit(access, object_id=charge_set_id)  # permission before the body
        data = validated(self.InputSerializer, request.data)
        return _detail(services.charge_line_add(access=access, charge_set_id=charge_set_id, **data))


class ChargeSetScrubApi(APIView):
    @extend_schema(operation_id="charges_scrub", request=None, responses=ChargeSetDetailSerializer)
    def post(self, request: Request, charge_set_id: int) -> Response:
        return _detail(services.charge_set_scrub(access=request_access(request), charge_set_id=charge_set_id))


class ChargeSetReviewApi(APIView):
    @extend_schema(operation_id="charges_mark_reviewed", request=None, responses=ChargeSetDetailSerializer)
    def post(self, request: Request, charge_set_id: int) -> Response:
        return _detail(
            services.charge_set_mark_reviewed(access=request_access(request), charge_set_id=charge_set_id)
        )
