"""REST API for ERAs: post an 835 (the X12 text in JSON), list and read ERAs with what each claim
and line matched and why, the exceptions queue (match, dismiss).

Reading needs BILLING_VIEW; posting, matching and dismissing BILLING_EDIT (checked before the
body is read). Money as strings with two decimals in the summary, integer cents elsewhere.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from accounts.domain.roles import Capability
from core.api.mixins import validated
from remittance import selectors
from remittance.models import EraSource
from remittance.services.matching import exception_dismiss, exception_lines_match, exception_match
from remittance.services.posting import era_post


class ErrorItemOutput(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField()
    segment = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField(allow_null=True)
    segment_number = serializers.IntegerField(allow_null=True)


class SummaryOutput(serializers.Serializer):  # type: ignore[type-arg]
    era_id = serializers.IntegerField()
    status = serializers.CharField()
    trace_number = serializers.CharField(allow_blank=True)
    payment_amount = serializers.CharField()
    claims = serializers.IntegerField()
    matched = serializers.IntegerField()
    unmatched = serializers.IntegerField()
    paid_total = serializers.CharField()
    adjustment_totals = serializers.DictField(child=serializers.CharField())
    denied_claims = serializers.IntegerField()
    balanced = serializers.BooleanField()


# "errors" and "source" are Serializer attributes: such fields are declared after the class.
SummaryOutput._declared_fields["errors"] = ErrorItemOutput(many=True)


class EraUploadApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField(max_length=200, required=False, default="")
        x12 = serializers.CharField(max_length=50_000_000, trim_whitespace=False)

    @extend_schema(
        operation_id="era_upload", request=InputSerializer, responses={201: SummaryOutput(many=True)}
    )
    def post(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        outcome = era_post(
            practice_id=access.practice_id,
            raw=data["x12"].encode("utf-8"),
            source=EraSource.UPLOAD,
            actor=request.user,  # type: ignore[arg-type]
            name=data["name"],
        )
        rows = [
            {"era_id": era_id, **summary}
            for era_id, summary in zip(outcome.era_ids, outcome.summaries, strict=True)
        ]
        return Response(SummaryOutput(rows, many=True).data, status=status.HTTP_201_CREATED)


class EraOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    status = serializers.CharField()
    payer_id = serializers.CharField()
    payer_name = serializers.CharField()
    trace_number = serializers.CharField()
    payment_cents = serializers.IntegerField()
    payment_date = serializers.DateField(allow_null=True)
    balanced = serializers.BooleanField()
    claim_count = serializers.IntegerField()
    matched_count = serializers.IntegerField()
    received_at = serializers.DateTimeField()


EraOutput._declared_fields["source"] = serializers.CharField()


class EraListApi(APIView):
    @extend_schema(operation_id="era_list", responses={200: EraOutput(many=True)})
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        return Response(EraOutput(selectors.era_list_for_user(access=access), many=True).data)


class EraLineOutput(serializers.Serializer):  # type: ignore[type-arg]
    position = serializers.IntegerField()
    code = serializers.CharField()
    modifiers = serializers.CharField()
    original_code = serializers.CharField()
    service_date = serializers.DateField(allow_null=True)
    charge_cents = serializers.IntegerField()
    paid_cents = serializers.IntegerField()
    allowed_cents = serializers.IntegerField(allow_null=True)
    adjustments = serializers.JSONField()
    remarks = serializers.JSONField()
    control_number = serializers.CharField()
    claim_line_id = serializers.IntegerField(allow_null=True)
    match_reason = serializers.CharField()


class EraClaimOutput(serializers.Serializer):  # type: ignore[type-arg]
    position = serializers.IntegerField()
    patient_control_number = serializers.CharField()
    status_code = serializers.CharField()
    state = serializers.CharField()
    charge_cents = serializers.IntegerField()
    paid_cents = serializers.IntegerField()
    patient_responsibility_cents = serializers.IntegerField(allow_null=True)
    payer_claim_number = serializers.CharField()
    claim_id = serializers.IntegerField(allow_null=True)
    match_reason = serializers.CharField()
    variance_cents = serializers.IntegerField()
    crossover = serializers.BooleanField()
    adjustments = serializers.JSONField()
    lines = EraLineOutput(many=True, source="lines.all")


class EraDetailOutput(EraOutput):
    claims = EraClaimOutput(many=True)


EraDetailOutput._declared_fields["errors"] = serializers.JSONField()


class EraDetailApi(APIView):
    @extend_schema(operation_id="era_detail", responses={200: EraDetailOutput})
    def get(self, request: Request, era_id: int) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        detail = selectors.era_get_for_user(access=access, era_id=era_id)
        era: Any = detail.era
        era.claims_list = detail.claims
        data = EraOutput(era).data
        data["errors"] = era.errors
        data["claims"] = EraClaimOutput(detail.claims, many=True).data
        return Response(data)


class ExceptionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    message = serializers.CharField()
    era_id = serializers.IntegerField()
    patient_control_number = serializers.CharField(source="era_claim.patient_control_number")
    paid_cents = serializers.IntegerField(source="era_claim.paid_cents")
    line_position = serializers.IntegerField(source="era_line.position", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class ExceptionListApi(APIView):
    @extend_schema(operation_id="era_exception_list", responses={200: ExceptionOutput(many=True)})
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        return Response(ExceptionOutput(selectors.exception_queue_for_user(access=access), many=True).data)


class LedgerRowsOutput(serializers.Serializer):  # type: ignore[type-arg]
    """A manual match's answer: the ledger rows it wrote."""

    ledger_rows = serializers.IntegerField()


class ExceptionMatchApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        claim_id = serializers.IntegerField()
        note = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(
        operation_id="era_exception_match", request=InputSerializer, responses={200: LedgerRowsOutput}
    )
    def post(self, request: Request, exception_id: int) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        rows = exception_match(
            access=access, exception_id=exception_id, claim_id=data["claim_id"], note=data["note"]
        )
        return Response({"ledger_rows": rows})


class LineAssignmentInput(serializers.Serializer):  # type: ignore[type-arg]
    era_line_id = serializers.IntegerField()
    claim_line_id = serializers.IntegerField()


class ExceptionLinesMatchApi(APIView):
    """Match each ERA service line of the exception's ERA claim to a billed line (R17); several
    ERA lines may name one billed line (a payer's split, R13). `claim_id` only for an ERA claim
    that matched no claim."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        claim_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        note = serializers.CharField(max_length=200, required=False, default="")
        lines = LineAssignmentInput(many=True)

    @extend_schema(
        operation_id="era_exception_lines_match", request=InputSerializer, responses={200: LedgerRowsOutput}
    )
    def post(self, request: Request, exception_id: int) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        rows = exception_lines_match(
            access=access,
            exception_id=exception_id,
            assignment={line["era_line_id"]: line["claim_line_id"] for line in data["lines"]},
            claim_id=data["claim_id"],
            note=data["note"],
        )
        return Response({"ledger_rows": rows})


class ExceptionDismissApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        reason = serializers.CharField(max_length=300)

    @extend_schema(operation_id="era_exception_dismiss", request=InputSerializer, responses={204: None})
    def post(self, request: Request, exception_id: int) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        exception_dismiss(access=access, exception_id=exception_id, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)
