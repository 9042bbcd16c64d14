"""Patient use cases: the only way patient data changes.

Every service: checks the capability, opens a durable transaction, locks the patient row (scoped
to the caller's practice), runs the pure rules from `patients.domain`, `full_clean()`s and saves,
and writes its audit event in the same transaction. Any rule broken → `ValidationFailed` with
field errors and nothing written. A patient (or child row) of another practice → NotFound, and
one `outcome=denied` audit event is written after the rollback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.domain.problems import Problem, field_errors
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.validation import raise_for_problems
from patients.domain.consents import consent_problems, consent_revocation_problems
from patients.domain.coverage import coverage_problems, coverage_termination_problems
from patients.domain.demographics import guarantor_from_patient, guarantor_problems, patient_problems
from patients.domain.diagnoses import (
    diagnosis_problems,
    diagnosis_resolution_problems,
    normalize_icd10,
)
from patients.domain.problems import PatientProblem, prefixed
from patients.domain.types import (
    ConsentInput,
    CoverageInput,
    DiagnosisInput,
    GuarantorInput,
    PatientInput,
)
from patients.models import (
    CareTeamMember,
    Consent,
    Coverage,
    Guarantor,
    Patient,
    PatientAccountSequence,
    PatientDiagnosis,
)
from patients.selectors import coverage_spans, payer_facts, practice_today, provider_in_practice

P = ParamSpec("P")
R = TypeVar("R")

PATIENT_EDITABLE_FIELDS = frozenset(f.name for f in dataclasses.fields(PatientInput))
COVERAGE_EDITABLE_FIELDS = frozenset(f.name for f in dataclasses.fields(CoverageInput))
_GUARANTOR_FIELDS = tuple(f.name for f in dataclasses.fields(GuarantorInput))
_SUBSCRIBER_FIELDS = (
    "subscriber_first_name",
    "subscriber_last_name",
    "subscriber_date_of_birth",
    "subscriber_sex",
)


# ---------------------------------------------------------------------------------------------
# Helpers


def _denials_audited(action: str, category: Category) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record one `outcome=denied` event when a service refuses (after its rollback)."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except (NotFound, PermissionDenied) as error:
                access = kwargs.get("access")
                if not isinstance(access, PracticeAccess):
                    raise
                patient_id = kwargs.get("patient_id")
                reason = (
                    "reason=capability" if isinstance(error, PermissionDenied) else "reason=not_accessible"
                )
                audit_event_record(
                    context=access.audit,
                    action=action,
                    category=category,
                    practice_id=access.practice_id,
                    patient_id=patient_id if isinstance(patient_id, int) else None,
                    object_type="patient",
                    object_id=patient_id if isinstance(patient_id, int) else "",
                    outcome=AuditEvent.Outcome.DENIED,
                    detail=f"{reason};service={service.__name__}",
                )
                raise

        return wrapper

    return decorate


def _raise_if_errors(problems: list[Problem]) -> None:
    raise_for_problems(problems)


def _full_clean(obj: models.Model, *, prefix: str = "", exclude: list[str] | None = None) -> None:
    """Model validation as a ValidationFailed with the same field paths as the domain rules."""
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as error:
        problems = [
            Problem("invalid", message, "" if field == "__all__" else field)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        raise ValidationFailed(field_errors=field_errors(prefixed(problems, prefix))) from error


def _audit(
    access: PracticeAccess,
    *,
    action: str,
    category: Category,
    patient_id: int,
    object_type: str,
    object_id: int,
    detail: str = "",
) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=category,
        practice_id=access.practice_id,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


def _save_audited(
    access: PracticeAccess,
    row: models.Model,
    *,
    patient: Patient,
    category: Category,
    object_type: str,
    detail: str = "",
    update_fields: list[str] | None = None,
) -> None:
    """Validate and save a patient's child row, with its audit event: CREATE for a new row,
    UPDATE (of `update_fields` and `updated_at`) for a stored one."""
    _full_clean(row)
    if update_fields is None:
        row.save()
        action = AuditEvent.Action.CREATE
    else:
        row.save(update_fields=[*update_fields, "updated_at"])
        action = AuditEvent.Action.UPDATE
    _audit(
        access,
        action=action,
        category=category,
        patient_id=patient.pk,
        object_type=object_type,
        object_id=row.pk,
        detail=detail,
    )


def _locked_patient(access: PracticeAccess, patient_id: int) -> Patient:
    patient = (
        Patient.objects.select_for_update(of=("self",))
        .filter(pk=patient_id, practice_id=access.practice_id)
        .first()
    )
    if patient is None:
        raise NotFound()
    return patient


def _clean_text(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _patient_fields(patient: PatientInput) -> dict[str, Any]:
    fields = {k: _clean_text(v) for k, v in dataclasses.asdict(patient).items()}
    fields["state"] = str(fields["state"]).upper()
    fields.pop("account_number")
    return fields


def _patient_input(patient: Patient) -> PatientInput:
    return PatientInput(**{name: getattr(patient, name) for name in PATIENT_EDITABLE_FIELDS})


def _guarantor_fields(guarantor: GuarantorInput, patient: PatientInput) -> dict[str, Any]:
    source = guarantor_from_patient(patient) if guarantor.is_self else guarantor
    fields = {name: _clean_text(getattr(source, name)) for name in _GUARANTOR_FIELDS}
    fields["relationship"] = guarantor.relationship
    fields["state"] = str(fields["state"]).upper()
    return fields


def _coverage_fields(coverage: CoverageInput) -> dict[str, Any]:
    fields = {k: _clean_text(v) for k, v in dataclasses.asdict(coverage).items()}
    if coverage.subscriber_is_patient:  # the patient is the subscriber: no second copy of them
        fields.update(
            subscriber_first_name="",
            subscriber_last_name="",
            subscriber_date_of_birth=None,
            subscriber_sex="",
        )
    return fields


def _coverage_input(coverage: Coverage) -> CoverageInput:
    return CoverageInput(**{name: getattr(coverage, name) for name in COVERAGE_EDITABLE_FIELDS})


def _unknown_fields(changes: Mapping[str, object], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(field_errors={name: ["This field can't be changed here."] for name in unknown})


def _account_number_problems(
    practice_id: int, account_number: str, *, exclude_pk: int | None = None
) -> list[Problem]:
    if not account_number:
        return []
    taken = Patient.objects.filter(practice_id=practice_id, account_number__iexact=account_number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return [
            Problem(
                "account_number_taken", "Another patient already has this account number.", "account_number"
            )
        ]
    return []


def _next_account_number(practice_id: int) -> str:
    """P000001, P000002… per practice, under a row lock (skips numbers already in use)."""
    sequence, _ = PatientAccountSequence.objects.select_for_update().get_or_create(practice_id=practice_id)
    number = sequence.last_number
    while True:
        number += 1
        candidate = f"P{number:06d}"
        if not Patient.objects.filter(practice_id=practice_id, account_number=candidate).exists():
            break
    sequence.last_number = number
    sequence.save(update_fields=["last_number"])
    return candidate


def _date_change_save(
    access: PracticeAccess,
    *,
    patient: Patient,
    row: Any,
    field: str,
    value: dt.date | None,
    category: Category,
    object_type: str,
    detail: str,
) -> Any:
    """Set one date on a child row (end a coverage, resolve a diagnosis, revoke a consent) and
    audit it; setting the date it already has writes nothing, so a repeat is harmless."""
    if getattr(row, field) == value:
        return row
    setattr(row, field, value)
    _save_audited(
        access,
        row,
        patient=patient,
        category=category,
        object_type=object_type,
        detail=detail,
        update_fields=[field],
    )
    return row


def _today(access: PracticeAccess, today: dt.date | None) -> dt.date:
    return today if today is not None else practice_today(practice_id=access.practice_id)


# ---------------------------------------------------------------------------------------------
# Patients


@_denials_audited(AuditEvent.Action.CREATE, Category.DEMOGRAPHICS)
def patient_create(
    *,
    access: PracticeAccess,
    patient: PatientInput,
    guarantor: GuarantorInput | None = None,
    coverage: CoverageInput | None = None,
    today: dt.date | None = None,
) -> Patient:
    """A new patient with a guarantor (self unless given) and, optionally, a first coverage."""
    access.require(Capability.PATIENT_EDIT)
    if coverage is not None:
        access.require(Capability.COVERAGE_EDIT)
    today = _today(access, today)
    guarantor = guarantor or GuarantorInput()
    account_number = patient.account_number.strip()

    with transaction.atomic(durable=True):
        problems = [
            *patient_problems(patient, today=today),
            *_account_number_problems(access.practice_id, account_number),
            *prefixed(guarantor_problems(guarantor, today=today), "guarantor"),
        ]
        if coverage is not None:
            problems += prefixed(
                coverage_problems(
                    coverage,
                    payer=payer_facts(payer_id=coverage.payer_id),
                    practice_id=access.practice_id,
                    existing=[],
                    today=today,
                ),
                "coverage",
            )
        _raise_if_errors(problems)

        created = Patient(
            practice_id=access.practice_id,
            account_number=account_number or _next_account_number(access.practice_id),
            **_patient_fields(patient),
        )
        _full_clean(created)
        created.save()
        guarantor_row = Guarantor(patient=created, **_guarantor_fields(guarantor, patient))
        _full_clean(guarantor_row, prefix="guarantor")
        guarantor_row.save()
        coverage_row = None
        if coverage is not None:
            coverage_row = Coverage(patient=created, **_coverage_fields(coverage))
            _full_clean(coverage_row, prefix="coverage")
            coverage_row.save()

        _audit(
            access,
            action=AuditEvent.Action.CREATE,
            category=Category.DEMOGRAPHICS,
            patient_id=created.pk,
            object_type="patient",
            object_id=created.pk,
            detail=f"guarantor={guarantor.relationship};coverage={'yes' if coverage_row else 'no'}",
        )
        if coverage_row is not None:
            _audit(
                access,
                action=AuditEvent.Action.CREATE,
                category=Category.COVERAGE,
                patient_id=created.pk,
                object_type="coverage",
                object_id=coverage_row.pk,
                detail=f"priority={coverage_row.priority}",
            )
    return created


@_denials_audited(AuditEvent.Action.UPDATE, Category.DEMOGRAPHICS)
def patient_update(
    *,
    access: PracticeAccess,
    patient_id: int,
    changes: Mapping[str, Any],
    guarantor: GuarantorInput | None = None,
    today: dt.date | None = None,
) -> Patient:
    """Change demographics (any of PatientInput's fields) and/or replace the guarantor.

    A self guarantor follows the patient: their copy of name and address is refreshed too.
    """
    access.require(Capability.PATIENT_EDIT)
    _unknown_fields(changes, PATIENT_EDITABLE_FIELDS)
    today = _today(access, today)

    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        merged = dataclasses.replace(_patient_input(patient), **changes)
        account_number = merged.account_number.strip()
        problems = [
            *patient_problems(merged, today=today),
            *_account_number_problems(access.practice_id, account_number, exclude_pk=patient.pk),
        ]
        if "account_number" in changes and not account_number:
            problems.append(Problem(PatientProblem.REQUIRED, "Account number is required.", "account_number"))
        if guarantor is not None:
            problems += prefixed(guarantor_problems(guarantor, today=today), "guarantor")
        _raise_if_errors(problems)

        new_values = _patient_fields(merged)
        new_values["account_number"] = account_number
        changed = sorted(name for name, value in new_values.items() if getattr(patient, name) != value)
        for name in changed:
            setattr(patient, name, new_values[name])
        if changed:
            _full_clean(patient)
            patient.save(update_fields=[*changed, "updated_at"])

        guarantor_changed = _guarantor_sync(patient, merged, guarantor)
        if changed or guarantor_changed:
            detail = f"fields={','.join(changed) or 'none'}"
            if guarantor_changed:
                detail += ";guarantor=updated"
            _audit(
                access,
                action=AuditEvent.Action.UPDATE,
                category=Category.DEMOGRAPHICS,
                patient_id=patient.pk,
                object_type="patient",
                object_id=patient.pk,
                detail=detail[:200],
            )
    return patient


def _guarantor_sync(patient: Patient, merged: PatientInput, guarantor: GuarantorInput | None) -> bool:
    """Apply a new guarantor, or refresh a self guarantor's copy. True when a row changed."""
    existing = Guarantor.objects.filter(patient=patient).first()
    if guarantor is None:
        if existing is None or existing.relationship != Guarantor.Relationship.SELF:
            return False
        guarantor = GuarantorInput()
    values = _guarantor_fields(guarantor, merged)
    if existing is None:
        row = Guarantor(patient=patient, **values)
        _full_clean(row, prefix="guarantor")
        row.save()
        return True
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(existing, name, values[name])
    _full_clean(existing, prefix="guarantor")
    existing.save(update_fields=[*changed, "updated_at"])
    return True


# ---------------------------------------------------------------------------------------------
# Coverages


@_denials_audited(AuditEvent.Action.CREATE, Category.COVERAGE)
def coverage_add(
    *, access: PracticeAccess, patient_id: int, coverage: CoverageInput, today: dt.date | None = None
) -> Coverage:
    access.require(Capability.COVERAGE_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        _raise_if_errors(
            coverage_problems(
                coverage,
                payer=payer_facts(payer_id=coverage.payer_id),
                practice_id=access.practice_id,
                existing=coverage_spans(patient_id=patient.pk),
                today=today,
            )
        )
        row = Coverage(patient=patient, **_coverage_fields(coverage))
        _save_audited(
            access,
            row,
            patient=patient,
            category=Category.COVERAGE,
            object_type="coverage",
            detail=f"priority={row.priority}",
        )
    return row


def _locked_child(model: type[models.Model], *, patient: Patient, pk: int) -> Any:
    row = model._default_manager.select_for_update().filter(pk=pk, patient_id=patient.pk).first()
    if row is None:
        raise NotFound()
    return row


@_denials_audited(AuditEvent.Action.UPDATE, Category.COVERAGE)
def coverage_update(
    *,
    access: PracticeAccess,
    patient_id: int,
    coverage_id: int,
    changes: Mapping[str, Any],
    today: dt.date | None = None,
) -> Coverage:
    """Correct a coverage (member ID, dates, payer…); every coverage rule runs again."""
    access.require(Capability.COVERAGE_EDIT)
    _unknown_fields(changes, COVERAGE_EDITABLE_FIELDS)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        row: Coverage = _locked_child(Coverage, patient=patient, pk=coverage_id)
        merged = dataclasses.replace(_coverage_input(row), **changes)
        _raise_if_errors(
            coverage_problems(
                merged,
                payer=payer_facts(payer_id=merged.payer_id),
                practice_id=access.practice_id,
                existing=coverage_spans(patient_id=patient.pk),
                today=today,
                coverage_id=row.pk,
            )
        )
        values = _coverage_fields(merged)
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            _save_audited(
                access,
                row,
                patient=patient,
                category=Category.COVERAGE,
                object_type="coverage",
                detail=f"fields={','.join(changed)}"[:200],
                update_fields=changed,
            )
    return row


@_denials_audited(AuditEvent.Action.UPDATE, Category.COVERAGE)
def coverage_terminate(
    *, access: PracticeAccess, patient_id: int, coverage_id: int, terminates_on: dt.date | None
) -> Coverage:
    """Set the coverage's last covered day (or move it earlier)."""
    access.require(Capability.COVERAGE_EDIT)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        row: Coverage = _locked_child(Coverage, patient=patient, pk=coverage_id)
        _raise_if_errors(
            coverage_termination_problems(
                effective_on=row.effective_on,
                current_terminates_on=row.terminates_on,
                terminates_on=terminates_on,
            )
        )
        return _date_change_save(
            access,
            patient=patient,
            row=row,
            field="terminates_on",
            value=terminates_on,
            category=Category.COVERAGE,
            object_type="coverage",
            detail="fields=terminates_on;terminated",
        )


# ---------------------------------------------------------------------------------------------
# Diagnoses


@_denials_audited(AuditEvent.Action.CREATE, Category.DIAGNOSIS)
def diagnosis_add(
    *, access: PracticeAccess, patient_id: int, diagnosis: DiagnosisInput, today: dt.date | None = None
) -> PatientDiagnosis:
    access.require(Capability.DIAGNOSIS_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        active_codes = PatientDiagnosis.objects.filter(patient=patient, resolved_on__isnull=True).values_list(
            "code", flat=True
        )
        _raise_if_errors(diagnosis_problems(diagnosis, active_codes=list(active_codes), today=today))
        row = PatientDiagnosis(
            patient=patient,
            code=normalize_icd10(diagnosis.code),
            description=diagnosis.description.strip(),
            onset_on=diagnosis.onset_on,
            rank=diagnosis.rank,
        )
        _save_audited(access, row, patient=patient, category=Category.DIAGNOSIS, object_type="diagnosis")
    return row


@_denials_audited(AuditEvent.Action.UPDATE, Category.DIAGNOSIS)
def diagnosis_resolve(
    *,
    access: PracticeAccess,
    patient_id: int,
    diagnosis_id: int,
    resolved_on: dt.date | None,
    today: dt.date | None = None,
) -> PatientDiagnosis:
    access.require(Capability.DIAGNOSIS_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        row: PatientDiagnosis = _locked_child(PatientDiagnosis, patient=patient, pk=diagnosis_id)
        _raise_if_errors(
            diagnosis_resolution_problems(
                onset_on=row.onset_on,
                resolved_already_on=row.resolved_on,
                resolved_on=resolved_on,
                today=today,
            )
        )
        return _date_change_save(
            access,
            patient=patient,
            row=row,
            field="resolved_on",
            value=resolved_on,
            category=Category.DIAGNOSIS,
            object_type="diagnosis",
            detail="fields=resolved_on",
        )


# ---------------------------------------------------------------------------------------------
# Consents


@_denials_audited(AuditEvent.Action.CREATE, Category.CONSENT)
def consent_add(
    *, access: PracticeAccess, patient_id: int, consent: ConsentInput, today: dt.date | None = None
) -> Consent:
    access.require(Capability.CONSENT_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        _raise_if_errors(consent_problems(consent, today=today))
        signed_on = consent.signed_on
        if signed_on is None:  # consent_problems reports it; this narrows the type
            raise ValidationFailed(field_errors={"signed_on": ["Date signed is required."]})
        row = Consent(
            patient=patient,
            kind=consent.kind,
            signed_on=signed_on,
            expires_on=consent.expires_on,
            recipient=consent.recipient.strip(),
            purpose=consent.purpose.strip(),
        )
        _save_audited(
            access,
            row,
            patient=patient,
            category=Category.CONSENT,
            object_type="consent",
            detail=f"kind={row.kind}",
        )
    return row


@_denials_audited(AuditEvent.Action.UPDATE, Category.CONSENT)
def consent_revoke(
    *,
    access: PracticeAccess,
    patient_id: int,
    consent_id: int,
    revoked_on: dt.date | None,
    today: dt.date | None = None,
) -> Consent:
    access.require(Capability.CONSENT_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        row: Consent = _locked_child(Consent, patient=patient, pk=consent_id)
        _raise_if_errors(
            consent_revocation_problems(
                signed_on=row.signed_on, revoked_already_on=row.revoked_on, revoked_on=revoked_on, today=today
            )
        )
        return _date_change_save(
            access,
            patient=patient,
            row=row,
            field="revoked_on",
            value=revoked_on,
            category=Category.CONSENT,
            object_type="consent",
            detail=f"fields=revoked_on;kind={row.kind}",
        )


# ---------------------------------------------------------------------------------------------
# Care team (who has the patient on their caseload)


@_denials_audited(AuditEvent.Action.CREATE, Category.CARE_TEAM)
def care_team_add(
    *,
    access: PracticeAccess,
    patient_id: int,
    provider_id: int,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    today: dt.date | None = None,
) -> CareTeamMember:
    """Put a provider on the patient's care team (a technician then sees the patient).

    A provider who was on the team before gets their old row back, reopened: the rows are the
    caseload history.
    """
    access.require(Capability.PATIENT_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        existing = (
            CareTeamMember.objects.select_for_update()
            .filter(patient=patient, provider_id=provider_id)
            .first()
        )
        problems: list[Problem] = []
        if not provider_in_practice(provider_id=provider_id, practice_id=access.practice_id):
            problems.append(
                Problem("provider_unknown", "Choose an active provider of this practice.", "provider")
            )
        elif existing is not None and (existing.ends_on is None or existing.ends_on >= today):
            problems.append(
                Problem("care_team_duplicate", "This provider is already on the care team.", "provider")
            )
        if starts_on is not None and ends_on is not None and ends_on < starts_on:
            problems.append(
                Problem(PatientProblem.DATE_ORDER, "The end can't be before the start.", "ends_on")
            )
        _raise_if_errors(problems)
        if existing is None:
            row = CareTeamMember(
                patient=patient, provider_id=provider_id, starts_on=starts_on, ends_on=ends_on
            )
            _full_clean(row)
            row.save()
            action, detail = AuditEvent.Action.CREATE, f"provider={provider_id}"
        else:
            row = existing
            row.starts_on, row.ends_on = starts_on or today, ends_on
            _full_clean(row)
            row.save(update_fields=["starts_on", "ends_on", "updated_at"])
            action, detail = AuditEvent.Action.UPDATE, f"provider={provider_id};reopened"
        _audit(
            access,
            action=action,
            category=Category.CARE_TEAM,
            patient_id=patient.pk,
            object_type="care_team_member",
            object_id=row.pk,
            detail=detail,
        )
    return row


@_denials_audited(AuditEvent.Action.UPDATE, Category.CARE_TEAM)
def care_team_remove(
    *, access: PracticeAccess, patient_id: int, member_id: int, today: dt.date | None = None
) -> CareTeamMember:
    """Take a provider off the care team: their membership ends yesterday, so caseload access
    ends at once. The row stays as history; removing an ended member again does nothing."""
    access.require(Capability.PATIENT_EDIT)
    today = _today(access, today)
    with transaction.atomic(durable=True):
        patient = _locked_patient(access, patient_id)
        row: CareTeamMember = _locked_child(CareTeamMember, patient=patient, pk=member_id)
        if row.ends_on is not None and row.ends_on < today:
            return row  # already off the team: nothing to write
        row.ends_on = today - dt.timedelta(days=1)
        if row.starts_on is not None and row.starts_on > row.ends_on:
            row.starts_on = row.ends_on
        row.save(update_fields=["starts_on", "ends_on", "updated_at"])
        _audit(
            access,
            action=AuditEvent.Action.UPDATE,
            category=Category.CARE_TEAM,
            patient_id=patient.pk,
            object_type="care_team_member",
            object_id=row.pk,
            detail=f"provider={row.provider_id};ended",
        )
    return row
