"""Corrections API (mounted at /api/claims/): a claim's corrections panel, a replacement
(frequency 7), a void (8) and the next payer's claim (secondary/tertiary). Errors come back in
the one shape {"message", "code", "extra"}: 400 for a refused correction (C7: no payer claim
number, a payer taking no replacements, C17: not every line), 409 for a claim in the wrong
state or a crossover (R15)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from accounts.domain.roles import Capability
from claims.models import Claim
from claims.selectors.corrections import claim_corrections_panel
from claims.services.common import require_edit
from claims.services.corrections import LineChange, claim_replace, claim_void
from claims.services.secondary import claim_secondary_create
from core.api.mixins import validated


class ClaimVersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    patient_control_number = serializers.CharField()
    status = serializers.CharField()
    frequency = serializers.CharField()
    version = serializers.IntegerField()
    responsibility = serializers.CharField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    primary_claim = serializers.IntegerField(source="primary_claim_id", allow_null=True)
    payer = serializers.IntegerField(source="payer_id")
    payer_claim_number = serializers.CharField()
    total_cents = serializers.IntegerField()
    timely_filing_deadline = serializers.DateField(allow_null=True)
    error_count = serializers.IntegerField()
    findings = serializers.ListField(child=serializers.DictField())
    lines = serializers.SerializerMethodField()

    def get_lines(self, claim: Claim) -> list[dict[str, Any]]:
        return [
            {
                "line_number": line.line_number,
                "code": line.code,
                "modifiers": list(line.modifiers),
                "units": line.units,
                "charge_cents": line.charge_cents,
                "line_control_number": line.line_control_number,
            }
            for line in claim.lines.order_by("line_number")
        ]


class ActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    allowed = serializers.BooleanField()
    why_not = serializers.CharField(allow_blank=True)


class PanelSerializer(serializers.Serializer):  # type: ignore[type-arg]
    claim_id = serializers.IntegerField()
    patient_control_number = serializers.CharField()
    replace = ActionSerializer()
    void = ActionSerializer()
    next_payer = ActionSerializer()
    next_payer_words = serializers.CharField(allow_blank=True)
    partial_replacement = serializers.BooleanField()
    crossover = serializers.CharField(allow_blank=True)


def _created(claim: Claim) -> Response:
    return Response(ClaimVersionSerializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimCorrectionsApi(APIView):
    @extend_schema(operation_id="claims_corrections", responses=PanelSerializer)
    def get(self, request: Request, claim_id: int) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        return Response(PanelSerializer(claim_corrections_panel(access=access, claim_id=claim_id)).data)


class LineChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line_number = serializers.IntegerField(min_value=1, max_value=50)
    code = serializers.CharField(max_length=5, required=False)
    modifiers = serializers.ListField(child=serializers.CharField(max_length=2), max_length=4, required=False)
    units = serializers.IntegerField(min_value=1, max_value=9999, required=False)
    diagnosis_pointers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12), max_length=4, required=False
    )


class ClaimReplaceApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        reason = serializers.CharField(max_length=1000, allow_blank=True)
        lines = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
        line_changes = LineChangeSerializer(many=True, required=False)

    @extend_schema(
        operation_id="claims_replace", request=InputSerializer, responses={201: ClaimVersionSerializer}
    )
    def post(self, request: Request, claim_id: int) -> Response:
        access = request_access(request)
        require_edit(access, object_id=claim_id)  # permission before the body
        data = validated(self.InputSerializer, request.data)
        changes = {
            item["line_number"]: LineChange(
                code=item.get("code"),
                modifiers=tuple(item["modifiers"]) if "modifiers" in item else None,
                units=item.get("units"),
                diagnosis_pointers=tuple(item["diagnosis_pointers"])
                if "diagnosis_pointers" in item
                else None,
            )
            for item in data.get("line_changes", [])
        }
        return _created(
            claim_replace(
                claim_id,
                actor=access,
                reason=data["reason"],
                line_numbers=data.get("lines"),
                line_changes=changes,
            )
        )


class ClaimVoidApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        reason = serializers.CharField(max_length=1000, allow_blank=True)

    @extend_schema(
        operation_id="claims_void", request=InputSerializer, responses={201: ClaimVersionSerializer}
    )
    def post(self, request: Request, claim_id: int) -> Response:
        access = request_access(request)
        require_edit(access, object_id=claim_id)
        data = validated(self.InputSerializer, request.data)
        return _created(claim_void(claim_id, actor=access, reason=data["reason"]))


class ClaimSecondaryApi(APIView):
    @extend_schema(
        operation_id="claims_next_payer_create", request=None, responses={201: ClaimVersionSerializer}
    )
    def post(self, request: Request, claim_id: int) -> Response:
        access = request_access(request)
        return _created(claim_secondary_create(claim_id, actor=access))
