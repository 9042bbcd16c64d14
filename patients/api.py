"""Patient REST API: one APIView per operation, nested Input/Output serializers (shape only).

Rules live in `patients.services` / `patients.domain`; reads go through `patients.selectors`
(which scope by practice and audit). Another practice's patient is a 404 in the one error shape.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import PracticeAccess, request_access
from accounts.domain.roles import Capability
from core.api.mixins import validated
from core.api.pagination import PaginatedListApi
from core.errors import ValidationFailed
from patients import selectors, services
from patients.domain.coverage import coverage_status
from patients.domain.diagnoses import format_icd10
from patients.domain.types import (
    CONSENT_KINDS,
    GUARANTOR_RELATIONSHIPS,
    PRIORITIES,
    SEX_CODES,
    SUBSCRIBER_RELATIONSHIPS,
    ConsentInput,
    CoverageInput,
    DiagnosisInput,
    GuarantorInput,
    PatientInput,
)

# ---------------------------------------------------------------------------------------------
# Helpers


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors → {"coverage.member_id": [...]}, the same paths the services use."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                path = prefix or "__all__"
            for sub_key, messages in _flatten(value, path).items():
                flat.setdefault(sub_key, []).extend(messages)
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        flat[prefix or "__all__"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for item in errors:
            for sub_key, messages in _flatten(item, prefix).items():
                flat.setdefault(sub_key, []).extend(messages)
    else:
        flat[prefix or "__all__"] = [str(errors)]
    return flat


def _validated(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    data: Any,
    *,
    partial: bool = False,
) -> dict[str, Any]:
    serializer = serializer_class(data=data, partial=partial)
    if not serializer.is_valid():
        raise ValidationFailed(field_errors=_flatten(serializer.errors))
    return dict(serializer.validated_data)


def _choices(values: Any) -> list[Any]:
    return sorted(values)


class _WriteApi(APIView):
    """A write operation: the capability is checked before the input is even validated, so a role
    that may not write gets 403 whatever it sends (the service checks again, and audits)."""

    capability: ClassVar[Capability]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        request_access(request).require(self.capability)


# ---------------------------------------------------------------------------------------------
# Serializers shared by several operations (shape only)


class GuarantorInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    relationship = serializers.ChoiceField(choices=_choices(GUARANTOR_RELATIONSHIPS), default="self")
    first_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    address_line1 = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    state = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class CoverageInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    payer_id = serializers.IntegerField()
    member_id = serializers.CharField(max_length=30, allow_blank=True)
    priority = serializers.ChoiceField(choices=_choices(PRIORITIES), default=1)
    effective_on = serializers.DateField()
    terminates_on = serializers.DateField(required=False, allow_null=True, default=None)
    group_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    plan_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    subscriber_relationship = serializers.ChoiceField(
        choices=_choices(SUBSCRIBER_RELATIONSHIPS), default="18"
    )
    subscriber_first_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    subscriber_last_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    subscriber_date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    subscriber_sex = serializers.ChoiceField(
        choices=_choices(SEX_CODES), required=False, allow_blank=True, default=""
    )


class PayerOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()


class GuarantorOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    relationship = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class CoverageOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    payer = PayerOutputSerializer()
    priority = serializers.IntegerField()
    member_id = serializers.CharField()
    group_number = serializers.CharField()
    plan_name = serializers.CharField()
    subscriber_relationship = serializers.CharField()
    subscriber_first_name = serializers.CharField()
    subscriber_last_name = serializers.CharField()
    subscriber_date_of_birth = serializers.DateField(allow_null=True)
    subscriber_sex = serializers.CharField()
    effective_on = serializers.DateField()
    terminates_on = serializers.DateField(allow_null=True)
    status = serializers.SerializerMethodField()

    def get_status(self, coverage: Any) -> str:
        today = self.context["today"]
        return str(
            coverage_status(
                effective_on=coverage.effective_on, terminates_on=coverage.terminates_on, today=today
            )
        )


class DiagnosisOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    code = serializers.CharField()
    display_code = serializers.SerializerMethodField()
    description = serializers.CharField()
    onset_on = serializers.DateField(allow_null=True)
    resolved_on = serializers.DateField(allow_null=True)
    rank = serializers.IntegerField()

    def get_display_code(self, diagnosis: Any) -> str:
        return format_icd10(diagnosis.code)


class ConsentOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.CharField()
    signed_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    revoked_on = serializers.DateField(allow_null=True)
    recipient = serializers.CharField()
    purpose = serializers.CharField()


class CareTeamOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    provider_id = serializers.IntegerField()
    provider_name = serializers.CharField(source="provider.full_name")
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)


class PatientOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    account_number = serializers.CharField()
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    last_name = serializers.CharField()
    preferred_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    sex = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    is_active = serializers.BooleanField()
    is_substance_use_program = serializers.BooleanField()


def _patient_data(patient: Any, *, guarantor: Any = None) -> dict[str, Any]:
    data = dict(PatientOutputSerializer(patient).data)
    data["guarantor"] = GuarantorOutputSerializer(guarantor).data if guarantor is not None else None
    return data


def _guarantor_input(data: dict[str, Any] | None) -> GuarantorInput | None:
    return GuarantorInput(**data) if data is not None else None


def _coverage_input(data: dict[str, Any]) -> CoverageInput:
    return CoverageInput(**{**data, "priority": int(data["priority"])})


# ---------------------------------------------------------------------------------------------
# Patients


PHI_QUERY_PARAMS = ("q", "dob", "member_id")
PHI_IN_URL = (
    "Names, birth dates and member IDs stay out of URLs (access logs, history): "
    "search with POST /api/patients/search/."
)


class PatientListApi(PaginatedListApi):
    """GET /api/patients/?limit=&offset= — the practice's patients (search: PatientSearchApi)."""

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        id = serializers.IntegerField()
        account_number = serializers.CharField()
        first_name = serializers.CharField()
        last_name = serializers.CharField()
        date_of_birth = serializers.DateField()
        sex = serializers.CharField()
        is_active = serializers.BooleanField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        access = request_access(request, Capability.PATIENT_VIEW)
        given = [name for name in PHI_QUERY_PARAMS if name in request.query_params]
        if given:
            raise ValidationFailed(PHI_IN_URL, field_errors={name: [PHI_IN_URL] for name in given})
        return self.respond(request, access, query="", dob="", member_id="")

    def respond(
        self, request: Request, access: PracticeAccess, *, query: str, dob: str, member_id: str
    ) -> Response:
        window = self.page_window(request)
        page = selectors.patient_list_for_user(
            access=access, query=query, dob=dob, member_id=member_id, offset=window.offset, limit=window.limit
        )
        results = []
        for patient in page.patients:
            row = dict(self.OutputSerializer(patient).data)
            if page.shows_coverage:
                current = patient.current_primary[0] if patient.current_primary else None  # type: ignore[attr-defined]
                row["primary_coverage"] = (
                    {
                        "payer": {"id": current.payer_id, "name": current.payer.name},
                        "member_id": current.member_id,
                    }
                    if current is not None
                    else None
                )
            results.append(row)
        return self.page_response(count=page.total, results=results)


class PatientSearchApi(PatientListApi):
    """POST /api/patients/search/?limit=&offset= — search by name, birth date or member ID (in the body)."""

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        q = serializers.CharField(
            max_length=120,
            required=False,
            allow_blank=True,
            default="",
            help_text="Name: 'Ann', 'Ann Lee', 'Lee, Ann' (or a DOB)",
        )
        dob = serializers.CharField(
            max_length=10, required=False, allow_blank=True, default="", help_text="YYYY-MM-DD or MM/DD/YYYY"
        )
        member_id = serializers.CharField(
            max_length=30, required=False, allow_blank=True, default="", help_text="Needs coverage access"
        )

    @extend_schema(request=InputSerializer, responses=PatientListApi.OutputSerializer(many=True))
    def post(self, request: Request) -> Response:
        access = request_access(request, Capability.PATIENT_VIEW)
        data = validated(self.InputSerializer, request.data)
        return self.respond(
            request,
            access,
            query=data["q"].strip(),
            dob=data["dob"].strip(),
            member_id=data["member_id"].strip(),
        )


class PatientCreateApi(_WriteApi):
    """POST /api/patients/create/ — a patient, their guarantor (default self) and a first coverage."""

    capability = Capability.PATIENT_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        account_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        first_name = serializers.CharField(max_length=60, allow_blank=True)
        middle_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        last_name = serializers.CharField(max_length=60, allow_blank=True)
        preferred_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        date_of_birth = serializers.DateField()
        sex = serializers.ChoiceField(choices=_choices(SEX_CODES))
        address_line1 = serializers.CharField(max_length=100, allow_blank=True)
        address_line2 = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        city = serializers.CharField(max_length=60, allow_blank=True)
        state = serializers.CharField(max_length=2, allow_blank=True)
        postal_code = serializers.CharField(max_length=10, allow_blank=True)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        email = serializers.EmailField(required=False, allow_blank=True, default="")
        is_substance_use_program = serializers.BooleanField(required=False, default=False)
        guarantor = GuarantorInputSerializer(required=False, allow_null=True, default=None)
        coverage = CoverageInputSerializer(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses={201: PatientOutputSerializer})
    def post(self, request: Request) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        guarantor = data.pop("guarantor")
        coverage = data.pop("coverage")
        patient = services.patient_create(
            access=access,
            patient=PatientInput(**data),
            guarantor=_guarantor_input(guarantor),
            coverage=_coverage_input(coverage) if coverage is not None else None,
        )
        body = _patient_data(patient, guarantor=patient.guarantor)
        if coverage is not None:
            today = selectors.practice_today(practice_id=access.practice_id)
            body["coverages"] = CoverageOutputSerializer(
                patient.coverages.select_related("payer"), many=True, context={"today": today}
            ).data
        return Response(body, status=status.HTTP_201_CREATED)


class PatientDetailApi(APIView):
    """GET /api/patients/<id>/ — the record; coverage/diagnoses/consents only with the capability."""

    @extend_schema(responses=PatientOutputSerializer)
    def get(self, request: Request, patient_id: int) -> Response:
        access = request_access(request)
        record = selectors.patient_record_get_for_user(access=access, patient_id=patient_id)
        body = _patient_data(record.patient, guarantor=record.guarantor)
        if not record.shows(selectors.Section.GUARANTOR):
            body.pop("guarantor")
        body["sections"] = [str(s) for s in record.sections]
        context = {"today": record.today}
        if record.coverages is not None:
            body["coverages"] = CoverageOutputSerializer(record.coverages, many=True, context=context).data
        if record.diagnoses is not None:
            body["diagnoses"] = DiagnosisOutputSerializer(record.diagnoses, many=True).data
        if record.consents is not None:
            body["consents"] = ConsentOutputSerializer(record.consents, many=True).data
        if record.care_team is not None:
            body["care_team"] = CareTeamOutputSerializer(record.care_team, many=True).data
        return Response(body)


class PatientUpdateApi(_WriteApi):
    """PATCH (some fields) or PUT (all demographics) /api/patients/<id>/update/."""

    capability = Capability.PATIENT_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        account_number = serializers.CharField(max_length=20, allow_blank=True, required=False)
        first_name = serializers.CharField(max_length=60, allow_blank=True)
        middle_name = serializers.CharField(max_length=60, allow_blank=True, required=False)
        last_name = serializers.CharField(max_length=60, allow_blank=True)
        preferred_name = serializers.CharField(max_length=60, allow_blank=True, required=False)
        date_of_birth = serializers.DateField()
        sex = serializers.ChoiceField(choices=_choices(SEX_CODES))
        address_line1 = serializers.CharField(max_length=100, allow_blank=True)
        address_line2 = serializers.CharField(max_length=100, allow_blank=True, required=False)
        city = serializers.CharField(max_length=60, allow_blank=True)
        state = serializers.CharField(max_length=2, allow_blank=True)
        postal_code = serializers.CharField(max_length=10, allow_blank=True)
        phone = serializers.CharField(max_length=20, allow_blank=True, required=False)
        email = serializers.EmailField(allow_blank=True, required=False)
        is_active = serializers.BooleanField(required=False)
        is_substance_use_program = serializers.BooleanField(required=False)
        guarantor = GuarantorInputSerializer(required=False)

    def _update(self, request: Request, patient_id: int, *, partial: bool) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data, partial=partial)
        guarantor = data.pop("guarantor", None)
        patient = services.patient_update(
            access=access, patient_id=patient_id, changes=data, guarantor=_guarantor_input(guarantor)
        )
        return Response(_patient_data(patient, guarantor=getattr(patient, "guarantor", None)))

    @extend_schema(request=InputSerializer, responses=PatientOutputSerializer)
    def patch(self, request: Request, patient_id: int) -> Response:
        return self._update(request, patient_id, partial=True)

    @extend_schema(request=InputSerializer, responses=PatientOutputSerializer)
    def put(self, request: Request, patient_id: int) -> Response:
        return self._update(request, patient_id, partial=False)


# ---------------------------------------------------------------------------------------------
# Coverages


def _coverage_response(access: PracticeAccess, coverage: Any, *, created: bool = False) -> Response:
    today = selectors.practice_today(practice_id=access.practice_id)
    data = CoverageOutputSerializer(coverage, context={"today": today}).data
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CoverageAddApi(_WriteApi):
    """POST /api/patients/<id>/coverages/create/"""

    capability = Capability.COVERAGE_EDIT

    InputSerializer = CoverageInputSerializer

    @extend_schema(request=CoverageInputSerializer, responses={201: CoverageOutputSerializer})
    def post(self, request: Request, patient_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        coverage = services.coverage_add(access=access, patient_id=patient_id, coverage=_coverage_input(data))
        return _coverage_response(access, coverage, created=True)


class CoverageUpdateApi(_WriteApi):
    """PATCH /api/patients/<id>/coverages/<coverage_id>/update/ — correct a coverage."""

    capability = Capability.COVERAGE_EDIT

    class InputSerializer(CoverageInputSerializer):
        pass

    @extend_schema(request=InputSerializer, responses=CoverageOutputSerializer)
    def patch(self, request: Request, patient_id: int, coverage_id: int) -> Response:
        access = request_access(request)
        changes = _validated(self.InputSerializer, request.data, partial=True)
        # A partial serializer still fills defaults; keep only what the client sent.
        changes = {k: v for k, v in changes.items() if k in request.data}
        if "priority" in changes:
            changes["priority"] = int(changes["priority"])
        coverage = services.coverage_update(
            access=access, patient_id=patient_id, coverage_id=coverage_id, changes=changes
        )
        return _coverage_response(access, coverage)


class CoverageTerminateApi(_WriteApi):
    """POST /api/patients/<id>/coverages/<coverage_id>/terminate/ {"terminates_on": "YYYY-MM-DD"}"""

    capability = Capability.COVERAGE_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        terminates_on = serializers.DateField()

    @extend_schema(request=InputSerializer, responses=CoverageOutputSerializer)
    def post(self, request: Request, patient_id: int, coverage_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        coverage = services.coverage_terminate(
            access=access, patient_id=patient_id, coverage_id=coverage_id, terminates_on=data["terminates_on"]
        )
        return _coverage_response(access, coverage)


# ---------------------------------------------------------------------------------------------
# Diagnoses and consents


class DiagnosisAddApi(_WriteApi):
    """POST /api/patients/<id>/diagnoses/create/ {"code": "F41.1", ...}"""

    capability = Capability.DIAGNOSIS_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        code = serializers.CharField(max_length=10, allow_blank=True)
        description = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
        onset_on = serializers.DateField(required=False, allow_null=True, default=None)
        rank = serializers.IntegerField(required=False, default=1)

    @extend_schema(request=InputSerializer, responses={201: DiagnosisOutputSerializer})
    def post(self, request: Request, patient_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        diagnosis = services.diagnosis_add(
            access=access, patient_id=patient_id, diagnosis=DiagnosisInput(**data)
        )
        return Response(DiagnosisOutputSerializer(diagnosis).data, status=status.HTTP_201_CREATED)


class DiagnosisResolveApi(_WriteApi):
    """POST /api/patients/<id>/diagnoses/<diagnosis_id>/resolve/ {"resolved_on": "YYYY-MM-DD"}"""

    capability = Capability.DIAGNOSIS_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        resolved_on = serializers.DateField()

    @extend_schema(request=InputSerializer, responses=DiagnosisOutputSerializer)
    def post(self, request: Request, patient_id: int, diagnosis_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        diagnosis = services.diagnosis_resolve(
            access=access, patient_id=patient_id, diagnosis_id=diagnosis_id, resolved_on=data["resolved_on"]
        )
        return Response(DiagnosisOutputSerializer(diagnosis).data)


class ConsentAddApi(_WriteApi):
    """POST /api/patients/<id>/consents/create/"""

    capability = Capability.CONSENT_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        kind = serializers.ChoiceField(choices=_choices(CONSENT_KINDS))
        signed_on = serializers.DateField()
        expires_on = serializers.DateField(required=False, allow_null=True, default=None)
        recipient = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: ConsentOutputSerializer})
    def post(self, request: Request, patient_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        consent = services.consent_add(access=access, patient_id=patient_id, consent=ConsentInput(**data))
        return Response(ConsentOutputSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentRevokeApi(_WriteApi):
    """POST /api/patients/<id>/consents/<consent_id>/revoke/ {"revoked_on": "YYYY-MM-DD"}"""

    capability = Capability.CONSENT_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        revoked_on = serializers.DateField()

    @extend_schema(request=InputSerializer, responses=ConsentOutputSerializer)
    def post(self, request: Request, patient_id: int, consent_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        consent = services.consent_revoke(
            access=access, patient_id=patient_id, consent_id=consent_id, revoked_on=data["revoked_on"]
        )
        return Response(ConsentOutputSerializer(consent).data)


# ---------------------------------------------------------------------------------------------
# Care team


class CareTeamAddApi(_WriteApi):
    """POST /api/patients/<id>/care-team/create/ {"provider_id": 7}"""

    capability = Capability.PATIENT_EDIT

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        provider_id = serializers.IntegerField()
        starts_on = serializers.DateField(required=False, allow_null=True, default=None)
        ends_on = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses={201: CareTeamOutputSerializer})
    def post(self, request: Request, patient_id: int) -> Response:
        access = request_access(request)
        data = _validated(self.InputSerializer, request.data)
        member = services.care_team_add(access=access, patient_id=patient_id, **data)
        return Response(CareTeamOutputSerializer(member).data, status=status.HTTP_201_CREATED)


class CareTeamRemoveApi(_WriteApi):
    """POST /api/patients/<id>/care-team/<member_id>/remove/"""

    capability = Capability.PATIENT_EDIT

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, patient_id: int, member_id: int) -> Response:
        services.care_team_remove(access=request_access(request), patient_id=patient_id, member_id=member_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
