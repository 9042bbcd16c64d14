"""REST API for appointments and group sessions.

One APIView per operation; Input/Output serializers check shape only; services apply the rules
and errors come out in the one shape ({"message", "code", "extra"}) through core's handler.

Times in: ISO 8601. Without an offset ("2026-11-01T01:30") a time is a wall clock in the
practice's time zone (DST rules in scheduling.domain.times); with one it is that instant.
Times out: the practice's local time with its offset ("2026-11-01T01:30:00-04:00"), plus the
zone's name in `timezone`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from core.api.mixins import validated
from core.api.pagination import PaginatedListApi
from core.domain.problems import Problem
from core.domain.service_types import ServiceType
from practice.selectors import practice_today
from scheduling import selectors, services
from scheduling.domain.types import AppointmentStatus, TelehealthMode

DEFAULT_RANGE_DAYS = 7


def _scheduler(request: Request) -> PracticeAccess:
    """Someone who may book and change anyone's appointments (403 before the input is read)."""
    access = request_access(request)
    access.require(Capability.SCHEDULE_EDIT)
    return access


class WallClockOrInstantField(serializers.DateTimeField):
    """ISO 8601 date-time; naive values stay naive (a wall clock in the practice's zone) and
    aware values keep their offset (output: the practice's local time with its offset)."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


class WarningOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField()


class AppointmentOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="appointment_id")
    patient_id = serializers.IntegerField()
    patient_name = serializers.CharField()
    provider_id = serializers.IntegerField()
    provider_name = serializers.CharField()
    service_type = serializers.CharField()
    service_label = serializers.CharField()
    starts_at = WallClockOrInstantField(source="starts_local")
    ends_at = WallClockOrInstantField(source="ends_local")
    timezone = serializers.CharField()
    date_of_service = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    location_id = serializers.IntegerField(allow_null=True)
    location_name = serializers.CharField()
    place_of_service = serializers.CharField()
    telehealth = serializers.CharField()
    patient_at_home = serializers.BooleanField()
    group_session_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    cancel_reason = serializers.CharField()
    note_id = serializers.IntegerField(allow_null=True)


class EventOutput(serializers.Serializer):  # type: ignore[type-arg]
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField()
    at = WallClockOrInstantField(source="at_local")
    note = serializers.CharField()


class AppointmentDetailOutput(serializers.Serializer):  # type: ignore[type-arg]
    appointment = AppointmentOutput()
    events = EventOutput(many=True)
    allowed_statuses = serializers.SerializerMethodField()
    can_reschedule = serializers.BooleanField()

    def get_allowed_statuses(self, detail: selectors.AppointmentDetail) -> list[str]:
        return [a.status for a in detail.actions]


def _warnings(problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
    return list(WarningOutput(problems, many=True).data)


def _detail(request: Request, appointment_id: int) -> dict[str, Any]:
    detail = selectors.appointment_get(access=request_access(request), appointment_id=appointment_id)
    return dict(AppointmentDetailOutput(detail).data)


# --- appointments --------------------------------------------------------------------------------


class AppointmentListApi(PaginatedListApi):
    """Appointments starting on local dates start..end (inclusive; default: 7 days from today)."""

    class FilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
        provider = serializers.IntegerField(required=False)
        location = serializers.IntegerField(required=False)
        patient = serializers.IntegerField(required=False)
        start = serializers.DateField(required=False)
        end = serializers.DateField(required=False)
        status = serializers.MultipleChoiceField(choices=[s.value for s in AppointmentStatus], required=False)

    class OutputSerializer(AppointmentOutput):
        pass

    @extend_schema(
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
        operation_id="schedule_appointments_list",
    )
    def get(self, request: Request) -> Response:
        access = request_access(request)
        query = {k: v for k, v in request.query_params.items() if k != "status"}
        statuses = [s for value in request.query_params.getlist("status") for s in value.split(",") if s]
        if statuses:
            query["status"] = statuses  # type: ignore[assignment]
        filters = validated(self.FilterSerializer, query)
        first_day = filters.get("start") or _today(access)
        last_day = filters.get("end") or first_day + dt.timedelta(days=DEFAULT_RANGE_DAYS - 1)
        window = self.page_window(request)
        page = selectors.appointment_page(
            access=access,
            first_day=first_day,
            last_day=last_day,
            provider_id=filters.get("provider"),
            location_id=filters.get("location"),
            patient_id=filters.get("patient"),
            statuses=sorted(filters.get("status", [])),
            offset=window.offset,
            limit=window.limit,
        )
        return self.page_response(count=page.total, results=self.OutputSerializer(page.rows, many=True).data)


def _today(access: PracticeAccess) -> dt.date:
    return practice_today(practice_id=access.practice_id)


class AppointmentCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient_id = serializers.IntegerField()
        provider_id = serializers.IntegerField()
        service_type = serializers.ChoiceField(choices=[s.value for s in ServiceType])
        starts_at = WallClockOrInstantField()
        ends_at = WallClockOrInstantField()
        location_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        telehealth = serializers.ChoiceField(
            choices=[t.value for t in TelehealthMode], required=False, allow_blank=True, default=""
        )
        patient_at_home = serializers.BooleanField(required=False, default=False)

    class OutputSerializer(AppointmentDetailOutput):
        warnings = WarningOutput(many=True)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        access = _scheduler(request)
        data = validated(self.InputSerializer, request.data)
        outcome = services.appointment_schedule(access=access, **data)
        body = {**_detail(request, outcome.appointment.pk), "warnings": _warnings(outcome.warnings)}
        return Response(body, status=status.HTTP_201_CREATED)


class AppointmentDetailApi(APIView):
    class OutputSerializer(AppointmentDetailOutput):
        pass

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, appointment_id: int) -> Response:
        detail = selectors.appointment_get(access=request_access(request), appointment_id=appointment_id)
        return Response(self.OutputSerializer(detail).data)


class AppointmentRescheduleApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        starts_at = WallClockOrInstantField()
        ends_at = WallClockOrInstantField()
        provider_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        location_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    class OutputSerializer(AppointmentDetailOutput):
        warnings = WarningOutput(many=True)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, appointment_id: int) -> Response:
        access = _scheduler(request)
        data = validated(self.InputSerializer, request.data)
        outcome = services.appointment_reschedule(access=access, appointment_id=appointment_id, **data)
        return Response({**_detail(request, appointment_id), "warnings": _warnings(outcome.warnings)})


class AppointmentStatusApi(APIView):
    """Arrived / completed (technicians: own appointments only), cancelled (with reason), no-show."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        status = serializers.ChoiceField(choices=[s.value for s in AppointmentStatus])
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    class OutputSerializer(AppointmentDetailOutput):
        pass

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, appointment_id: int) -> Response:
        access = request_access(request)
        access.require(Capability.SCHEDULE_VIEW)
        data = validated(self.InputSerializer, request.data)
        services.appointment_set_status(access=access, appointment_id=appointment_id, **data)
        return Response(_detail(request, appointment_id))


# --- group sessions ------------------------------------------------------------------------------


class GroupSessionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="group_session_id")
    title = serializers.CharField()
    provider_id = serializers.IntegerField()
    provider_name = serializers.CharField()
    service_type = serializers.CharField()
    starts_at = WallClockOrInstantField(source="starts_local")
    ends_at = WallClockOrInstantField(source="ends_local")
    location_id = serializers.IntegerField(allow_null=True)
    telehealth = serializers.CharField()
    roster = AppointmentOutput(many=True)


def _group(request: Request, group_session_id: int) -> dict[str, Any]:
    detail = selectors.group_session_get(access=request_access(request), group_session_id=group_session_id)
    return dict(GroupSessionOutput(detail).data)


class GroupSessionCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        provider_id = serializers.IntegerField()
        title = serializers.CharField(max_length=120)
        service_type = serializers.ChoiceField(choices=[s.value for s in ServiceType])
        starts_at = WallClockOrInstantField()
        ends_at = WallClockOrInstantField()
        patient_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
        location_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        telehealth = serializers.ChoiceField(
            choices=[t.value for t in TelehealthMode], required=False, allow_blank=True, default=""
        )

    class OutputSerializer(GroupSessionOutput):
        warnings = WarningOutput(many=True)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        access = _scheduler(request)
        data = validated(self.InputSerializer, request.data)
        outcome = services.group_session_create(access=access, **data)
        body = {**_group(request, outcome.group_session.pk), "warnings": _warnings(outcome.warnings)}
        return Response(body, status=status.HTTP_201_CREATED)


class GroupSessionDetailApi(APIView):
    class OutputSerializer(GroupSessionOutput):
        pass

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, group_session_id: int) -> Response:
        return Response(_group(request, group_session_id))


class GroupRosterAddApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient_id = serializers.IntegerField()

    class OutputSerializer(GroupSessionOutput):
        warnings = WarningOutput(many=True)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, group_session_id: int) -> Response:
        access = _scheduler(request)
        data = validated(self.InputSerializer, request.data)
        outcome = services.group_roster_add(access=access, group_session_id=group_session_id, **data)
        return Response({**_group(request, group_session_id), "warnings": _warnings(outcome.warnings)})


class GroupRosterRemoveApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        patient_id = serializers.IntegerField()
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    class OutputSerializer(GroupSessionOutput):
        pass

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, group_session_id: int) -> Response:
        access = _scheduler(request)
        data = validated(self.InputSerializer, request.data)
        services.group_roster_remove(access=access, group_session_id=group_session_id, **data)
        return Response(_group(request, group_session_id))
