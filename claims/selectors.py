"""Reads for the claims side: facts for capture and the scrubber, and the charge screens' reads.

* Facts (`note_for_capture`, `day_sessions`, `primary_coverage_on`, `claim_to_be_for_charge_set`
  ...) feed the services and the pure rules; they show nothing to a person and write no audit
  event.
* Screens and the API read through `charge_list`, `charge_set_get` and `charge_set_for_note`:
  scoped to the reader's practice, BILLING_VIEW required, one audit event per read (category
  billing); another practice's charges are NotFound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from authorizations.domain.types import AuthorizationFacts, UnitKind
from authorizations.selectors import authorization_facts_for
from claims.domain.capture import FeeEntry
from claims.domain.types import (
    ClaimProvider,
    ClaimToBe,
    CoverageFacts,
    DiagnosisFacts,
    EnrollmentFacts,
    LicenseFact,
    LineFacts,
    NoteFacts,
    PatientFacts,
    PriorLine,
    PriorVisit,
)
from claims.models import Charge, ChargeEvent, ChargeSet, ChargeStatus, FeeScheduleEntry
from clinical_notes.domain.checks import segment_minutes, session_minutes
from clinical_notes.domain.types import Segment
from clinical_notes.models import NoteDiagnosis, NoteStatus, SessionNote
from coding.domain.code_sets import CodeCatalog, shipped_catalog
from coding.domain.families import Family, coding_data
from coding.domain.icd10 import normalise_icd10
from coding.domain.types import (
    CodeKind,
    InteractiveComplexityFactor,
    PayerCodingRules,
    SessionFacts,
    Telehealth,
)
from coding.selectors import code_catalog, icd10_check
from core.domain.service_types import ServiceType
from core.errors import NotFound, PermissionDenied, ValidationFailed
from patients.selectors import consent_facts, coverage_spans
from payer_rules.domain.policy import PayerPolicy
from payer_rules.selectors import payer_policy_on
from payers.models import Payer, PayerEnrollment
from practice.domain.credentials import credential_requires_supervision
from practice.domain.supervision import supervisor_on
from practice.models import Provider
from practice.selectors import practice_today, supervision_periods_for_supervisee

CHARGE_OBJECT_TYPE = "charge_set"
LIST_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SELF_PAY_LABEL = "Self-pay (CPT rules)"


def session_ref(note_id: int) -> str:
    return f"note:{note_id}"


# ---------------------------------------------------------------------------------------------
# Facts for capture


@dataclass(frozen=True, slots=True)
class NoteForCapture:
    """A final note as charge capture needs it. `diagnoses`: the note's ICD-10-CM codes by rank
    (dotted; as stored when a code cannot be normalised)."""

    note_id: int
    practice_id: int
    patient_id: int
    author_id: int
    author_credential: str
    supervisor_id: int | None
    date_of_service: date
    session: SessionFacts
    diagnoses: tuple[str, ...]


def _content_value(content: Mapping[str, object], key: str) -> object:
    return content.get(key)


def _patient_present(content: Mapping[str, object]) -> bool | None:
    participants = _content_value(content, "participants")
    if isinstance(participants, Mapping):
        value = participants.get("patient_present")
        if isinstance(value, bool):
            return value
    return None


def _interactive_complexity(content: Mapping[str, object]) -> tuple[InteractiveComplexityFactor, ...]:
    raw = _content_value(content, "interactive_complexity")
    values = raw if isinstance(raw, list) else ([raw] if isinstance(raw, str) and raw else [])
    known = {f.value for f in InteractiveComplexityFactor}
    return tuple(InteractiveComplexityFactor(v) for v in values if isinstance(v, str) and v in known)


def _telehealth(value: str) -> Telehealth:
    return Telehealth(value) if value in {t.value for t in Telehealth} else Telehealth.NONE


def _notes_with_parts(notes: QuerySet[SessionNote]) -> list[SessionNote]:
    return list(
        notes.select_related("author", "appointment").prefetch_related(
            "segments", Prefetch("note_diagnoses", queryset=_ranked_diagnoses())
        )
    )


def _ranked_diagnoses() -> QuerySet[NoteDiagnosis]:
    return NoteDiagnosis.objects.select_related("diagnosis").order_by("position", "pk")


def _session_facts(note: SessionNote) -> tuple[SessionFacts, tuple[str, ...]]:
    segments = sorted(note.segments.all(), key=lambda s: (s.starts_at, s.pk))
    domain = [Segment(starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis) for s in segments]
    crisis = [segment_minutes(d) for d in domain if d.is_crisis]
    minutes = session_minutes(domain)
    diagnoses = tuple(
        normalise_icd10(nd.diagnosis.code) or nd.diagnosis.code for nd in note.note_diagnoses.all()
    )
    content = note.content if isinstance(note.content, Mapping) else {}
    em_code = _content_value(content, "em_code")
    service = ServiceType(note.service_type)
    telehealth = _telehealth(note.telehealth)
    at_home = (
        note.appointment.patient_at_home if note.appointment is not None else note.place_of_service == "10"
    )
    facts = SessionFacts(
        service_type=service,
        date_of_service=note.date_of_service,
        segment_minutes=(minutes,) if minutes else (),
        crisis_minutes=sum(crisis) if crisis else None,
        patient_present=_patient_present(content),
        telehealth=telehealth,
        with_em=service is ServiceType.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM,
        em_code=em_code.strip().upper() if isinstance(em_code, str) else "",
        interactive_complexity=_interactive_complexity(content),
        rendering_credential=note.author.credential,
        place_of_service=note.place_of_service,
        patient_at_home=at_home,
        diagnoses=diagnoses,
        session_ref=session_ref(note.pk),
    )
    return facts, diagnoses


def note_for_capture(*, note_id: int) -> NoteForCapture | None:
    """The note if it is final (None when missing or not final)."""
    notes = _notes_with_parts(SessionNote.objects.filter(pk=note_id, status=NoteStatus.FINAL))
    if not notes:
        return None
    note = notes[0]
    facts, diagnoses = _session_facts(note)
    return NoteForCapture(
        note_id=note.pk,
        practice_id=note.practice_id,
        patient_id=note.patient_id,
        author_id=note.author_id,
        author_credential=note.author.credential,
        supervisor_id=note.supervisor_id,
        date_of_service=note.date_of_service,
        session=facts,
        diagnoses=diagnoses,
    )


def day_sessions(*, patient_id: int, day: date, exclude_note_id: int) -> list[SessionFacts]:
    """The patient's other final notes on `day`, as session facts (oldest note first)."""
    notes = _notes_with_parts(
        SessionNote.objects.filter(patient_id=patient_id, date_of_service=day, status=NoteStatus.FINAL)
        .exclude(pk=exclude_note_id)
        .order_by("pk")
    )
    return [_session_facts(note)[0] for note in notes]


@dataclass(frozen=True, slots=True)
class CoverageChoice:
    coverage_id: int
    payer_id: int
    payer_name: str


def primary_coverage_on(*, patient_id: int, day: date) -> CoverageChoice | None:
    """The patient's primary coverage active on `day` (the latest-starting one if several)."""
    active = [
        span
        for span in coverage_spans(patient_id=patient_id)
        if span.priority == 1
        and span.effective_on <= day
        and (span.terminates_on is None or day <= span.terminates_on)
    ]
    if not active:
        return None
    chosen = max(active, key=lambda span: (span.effective_on, span.coverage_id))
    row = (
        Payer.objects.filter(coverages__pk=chosen.coverage_id)
        .exclude(kind=Payer.Kind.SELF_PAY)
        .values_list("pk", "name")
        .first()
    )
    if row is None:
        return None
    return CoverageChoice(coverage_id=chosen.coverage_id, payer_id=row[0], payer_name=row[1])


def self_pay_policy() -> PayerPolicy:
    return PayerPolicy(coding=PayerCodingRules(label=SELF_PAY_LABEL))


def policy_on(*, payer_id: int | None, day: date) -> PayerPolicy:
    """The payer's rules on `day` (payers' rule sets, or the kind defaults); self-pay: CPT rules."""
    if payer_id is None:
        return self_pay_policy()
    return payer_policy_on(payer_pk=payer_id, on=day)


def catalog() -> CodeCatalog:
    """The database's code set (the shipped file when the table is empty)."""
    found = code_catalog()
    return found if len(found) else shipped_catalog()


def supervisor_for(*, author_id: int, note_supervisor_id: int | None, day: date) -> int | None:
    """Who supervised the note's author on the date: the co-signer, else the supervision on file."""
    if note_supervisor_id is not None:
        return note_supervisor_id
    return supervisor_on(day, supervision_periods_for_supervisee(supervisee_id=author_id))


def captured_units_on(*, patient_id: int, day: date, exclude_note_id: int) -> dict[str, int]:
    """Units per code on the patient's other notes' charges for `day`."""
    rows = (
        Charge.objects.filter(charge_set__patient_id=patient_id, charge_set__date_of_service=day)
        .exclude(charge_set__note_id=exclude_note_id)
        .values("code")
        .annotate(total=Sum("units"))
        .order_by("code")
    )
    return {row["code"]: int(row["total"] or 0) for row in rows}


def fee_entries(*, practice_id: int, payer_id: int | None, codes: Iterable[str]) -> list[FeeEntry]:
    payers = Q(payer__isnull=True) | (Q(payer_id=payer_id) if payer_id is not None else Q(pk__in=[]))
    rows = FeeScheduleEntry.objects.filter(payers, practice_id=practice_id, code__in=set(codes))
    return [
        FeeEntry(
            payer_id=row.payer_id,
            code=row.code,
            modifiers_key=row.modifiers_key,
            amount_cents=row.amount_cents,
            effective_from=row.effective_from,
            effective_to=row.effective_to,
        )
        for row in rows
    ]


def authorizations_for(*, patient_id: int, payer_id: int) -> list[AuthorizationFacts]:
    return authorization_facts_for(patient_id=patient_id, payer_id=payer_id)


def payer_in_practice(*, practice_id: int, payer_id: int) -> bool:
    return Payer.objects.filter(pk=payer_id, practice_id=practice_id).exists()


def rendering_context(*, charge_set_id: int) -> tuple[str, int | None]:
    """(the performer's credential, the note's co-signing supervisor) for a charge set."""
    row = (
        ChargeSet.objects.filter(pk=charge_set_id)
        .values_list("rendering_provider__credential", "note__supervisor_id")
        .first()
    )
    if row is None:
        raise NotFound()
    return row[0], row[1]


def charge_set_id_for_note(*, note_id: int) -> int | None:
    return ChargeSet.objects.filter(note_id=note_id).values_list("pk", flat=True).first()


# ---------------------------------------------------------------------------------------------
# The claim-to-be (the scrubber's input)


def _level_modifier(credential: str) -> str:
    data = coding_data()
    degree = data.degree_for(credential)
    return data.degree_modifier[degree] if degree is not None else ""


def _claim_provider(provider: Provider | None, *, payer_id: int | None) -> ClaimProvider | None:
    if provider is None:
        return None
    enrollment = None
    if payer_id is not None:
        row = (
            PayerEnrollment.objects.filter(provider_id=provider.pk, payer_id=payer_id)
            .values_list("status", "effective_on", "ends_on")
            .first()
        )
        if row is not None:
            enrollment = EnrollmentFacts(status=row[0], effective_on=row[1], ends_on=row[2])
    return ClaimProvider(
        provider_id=provider.pk,
        name=provider.full_name,
        npi=provider.npi,
        credential=provider.credential,
        level_modifier=_level_modifier(provider.credential),
        supervised=credential_requires_supervision(provider.credential),
        licenses=tuple(
            LicenseFact(issued_on=lic.issued_on, expires_on=lic.expires_on) for lic in provider.licenses.all()
        ),
        enrollment=enrollment,
    )


def _day_minutes(*, patient_id: int, day: date, codes: CodeCatalog) -> tuple[int, int]:
    """(crisis minutes, 15-minute timed minutes) over the patient's final notes on `day`."""
    notes = list(
        SessionNote.objects.filter(patient_id=patient_id, date_of_service=day, status=NoteStatus.FINAL)
        .prefetch_related("segments")
        .only("pk", "service_type")
    )
    data = coding_data()
    crisis = timed = 0
    for note in notes:
        domain = [
            Segment(starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis)
            for s in note.segments.all()
        ]
        minutes = session_minutes(domain)
        service = data.service(ServiceType(note.service_type))
        flagged = [segment_minutes(d) for d in domain if d.is_crisis]
        if service.family is Family.CRISIS:
            crisis += sum(flagged) if flagged else minutes
        else:
            crisis += sum(flagged)
        if service.family is Family.TIMED_UNITS and service.code:
            info = codes.lookup(service.code, on=day)
            if info is not None and info.unit_minutes == 15:
                timed += minutes
    return crisis, timed


def _own_usage(lines: Iterable[Charge], auths: Iterable[AuthorizationFacts]) -> dict[int, int]:
    """What these charges took from each authorization (recorded by the capture/override)."""
    kinds = {a.authorization_id: a.unit_kind for a in auths}
    taken: dict[int, int] = defaultdict(int)
    visit_counted: set[int] = set()
    for line in lines:
        auth_id = line.authorization_id
        if auth_id is None or line.units <= 0 or auth_id not in kinds:
            continue
        if kinds[auth_id] is UnitKind.VISITS:
            if auth_id not in visit_counted:
                taken[auth_id] += 1
                visit_counted.add(auth_id)
        else:
            taken[auth_id] += line.units
    return taken


def _line_facts(line: Charge, *, day: date, codes: CodeCatalog) -> LineFacts:
    info = codes.lookup(line.code, on=day)
    known = info is not None and info.kind in (CodeKind.CPT, CodeKind.HCPCS)
    modifiers = tuple(str(m) for m in line.modifiers)
    return LineFacts(
        line_number=line.line_number,
        code=line.code,
        units=line.units,
        modifiers=modifiers,
        pos=line.place_of_service,
        diagnosis_pointers=tuple(int(p) for p in line.diagnosis_pointers),
        documented_minutes=line.documented_minutes,
        unit_minutes=info.unit_minutes if known and info is not None else None,
        add_on=line.add_on,
        code_known=known,
        pos_known=codes.lookup(line.place_of_service, on=day, kind=CodeKind.POS) is not None,
        unknown_modifiers=tuple(
            m for m in modifiers if codes.lookup(m, on=day, kind=CodeKind.MODIFIER) is None
        ),
        auth_number=line.auth_number,
    )


def claim_to_be_for_charge_set(*, charge_set_id: int, today: date | None = None) -> ClaimToBe:
    """Everything the scrubber needs about one note's charges, read fresh from the database
    (coverage, enrolments, licences, consents and authorizations as they are now)."""
    charge_set = (
        ChargeSet.objects.select_related(
            "practice",
            "note",
            "note__appointment",
            "patient",
            "coverage",
            "payer",
            "rendering_provider",
            "supervising_provider",
        )
        .prefetch_related(
            Prefetch("lines", queryset=Charge.objects.order_by("line_number")),
            "rendering_provider__licenses",
            "supervising_provider__licenses",
            "patient__consents",
        )
        .filter(pk=charge_set_id)
        .first()
    )
    if charge_set is None:
        raise NotFound()
    day = charge_set.date_of_service
    today = today or practice_today(practice_id=charge_set.practice_id)
    codes = catalog()
    lines = list(charge_set.lines.all())
    note = charge_set.note
    patient = charge_set.patient
    payer_id = charge_set.payer_id
    coverage = None
    if charge_set.coverage is not None and payer_id is not None and not charge_set.self_pay:
        cov = charge_set.coverage
        coverage = CoverageFacts(
            coverage_id=cov.pk,
            payer_id=payer_id,
            payer_name=charge_set.payer.name if charge_set.payer is not None else "",
            member_id=cov.member_id,
            effective_on=cov.effective_on,
            terminates_on=cov.terminates_on,
            eligibility_verified=None,  # the eligibility capability fills this in later
        )
    auths: list[AuthorizationFacts] = []
    if coverage is not None:
        auths = authorizations_for(patient_id=patient.pk, payer_id=coverage.payer_id)
        own = _own_usage(lines, auths)
        auths = [replace(a, used=a.used - own.get(a.authorization_id, 0)) for a in auths]
    crisis, timed = _day_minutes(patient_id=patient.pk, day=day, codes=codes)
    domain_segments = [
        Segment(starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis) for s in note.segments.all()
    ]
    prior = (
        Charge.objects.filter(charge_set__patient_id=patient.pk, charge_set__date_of_service=day, units__gt=0)
        .exclude(charge_set_id=charge_set.pk)
        .order_by("charge_set_id", "line_number")
        .values_list("charge_set__note_id", "code", "modifiers", "units")
    )
    visits: list[PriorVisit] = []
    if payer_id is not None:
        earlier = (
            ChargeSet.objects.filter(
                patient_id=patient.pk,
                payer_id=payer_id,
                date_of_service__year=day.year,
            )
            .filter(Q(date_of_service__lt=day) | Q(date_of_service=day, note_id__lt=note.pk))
            .exclude(pk=charge_set.pk)
            .prefetch_related("lines")
        )
        visits = [
            PriorVisit(
                date_of_service=cs.date_of_service,
                codes=frozenset(line.code for line in cs.lines.all() if line.units > 0),
            )
            for cs in earlier
        ]
    return ClaimToBe(
        today=today,
        date_of_service=day,
        patient=PatientFacts(
            patient_id=patient.pk,
            date_of_birth=patient.date_of_birth,
            in_part2_program=patient.is_substance_use_program,
            consents=tuple(consent_facts(patient.consents.all())),
        ),
        note=NoteFacts(
            note_id=note.pk,
            status=note.status,
            service_type=ServiceType(note.service_type),
            minutes=session_minutes(domain_segments),
            requires_cosign=note.requires_cosign,
            cosigned=note.cosigned_at is not None,
            author_has_supervisor=supervisor_for(author_id=note.author_id, note_supervisor_id=None, day=day)
            is not None,
            telehealth=note.telehealth,
            patient_at_home=(
                note.appointment.patient_at_home
                if note.appointment is not None
                else note.place_of_service == "10"
            ),
            crisis_minutes_on_date=crisis,
            timed_minutes_on_date=timed,
        ),
        lines=tuple(_line_facts(line, day=day, codes=codes) for line in lines),
        coverage=coverage,
        self_pay=charge_set.self_pay,
        policy=policy_on(payer_id=payer_id if coverage is not None else None, day=day),
        billing_npi=charge_set.practice.billing_npi,
        rendering=_claim_provider(charge_set.rendering_provider, payer_id=payer_id),
        supervising=_claim_provider(charge_set.supervising_provider, payer_id=payer_id),
        diagnoses=tuple(_diagnosis_facts(code, day) for code in charge_set.claim_diagnoses),
        authorizations=tuple(auths),
        prior_lines=tuple(
            PriorLine(
                source="captured",
                reference=f"note {note_id}",
                date_of_service=day,
                code=code,
                modifiers=tuple(str(m) for m in modifiers),
                units=units,
            )
            for note_id, code, modifiers, units in prior
        ),
        prior_visits=tuple(visits),
    )


def _diagnosis_facts(code: str, day: date) -> DiagnosisFacts:
    check = icd10_check(code, on=day)
    return DiagnosisFacts(
        code=check.code or code, valid=check.valid, billable=check.billable, reason=check.reason
    )


# ---------------------------------------------------------------------------------------------
# Reads for screens and the API (scoped, audited)


def _require(access: PracticeAccess, *, action: str, object_id: int | None = None) -> None:
    if access.can(Capability.BILLING_VIEW):
        return
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=CHARGE_OBJECT_TYPE,
        object_id=object_id if object_id is not None else "",
        outcome=AuditEvent.Outcome.DENIED,
        detail="reason=capability",
    )
    raise PermissionDenied()


@dataclass(frozen=True, slots=True)
class ChargeFilters:
    status: str = ""
    has_errors: bool | None = None
    payer_id: int | None = None
    self_pay: bool = False
    provider_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class ChargePage:
    charge_sets: list[ChargeSet]  # note, patient, payer, rendering provider joined; lines prefetched
    total: int
    counts_by_status: dict[str, int]
    limit: int
    offset: int


def _filtered(access: PracticeAccess, filters: ChargeFilters) -> tuple[QuerySet[ChargeSet], list[str]]:
    sets = ChargeSet.objects.filter(practice_id=access.practice_id)
    described: list[str] = []
    if filters.payer_id is not None:
        if not payer_in_practice(practice_id=access.practice_id, payer_id=filters.payer_id):
            raise ValidationFailed(
                "Unknown payer.", field_errors={"payer": ["No such payer in this practice."]}
            )
        sets = sets.filter(payer_id=filters.payer_id)
        described.append(f"payer={filters.payer_id}")
    if filters.self_pay:
        sets = sets.filter(self_pay=True)
        described.append("self_pay")
    if filters.provider_id is not None:
        sets = sets.filter(rendering_provider_id=filters.provider_id)
        described.append(f"provider={filters.provider_id}")
    if filters.date_from is not None:
        sets = sets.filter(date_of_service__gte=filters.date_from)
        described.append(f"from={filters.date_from}")
    if filters.date_to is not None:
        sets = sets.filter(date_of_service__lte=filters.date_to)
        described.append(f"to={filters.date_to}")
    if filters.has_errors is not None:
        sets = sets.filter(error_count__gt=0) if filters.has_errors else sets.filter(error_count=0)
        described.append(f"has_errors={filters.has_errors}")
    return sets, described


def charge_list(
    *,
    access: PracticeAccess,
    filters: ChargeFilters | None = None,
    limit: int = LIST_PAGE_SIZE,
    offset: int = 0,
) -> ChargePage:
    """The practice's charge sets, newest date of service first, with counts by status (over the
    other filters). One `list` audit event. Unknown payer: ValidationFailed."""
    _require(access, action=AuditEvent.Action.LIST)
    filters = filters or ChargeFilters()
    if filters.status and filters.status not in ChargeStatus.values:
        raise ValidationFailed("Unknown status.", field_errors={"status": ["Choose a charge status."]})
    sets, described = _filtered(access, filters)
    counts = dict.fromkeys(ChargeStatus.values, 0)
    for row in sets.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    if filters.status:
        sets = sets.filter(status=filters.status)
        described.append(f"status={filters.status}")
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    total = sets.count()
    page = list(
        sets.select_related("patient", "payer", "rendering_provider")
        .prefetch_related(Prefetch("lines", queryset=Charge.objects.order_by("line_number")))
        .order_by("-date_of_service", "-pk")[offset : offset + limit]
    )
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=CHARGE_OBJECT_TYPE,
        detail=";".join([f"results={len(page)}", f"total={total}", *described])[:200],
    )
    return ChargePage(charge_sets=page, total=total, counts_by_status=counts, limit=limit, offset=offset)


def _detail(sets: QuerySet[ChargeSet]) -> QuerySet[ChargeSet]:
    return sets.select_related(
        "patient", "payer", "coverage", "rendering_provider", "supervising_provider", "note", "reviewed_by"
    ).prefetch_related(
        Prefetch("lines", queryset=Charge.objects.order_by("line_number")),
        Prefetch(
            "events",
            queryset=ChargeEvent.objects.select_related("actor", "charge").order_by("occurred_at", "pk"),
        ),
    )


def _found_or_denied(access: PracticeAccess, charge_set: ChargeSet | None, *, object_id: int) -> ChargeSet:
    if charge_set is None:
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.VIEW,
            category=Category.BILLING,
            practice_id=access.practice_id,
            object_type=CHARGE_OBJECT_TYPE,
            object_id=object_id,
            outcome=AuditEvent.Outcome.DENIED,
            detail="reason=not_accessible",
        )
        raise NotFound()
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=charge_set.patient_id,
        object_type=CHARGE_OBJECT_TYPE,
        object_id=charge_set.pk,
        detail=f"status={charge_set.status}",
    )
    return charge_set


def charge_set_get(*, access: PracticeAccess, charge_set_id: int) -> ChargeSet:
    """One note's charges with lines and history. One `view` audit event; NotFound elsewhere."""
    _require(access, action=AuditEvent.Action.VIEW, object_id=charge_set_id)
    found = _detail(ChargeSet.objects.filter(practice_id=access.practice_id, pk=charge_set_id)).first()
    return _found_or_denied(access, found, object_id=charge_set_id)


def charge_set_for_note(*, access: PracticeAccess, note_id: int) -> ChargeSet:
    """The charges of note `note_id` (NotFound when none were captured or another practice's)."""
    _require(access, action=AuditEvent.Action.VIEW)
    found = _detail(ChargeSet.objects.filter(practice_id=access.practice_id, note_id=note_id)).first()
    return _found_or_denied(access, found, object_id=note_id)


def charge_set_id_for_line(*, access: PracticeAccess, charge_id: int) -> int:
    """The charge set of line `charge_id` in the reader's practice (NotFound otherwise)."""
    _require(access, action=AuditEvent.Action.VIEW, object_id=charge_id)
    found = (
        Charge.objects.filter(pk=charge_id, charge_set__practice_id=access.practice_id)
        .values_list("charge_set_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def charge_set_after_change(*, charge_set_id: int) -> ChargeSet:
    """The charges a service just changed (that service wrote the audit event)."""
    return _detail(ChargeSet.objects.filter(pk=charge_set_id)).get()


def payer_choices(*, access: PracticeAccess) -> list[tuple[int, str]]:
    """Payers of the practice that appear on charges (filters)."""
    return list(
        Payer.objects.filter(practice_id=access.practice_id)
        .exclude(kind=Payer.Kind.SELF_PAY)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def provider_choices(*, access: PracticeAccess) -> list[tuple[int, str]]:
    return [
        (pk, f"{last}, {first} ({credential})")
        for pk, first, last, credential in Provider.objects.filter(practice_id=access.practice_id)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "credential")
    ]
