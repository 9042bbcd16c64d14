"""REST API for fees (billed and allowed), appointment estimates and Good Faith Estimates.

Reading needs BILLING_VIEW; changing fees BILLING_EDIT or PRACTICE_MANAGE; making GFEs
BILLING_EDIT. Permission is checked before the body is read. Money is a string with two decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from claims.selectors.fees import fee_table
from claims.services import FeeKind, contracted_rate_set, fees_import
from core.api.mixins import validated
from core.errors import PermissionDenied
from core.money import cents_from_decimal, decimal_from_cents
from estimates import selectors, services
from estimates.domain.good_faith import CoItem, CoProviderInput
from estimates.models import GoodFaithEstimate


def _fee_editor(request: Request) -> PracticeAccess:
    access = request_access(request)
    if not (access.can(Capability.BILLING_EDIT) or access.can(Capability.PRACTICE_MANAGE)):
        raise PermissionDenied()
    return access


class FeeOutput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField(help_text="billed or allowed")
    payer_name = serializers.CharField()
    code = serializers.CharField()
    modifiers = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)


class FeeListApi(APIView):
    @extend_schema(operation_id="fee_list", responses={200: FeeOutput(many=True)})
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        return Response(FeeOutput(fee_table(practice_id=access.practice_id), many=True).data)


class AllowedAmountSetApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        payer_id = serializers.IntegerField()
        code = serializers.CharField(max_length=5)
        modifiers = serializers.ListField(
            child=serializers.CharField(max_length=2), default=list, max_length=4
        )
        amount = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
        effective_from = serializers.DateField()
        effective_to = serializers.DateField(required=False, allow_null=True, default=None)

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField(source="pk")
        payer_id = serializers.IntegerField()
        code = serializers.CharField()
        modifiers_key = serializers.CharField()
        amount_cents = serializers.IntegerField()
        effective_from = serializers.DateField()
        effective_to = serializers.DateField(allow_null=True)

    @extend_schema(
        operation_id="allowed_amount_set", request=InputSerializer, responses={201: OutputSerializer}
    )
    def post(self, request: Request) -> Response:
        access = _fee_editor(request)
        data = validated(self.InputSerializer, request.data)
        rate = contracted_rate_set(
            access=access,
            payer_id=data["payer_id"],
            code=data["code"],
            modifiers=data["modifiers"],
            amount_cents=cents_from_decimal(data["amount"]),
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
        )
        return Response(self.OutputSerializer(rate).data, status=status.HTTP_201_CREATED)


class FeeImportApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        kind = serializers.ChoiceField(choices=[k.value for k in FeeKind])
        payer_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        csv = serializers.CharField(max_length=2_000_000, trim_whitespace=False)

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        changed = serializers.IntegerField()

    @extend_schema(operation_id="fee_import", request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request) -> Response:
        access = _fee_editor(request)
        data = validated(self.InputSerializer, request.data)
        changed = fees_import(
            access=access, kind=FeeKind(data["kind"]), payer_id=data["payer_id"], text=data["csv"]
        )
        return Response({"changed": changed})


class EstimateOutput(serializers.Serializer):  # type: ignore[type-arg]
    appointment_id = serializers.IntegerField()
    date_of_service = serializers.DateField()
    code = serializers.CharField(allow_null=True)
    payer_name = serializers.CharField()
    can_estimate = serializers.BooleanField(source="result.can_estimate")
    reason = serializers.CharField(source="result.reason")
    allowed = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="result.allowed", allow_null=True
    )
    patient_owes = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="result.patient_owes", allow_null=True
    )
    plan_pays = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="result.plan_pays", allow_null=True
    )
    steps = serializers.ListField(child=serializers.CharField(), source="result.steps")
    warnings = serializers.ListField(child=serializers.CharField(), source="result.warnings")


class AppointmentEstimateApi(APIView):
    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        code = serializers.CharField(max_length=5, required=False, default="")

    @extend_schema(
        operation_id="appointment_estimate", parameters=[FilterSerializer], responses={200: EstimateOutput}
    )
    def get(self, request: Request, appointment_id: int) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        filters = validated(self.FilterSerializer, request.query_params)
        estimate = selectors.appointment_estimate(
            access=access, appointment_id=appointment_id, code=filters["code"] or None
        )
        return Response(EstimateOutput(estimate).data)


class GfeItemOutput(serializers.Serializer):  # type: ignore[type-arg]
    co_provider = serializers.SerializerMethodField()
    code = serializers.CharField()
    modifiers_key = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_amount = serializers.SerializerMethodField()
    total_amount = serializers.SerializerMethodField()

    def get_co_provider(self, item: Any) -> int | None:
        """The number of the co-provider or co-facility the item is theirs (null: ours)."""
        return item.party.number if item.party_id is not None else None

    def get_unit_amount(self, item: Any) -> str:
        return str(decimal_from_cents(item.unit_cents))

    def get_total_amount(self, item: Any) -> str:
        return str(decimal_from_cents(item.total_cents))


class GfePartyOutput(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    npi = serializers.CharField()
    tin = serializers.CharField()
    location = serializers.CharField(source="location_text")


class GfeOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    patient_id = serializers.IntegerField()
    provider_id = serializers.IntegerField()
    reason = serializers.CharField()
    scheduled_on = serializers.DateField(allow_null=True)
    requested_on = serializers.DateField(allow_null=True)
    service_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    deadline_rule = serializers.CharField()
    service_description = serializers.CharField()
    diagnosis_codes = serializers.ListField(child=serializers.CharField())
    total_amount = serializers.SerializerMethodField()
    issued_at = serializers.DateTimeField(allow_null=True)
    items = GfeItemOutput(many=True)
    co_providers = GfePartyOutput(many=True, source="parties")

    def get_total_amount(self, gfe: GoodFaithEstimate) -> str:
        return str(decimal_from_cents(gfe.total_cents))


class GoodFaithEstimateListApi(APIView):
    @extend_schema(operation_id="good_faith_estimate_list", responses={200: GfeOutput(many=True)})
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        rows = selectors.good_faith_estimate_list(access=access)
        return Response(GfeOutput(rows, many=True).data)


class GoodFaithEstimateDetailApi(APIView):
    @extend_schema(operation_id="good_faith_estimate_retrieve", responses={200: GfeOutput})
    def get(self, request: Request, estimate_id: int) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        gfe = selectors.good_faith_estimate_get(access=access, estimate_id=estimate_id)
        return Response(GfeOutput(gfe).data)


class GfeItemInput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(max_length=5)
    quantity = serializers.IntegerField(min_value=1, max_value=services.MAX_QUANTITY, default=1)
    modifiers = serializers.ListField(child=serializers.CharField(max_length=2), default=list, max_length=4)


class GfeCoItemInput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(max_length=5)
    quantity = serializers.IntegerField(min_value=1, max_value=services.MAX_QUANTITY, default=1)
    unit_amount = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0"))


class GfeCoProviderInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=["provider", "facility"])
    name = serializers.CharField(max_length=200)
    npi = serializers.CharField(max_length=10)
    tin = serializers.CharField(max_length=10)
    location = serializers.CharField(max_length=250)
    items = serializers.ListField(child=GfeCoItemInput(), min_length=1, max_length=services.MAX_ITEMS)


class GoodFaithEstimateCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient_id = serializers.IntegerField()
        provider_id = serializers.IntegerField()
        service_description = serializers.CharField(max_length=200)
        items = serializers.ListField(child=GfeItemInput(), min_length=1, max_length=services.MAX_ITEMS)
        scheduled_on = serializers.DateField(required=False, allow_null=True, default=None)
        service_on = serializers.DateField(required=False, allow_null=True, default=None)
        requested_on = serializers.DateField(required=False, allow_null=True, default=None)
        location_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        appointment_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        co_providers = serializers.ListField(
            child=GfeCoProviderInput(), required=False, default=list, max_length=10
        )

    @extend_schema(
        operation_id="good_faith_estimate_create", request=InputSerializer, responses={201: GfeOutput}
    )
    def post(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        items = data.pop("items")
        parties = [
            CoProviderInput(
                p["kind"], p["name"].strip(), p["npi"].strip(), p["tin"].strip(), p["location"].strip(),
                tuple(CoItem(i["code"].upper(), i["quantity"], i["unit_amount"]) for i in p["items"]),
            )
            for p in data.pop("co_providers")
        ]  # fmt: skip
        gfe = services.good_faith_estimate_create(
            access=access,
            items=[services.GfeItemInput(i["code"], i["quantity"], tuple(i["modifiers"])) for i in items],
            co_providers=parties,
            **data,
        )
        gfe = selectors.good_faith_estimate_get(access=access, estimate_id=gfe.pk)
        return Response(GfeOutput(gfe).data, status=status.HTTP_201_CREATED)
