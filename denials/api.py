"""REST API for denials and appeals: the queue (same filters as the screen), one denial with
its history, actions, the appeal list, outcomes and analytics.

Reading needs BILLING_VIEW; acting BILLING_EDIT; writing off WRITE_OFF as well. Permission is
checked before the body is read. Money is a string with two decimals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import request_access
from accounts.domain.roles import Capability
from core.api.mixins import validated
from core.money import cents_from_decimal, decimal_from_cents
from denials import selectors, services
from denials.domain.workflow import Operation, Outcome
from practice.selectors import practice_today

MAX_ID = 2**63 - 1


class DenialOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="denial_id")
    claim_id = serializers.IntegerField()
    claim_number = serializers.CharField()
    patient_name = serializers.CharField()
    payer_name = serializers.CharField()
    provider_name = serializers.CharField()
    service_code = serializers.CharField()
    codes = serializers.CharField()
    group = serializers.CharField()
    carc = serializers.CharField()
    meaning = serializers.CharField(source="label")
    category = serializers.CharField()
    recommended_action = serializers.CharField(source="action_label")
    amount = serializers.SerializerMethodField()
    status = serializers.CharField()
    deadline = serializers.CharField()
    days_left = serializers.IntegerField(allow_null=True)
    parity_candidate = serializers.BooleanField(source="parity")
    low_value = serializers.BooleanField()

    def get_amount(self, row: selectors.DenialRow) -> str:
        return f"{decimal_from_cents(row.amount_cents):.2f}"


class DenialListApi(APIView):
    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        status = serializers.CharField(required=False, default="working", max_length=16)
        category = serializers.CharField(required=False, default="", max_length=32, allow_blank=True)
        payer = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID
        )
        provider = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID
        )
        code = serializers.CharField(required=False, default="", max_length=8, allow_blank=True)
        min_age = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=0, max_value=3650
        )
        min_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, allow_null=True, default=None, min_value=0
        )
        max_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, allow_null=True, default=None, min_value=0
        )

    @extend_schema(
        operation_id="denial_list", parameters=[FilterSerializer], responses={200: DenialOutput(many=True)}
    )
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        data = validated(self.FilterSerializer, request.query_params)
        filters = selectors.QueueFilters(
            status=data["status"],
            category=data["category"],
            payer_id=data["payer"],
            provider_id=data["provider"],
            code=data["code"],
            min_age_days=data["min_age"],
            min_cents=cents_from_decimal(data["min_amount"]) if data["min_amount"] is not None else None,
            max_cents=cents_from_decimal(data["max_amount"]) if data["max_amount"] is not None else None,
        )
        rows = selectors.denial_queue(
            access=access, filters=filters, today=practice_today(practice_id=access.practice_id)
        )
        return Response(DenialOutput(rows, many=True).data)


class DenialDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        denial = serializers.SerializerMethodField()
        why = serializers.CharField()
        kind = serializers.CharField()
        codes = serializers.SerializerMethodField()
        remarks = serializers.SerializerMethodField()
        operations = serializers.ListField(child=serializers.CharField())
        cost_hint = serializers.CharField()
        events = serializers.SerializerMethodField()
        appeals = serializers.SerializerMethodField()

        def get_denial(self, d: selectors.DenialDetail) -> dict[str, Any]:
            return dict(DenialOutput(d.row).data)

        def get_codes(self, d: selectors.DenialDetail) -> list[dict[str, Any]]:
            return [{"code": c.code, "label": c.label, "known": c.known} for c in d.codes]

        def get_remarks(self, d: selectors.DenialDetail) -> list[dict[str, Any]]:
            return [{"code": c.code, "label": c.label, "known": c.known} for c in d.rarcs]

        def get_events(self, d: selectors.DenialDetail) -> list[dict[str, Any]]:
            return [
                {
                    "at": e.when.isoformat(),
                    "kind": e.kind,
                    "who": e.who,
                    "change": e.change,
                    "reason": e.reason,
                }
                for e in d.events
            ]

        def get_appeals(self, d: selectors.DenialDetail) -> list[dict[str, Any]]:
            return [
                {
                    "id": a.appeal_id,
                    "level": a.level,
                    "status": a.status,
                    "recovered": a.recovered,
                    "parity": a.parity,
                }
                for a in d.appeals
            ]

    @extend_schema(operation_id="denial_detail", responses={200: OutputSerializer})
    def get(self, request: Request, denial_id: int) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        detail = selectors.denial_get(
            access=access, denial_id=denial_id, today=practice_today(practice_id=access.practice_id)
        )
        return Response(self.OutputSerializer(detail).data)


class DenialActionApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        action = serializers.ChoiceField(choices=[op.value for op in Operation])
        reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=1000)

    @extend_schema(operation_id="denial_action", request=InputSerializer, responses={200: DenialOutput})
    def post(self, request: Request, denial_id: int) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        action, text = data["action"], data["reason"]
        if action == Operation.CORRECT_AND_RESUBMIT:
            services.denial_correct_and_resubmit(access=access, denial_id=denial_id, note=text)
        elif action == Operation.APPEAL:
            services.denial_appeal(access=access, denial_id=denial_id, note=text)
        elif action == Operation.TRANSFER_TO_PATIENT:
            services.denial_transfer_to_patient(access=access, denial_id=denial_id, reason=text)
        elif action == Operation.WRITE_OFF:
            services.denial_write_off(access=access, denial_id=denial_id, reason=text)
        else:
            services.denial_resolve(access=access, denial_id=denial_id, note=text)
        detail = selectors.denial_get(
            access=access, denial_id=denial_id, today=practice_today(practice_id=access.practice_id)
        )
        return Response(DenialOutput(detail.row).data)


class AppealOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="appeal_id")
    denial_id = serializers.IntegerField()
    level = serializers.IntegerField()
    parity = serializers.BooleanField()
    status = serializers.CharField()
    recovered = serializers.CharField()
    submitted_on = serializers.CharField()
    outcome_on = serializers.CharField()
    payer_name = serializers.CharField()
    claim_number = serializers.CharField()
    amount = serializers.CharField()


class AppealListApi(APIView):
    @extend_schema(operation_id="appeal_list", responses={200: AppealOutput(many=True)})
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        status = request.query_params.get("status", "")
        if status not in {o.value for o in Outcome}:
            status = ""
        return Response(AppealOutput(selectors.appeal_list(access=access, status=status), many=True).data)


class AppealOutcomeApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        outcome = serializers.ChoiceField(choices=[o.value for o in Outcome if o is not Outcome.PENDING])
        recovered = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
        outcome_on = serializers.DateField()

    @extend_schema(operation_id="appeal_outcome", request=InputSerializer, responses={200: AppealOutput})
    def post(self, request: Request, appeal_id: int) -> Response:
        access = request_access(request, Capability.BILLING_EDIT)
        data = validated(self.InputSerializer, request.data)
        services.appeal_outcome_record(
            access=access,
            appeal_id=appeal_id,
            outcome=data["outcome"],
            recovered_cents=cents_from_decimal(data["recovered"]),
            outcome_on=data["outcome_on"],
        )
        row = next(r for r in selectors.appeal_list(access=access) if r.appeal_id == appeal_id)
        return Response(AppealOutput(row).data)


class DenialAnalyticsApi(APIView):
    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        start = serializers.DateField(required=False, allow_null=True, default=None)
        end = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="denial_analytics", parameters=[FilterSerializer], responses={200: dict})
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        data = validated(self.FilterSerializer, request.query_params)
        today = practice_today(practice_id=access.practice_id)
        result = selectors.denial_analytics(
            access=access,
            start=data["start"] or today - dt.timedelta(days=180),
            end=data["end"] or today,
            today=today,
        )

        def rows(items: tuple[selectors.Breakdown, ...]) -> list[dict[str, Any]]:
            return [
                {
                    "key": b.key,
                    "label": b.label,
                    "count": b.count,
                    "amount": f"{decimal_from_cents(b.cents):.2f}",
                    "rate": b.rate,
                }
                for b in items
            ]

        return Response(
            {
                "start": result.start.isoformat(),
                "end": result.end.isoformat(),
                "denials": result.total,
                "adjudicated_lines": result.adjudicated_lines,
                "denial_rate": result.denial_rate,
                "by_payer": rows(result.by_payer),
                "by_code": rows(result.by_code),
                "by_category": rows(result.by_category),
                "by_provider": rows(result.by_provider),
                "by_month": rows(result.by_month),
                "patterns": [
                    {
                        "payer": p.payer_name,
                        "code": p.code,
                        "category": p.category,
                        "count": p.count,
                        "message": p.message,
                    }
                    for p in result.patterns
                ],
                "enrollment_gaps": [
                    {
                        "provider": p.provider_name,
                        "payer": p.payer_name,
                        "count": p.count,
                        "message": p.message,
                    }
                    for p in result.enrollment_gaps
                ],
            }
        )
