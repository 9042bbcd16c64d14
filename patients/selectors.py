"""Reads of patient data. Every PHI read is scoped by practice (and caseload) and audited.

Each public function that returns PHI writes exactly ONE audit event, so a screen or an API call
that uses one of them leaves exactly one trace:

- `patient_list_for_user`     → action=list, category=demographics, detail "results=N;total=M;…"
- `patient_get_for_user`      → action=view, category=demographics, patient_id
- `patient_record_get_for_user` → action=view, category=demographics, patient_id, detail lists the
  sections shown ("sections=demographics,guarantor,coverage,…")
- `coverage_list_for_user` / `diagnosis_list_for_user` / `consent_list_for_user` → action=view in
  their own category.

A patient of another practice, a missing one, or (for technicians) one outside the caseload is
indistinguishable: one `outcome=denied` event, then `core.errors.NotFound`.

Payer and provider facts are read here too (not PHI, not audited) until the payers/practice apps
publish selectors for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.directory import PatientLabel
from core.domain.problems import field_errors
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.pagination import page_bounds
from patients.domain.search import parse_name_query, parse_search_date, search_date_problems
from patients.domain.types import ConsentFacts, CoverageSpan, PayerFacts
from patients.models import CareTeamMember, Consent, Coverage, Guarantor, Patient, PatientDiagnosis
from payers.models import Payer
from practice.models import Provider
from practice.selectors import practice_today as practice_today  # today where the practice is

LIST_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


class Section(StrEnum):
    """The parts of a patient's record; each needs its own capability."""

    DEMOGRAPHICS = "demographics"
    GUARANTOR = "guarantor"
    COVERAGE = "coverage"
    DIAGNOSIS = "diagnosis"
    CONSENT = "consent"
    CARE_TEAM = "care_team"


SECTION_CAPABILITY: dict[Section, Capability] = {
    Section.DEMOGRAPHICS: Capability.PATIENT_VIEW,
    Section.GUARANTOR: Capability.PATIENT_VIEW,
    Section.COVERAGE: Capability.COVERAGE_VIEW,
    Section.DIAGNOSIS: Capability.DIAGNOSIS_VIEW,
    Section.CONSENT: Capability.CONSENT_VIEW,
    Section.CARE_TEAM: Capability.PATIENT_VIEW,
}

DENIED_NOT_ACCESSIBLE = "reason=not_accessible"  # missing or another practice's: same words
DENIED_NOT_ON_CASELOAD = "reason=not_on_caseload"
DENIED_CAPABILITY = "reason=capability"


# ---------------------------------------------------------------------------------------------
# Time and scoping


def caseload_patient_ids(*, provider_id: int, on: dt.date) -> QuerySet[CareTeamMember, int]:
    """Ids of the patients on the provider's care team on `on`, as a subquery for other
    apps' scoping (`patient_id__in=`). The one place the care-team rule meets a query."""
    return (
        CareTeamMember.objects.active_on(on)
        .filter(provider_id=provider_id)
        .values_list("patient_id", flat=True)
    )


def on_care_team(*, provider_id: int, patient_id: int, on: dt.date) -> bool:
    """Whether the provider is on the patient's care team on `on` (a fact, not audited)."""
    return caseload_patient_ids(provider_id=provider_id, on=on).filter(patient_id=patient_id).exists()


def _visible_patients(access: PracticeAccess, *, today: dt.date) -> QuerySet[Patient]:
    """The practice's patients; for caseload-scoped roles only those on the user's care teams."""
    patients = Patient.objects.filter(practice_id=access.practice_id)
    if not access.caseload_scoped:
        return patients
    if access.provider_id is None:
        return patients.none()
    return patients.filter(pk__in=caseload_patient_ids(provider_id=access.provider_id, on=today))


def _deny(
    access: PracticeAccess,
    *,
    action: str,
    category: str,
    patient_id: int | None,
    reason: str,
    error: Exception,
) -> Exception:
    audit_event_record(
        context=access.audit,
        action=action,
        category=category,
        practice_id=access.practice_id,
        patient_id=patient_id,
        object_type="patient" if patient_id is not None else "",
        object_id=patient_id if patient_id is not None else "",
        outcome=AuditEvent.Outcome.DENIED,
        detail=reason,
    )
    return error


def _require(
    access: PracticeAccess, capability: Capability, *, action: str, category: str, patient_id: int | None
) -> None:
    if not access.can(capability):
        raise _deny(
            access,
            action=action,
            category=category,
            patient_id=patient_id,
            reason=f"{DENIED_CAPABILITY}:{capability}",
            error=PermissionDenied(),
        )


def _scoped_patient(
    access: PracticeAccess,
    *,
    patient_id: int,
    today: dt.date,
    category: str,
    queryset: QuerySet[Patient] | None = None,
) -> Patient:
    """The patient if this user may see them; otherwise one denied event and NotFound."""
    base = queryset if queryset is not None else Patient.objects.all()
    patient = base.filter(pk=patient_id, practice_id=access.practice_id).first()
    if patient is None:
        raise _deny(
            access,
            action=AuditEvent.Action.VIEW,
            category=category,
            patient_id=patient_id,
            reason=DENIED_NOT_ACCESSIBLE,
            error=NotFound(),
        )
    if access.caseload_scoped and (
        access.provider_id is None
        or not on_care_team(provider_id=access.provider_id, patient_id=patient_id, on=today)
    ):
        raise _deny(
            access,
            action=AuditEvent.Action.VIEW,
            category=category,
            patient_id=patient_id,
            reason=DENIED_NOT_ON_CASELOAD,
            error=NotFound(),
        )
    return patient


# ---------------------------------------------------------------------------------------------
# The patient list


@dataclass(frozen=True)
class PatientPage:
    """One page of the patient list. `current_primary` is set on each patient when coverage shows."""

    patients: list[Patient]
    total: int
    offset: int
    limit: int
    today: dt.date
    shows_coverage: bool

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def _name_filter(query: str) -> Q:
    name = parse_name_query(query)
    condition = Q()
    if name.last:
        condition &= Q(last_name__istartswith=name.last)
    if name.first:
        condition &= Q(first_name__istartswith=name.first) | Q(preferred_name__istartswith=name.first)
    for term in name.terms:
        condition &= (
            Q(first_name__istartswith=term)
            | Q(last_name__istartswith=term)
            | Q(preferred_name__istartswith=term)
            | Q(account_number__iexact=term)
        )
    return condition


def _current_primary(today: dt.date) -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "coverages",
        queryset=Coverage.objects.filter(priority=Coverage.Priority.PRIMARY, effective_on__lte=today)
        .filter(Q(terminates_on__isnull=True) | Q(terminates_on__gte=today))
        .select_related("payer")
        .order_by("-effective_on", "pk"),
        to_attr="current_primary",
    )


def patient_list_for_user(
    *,
    access: PracticeAccess,
    query: str = "",
    dob: str | dt.date | None = None,
    member_id: str = "",
    include_inactive: bool = True,
    offset: int = 0,
    limit: int = LIST_PAGE_SIZE,
) -> PatientPage:
    """Search the practice's patients by name ("Ann", "Lee Ann", "Lee, Ann"), DOB, member ID.

    A `query` that is a date (YYYY-MM-DD or MM/DD/YYYY) searches by date of birth. Searching by
    member ID needs COVERAGE_VIEW. Writes one `list` event with counts and the filters used
    (names of filters, never their values).
    """
    _require(
        access,
        Capability.PATIENT_VIEW,
        action=AuditEvent.Action.LIST,
        category=Category.DEMOGRAPHICS,
        patient_id=None,
    )
    member_id = member_id.strip()
    if member_id:
        _require(
            access,
            Capability.COVERAGE_VIEW,
            action=AuditEvent.Action.LIST,
            category=Category.COVERAGE,
            patient_id=None,
        )
    query = query.strip()
    dob_value: dt.date | None
    if isinstance(dob, dt.date):
        dob_value = dob
    else:
        dob_text = (dob or "").strip()
        if not dob_text and query and parse_search_date(query) is not None:
            dob_text, query = query, ""
        problems = search_date_problems(dob_text)
        if problems:
            raise ValidationFailed(field_errors=field_errors(problems))
        dob_value = parse_search_date(dob_text) if dob_text else None
    limit, offset = page_bounds(limit, offset, max_size=MAX_PAGE_SIZE)

    today = practice_today(practice_id=access.practice_id)
    patients = _visible_patients(access, today=today)
    filters = []
    if query:
        patients = patients.filter(_name_filter(query))
        filters.append("name")
    if dob_value is not None:
        patients = patients.filter(date_of_birth=dob_value)
        filters.append("dob")
    if member_id:
        patients = patients.filter(
            Exists(Coverage.objects.filter(patient_id=OuterRef("pk"), member_id__iexact=member_id))
        )
        filters.append("member_id")
    if not include_inactive:
        patients = patients.filter(is_active=True)

    shows_coverage = access.can(Capability.COVERAGE_VIEW)
    total = patients.count()
    rows: list[Patient] = []
    if total and offset < total:
        page = patients.order_by("last_name", "first_name", "pk")
        if shows_coverage:
            page = page.prefetch_related(_current_primary(today))
        rows = list(page[offset : offset + limit])

    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.DEMOGRAPHICS,
        practice_id=access.practice_id,
        object_type="patient",
        detail=f"results={len(rows)};total={total};filters={','.join(filters) or 'none'}",
        shown_patient_ids=[p.pk for p in rows],
    )
    return PatientPage(
        patients=rows, total=total, offset=offset, limit=limit, today=today, shows_coverage=shows_coverage
    )


# ---------------------------------------------------------------------------------------------
# One patient


def patient_get_for_user(*, access: PracticeAccess, patient_id: int, purpose: str = "") -> Patient:
    """The patient's demographics (and guarantor). One `view` event, category demographics.

    `purpose` (a short, PHI-free word such as "coverage_form") is appended to the event detail.
    """
    _require(
        access,
        Capability.PATIENT_VIEW,
        action=AuditEvent.Action.VIEW,
        category=Category.DEMOGRAPHICS,
        patient_id=patient_id,
    )
    today = practice_today(practice_id=access.practice_id)
    patient = _scoped_patient(
        access,
        patient_id=patient_id,
        today=today,
        category=Category.DEMOGRAPHICS,
        queryset=Patient.objects.select_related("guarantor"),
    )
    detail = "sections=demographics,guarantor" + (f";purpose={purpose}" if purpose else "")
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.DEMOGRAPHICS,
        practice_id=access.practice_id,
        patient_id=patient.pk,
        object_type="patient",
        object_id=patient.pk,
        detail=detail,
    )
    return patient


@dataclass(frozen=True)
class PatientRecord:
    """A patient's record as this user may see it. A section the user can't see is None."""

    patient: Patient
    today: dt.date
    sections: tuple[Section, ...]
    guarantor: Guarantor | None = None
    coverages: list[Coverage] | None = None
    diagnoses: list[PatientDiagnosis] | None = None
    consents: list[Consent] | None = None
    care_team: list[CareTeamMember] | None = None

    def shows(self, section: Section) -> bool:
        return section in self.sections


def sections_for(access: PracticeAccess, wanted: Iterable[Section] | None = None) -> tuple[Section, ...]:
    """The wanted sections (all by default) this user may see, in a stable order."""
    chosen = set(Section) if wanted is None else {Section(s) for s in wanted}
    chosen.add(Section.DEMOGRAPHICS)
    return tuple(s for s in Section if s in chosen and access.can(SECTION_CAPABILITY[s]))


def patient_record_get_for_user(
    *, access: PracticeAccess, patient_id: int, sections: Sequence[Section] | None = None
) -> PatientRecord:
    """The patient's whole record for a detail page or API retrieve: ONE `view` event.

    Sections the user's role can't see are left out (not denied): a technician's patient page
    simply has no coverage. The event's detail names the sections shown.
    """
    _require(
        access,
        Capability.PATIENT_VIEW,
        action=AuditEvent.Action.VIEW,
        category=Category.DEMOGRAPHICS,
        patient_id=patient_id,
    )
    shown = sections_for(access, sections)
    today = practice_today(practice_id=access.practice_id)
    queryset = Patient.objects.all()
    if Section.GUARANTOR in shown:
        queryset = queryset.select_related("guarantor")
    prefetches: list[Prefetch] = []  # type: ignore[type-arg]
    if Section.COVERAGE in shown:
        prefetches.append(
            Prefetch(
                "coverages",
                queryset=Coverage.objects.select_related("payer").order_by("priority", "-effective_on", "pk"),
            )
        )
    if Section.DIAGNOSIS in shown:
        prefetches.append(
            Prefetch(
                "diagnoses",
                queryset=PatientDiagnosis.objects.order_by(
                    F("resolved_on").asc(nulls_first=True), "rank", "code", "pk"
                ),
            )
        )
    if Section.CONSENT in shown:
        prefetches.append(Prefetch("consents", queryset=Consent.objects.order_by("-signed_on", "-pk")))
    if Section.CARE_TEAM in shown:
        prefetches.append(
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.select_related("provider").order_by(
                    "provider__last_name", "provider__first_name", "pk"
                ),
            )
        )
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    patient = _scoped_patient(
        access, patient_id=patient_id, today=today, category=Category.DEMOGRAPHICS, queryset=queryset
    )
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.DEMOGRAPHICS,
        practice_id=access.practice_id,
        patient_id=patient.pk,
        object_type="patient",
        object_id=patient.pk,
        detail="sections=" + ",".join(shown),
    )
    return PatientRecord(
        patient=patient,
        today=today,
        sections=shown,
        guarantor=getattr(patient, "guarantor", None) if Section.GUARANTOR in shown else None,
        coverages=list(patient.coverages.all()) if Section.COVERAGE in shown else None,
        diagnoses=list(patient.diagnoses.all()) if Section.DIAGNOSIS in shown else None,
        consents=list(patient.consents.all()) if Section.CONSENT in shown else None,
        care_team=list(patient.care_team.all()) if Section.CARE_TEAM in shown else None,
    )


# ---------------------------------------------------------------------------------------------
# One section at a time (for other apps: eligibility, claims)


def _section_list(
    access: PracticeAccess, *, patient_id: int, capability: Capability, category: Category
) -> int:
    _require(access, capability, action=AuditEvent.Action.VIEW, category=category, patient_id=patient_id)
    today = practice_today(practice_id=access.practice_id)
    patient = _scoped_patient(access, patient_id=patient_id, today=today, category=category)
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=category,
        practice_id=access.practice_id,
        patient_id=patient.pk,
        object_type="patient",
        object_id=patient.pk,
        detail=f"sections={category}",
    )
    return patient.pk


def coverage_list_for_user(*, access: PracticeAccess, patient_id: int) -> list[Coverage]:
    """The patient's coverages (needs COVERAGE_VIEW). One `view` event, category coverage."""
    pk = _section_list(
        access, patient_id=patient_id, capability=Capability.COVERAGE_VIEW, category=Category.COVERAGE
    )
    return list(
        Coverage.objects.filter(patient_id=pk).select_related("payer").order_by("priority", "-effective_on")
    )


def diagnosis_list_for_user(*, access: PracticeAccess, patient_id: int) -> list[PatientDiagnosis]:
    """The patient's diagnoses (needs DIAGNOSIS_VIEW). One `view` event, category diagnosis."""
    pk = _section_list(
        access, patient_id=patient_id, capability=Capability.DIAGNOSIS_VIEW, category=Category.DIAGNOSIS
    )
    return list(PatientDiagnosis.objects.filter(patient_id=pk).order_by("rank", "code"))


def consent_list_for_user(*, access: PracticeAccess, patient_id: int) -> list[Consent]:
    """The patient's consents (needs CONSENT_VIEW). One `view` event, category consent."""
    pk = _section_list(
        access, patient_id=patient_id, capability=Capability.CONSENT_VIEW, category=Category.CONSENT
    )
    return list(Consent.objects.filter(patient_id=pk).order_by("-signed_on"))


# ---------------------------------------------------------------------------------------------
# Facts for services (no PHI shown, so no audit event of their own)


def coverage_spans(*, patient_id: int) -> list[CoverageSpan]:
    return [
        CoverageSpan(coverage_id=pk, priority=priority, effective_on=start, terminates_on=end)
        for pk, priority, start, end in Coverage.objects.filter(patient_id=patient_id).values_list(
            "pk", "priority", "effective_on", "terminates_on"
        )
    ]


def part2_consent_missing_q(*, on: dt.date, patient_ref: str = "patient") -> Q:
    """Rows whose patient is in a 42 CFR Part 2 program with no Part 2 TPO consent active on `on`:
    the database form of `patients.domain.consents.part2_consent_active` (signed on or before
    `on`, not expired before it, not revoked on or before it)."""
    active = Consent.objects.filter(
        patient_id=OuterRef(f"{patient_ref}_id"), kind=Consent.Kind.PART2_TPO, signed_on__lte=on
    ).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
    )
    return Q(Q(**{f"{patient_ref}__is_substance_use_program": True}), ~Exists(active))


def consent_facts(consents: Iterable[Consent]) -> list[ConsentFacts]:
    return [
        ConsentFacts(kind=c.kind, signed_on=c.signed_on, expires_on=c.expires_on, revoked_on=c.revoked_on)
        for c in consents
    ]


def payer_facts(*, payer_id: int | None) -> PayerFacts | None:
    if payer_id is None:
        return None
    row = Payer.objects.filter(pk=payer_id).values_list("practice_id", "is_active", "kind").first()
    if row is None:
        return None
    practice_id, is_active, kind = row
    return PayerFacts(
        payer_id=payer_id,
        practice_id=practice_id,
        is_active=is_active,
        is_self_pay=kind == Payer.Kind.SELF_PAY,
    )


def payer_choices_for_practice(*, practice_id: int) -> list[tuple[int, str]]:
    """The payers a coverage may name: this practice's, active, not self-pay."""
    return list(
        Payer.objects.filter(practice_id=practice_id, is_active=True)
        .exclude(kind=Payer.Kind.SELF_PAY)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def provider_choices_for_practice(*, practice_id: int) -> list[tuple[int, str]]:
    """Active providers of the practice, for care-team assignment."""
    return [
        (pk, f"{last}, {first} ({credential})")
        for pk, first, last, credential in Provider.objects.filter(practice_id=practice_id, is_active=True)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "credential")
    ]


def provider_in_practice(*, provider_id: int, practice_id: int) -> bool:
    return Provider.objects.filter(pk=provider_id, practice_id=practice_id, is_active=True).exists()


def patient_ids_by_account_number(*, practice_id: int) -> dict[str, int]:
    """Account number → patient id in a practice: a system read for idempotent imports and the
    demo seed (identifiers only, no demographics; not audited because no person is reading)."""
    return dict(Patient.objects.filter(practice_id=practice_id).values_list("account_number", "pk"))


def primary_member_ids(*, practice_id: int) -> list[tuple[str, int]]:
    """(member ID, patient id) of every primary coverage in the practice, by account number (the
    demo finds its sandbox scenario patients by member-ID prefix). No names: ids only."""
    return list(
        Coverage.objects.filter(patient__practice_id=practice_id, priority=Coverage.Priority.PRIMARY)
        .order_by("patient__account_number", "pk")
        .values_list("member_id", "patient_id")
    )


def primary_payer_id_on(*, patient_id: int, on: dt.date) -> int | None:
    """The payer of the patient's primary coverage in force on `on`, or None (a system read of an
    identifier for billing rules, e.g. whether the payer wants co-signed notes; not audited)."""
    return (
        Coverage.objects.filter(
            patient_id=patient_id, priority=Coverage.Priority.PRIMARY, effective_on__lte=on
        )
        .filter(Q(terminates_on__isnull=True) | Q(terminates_on__gte=on))
        .order_by("-effective_on", "-pk")
        .values_list("payer_id", flat=True)
        .first()
    )


# ---- facts for billing (claims reads these; plain values, no audit: the caller audits) ------------


@dataclass(frozen=True, slots=True)
class BilledCoverage:
    """A coverage as a claim names it, with its payer (never a self-pay payer)."""

    coverage_id: int
    payer_id: int
    payer_name: str
    member_id: str
    effective_on: dt.date
    terminates_on: dt.date | None
    payer_kind: str = ""  # payers.Payer.Kind values ("medicare", "medicaid", ...)


_BILLED_COVERAGE_FIELDS = (
    "pk",
    "payer_id",
    "payer__name",
    "member_id",
    "effective_on",
    "terminates_on",
    "payer__kind",
)


def _billed_coverage(row: tuple[int, int, str, str, dt.date, dt.date | None, str]) -> BilledCoverage:
    pk, payer_id, payer_name, member_id, effective_on, terminates_on, payer_kind = row
    return BilledCoverage(
        coverage_id=pk,
        payer_id=payer_id,
        payer_name=payer_name,
        member_id=member_id,
        effective_on=effective_on,
        terminates_on=terminates_on,
        payer_kind=payer_kind,
    )


def primary_billed_coverage_on(*, patient_id: int, on: dt.date) -> BilledCoverage | None:
    """The patient's primary coverage active on `on` (the latest-starting one if several), with
    its payer; None when there is none or its payer is self-pay (one query)."""
    row = (
        Coverage.objects.filter(patient_id=patient_id, priority=1, effective_on__lte=on)
        .filter(Q(terminates_on__isnull=True) | Q(terminates_on__gte=on))
        .order_by("-effective_on", "-pk")
        .values_list("payer__kind", *_BILLED_COVERAGE_FIELDS)
        .first()
    )
    if row is None or row[0] == Payer.Kind.SELF_PAY:
        return None
    return _billed_coverage(row[1:])


def billed_coverage_by_priority(
    *, patient_id: int, priority: int, date_from: dt.date, date_to: dt.date
) -> BilledCoverage | None:
    """The patient's coverage of `priority` (2 secondary, 3 tertiary) active on every date from
    `date_from` to `date_to`, with its payer; None when there is none or its payer is self-pay
    (one query; the next payer of a claim)."""
    row = (
        Coverage.objects.filter(patient_id=patient_id, priority=priority, effective_on__lte=date_from)
        .filter(Q(terminates_on__isnull=True) | Q(terminates_on__gte=date_to))
        .order_by("-effective_on", "-pk")
        .values_list("payer__kind", *_BILLED_COVERAGE_FIELDS)
        .first()
    )
    if row is None or row[0] == Payer.Kind.SELF_PAY:
        return None
    return _billed_coverage(row[1:])


def billed_coverage_get(*, coverage_id: int) -> BilledCoverage | None:
    """A coverage by id with its payer (one query); None when it is missing."""
    row = Coverage.objects.filter(pk=coverage_id).values_list(*_BILLED_COVERAGE_FIELDS).first()
    return _billed_coverage(row) if row is not None else None


@dataclass(frozen=True, slots=True)
class PatientBillingFacts:
    """What a claim needs about the patient. `consents` are read only for patients in a 42 CFR
    Part 2 program (the only claims they decide)."""

    patient_id: int
    date_of_birth: dt.date
    in_part2_program: bool
    consents: tuple[ConsentFacts, ...] = ()


def patient_billing_facts(*, patient_id: int) -> PatientBillingFacts:
    """One query (two for a Part 2 patient). Raises NotFound."""
    row = (
        Patient.objects.filter(pk=patient_id).values_list("date_of_birth", "is_substance_use_program").first()
    )
    if row is None:
        raise NotFound()
    date_of_birth, part2 = row
    consents = Consent.objects.filter(patient_id=patient_id) if part2 else Consent.objects.none()
    return PatientBillingFacts(
        patient_id=patient_id,
        date_of_birth=date_of_birth,
        in_part2_program=part2,
        consents=tuple(consent_facts(consents)),
    )


# ---------------------------------------------------------------------------------------------
# The directory lower layers use to name patients (core.directory; registered in apps.py)


def patient_directory_labels(practice_id: int, patient_ids: Iterable[int]) -> dict[int, PatientLabel]:
    """Name and account number per patient id of the practice: one query. For screens whose
    own read is already audited (the audit log): no event of its own."""
    rows = Patient.objects.filter(practice_id=practice_id, pk__in=list(patient_ids)).values_list(
        "pk", "last_name", "first_name", "account_number"
    )
    return {
        pk: PatientLabel(name=f"{last}, {first}", account_number=account) for pk, last, first, account in rows
    }


def patient_directory_search(practice_id: int, text: str) -> list[int]:
    """Ids of the practice's patients matching every word of `text` in their first or last name,
    or whose account number is `text`: one query, at most 500 ids."""
    words = text.split()[:4]
    patients = Patient.objects.filter(practice_id=practice_id)
    by_name = Q()
    for word in words:
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(
        patients.filter(by_name | Q(account_number=text.strip()))
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


# ---- coverages the eligibility workflow verifies (it scopes and audits its own reads) --------------


def _coverages_to_verify() -> QuerySet[Coverage]:
    return Coverage.objects.exclude(payer__kind=Payer.Kind.SELF_PAY).select_related(
        "payer", "patient__practice"
    )


def coverages_to_verify(*, practice_id: int, patient_id: int) -> list[Coverage]:
    """The patient's insurance coverages (not self-pay) with their payer, primary first."""
    return list(
        _coverages_to_verify()
        .filter(patient_id=patient_id, patient__practice_id=practice_id)
        .order_by("priority", "-effective_on", "pk")
    )


def coverage_to_verify(*, practice_id: int, coverage_id: int, lock: bool = False) -> Coverage | None:
    """One insurance coverage of the practice with its payer, patient and practice; locked (FOR
    UPDATE, in the caller's transaction) when `lock`, so two requests for it queue one check."""
    coverages = _coverages_to_verify()
    if lock:
        coverages = coverages.select_for_update(of=("self",))
    return coverages.filter(pk=coverage_id, patient__practice_id=practice_id).first()


def coverages_lock(*, practice_id: int, coverage_ids: set[int]) -> set[int]:
    """Lock the practice's insurance coverages among `coverage_ids` (FOR UPDATE, in the caller's
    transaction, in id order) as `coverage_to_verify(lock=True)` locks one; the ids locked."""
    if not coverage_ids:
        return set()
    return set(
        _coverages_to_verify()
        .select_for_update(of=("self",))
        .filter(pk__in=coverage_ids, patient__practice_id=practice_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def patient_lock(*, practice_id: int, patient_id: int) -> bool:
    """Lock the patient's row for a money change on their account (patient billing), in the
    caller's transaction. False if the practice has no such patient."""
    return bool(
        list(
            Patient.objects.select_for_update(of=("self",))
            .filter(pk=patient_id, practice_id=practice_id)
            .values_list("pk", flat=True)
        )
    )


def primary_coverage_to_verify(*, patient_id: int, on: dt.date) -> Coverage | None:
    """The patient's primary insurance coverage in force on `on` (the latest-starting one)."""
    return (
        _coverages_to_verify()
        .filter(patient_id=patient_id, priority=1, effective_on__lte=on)
        .filter(Q(terminates_on__isnull=True) | Q(terminates_on__gte=on))
        .order_by("-effective_on", "-pk")
        .first()
    )


def primary_coverages_of_patients(*, patient_ids: Iterable[int]) -> dict[int, list[Coverage]]:
    """Each patient's primary insurance coverages with their payer, latest-starting first (one
    query); `primary_coverage_on` picks the one in force on a date."""
    found: dict[int, list[Coverage]] = {}
    for coverage in (
        _coverages_to_verify()
        .filter(patient_id__in=set(patient_ids), priority=1)
        .order_by("-effective_on", "-pk")
    ):
        found.setdefault(coverage.patient_id, []).append(coverage)
    return found


def primary_coverage_on(coverages: Iterable[Coverage], on: dt.date) -> Coverage | None:
    """The first of `coverages` (latest-starting first) in force on `on`, as
    `primary_coverage_to_verify` picks it."""
    return next(
        (c for c in coverages if c.effective_on <= on and (c.terminates_on is None or c.terminates_on >= on)),
        None,
    )


def primary_coverages_with_member_ids(
    *, practice_id: int, member_ids: Iterable[str]
) -> list[tuple[int, int]]:
    """(coverage id, patient id) of the practice's primary coverages carrying these member IDs."""
    return list(
        Coverage.objects.filter(patient__practice_id=practice_id, priority=1, member_id__in=list(member_ids))
        .order_by("member_id", "pk")
        .values_list("pk", "patient_id")
    )
