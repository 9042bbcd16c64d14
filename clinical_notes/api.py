"""Session-note REST API (mounted at /api/notes/): one APIView per operation, nested
Input/Output serializers that check shape only.

Reads go through `clinical_notes.selectors` (scoped by practice and role, audited); changes go
through `clinical_notes.services`. Errors come back in the one shape
`{"message", "code", "extra"}`; documentation problems are in `extra.problems`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from clinical_notes import selectors, services
from clinical_notes.domain.checks import (
    DocumentationReport,
    format_icd10,
    problem_to_dict,
    segment_minutes,
    session_minutes,
)
from clinical_notes.domain.disclosure import (
    FULL,
    PURPOSE_DETAIL_MAX,
    Disclosure,
    FullNotePurpose,
    NoteDisclosure,
    disclosed_content,
)
from clinical_notes.domain.templates import instrument_for
from clinical_notes.domain.types import GoalProgress, Measurement, Segment
from core.api.mixins import int_param, query_param
from core.api.pagination import PaginatedListApi, with_extra_fields
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType, service_type_choices
from core.errors import ValidationFailed

NOTE_STATUSES = ["draft", "awaiting_cosign", "returned", "final"]
TELEHEALTH_CHOICES = ["", "audio_video", "audio_only"]
SERVICE_TYPES = [value for value, _label in service_type_choices()]


# ---------------------------------------------------------------------------------------------
# Helpers


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors → {"segments[0].ends_at": [...]}, the paths the rules use."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                path = prefix or "__all__"
            elif isinstance(key, int) or str(key).isdigit():  # items of a list serializer
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for sub, messages in _flatten(value, path).items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        if errors:
            flat[prefix or "__all__"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, item in enumerate(errors):
            for sub, messages in _flatten(item, f"{prefix}[{index}]").items():
                flat.setdefault(sub, []).extend(messages)
    else:
        flat[prefix or "__all__"] = [str(errors)]
    return flat


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationFailed(field_errors=_flatten(serializer.errors))
    return dict(serializer.validated_data)


def _note_writer(
    request: Request,
    *,
    note_id: int | None = None,
    creating: bool = False,
    relation: services.NoteRelation | None = None,
) -> PracticeAccess:
    """The caller's access, once it is known they may write notes at all and stand in `relation`
    to the note (before the body is read: permission first)."""
    access = request_access(request)
    services.note_writer_require(access=access, note_id=note_id, creating=creating, relation=relation)
    return access


def _bool_param(request: Request, name: str) -> bool:
    return query_param(request, name).lower() in {"1", "true", "yes", "on"}


def _person(provider: Any) -> dict[str, Any] | None:
    if provider is None:
        return None
    return {"id": provider.pk, "name": provider.full_name, "credential": provider.credential}


def _summary(note: Any) -> dict[str, Any]:
    return {
        "id": note.pk,
        "status": note.status,
        "version": note.version,
        "patient": {"id": note.patient_id, "name": f"{note.patient.last_name}, {note.patient.first_name}"},
        "author": _person(note.author),
        "service_type": note.service_type,
        "service_type_label": SERVICE_TYPE_LABELS[ServiceType(note.service_type)],
        "date_of_service": note.date_of_service,
        "requires_cosign": note.requires_cosign,
        "supervisor_id": note.supervisor_id,
        "signed_at": note.signed_at,
        "finalized_at": note.finalized_at,
    }


def _detail(note: Any, disclosure: Disclosure = FULL) -> dict[str, Any]:
    """The note as `disclosure` allows (minimum necessary: clinical_notes.domain.disclosure)."""
    shows = disclosure.shows
    segments = list(note.segments.all())
    domain_segments = [Segment(starts_at=s.starts_at, ends_at=s.ends_at) for s in segments]
    return {
        **_summary(note),
        "practice_id": note.practice_id,
        "appointment_id": note.appointment_id,
        "supervisor": _person(note.supervisor),
        "place_of_service": note.place_of_service,
        "telehealth": note.telehealth,
        "disclosure": disclosure.level.value,
        "content": disclosed_content(note.content or {}, disclosure),
        "minutes": session_minutes(domain_segments),
        "segments": [
            {
                "id": s.pk,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "is_crisis": s.is_crisis,
                "minutes": segment_minutes(d),
            }
            for s, d in zip(segments, domain_segments, strict=True)
        ],
        "measurements": [
            {
                "instrument": m.instrument,
                "instrument_label": instrument.label
                if (instrument := instrument_for(m.instrument))
                else m.instrument,
                "score": m.score,
            }
            for m in (note.measurements.all() if shows("measurements") else [])
        ],
        "diagnoses": [
            {
                "id": d.diagnosis_id,
                "code": format_icd10(d.code),
                "description": d.description,
                "position": d.position,
            }
            for d in selectors.note_diagnosis_lines(note)
        ],
        "goals": [
            {"goal_id": g.goal_id, "description": g.goal.description, "progress": g.progress}
            for g in (note.note_goals.all() if shows("goals") else [])
        ],
        "signed_by": note.signed_by.get_username() if note.signed_by else "",
        "attestation": note.attestation,
        "cosigned_at": note.cosigned_at,
        "cosigned_by": note.cosigned_by.get_username() if note.cosigned_by else "",
        "cosign_attestation": note.cosign_attestation,
        "findings": note.findings if shows("findings") else [],
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor.get_username() if e.actor else "",
                "occurred_at": e.occurred_at,
                "comment": e.comment,
            }
            for e in (note.events.all() if shows("history") else [])
        ],
        "addenda": [_addendum(a) for a in note.addenda.all()] if shows("addenda") else [],
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def _addendum(addendum: Any) -> dict[str, Any]:
    return {
        "id": addendum.pk,
        "note_id": addendum.note_id,
        "author": addendum.author.get_username(),
        "reason": addendum.reason,
        "text": addendum.text,
        "created_at": addendum.created_at,
    }


# ---------------------------------------------------------------------------------------------
# Output serializers (shared)


class PersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    credential = serializers.CharField(required=False)


class ProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    severity = serializers.ChoiceField(choices=["error", "warning"])
    fix_hint = serializers.CharField(allow_blank=True)


class NoteSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=NOTE_STATUSES)
    version = serializers.IntegerField()
    patient = PersonSerializer()
    author = PersonSerializer()
    service_type = serializers.ChoiceField(choices=SERVICE_TYPES)
    service_type_label = serializers.CharField()
    date_of_service = serializers.DateField()
    requires_cosign = serializers.BooleanField()
    supervisor_id = serializers.IntegerField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    finalized_at = serializers.DateTimeField(allow_null=True)


class AddendumOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    note_id = serializers.IntegerField()
    author = serializers.CharField()
    reason = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class NoteDetailSerializer(NoteSummarySerializer):
    class SegmentOutput(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField()
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        is_crisis = serializers.BooleanField()
        minutes = serializers.IntegerField()

    class MeasurementOutput(serializers.Serializer):  # type: ignore[type-arg]
        instrument = serializers.CharField()
        instrument_label = serializers.CharField()
        score = serializers.IntegerField()

    class DiagnosisOutput(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField()
        code = serializers.CharField()
        description = serializers.CharField(allow_blank=True)
        position = serializers.IntegerField()

    class GoalOutput(serializers.Serializer):  # type: ignore[type-arg]
        goal_id = serializers.IntegerField()
        description = serializers.CharField()
        progress = serializers.CharField(allow_blank=True)

    class EventOutput(serializers.Serializer):  # type: ignore[type-arg]
        from_status = serializers.CharField(allow_blank=True)
        to_status = serializers.CharField()
        actor = serializers.CharField(allow_blank=True)
        occurred_at = serializers.DateTimeField()
        comment = serializers.CharField(allow_blank=True)

    practice_id = serializers.IntegerField()
    appointment_id = serializers.IntegerField(allow_null=True)
    disclosure = serializers.ChoiceField(
        choices=[NoteDisclosure.FULL.value, NoteDisclosure.BILLING.value],
        help_text="full, or billing: the minimum-necessary view (billers and practice admins by default)",
    )
    supervisor = PersonSerializer(allow_null=True)
    place_of_service = serializers.CharField()
    telehealth = serializers.CharField(allow_blank=True)
    content = serializers.JSONField()
    minutes = serializers.IntegerField()
    segments = SegmentOutput(many=True)
    measurements = MeasurementOutput(many=True)
    diagnoses = DiagnosisOutput(many=True)
    goals = GoalOutput(many=True)
    signed_by = serializers.CharField(allow_blank=True)
    attestation = serializers.CharField(allow_blank=True)
    cosigned_at = serializers.DateTimeField(allow_null=True)
    cosigned_by = serializers.CharField(allow_blank=True)
    cosign_attestation = serializers.CharField(allow_blank=True)
    findings = ProblemSerializer(many=True)
    events = EventOutput(many=True)
    addenda = AddendumOutputSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def _detail_response(note: Any, *, code: int = status.HTTP_200_OK, disclosure: Disclosure = FULL) -> Response:
    return Response(NoteDetailSerializer(_detail(note, disclosure)).data, status=code)


# ---------------------------------------------------------------------------------------------
# Reads


class NoteListApi(PaginatedListApi):
    @extend_schema(
        operation_id="notes_list",
        parameters=[
            OpenApiParameter("status", str, enum=NOTE_STATUSES),
            OpenApiParameter("patient", int),
            OpenApiParameter("author", int),
            OpenApiParameter("mine", bool),
            OpenApiParameter("awaiting_my_cosign", bool),
        ],
        responses=NoteSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        wanted_status = query_param(request, "status")
        if wanted_status and wanted_status not in NOTE_STATUSES:
            raise ValidationFailed(field_errors={"status": [f"One of {', '.join(NOTE_STATUSES)}."]})
        window = self.page_window(request)
        page = selectors.note_list(
            access=request_access(request),
            status=wanted_status or None,
            patient_id=int_param(request, "patient"),
            author_id=int_param(request, "author"),
            mine=_bool_param(request, "mine"),
            awaiting_my_cosign=_bool_param(request, "awaiting_my_cosign"),
            limit=window.limit,
            offset=window.offset,
        )
        results = NoteSummarySerializer([_summary(n) for n in page.notes], many=True).data
        return self.page_response(count=page.total, results=results)


class NoteDetailApi(APIView):
    @extend_schema(operation_id="notes_detail", responses=NoteDetailSerializer)
    def get(self, request: Request, note_id: int) -> Response:
        read = selectors.note_read(access=request_access(request), note_id=note_id)
        return _detail_response(read.note, disclosure=read.disclosure)


class NoteChecksApi(APIView):
    """The documentation checks on the saved note, without signing (the editor shows them live)."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        class CloneOutput(serializers.Serializer):  # type: ignore[type-arg]
            previous_note_id = serializers.IntegerField()
            previous_date_of_service = serializers.DateField()
            similarity = serializers.FloatField()
            diff = serializers.ListField(child=serializers.CharField(allow_blank=True))

        problems = ProblemSerializer(many=True)
        error_count = serializers.IntegerField()
        warning_count = serializers.IntegerField()
        minutes = serializers.IntegerField()
        clone = CloneOutput(allow_null=True)

    @staticmethod
    def payload(report: DocumentationReport) -> dict[str, Any]:
        clone = report.clone
        return {
            "problems": [problem_to_dict(p) for p in report.problems],
            "error_count": len(report.errors),
            "warning_count": len(report.warnings),
            "minutes": report.minutes,
            "clone": None
            if clone is None
            else {
                "previous_note_id": clone.previous_note_id,
                "previous_date_of_service": clone.previous_date_of_service,
                "similarity": round(clone.similarity, 4),
                "diff": list(clone.diff),
            },
        }

    @extend_schema(operation_id="notes_checks", responses=OutputSerializer)
    def get(self, request: Request, note_id: int) -> Response:
        report = selectors.note_documentation_preview(access=request_access(request), note_id=note_id)
        return Response(self.OutputSerializer(self.payload(report)).data)


class NoteCosignQueueApi(PaginatedListApi):
    """Notes waiting for my co-signature, oldest first; `overdue_days` and `overdue_count` (in the
    whole queue) ride along with the page."""

    pagination_class = with_extra_fields(overdue_days={"type": "integer"}, overdue_count={"type": "integer"})

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        note_id = serializers.IntegerField()
        patient_id = serializers.IntegerField()
        patient_name = serializers.CharField()
        author_id = serializers.IntegerField()
        author_name = serializers.CharField()
        service_type = serializers.CharField()
        service_type_label = serializers.CharField()
        date_of_service = serializers.DateField()
        signed_at = serializers.DateTimeField()
        days_waiting = serializers.IntegerField()
        overdue = serializers.BooleanField()
        warning_count = serializers.IntegerField()

    @extend_schema(operation_id="notes_cosign_queue", responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        days = settings.COSIGN_OVERDUE_DAYS
        window = self.page_window(request)
        queue = selectors.note_cosign_queue(
            access=request_access(request), overdue_days=days, offset=window.offset, limit=window.limit
        )
        results = self.OutputSerializer([vars(item) for item in queue.items], many=True).data
        extra = {"overdue_days": days, "overdue_count": queue.overdue_total}
        return self.page_response(count=queue.total, results=results, extra=extra)


# ---------------------------------------------------------------------------------------------
# Changes


class NoteCreateApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        appointment_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        patient_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        service_type = serializers.ChoiceField(
            choices=SERVICE_TYPES, required=False, allow_null=True, default=None
        )
        date_of_service = serializers.DateField(required=False, allow_null=True, default=None)
        place_of_service = serializers.CharField(max_length=2, required=False, allow_null=True, default=None)
        telehealth = serializers.ChoiceField(
            choices=TELEHEALTH_CHOICES, required=False, allow_null=True, allow_blank=True, default=None
        )

    @extend_schema(
        operation_id="notes_create", request=InputSerializer, responses={201: NoteDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        access = _note_writer(request, creating=True)
        data = _validated(self.InputSerializer, request.data)
        note = services.note_create(access=access, **data)
        return _detail_response(
            selectors.note_detail_after_change(note_id=note.pk), code=status.HTTP_201_CREATED
        )


class NoteUpdateApi(APIView):
    """Save the draft (autosave). `version` is the version the editor loaded (409 when stale)."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        class SegmentInput(serializers.Serializer):  # type: ignore[type-arg]
            starts_at = serializers.DateTimeField()
            ends_at = serializers.DateTimeField()
            is_crisis = serializers.BooleanField(required=False, default=False)

        class MeasurementInput(serializers.Serializer):  # type: ignore[type-arg]
            instrument = serializers.CharField(max_length=32)
            score = serializers.IntegerField(min_value=-1000, max_value=1000)

        class GoalInput(serializers.Serializer):  # type: ignore[type-arg]
            goal_id = serializers.IntegerField()
            progress = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

        version = serializers.IntegerField(min_value=1)
        content = serializers.DictField(required=False)
        segments = SegmentInput(many=True, required=False)
        measurements = MeasurementInput(many=True, required=False)
        diagnosis_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=12)
        goals = GoalInput(many=True, required=False)
        service_type = serializers.ChoiceField(choices=SERVICE_TYPES, required=False)
        date_of_service = serializers.DateField(required=False)
        place_of_service = serializers.CharField(max_length=2, required=False)
        telehealth = serializers.ChoiceField(choices=TELEHEALTH_CHOICES, required=False, allow_blank=True)

    @extend_schema(operation_id="notes_update", request=InputSerializer, responses=NoteDetailSerializer)
    def patch(self, request: Request, note_id: int) -> Response:
        access = _note_writer(request, note_id=note_id, relation=services.NoteRelation.AUTHOR)
        data = _validated(self.InputSerializer, request.data)
        segments = data.pop("segments", None)
        measurements = data.pop("measurements", None)
        goals = data.pop("goals", None)
        note = services.note_draft_update(
            access=access,
            note_id=note_id,
            segments=None if segments is None else [Segment(**s) for s in segments],
            measurements=None if measurements is None else [Measurement(**m) for m in measurements],
            goals=None if goals is None else [GoalProgress(**g) for g in goals],
            **data,
        )
        return _detail_response(selectors.note_detail_after_change(note_id=note.pk))


class NoteSignApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        attested = serializers.BooleanField()
        version = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="notes_sign", request=InputSerializer, responses=NoteDetailSerializer)
    def post(self, request: Request, note_id: int) -> Response:
        access = _note_writer(request, note_id=note_id, relation=services.NoteRelation.AUTHOR)
        data = _validated(self.InputSerializer, request.data)
        services.note_sign(access=access, note_id=note_id, **data)
        return _detail_response(selectors.note_detail_after_change(note_id=note_id))


class NoteCosignApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        attested = serializers.BooleanField()

    @extend_schema(operation_id="notes_cosign", request=InputSerializer, responses=NoteDetailSerializer)
    def post(self, request: Request, note_id: int) -> Response:
        access = _note_writer(request, note_id=note_id, relation=services.NoteRelation.SUPERVISOR)
        data = _validated(self.InputSerializer, request.data)
        services.note_cosign(access=access, note_id=note_id, **data)
        return _detail_response(selectors.note_detail_after_change(note_id=note_id))


class NoteReturnApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        comment = serializers.CharField(allow_blank=True, max_length=services.MAX_COMMENT_CHARS)

    @extend_schema(operation_id="notes_return", request=InputSerializer, responses=NoteDetailSerializer)
    def post(self, request: Request, note_id: int) -> Response:
        access = _note_writer(request, note_id=note_id, relation=services.NoteRelation.SUPERVISOR)
        data = _validated(self.InputSerializer, request.data)
        services.note_return(access=access, note_id=note_id, **data)
        return _detail_response(selectors.note_detail_after_change(note_id=note_id))


class NoteAddendumAddApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        reason = serializers.CharField(max_length=services.MAX_REASON_CHARS)
        text = serializers.CharField(max_length=services.MAX_ADDENDUM_CHARS)

    @extend_schema(
        operation_id="notes_addendum_add", request=InputSerializer, responses={201: AddendumOutputSerializer}
    )
    def post(self, request: Request, note_id: int) -> Response:
        access = _note_writer(
            request, creating=True, note_id=note_id, relation=services.NoteRelation.AUTHOR_OR_SUPERVISOR
        )
        data = _validated(self.InputSerializer, request.data)
        addendum = services.note_addendum_add(access=access, note_id=note_id, **data)
        return Response(AddendumOutputSerializer(_addendum(addendum)).data, status=status.HTTP_201_CREATED)


class NoteDeleteApi(APIView):
    @extend_schema(operation_id="notes_delete", responses={204: None})
    def delete(self, request: Request, note_id: int) -> Response:
        services.note_delete_draft(access=request_access(request), note_id=note_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NoteOpenFullApi(APIView):
    """A billing reader opens the full note for a stated purpose, for 30 minutes (audited)."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        purpose = serializers.ChoiceField(choices=[p.value for p in FullNotePurpose])
        detail = serializers.CharField(max_length=PURPOSE_DETAIL_MAX)

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        note_id = serializers.IntegerField()
        purpose = serializers.CharField()
        opened_at = serializers.DateTimeField()
        expires_at = serializers.DateTimeField()

    @extend_schema(operation_id="notes_open_full", request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request, note_id: int) -> Response:
        access = request_access(request, Capability.BILLING_VIEW)
        data: Any = request.data
        body = data if isinstance(data, dict) else {}
        opening = services.note_full_open(
            access=access,
            note_id=note_id,
            purpose=str(body.get("purpose", "")),
            detail=str(body.get("detail", "")),
        )
        output = {
            "note_id": opening.note_id,
            "purpose": opening.purpose,
            "opened_at": opening.opened_at,
            "expires_at": opening.expires_at,
        }
        return Response(self.OutputSerializer(output).data, status=status.HTTP_201_CREATED)
