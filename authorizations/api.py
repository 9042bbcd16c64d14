"""REST API for prior authorizations (one APIView per operation).

Reading needs BILLING_VIEW (billers, admins); creating and changing needs AUTHORIZATION_EDIT.
Another practice's authorization is a 404, like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from authorizations import selectors, services
from authorizations.domain.types import CapDetails
from core.api.mixins import validated
from core.api.pagination import PaginatedListApi


def _editor(request: Request) -> PracticeAccess:
    """The access of someone who may record authorizations (403 before the input is read)."""
    access = request_access(request)
    access.require(Capability.AUTHORIZATION_EDIT)
    return access


class AlertOutput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    message = serializers.CharField()


class CapOutput(serializers.Serializer):  # type: ignore[type-arg]
    codes = serializers.ListField(child=serializers.CharField())
    units = serializers.IntegerField(
        source="burn.authorized", help_text="At most this many of the codes together"
    )
    used = serializers.IntegerField(source="burn.used")
    planned = serializers.IntegerField(source="burn.planned")
    remaining = serializers.IntegerField(source="burn.remaining")
    forecast_exhausted_on = serializers.DateField(allow_null=True)


class CapInput(serializers.Serializer):  # type: ignore[type-arg]
    codes = serializers.ListField(child=serializers.CharField(max_length=5))
    units = serializers.IntegerField()


def _caps(data: dict[str, Any]) -> dict[str, Any]:
    """The input with its caps as the service takes them."""
    if "caps" in data:
        data["caps"] = tuple(CapDetails(codes=tuple(c["codes"]), units=c["units"]) for c in data["caps"])
    return data


class RowOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="authorization_id")
    patient_id = serializers.IntegerField()
    payer_id = serializers.IntegerField()
    number = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField())
    unit_kind = serializers.CharField()
    authorized = serializers.IntegerField()
    used = serializers.IntegerField()
    planned = serializers.IntegerField()
    remaining = serializers.IntegerField()
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    rendering_provider_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    alerts = AlertOutput(many=True)
    forecast_exhausted_on = serializers.DateField(allow_null=True)
    caps = CapOutput(many=True, help_text="Caps per code or group of codes within the total")


class UsageOutput(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField(source="usage.date")
    code = serializers.CharField(source="usage.code")
    units = serializers.IntegerField(source="usage.units")
    kind = serializers.CharField(source="usage.source", help_text="charge (used) or appointment (planned)")
    ref = serializers.CharField(source="usage.ref")


class DetailOutput(RowOutput):
    notes = serializers.CharField()
    usages = UsageOutput(many=True)
    planned_usages = UsageOutput(many=True)


@dataclass(frozen=True)
class _Detail:
    """An AuthorizationRow with its usage lists, in the shape DetailOutput reads."""

    row: selectors.AuthorizationRow
    usages: tuple[selectors.UsageEntry, ...]
    planned_usages: tuple[selectors.UsageEntry, ...]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def _detail_data(detail: selectors.AuthorizationDetail) -> Any:
    return DetailOutput(_Detail(row=detail.row, usages=detail.used, planned_usages=detail.planned)).data


class AuthorizationListApi(PaginatedListApi):
    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient = serializers.IntegerField(required=False)
        payer = serializers.IntegerField(required=False)
        status = serializers.ChoiceField(choices=selectors.STATUS_CHOICES, required=False, default="")
        alerting = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(RowOutput):
        pass

    @extend_schema(
        operation_id="authorization_list",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        access = request_access(request)
        filters = validated(self.FilterSerializer, request.query_params)
        window = self.page_window(request)
        page = selectors.authorization_list(
            access=access,
            patient_id=filters.get("patient"),
            payer_id=filters.get("payer"),
            status=filters["status"],
            alerting=filters["alerting"],
            offset=window.offset,
            limit=window.limit,
        )
        return self.page_response(count=page.total, results=self.OutputSerializer(page.rows, many=True).data)


class AuthorizationDetailApi(APIView):
    class OutputSerializer(DetailOutput):
        pass

    @extend_schema(operation_id="authorization_retrieve", responses={200: OutputSerializer})
    def get(self, request: Request, authorization_id: int) -> Response:
        detail = selectors.authorization_get(
            access=request_access(request), authorization_id=authorization_id
        )
        return Response(_detail_data(detail))


class AuthorizationCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient_id = serializers.IntegerField()
        payer_id = serializers.IntegerField()
        number = serializers.CharField(max_length=30)
        codes = serializers.ListField(child=serializers.CharField(max_length=5), allow_empty=True)
        unit_kind = serializers.ChoiceField(choices=selectors.UNIT_KIND_CHOICES, default="units")
        authorized = serializers.IntegerField()
        start_on = serializers.DateField()
        end_on = serializers.DateField()
        rendering_provider_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        notes = serializers.CharField(required=False, allow_blank=True, default="")
        caps = CapInput(many=True, required=False, default=())

    class OutputSerializer(DetailOutput):
        pass

    @extend_schema(
        operation_id="authorization_create", request=InputSerializer, responses={201: OutputSerializer}
    )
    def post(self, request: Request) -> Response:
        access = _editor(request)
        data = _caps(validated(self.InputSerializer, request.data))
        auth = services.authorization_create(access=access, **data)
        detail = selectors.authorization_get(access=access, authorization_id=auth.pk)
        return Response(_detail_data(detail), status=status.HTTP_201_CREATED)


class AuthorizationUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        number = serializers.CharField(max_length=30, required=False)
        codes = serializers.ListField(child=serializers.CharField(max_length=5), required=False)
        unit_kind = serializers.ChoiceField(choices=selectors.UNIT_KIND_CHOICES, required=False)
        authorized = serializers.IntegerField(required=False)
        start_on = serializers.DateField(required=False)
        end_on = serializers.DateField(required=False)
        rendering_provider_id = serializers.IntegerField(required=False, allow_null=True)
        notes = serializers.CharField(required=False, allow_blank=True)
        status = serializers.ChoiceField(choices=selectors.SETTABLE_STATUS_CHOICES, required=False)
        caps = CapInput(many=True, required=False)

    class OutputSerializer(DetailOutput):
        pass

    @extend_schema(
        operation_id="authorization_update", request=InputSerializer, responses={200: OutputSerializer}
    )
    def post(self, request: Request, authorization_id: int) -> Response:
        access = _editor(request)
        data = _caps(validated(self.InputSerializer, request.data))
        services.authorization_update(access=access, authorization_id=authorization_id, **data)
        detail = selectors.authorization_get(access=access, authorization_id=authorization_id)
        return Response(_detail_data(detail))
