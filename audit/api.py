"""REST API for the audit log: list events (filtered, paginated) and the latest verification.

Compliance only (`Capability.AUDIT_VIEW`); events are scoped to the caller's practice, and
listing them is recorded like any other read of the log.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from accounts.domain.roles import Capability
from audit import selectors
from audit.domain.categories import Category
from audit.models import AuditEvent
from core.api.mixins import validated
from core.api.pagination import ParityPagination
from core.errors import NotFound


class AuditEventListApi(APIView):
    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        user = serializers.CharField(required=False, max_length=150, allow_blank=True)
        patient_id = serializers.IntegerField(required=False, min_value=1)
        category = serializers.ChoiceField(required=False, choices=[c.value for c in Category])
        action = serializers.ChoiceField(required=False, choices=AuditEvent.Action.choices)
        outcome = serializers.ChoiceField(required=False, choices=AuditEvent.Outcome.choices)
        date_from = serializers.DateField(required=False, help_text="Inclusive, UTC")
        date_to = serializers.DateField(required=False, help_text="Inclusive, UTC")

    @extend_schema_serializer(component_name="AuditEvent")
    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        seq = serializers.IntegerField()
        occurred_at = serializers.DateTimeField()
        user = serializers.CharField(source="actor_username")
        practice_id = serializers.IntegerField(allow_null=True)
        patient_id = serializers.IntegerField(allow_null=True)
        action = serializers.CharField()
        category = serializers.CharField()
        object_type = serializers.CharField()
        object_id = serializers.CharField()
        outcome = serializers.CharField()
        detail = serializers.CharField()
        ip_address = serializers.CharField(allow_null=True)
        prev_hash = serializers.CharField()
        hash = serializers.CharField()

    pagination_class = ParityPagination  # drf-spectacular documents limit/offset and the page shape

    @extend_schema(
        operation_id="audit_events_list",
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.AUDIT_VIEW)
        data = validated(self.FilterSerializer, request.query_params)
        filters = selectors.AuditEventFilters(
            username=data.get("user", ""),
            patient_id=data.get("patient_id"),
            category=data.get("category", ""),
            action=data.get("action", ""),
            outcome=data.get("outcome", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        events = selectors.audit_events_for_practice(viewer=access, filters=filters)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class AuditVerificationLatestApi(APIView):
    @extend_schema_serializer(component_name="AuditVerification")
    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        @extend_schema_serializer(component_name="AuditFinding")
        class FindingSerializer(serializers.Serializer):  # type: ignore[type-arg]
            code = serializers.CharField()
            message = serializers.CharField()
            field = serializers.CharField(allow_blank=True)

        id = serializers.IntegerField(source="pk")
        ran_at = serializers.DateTimeField()
        ok = serializers.BooleanField()
        events_checked = serializers.IntegerField()
        findings = FindingSerializer(many=True)

    @extend_schema(operation_id="audit_verifications_latest", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        request_access(request, Capability.AUDIT_VIEW)
        latest = selectors.audit_verification_latest()
        if latest is None:
            raise NotFound("The audit chain has not been verified yet.")
        return Response(self.OutputSerializer(latest).data)
