"""REST API for treatment plans: list for a patient, create, retrieve, edit a draft, sign, activate.

One APIView per operation; nested Input serializers check the tree's shape only, the services
apply the rules (field paths in errors look like `problems[0].goals[1].objectives[0].measure`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from core.api.mixins import validated
from treatment_plans import selectors, services
from treatment_plans.domain.types import GoalDraft, ObjectiveDraft, PlanDraft, PlanStatus, ProblemDraft


def _writer(request: Request) -> PracticeAccess:
    access = request_access(request)
    access.require(Capability.TREATMENT_PLAN_EDIT)
    return access


class LocalDateTimeField(serializers.DateTimeField):
    """Shows a datetime in the zone it carries (the practice's), with its offset."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


# --- input shapes ------------------------------------------------------------------------------


class ObjectiveInput(serializers.Serializer):  # type: ignore[type-arg]
    description = serializers.CharField(allow_blank=True)
    measure = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    target = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    target_on = serializers.DateField(required=False, allow_null=True, default=None)


class GoalInput(serializers.Serializer):  # type: ignore[type-arg]
    description = serializers.CharField(allow_blank=True)
    interventions = serializers.CharField(allow_blank=True, required=False, default="")
    objectives = ObjectiveInput(many=True)


class ProblemInput(serializers.Serializer):  # type: ignore[type-arg]
    description = serializers.CharField(allow_blank=True)
    diagnosis_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    goals = GoalInput(many=True)


class PlanContentInput(serializers.Serializer):  # type: ignore[type-arg]
    starts_on = serializers.DateField()
    review_on = serializers.DateField()
    problems = ProblemInput(many=True)


def _draft(data: dict[str, Any]) -> PlanDraft:
    return PlanDraft(
        starts_on=data["starts_on"],
        review_on=data["review_on"],
        problems=tuple(
            ProblemDraft(
                description=p["description"],
                diagnosis_id=p["diagnosis_id"],
                goals=tuple(
                    GoalDraft(
                        description=g["description"],
                        interventions=g["interventions"],
                        objectives=tuple(
                            ObjectiveDraft(
                                description=o["description"],
                                measure=o["measure"],
                                target=o["target"],
                                target_on=o["target_on"],
                            )
                            for o in g["objectives"]
                        ),
                    )
                    for g in p["goals"]
                ),
            )
            for p in data["problems"]
        ),
    )


# --- output shapes -----------------------------------------------------------------------------


class ObjectiveOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="objective_id")
    description = serializers.CharField()
    measure = serializers.CharField()
    target = serializers.CharField()
    target_on = serializers.DateField(allow_null=True)


class GoalOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="goal_id")
    description = serializers.CharField()
    interventions = serializers.CharField()
    objectives = ObjectiveOutput(many=True)


class ProblemOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="problem_id")
    description = serializers.CharField()
    diagnosis_id = serializers.IntegerField(allow_null=True)
    diagnosis_label = serializers.CharField()
    goals = GoalOutput(many=True)


class PlanOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="plan_id")
    patient_id = serializers.IntegerField()
    author_id = serializers.IntegerField()
    author_name = serializers.CharField()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    review_on = serializers.DateField()
    review_overdue = serializers.SerializerMethodField()
    overdue_message = serializers.CharField()
    signed_at = LocalDateTimeField(source="signed_at_local", allow_null=True)
    signed_by = serializers.CharField()
    patient_signed_on = serializers.DateField(allow_null=True)
    problems = ProblemOutput(many=True)

    def get_review_overdue(self, plan: selectors.PlanDetail) -> bool:
        return bool(plan.overdue_message)


def _plan(request: Request, plan_id: int, *, status_code: int = 200) -> Response:
    detail = selectors.plan_get(access=request_access(request), plan_id=plan_id)
    return Response(PlanOutput(detail).data, status=status_code)


# --- operations --------------------------------------------------------------------------------


class PlanListApi(APIView):
    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient = serializers.IntegerField()
        status = serializers.ChoiceField(choices=[s.value for s in PlanStatus], required=False)

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField(source="plan_id")
        status = serializers.CharField()
        starts_on = serializers.DateField()
        review_on = serializers.DateField()
        author_name = serializers.CharField()
        signed = serializers.BooleanField()
        review_overdue = serializers.BooleanField()

    @extend_schema(
        parameters=[FilterSerializer], responses=OutputSerializer(many=True), operation_id="plans_list"
    )
    def get(self, request: Request) -> Response:
        """A page of the patient's plans (`limit`/`offset`), filtered before the page is cut."""
        filters = validated(self.FilterSerializer, request.query_params)
        wanted = filters.get("status")
        page = selectors.plan_list_for_patient(
            access=request_access(request),
            patient_id=filters["patient"],
            filters=selectors.PlanListFilters(status=PlanStatus(wanted) if wanted else None),
        )
        paginator = LimitOffsetPagination()
        rows: list[selectors.PlanRow] | None = paginator.paginate_queryset(
            page.rows,  # type: ignore[arg-type]  # a lazy sequence pages like a queryset
            request,
            view=self,
        )
        return paginator.get_paginated_response(self.OutputSerializer(rows, many=True).data)


class PlanCreateApi(APIView):
    class InputSerializer(PlanContentInput):
        patient_id = serializers.IntegerField()

    class OutputSerializer(PlanOutput):
        pass

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        access = _writer(request)
        data = validated(self.InputSerializer, request.data)
        plan = services.treatment_plan_create(
            access=access, patient_id=data["patient_id"], draft=_draft(data)
        )
        return _plan(request, plan.pk, status_code=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    class OutputSerializer(PlanOutput):
        pass

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        return _plan(request, plan_id)


class PlanUpdateApi(APIView):
    class InputSerializer(PlanContentInput):
        pass

    class OutputSerializer(PlanOutput):
        pass

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, plan_id: int) -> Response:
        access = _writer(request)
        data = validated(self.InputSerializer, request.data)
        services.treatment_plan_update(access=access, plan_id=plan_id, draft=_draft(data))
        return _plan(request, plan_id)


class PlanSignApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient_signed_on = serializers.DateField(required=False, allow_null=True, default=None)

    class OutputSerializer(PlanOutput):
        pass

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, plan_id: int) -> Response:
        access = _writer(request)
        data = validated(self.InputSerializer, request.data)
        services.treatment_plan_sign(access=access, plan_id=plan_id, **data)
        return _plan(request, plan_id)


class PlanActivateApi(APIView):
    class OutputSerializer(PlanOutput):
        pass

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request: Request, plan_id: int) -> Response:
        access = _writer(request)
        services.treatment_plan_activate(access=access, plan_id=plan_id)
        return _plan(request, plan_id)
