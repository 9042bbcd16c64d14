"""Eligibility API: ask for a check ("verify now") and read one. Thin: permission first."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from accounts.domain.roles import Capability
from eligibility import selectors, services
from eligibility.models import EligibilityCheck


class CheckOutput(serializers.ModelSerializer[EligibilityCheck]):
    plain_benefits = serializers.SerializerMethodField()

    class Meta:
        model = EligibilityCheck
        fields = [
            "id", "patient_id", "coverage_id", "appointment_id", "service_date", "sequence", "status",
            "reason", "is_sandbox", "service_types", "trace_number", "attempts", "error_message",
            "warnings", "coverage_status", "summary", "plain_benefits", "changes", "result",
            "created_at", "finished_at", "carve_out_of_id", "carve_out_payer_id",
        ]  # fmt: skip

    def get_plain_benefits(self, check: EligibilityCheck) -> list[str]:
        return selectors.check_summary_lines(check)


class VerifyInput(serializers.Serializer[dict[str, Any]]):
    coverage_id = serializers.IntegerField(required=False, min_value=1)
    appointment_id = serializers.IntegerField(required=False, min_value=1)
    service_date = serializers.DateField(required=False)
    force = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("coverage_id")) == bool(attrs.get("appointment_id")):
            raise serializers.ValidationError("Give a coverage_id or an appointment_id.")
        return attrs


class CheckCreateApi(APIView):
    @extend_schema(request=VerifyInput, responses={201: CheckOutput, 200: CheckOutput})
    def post(self, request: Request) -> Response:
        access = request_access(request, Capability.COVERAGE_EDIT)
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        before = EligibilityCheck.objects.filter(practice_id=access.practice_id).count()
        check = services.eligibility_verify_now(access=access, **data.validated_data)
        created = EligibilityCheck.objects.filter(practice_id=access.practice_id).count() > before
        return Response(
            CheckOutput(check).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class CheckDetailApi(APIView):
    @extend_schema(responses=CheckOutput)
    def get(self, request: Request, check_id: int) -> Response:
        access = request_access(request, Capability.COVERAGE_VIEW)
        return Response(CheckOutput(selectors.check_get_for_user(access=access, check_id=check_id)).data)


class CarveOutCheckApi(APIView):
    """Pitfall E1: the check's 271 names another administrator of the MH/SUD benefits; queue a
    270 to it (the practice's payer with that payer ID). Once per check: 201, then 200."""

    @extend_schema(request=None, responses={201: CheckOutput, 200: CheckOutput})
    def post(self, request: Request, check_id: int) -> Response:
        access = request_access(request, Capability.COVERAGE_EDIT)
        before = EligibilityCheck.objects.filter(carve_out_of_id=check_id).exists()
        check = services.eligibility_carve_out_verify(access=access, check_id=check_id)
        return Response(
            CheckOutput(check).data, status=status.HTTP_200_OK if before else status.HTTP_201_CREATED
        )
