"""REST API for practice settings, locations, providers, licences and supervision.

One APIView per operation; Input/Output serializers validate shape only, the services
apply the rules, and errors come out in the one shape through core's exception handler.
"""

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
from practice import selectors, services
from practice.domain.credentials import Credential
from practice.domain.place_of_service import PLACES_OF_SERVICE


def _manager(request: Request) -> PracticeAccess:
    """The access of someone who may change practice data (403 before the input is read)."""
    access = request_access(request)
    access.require(Capability.PRACTICE_MANAGE)
    return access


# --- shared output shapes --------------------------------------------------------------------


class ProviderLicenseOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="license_id")
    number = serializers.CharField()
    state = serializers.CharField()
    kind = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField()
    status = serializers.CharField()


class ProviderSupervisionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="supervision_id")
    supervisor_id = serializers.IntegerField()
    supervisor_name = serializers.CharField()
    supervisee_id = serializers.IntegerField()
    supervisee_name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    current = serializers.BooleanField()


class ProviderPersonOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="provider_id")
    name = serializers.CharField()


class ProviderAlertOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="alert_id")
    license_id = serializers.IntegerField()
    expires_on = serializers.DateField()
    status = serializers.CharField()


class ProviderEnrollmentOutput(serializers.Serializer):  # type: ignore[type-arg]
    payer = serializers.IntegerField(source="payer_pk")
    payer_name = serializers.CharField()
    status = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)


class ProviderFields(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="provider_id")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    full_name = serializers.CharField()
    npi = serializers.CharField()
    taxonomy_code = serializers.CharField()
    credential = serializers.CharField()
    credential_label = serializers.CharField()
    requires_supervision = serializers.BooleanField()
    is_active = serializers.BooleanField()
    user_id = serializers.IntegerField(allow_null=True)
    license_status = serializers.CharField()
    supervisors_today = ProviderPersonOutput(many=True)
    open_alerts = ProviderAlertOutput(many=True)
    enrollments = ProviderEnrollmentOutput(many=True)


class ProviderDetailFields(ProviderFields):
    licenses = ProviderLicenseOutput(many=True)
    supervisions = ProviderSupervisionOutput(many=True)
    supervisees = ProviderSupervisionOutput(many=True)


def _provider_response(request: Request, provider_id: int, *, status_code: int = 200) -> Response:
    overview = selectors.provider_overview_get(access=request_access(request), provider_id=provider_id)
    return Response(ProviderDetailApi.OutputSerializer(overview).data, status=status_code)


# --- providers -----------------------------------------------------------------------------------


ACTIVE_PARAM = OpenApiParameter("active", bool, description="true: only the active ones")


def _active(request: Request) -> bool:
    return query_param(request, "active").lower() in {"1", "true", "yes", "on"}


class ProviderListApi(PaginatedListApi):
    class OutputSerializer(ProviderFields):
        pass

    @extend_schema(
        operation_id="practice_provider_list",
        parameters=[ACTIVE_PARAM],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        window = self.page_window(request)
        page = selectors.provider_overview_page(
            access=request_access(request),
            active_only=_active(request),
            offset=window.offset,
            limit=window.limit,
        )
        return self.page_response(
            count=page.total, results=self.OutputSerializer(page.providers, many=True).data
        )


class ProviderDetailApi(APIView):
    class OutputSerializer(ProviderDetailFields):
        pass

    @extend_schema(operation_id="practice_provider_retrieve", responses={200: OutputSerializer})
    def get(self, request: Request, provider_id: int) -> Response:
        overview = selectors.provider_overview_get(access=request_access(request), provider_id=provider_id)
        return Response(self.OutputSerializer(overview).data)


class ProviderCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        first_name = serializers.CharField(max_length=60)
        last_name = serializers.CharField(max_length=60)
        credential = serializers.ChoiceField(choices=[c.value for c in Credential])
        npi = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        taxonomy_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        user_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(
        operation_id="practice_provider_create",
        request=InputSerializer,
        responses={201: ProviderDetailApi.OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        provider = services.provider_create(access=access, **data)
        return _provider_response(request, provider.pk, status_code=status.HTTP_201_CREATED)


class ProviderUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        first_name = serializers.CharField(max_length=60, required=False)
        last_name = serializers.CharField(max_length=60, required=False)
        credential = serializers.ChoiceField(choices=[c.value for c in Credential], required=False)
        npi = serializers.CharField(max_length=20, required=False, allow_blank=True)
        taxonomy_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
        is_active = serializers.BooleanField(required=False)

    @extend_schema(
        operation_id="practice_provider_update",
        request=InputSerializer,
        responses={200: ProviderDetailApi.OutputSerializer},
    )
    def post(self, request: Request, provider_id: int) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        services.provider_update(access=access, provider_id=provider_id, **data)
        return _provider_response(request, provider_id)


class LicenseAddApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        number = serializers.CharField(max_length=40)
        state = serializers.CharField(max_length=2)
        kind = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        issued_on = serializers.DateField(required=False, allow_null=True, default=None)
        expires_on = serializers.DateField()

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField(source="pk")
        provider_id = serializers.IntegerField()
        number = serializers.CharField()
        state = serializers.CharField()
        kind = serializers.CharField()
        issued_on = serializers.DateField(allow_null=True)
        expires_on = serializers.DateField()

    @extend_schema(
        operation_id="practice_license_add", request=InputSerializer, responses={201: OutputSerializer}
    )
    def post(self, request: Request, provider_id: int) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        lic = services.license_add(access=access, provider_id=provider_id, **data)
        return Response(self.OutputSerializer(lic).data, status=status.HTTP_201_CREATED)


class SupervisionRowFields(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    supervisor_id = serializers.IntegerField()
    supervisee_id = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class SupervisionAddApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        supervisor_id = serializers.IntegerField()
        supervisee_id = serializers.IntegerField()
        starts_on = serializers.DateField()
        ends_on = serializers.DateField(required=False, allow_null=True, default=None)

    class OutputSerializer(SupervisionRowFields):
        pass

    @extend_schema(
        operation_id="practice_supervision_add", request=InputSerializer, responses={201: OutputSerializer}
    )
    def post(self, request: Request) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        supervision = services.supervision_add(access=access, **data)
        return Response(self.OutputSerializer(supervision).data, status=status.HTTP_201_CREATED)


class SupervisionEndApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        ends_on = serializers.DateField()

    class OutputSerializer(SupervisionRowFields):
        pass

    @extend_schema(
        operation_id="practice_supervision_end", request=InputSerializer, responses={200: OutputSerializer}
    )
    def post(self, request: Request, supervision_id: int) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        supervision = services.supervision_end(
            access=access, supervision_id=supervision_id, ends_on=data["ends_on"]
        )
        return Response(self.OutputSerializer(supervision).data)


# --- locations -------------------------------------------------------------------------------------


class LocationFields(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    npi = serializers.CharField()
    default_place_of_service = serializers.CharField()
    is_active = serializers.BooleanField()


class LocationListApi(PaginatedListApi):
    class OutputSerializer(LocationFields):
        pass

    @extend_schema(
        operation_id="practice_location_list",
        parameters=[ACTIVE_PARAM],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        window = self.page_window(request)
        page = selectors.location_page(
            access=request_access(request),
            active_only=_active(request),
            offset=window.offset,
            limit=window.limit,
        )
        return self.page_response(
            count=page.total, results=self.OutputSerializer(page.locations, many=True).data
        )


class LocationCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField(max_length=120)
        address_line1 = serializers.CharField(max_length=100)
        address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        city = serializers.CharField(max_length=60)
        state = serializers.CharField(max_length=2)
        postal_code = serializers.CharField(max_length=10)
        npi = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        default_place_of_service = serializers.ChoiceField(choices=sorted(PLACES_OF_SERVICE), default="11")

    class OutputSerializer(LocationFields):
        pass

    @extend_schema(
        operation_id="practice_location_create", request=InputSerializer, responses={201: OutputSerializer}
    )
    def post(self, request: Request) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        location = services.location_create(access=access, **data)
        return Response(self.OutputSerializer(location).data, status=status.HTTP_201_CREATED)


class LocationUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField(max_length=120, required=False)
        address_line1 = serializers.CharField(max_length=100, required=False)
        address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True)
        city = serializers.CharField(max_length=60, required=False)
        state = serializers.CharField(max_length=2, required=False)
        postal_code = serializers.CharField(max_length=10, required=False)
        npi = serializers.CharField(max_length=20, required=False, allow_blank=True)
        default_place_of_service = serializers.ChoiceField(choices=sorted(PLACES_OF_SERVICE), required=False)
        is_active = serializers.BooleanField(required=False)

    class OutputSerializer(LocationFields):
        pass

    @extend_schema(
        operation_id="practice_location_update", request=InputSerializer, responses={200: OutputSerializer}
    )
    def post(self, request: Request, location_id: int) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        location = services.location_update(access=access, location_id=location_id, **data)
        return Response(self.OutputSerializer(location).data)


# --- the practice ------------------------------------------------------------------------------------


class PracticeFields(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    legal_name = serializers.CharField()
    tax_id = serializers.CharField()
    billing_npi = serializers.CharField()
    taxonomy_code = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    phone = serializers.CharField()
    timezone = serializers.CharField()


class PracticeDetailApi(APIView):
    class OutputSerializer(PracticeFields):
        pass

    @extend_schema(operation_id="practice_retrieve", responses={200: OutputSerializer})
    def get(self, request: Request) -> Response:
        practice = selectors.practice_get(access=request_access(request))
        return Response(self.OutputSerializer(practice).data)


class PracticeUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        legal_name = serializers.CharField(max_length=200, required=False)
        tax_id = serializers.CharField(max_length=12, required=False)
        billing_npi = serializers.CharField(max_length=20, required=False)
        taxonomy_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
        address_line1 = serializers.CharField(max_length=100, required=False)
        address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True)
        city = serializers.CharField(max_length=60, required=False)
        state = serializers.CharField(max_length=2, required=False)
        postal_code = serializers.CharField(max_length=10, required=False)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        timezone = serializers.CharField(max_length=64, required=False)

    class OutputSerializer(PracticeFields):
        pass

    @extend_schema(operation_id="practice_update", request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request) -> Response:
        access = _manager(request)
        data = validated(self.InputSerializer, request.data)
        practice = services.practice_update(access=access, **data)
        return Response(self.OutputSerializer(practice).data)
