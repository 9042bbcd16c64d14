"""Claims REST API (mounted at /api/claims/): the list (filters and counts per state), one claim
(lines, findings, the 837P preview, events, acknowledgements, adjudications), batches (list with
progress; POST submits ready claims as a batch), the rejection queue and resubmission.

Reads go through claims.selectors.claim_screens (practice-scoped, BILLING_VIEW, audited); the two
actions through claims.claim_actions (BILLING_EDIT, checked before the body is read).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from accounts.domain.roles import Capability
from claims import claim_actions
from claims import claim_view_models as vm
from claims.api.listing import StatusCountedListApi
from claims.domain.claim_preview import claim_segments
from claims.models import ClaimStatus
from claims.selectors import claim_screens as selectors
from claims.selectors.x837 import claim_837
from core.api.mixins import int_param, query_param, validated

STATUSES = [s.value for s in ClaimStatus]


class ClaimSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    patient_control_number = serializers.CharField()
    version = serializers.IntegerField()
    frequency = serializers.CharField()
    responsibility = serializers.CharField()
    patient_id = serializers.IntegerField()
    payer_id = serializers.IntegerField()
    rendering_provider_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=STATUSES)
    status_label = serializers.SerializerMethodField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total_cents = serializers.IntegerField()
    payer_claim_number = serializers.CharField(allow_blank=True)
    timely_filing_deadline = serializers.DateField(allow_null=True)

    def get_status_label(self, claim: Any) -> str:
        return vm.status_label(claim.status)


class ClaimLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line_number = serializers.IntegerField()
    service_date = serializers.DateField()
    code = serializers.CharField()
    modifiers = serializers.ListField(child=serializers.CharField())
    units = serializers.IntegerField()
    charge_cents = serializers.IntegerField()
    place_of_service = serializers.CharField()
    diagnosis_pointers = serializers.ListField(child=serializers.IntegerField())
    line_control_number = serializers.CharField()


class ClaimEventSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(source="actor_label")
    occurred_at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)


class AcknowledgementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    acknowledged_by = serializers.CharField(source="source")  # 999, clearinghouse_277ca, payer_277ca
    accepted = serializers.BooleanField()
    category_code = serializers.CharField(allow_blank=True)
    status_code = serializers.CharField(allow_blank=True)
    message = serializers.CharField(allow_blank=True)
    payer_claim_number = serializers.CharField(allow_blank=True)
    occurred_at = serializers.DateTimeField()


class LineAdjudicationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line_number = serializers.IntegerField(source="claim_line.line_number")
    code = serializers.CharField(allow_blank=True)
    modifiers = serializers.JSONField()
    paid_cents = serializers.IntegerField()
    allowed_cents = serializers.IntegerField(allow_null=True)
    adjustments = serializers.JSONField()
    remarks = serializers.JSONField()


class AdjudicationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    era_reference = serializers.CharField()
    claim_status_code = serializers.CharField()
    paid_cents = serializers.IntegerField()
    patient_responsibility_cents = serializers.IntegerField()
    adjudicated_on = serializers.DateField()
    is_reversal = serializers.BooleanField()
    reversed = serializers.BooleanField()
    lines = LineAdjudicationSerializer(many=True, source="lines.all")


class ClaimDetailSerializer(ClaimSummarySerializer):
    coverage_id = serializers.IntegerField()
    supervising_provider_id = serializers.IntegerField(allow_null=True)
    place_of_service = serializers.CharField()
    diagnoses = serializers.ListField(child=serializers.CharField())
    prior_auth_number = serializers.CharField(allow_blank=True)
    replaces_id = serializers.IntegerField(allow_null=True)
    findings = serializers.JSONField()
    lines = ClaimLineSerializer(many=True, source="lines.all")
    events = ClaimEventSerializer(many=True, source="events.all")
    acknowledgements = AcknowledgementSerializer(many=True, source="acknowledgements.all")
    adjudications = AdjudicationSerializer(many=True, source="adjudications.all")
    x837_segments = serializers.SerializerMethodField()
    x837_problem = serializers.SerializerMethodField()

    def _preview(self, claim: Any) -> Any:
        if not hasattr(self, "_cached_preview"):
            self._cached_preview = claim_segments(claim_837(claim))
        return self._cached_preview

    def get_x837_segments(self, claim: Any) -> list[str]:
        return list(self._preview(claim).segments)

    def get_x837_problem(self, claim: Any) -> str:
        return str(self._preview(claim).problem)


class BatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="batch_id")
    status = serializers.CharField()
    total = serializers.IntegerField()
    sent = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    done = serializers.BooleanField()


class RejectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    claim = ClaimSummarySerializer()
    reason = serializers.SerializerMethodField()
    category_code = serializers.SerializerMethodField()
    status_code = serializers.SerializerMethodField()

    def get_reason(self, rejection: Any) -> str:
        ack = rejection.acknowledgement
        return str(ack.message) if ack is not None else ""

    def get_category_code(self, rejection: Any) -> str:
        ack = rejection.acknowledgement
        return str(ack.category_code) if ack is not None else ""

    def get_status_code(self, rejection: Any) -> str:
        ack = rejection.acknowledgement
        return str(ack.status_code) if ack is not None else ""


class ClaimListApi(StatusCountedListApi):
    @extend_schema(
        operation_id="claims_list",
        parameters=[
            OpenApiParameter("status", str, enum=STATUSES),
            OpenApiParameter("payer", int),
            OpenApiParameter("provider", int),
            OpenApiParameter("age", str, enum=list(selectors.AGE_BUCKETS)),
            OpenApiParameter("min_cents", int),
            OpenApiParameter("max_cents", int),
            OpenApiParameter(
                "filing_due", int, description="not accepted by the payer, deadline within N days"
            ),
        ],
        responses=ClaimSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = selectors.ClaimFilters(
            status=query_param(request, "status"),
            payer_id=int_param(request, "payer"),
            provider_id=int_param(request, "provider"),
            age=query_param(request, "age"),
            min_cents=int_param(request, "min_cents"),
            max_cents=int_param(request, "max_cents"),
            filing_due_within=int_param(request, "filing_due"),
        )
        return self.counted_page_response(
            request, read=selectors.claim_list, filters=filters, serializer=ClaimSummarySerializer
        )


class ClaimDetailApi(APIView):
    @extend_schema(operation_id="claims_retrieve", responses=ClaimDetailSerializer)
    def get(self, request: Request, claim_id: int) -> Response:
        claim = selectors.claim_get(access=request_access(request), claim_id=claim_id)
        return Response(ClaimDetailSerializer(claim).data)


class BatchApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        claim_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=5000)

    @extend_schema(operation_id="claims_batches_list", responses=BatchSerializer(many=True))
    def get(self, request: Request) -> Response:
        batches = selectors.batch_list(access=request_access(request, Capability.BILLING_VIEW))
        return Response(BatchSerializer(batches, many=True).data)

    @extend_schema(
        operation_id="claims_batch_submit", request=InputSerializer, responses={201: BatchSerializer}
    )
    def post(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)  # permission before the body
        data = validated(self.InputSerializer, request.data)
        batch_id = claim_actions.batch_submit(access=access, claim_ids=data["claim_ids"])
        progress = selectors.batch_progress(access=access, batch_ids=[batch_id])
        return Response(BatchSerializer(progress[0]).data, status=201)


class RejectionListApi(APIView):
    @extend_schema(operation_id="claims_rejections", responses=RejectionSerializer(many=True))
    def get(self, request: Request) -> Response:
        rejections = selectors.rejection_list(access=request_access(request))
        return Response(RejectionSerializer(rejections, many=True).data)


class ClaimResubmitApi(APIView):
    @extend_schema(operation_id="claims_resubmit", request=None, responses=ClaimSummarySerializer)
    def post(self, request: Request, claim_id: int) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        claim_id, _status = claim_actions.rejection_resubmit(access=access, claim_id=claim_id)
        claim = selectors.claim_get(access=access, claim_id=claim_id)
        return Response(ClaimSummarySerializer(claim).data)
