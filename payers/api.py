"""REST API for payers and provider enrolments (one APIView per operation)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from core.api.mixins import query_param, validated
from core.api.pagination import PaginatedListApi
from payers import selectors, services


def _manager(request: Request) -> PracticeAccess:
    """The access of someone who may change practice data (403 before the input is read)."""
    access = request_access(request)
    access.require(Capability.PRACTICE_MANAGE)
    return access


class PayerFields(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    payer_id = serializers.CharField()
    claim_filing_indicator = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    phone = serializers.CharField()
    timely_filing_days = serializers.IntegerField()
    appeal_window_days = serializers.IntegerField()
    is_active = serializers.BooleanField()


class PayerListApi(PaginatedListApi):
    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField(source="payer_pk")
        name = serializers.CharField()
        kind = serializers.CharField()
        payer_id = serializers.CharField()
        claim_filing_indicator = serializers.CharField()
        timely_filing_days = serializers.IntegerField()
        appeal_window_days = serializers.IntegerField()
        is_active = serializers.BooleanField()
        enrolled_count = serializers.IntegerField()

    @extend_schema(
        operation_id="payer_list",
        parameters=[OpenApiParameter("active", bool, description="true: only the active ones")],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        window = self.page_window(request)
        page = selectors.payer_page(
            access=request_access(request),
            active_only=query_param(request, "active").lower() in {"1", "true", "yes", "on"},
            offset=window.offset,
            limit=window.limit,
        )
        return self.page_response(
            count=page.total, results=self.OutputSerializer(page.payers, many=True).data
        )


class PayerDetailApi(APIView):
    class OutputSerializer(PayerFields):
        pass

    @extend_schema(operation_id="payer_retrieve", responses={200: OutputSerializer})
    def get(self, request: Request, payer_pk: int) -> Response:
        payer = selectors.payer_get(access=request_access(request), payer_pk=payer_pk)
        return Response(self.OutputSerializer(payer).data)


class PayerCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField(max_length=120)
        kind = serializers.ChoiceField(choices=selectors.KIND_CHOICES)
        payer_id = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        claim_filing_indicator = serializers.ChoiceField(
            choices=selectors.CLAIM_FILING_INDICATOR_CHOICES, default="CI"
        )
        address_line1 = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        city = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        state = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
        postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        timely_filing_days = serializers.IntegerField(default=90)
        appeal_window_days = serializers.IntegerField(default=180)

    class OutputSerializer(PayerFields):
        pass

    @extend_schema(operation_id="payer_create", request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        payer = services.payer_create(access=access, **data)
        return Response(self.OutputSerializer(payer).data, status=status.HTTP_201_CREATED)


class PayerUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField(max_length=120, required=False)
        kind = serializers.ChoiceField(choices=selectors.KIND_CHOICES, required=False)
        payer_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
        claim_filing_indicator = serializers.ChoiceField(
            choices=selectors.CLAIM_FILING_INDICATOR_CHOICES, required=False
        )
        address_line1 = serializers.CharField(max_length=100, required=False, allow_blank=True)
        address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True)
        city = serializers.CharField(max_length=60, required=False, allow_blank=True)
        state = serializers.CharField(max_length=2, required=False, allow_blank=True)
        postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        timely_filing_days = serializers.IntegerField(required=False)
        appeal_window_days = serializers.IntegerField(required=False)
        is_active = serializers.BooleanField(required=False)

    class OutputSerializer(PayerFields):
        pass

    @extend_schema(operation_id="payer_update", request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request, payer_pk: int) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        payer = services.payer_update(access=access, payer_pk=payer_pk, **data)
        return Response(self.OutputSerializer(payer).data)


class EnrollmentSetApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        provider_id = serializers.IntegerField()
        payer = serializers.IntegerField(help_text="The payer's id (not its electronic payer ID)")
        status = serializers.ChoiceField(choices=selectors.ENROLLMENT_STATUS_CHOICES)
        effective_on = serializers.DateField(required=False, allow_null=True, default=None)
        ends_on = serializers.DateField(required=False, allow_null=True, default=None)
        payer_provider_id = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField(source="pk")
        provider_id = serializers.IntegerField()
        payer = serializers.IntegerField(source="payer_id")
        status = serializers.CharField()
        effective_on = serializers.DateField(allow_null=True)
        ends_on = serializers.DateField(allow_null=True)
        payer_provider_id = serializers.CharField()

    @extend_schema(
        operation_id="payer_enrollment_set", request=InputSerializer, responses={200: OutputSerializer}
    )
    def post(self, request: Request) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        payer_pk = data.pop("payer")
        enrollment = services.enrollment_set(access=access, payer_pk=payer_pk, **data)
        return Response(self.OutputSerializer(enrollment).data)
