"""Facts for charge capture and the scrubber, read through the owning apps' selectors.

Notes come from `clinical_notes.selectors`, coverage and the patient from `patients.selectors`,
rules and enrolments from `payers.selectors`, providers, supervision and the practice from
`practice.selectors`, authorizations from `authorizations.selectors` and the code set from
`coding.selectors`. Only claims' own tables are queried here. Nothing is shown to a person, so
no audit event is written (the services audit what they change).

* `final_sessions(note_id=)`: the patient's final sessions of the note's date (4 queries).
* `day_charges(patient_id=, day=)`: the patient's charge lines this year (and a year back) up to `day` (1 query).
* `capture_facts(...)`: what `claims.domain.capture_plan.plan_capture` decides from.
* `stored_claim_spec(...)`: a stored charge set as a `ClaimSpec`; `claim_to_be(spec)` adds the
  patient, the providers, their enrolments and the practice and gives the scrubber's input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from authorizations.domain.types import AuthorizationFacts
from authorizations.selectors import authorization_facts_for
from claims.domain.capture import FeeEntry
from claims.domain.capture_plan import CaptureFacts, CaptureNote, ChargeRow
from claims.domain.claim_facts import (
    DayCharge,
    captured_units,
    day_minutes,
    level_modifier,
    line_facts,
    prior_evaluations,
    prior_lines,
    prior_visits,
    without_own_usage,
)
from claims.domain.types import (
    ClaimProvider,
    ClaimToBe,
    CoverageFacts,
    DiagnosisFacts,
    EligibilityFacts,
    EnrollmentFacts,
    LicenseFact,
    NoteFacts,
    PatientFacts,
)
from claims.models import Charge, ChargeSet, FeeScheduleEntry
from clinical_notes.domain.checks import segment_minutes, session_minutes
from clinical_notes.selectors import FinalSession, final_sessions_of_day
from coding.domain.code_sets import CodeCatalog, shipped_catalog
from coding.domain.icd10 import Icd10Check, normalise_icd10
from coding.domain.types import (
    EVALUATION_REPEAT_MAX_DAYS,
    InteractiveComplexityFactor,
    PayerCodingRules,
    SessionFacts,
    Telehealth,
)
from coding.selectors import code_catalog, icd10_check
from core.domain.service_types import ServiceType
from eligibility.selectors import claim_eligibility
from patients.selectors import (
    BilledCoverage,
    billed_coverage_get,
    patient_billing_facts,
    primary_billed_coverage_on,
)
from payer_rules.domain.policy import PayerPolicy
from payer_rules.selectors import payer_policy_on
from payers.selectors import enrollments_with_payer
from practice.domain.credentials import credential_requires_supervision
from practice.domain.supervision import supervisor_on
from practice.selectors import billing_providers, practice_billing_facts, supervision_periods_for_supervisee

SELF_PAY_LABEL = "Self-pay (CPT rules)"


def session_ref(note_id: int) -> str:
    return f"note:{note_id}"


# ---- notes as the coding rules see them ----------------------------------------------------------


def _patient_present(content: Mapping[str, object]) -> bool | None:
    participants = content.get("participants")
    if isinstance(participants, Mapping):
        value = participants.get("patient_present")
        if isinstance(value, bool):
            return value
    return None


def _interactive_complexity(content: Mapping[str, object]) -> tuple[InteractiveComplexityFactor, ...]:
    raw = content.get("interactive_complexity")
    values = raw if isinstance(raw, list) else ([raw] if isinstance(raw, str) and raw else [])
    known = {f.value for f in InteractiveComplexityFactor}
    return tuple(InteractiveComplexityFactor(v) for v in values if isinstance(v, str) and v in known)


def _telehealth(value: str) -> Telehealth:
    return Telehealth(value) if value in {t.value for t in Telehealth} else Telehealth.NONE


def diagnosis_codes(session: FinalSession) -> tuple[str, ...]:
    """The note's ICD-10-CM codes by rank (dotted; as stored when a code cannot be normalised)."""
    return tuple(normalise_icd10(code) or code for code in session.diagnosis_codes)


def session_facts(session: FinalSession) -> SessionFacts:
    crisis = [segment_minutes(s) for s in session.segments if s.is_crisis]
    minutes = session_minutes(list(session.segments))
    em_code = session.content.get("em_code")
    return SessionFacts(
        service_type=session.service_type,
        date_of_service=session.date_of_service,
        segment_minutes=(minutes,) if minutes else (),
        crisis_minutes=sum(crisis) if crisis else None,
        patient_present=_patient_present(session.content),
        telehealth=_telehealth(session.telehealth),
        with_em=session.service_type is ServiceType.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM,
        em_code=em_code.strip().upper() if isinstance(em_code, str) else "",
        interactive_complexity=_interactive_complexity(session.content),
        rendering_credential=session.author_credential,
        place_of_service=session.place_of_service,
        patient_at_home=session.patient_at_home,
        diagnoses=diagnosis_codes(session),
        session_ref=session_ref(session.note_id),
        instruments=session.instruments,
    )


def final_sessions(*, note_id: int) -> list[FinalSession]:
    return final_sessions_of_day(note_id=note_id)


def session_of(sessions: Iterable[FinalSession], note_id: int) -> FinalSession | None:
    return next((s for s in sessions if s.note_id == note_id), None)


# ---- reference reads ---------------------------------------------------------------------------


def catalog() -> CodeCatalog:
    """The database's code set (the shipped file when the table is empty)."""
    found = code_catalog()
    return found if len(found) else shipped_catalog()


def self_pay_policy() -> PayerPolicy:
    return PayerPolicy(coding=PayerCodingRules(label=SELF_PAY_LABEL))


def policy_on(*, payer_id: int | None, day: date) -> PayerPolicy:
    """The payer's rules on `day` (payers' rule sets, or the kind defaults); self-pay: CPT rules."""
    if payer_id is None:
        return self_pay_policy()
    return payer_policy_on(payer_pk=payer_id, on=day)


def supervisor_on_file(*, author_id: int, day: date) -> int | None:
    return supervisor_on(day, supervision_periods_for_supervisee(supervisee_id=author_id))


def coverage_facts(coverage: BilledCoverage | None) -> CoverageFacts | None:
    if coverage is None:
        return None
    return CoverageFacts(
        coverage_id=coverage.coverage_id,
        payer_id=coverage.payer_id,
        payer_name=coverage.payer_name,
        member_id=coverage.member_id,
        effective_on=coverage.effective_on,
        terminates_on=coverage.terminates_on,
        payer_kind=coverage.payer_kind,
    )


def eligibility_facts(
    coverage: CoverageFacts | None, *, day: date, window_days: int
) -> EligibilityFacts | None:
    """The coverage's finished eligibility check nearest `day`, within the payer's window."""
    if coverage is None:
        return None
    found = claim_eligibility(
        coverage_id=coverage.coverage_id,
        payer_id=coverage.payer_id,
        date_of_service=day,
        window_days=window_days,
    )
    summary = found.summary
    if summary is None:
        return EligibilityFacts(verified_for=None, window_days=found.window_days) if found.required else None
    return EligibilityFacts(
        verified_for=found.service_date,
        window_days=found.window_days,
        covered=summary.covered,
        reason=summary.reason,
        visit_limit=summary.visit_limit,
        visits_left=summary.visits_left,
        auth_required=summary.auth_required,
    )


def authorizations_for(*, patient_id: int, payer_id: int | None) -> tuple[AuthorizationFacts, ...]:
    if payer_id is None:
        return ()
    return tuple(authorization_facts_for(patient_id=patient_id, payer_id=payer_id))


# ---- claims' own rows ----------------------------------------------------------------------------


def fee_entries(
    *, practice_id: int, payer_id: int | None, codes: Iterable[str] | None = None
) -> tuple[FeeEntry, ...]:
    """The practice's default fees and the payer's (for `codes` only when given)."""
    payers = Q(payer__isnull=True) | (Q(payer_id=payer_id) if payer_id is not None else Q(pk__in=[]))
    rows = FeeScheduleEntry.objects.filter(payers, practice_id=practice_id)
    if codes is not None:
        rows = rows.filter(code__in=set(codes))
    return tuple(
        FeeEntry(
            payer_id=row.payer_id,
            code=row.code,
            modifiers_key=row.modifiers_key,
            amount_cents=row.amount_cents,
            effective_from=row.effective_from,
            effective_to=row.effective_to,
        )
        for row in rows
    )


def day_charges(*, patient_id: int, day: date) -> tuple[DayCharge, ...]:
    """Every charge line of the patient from January 1st of `day`'s year (or
    `EVALUATION_REPEAT_MAX_DAYS` before `day`, whichever is earlier) up to `day` (one query; a
    set without lines is one entry with no code)."""
    since = min(date(day.year, 1, 1), day - timedelta(days=EVALUATION_REPEAT_MAX_DAYS))
    rows = (
        ChargeSet.objects.filter(patient_id=patient_id, date_of_service__gte=since, date_of_service__lte=day)
        .order_by("pk", "lines__line_number")
        .values_list(
            "pk",
            "note_id",
            "payer_id",
            "date_of_service",
            "lines__line_number",
            "lines__code",
            "lines__modifiers",
            "lines__units",
            "rendering_provider_id",
        )
    )
    return tuple(
        DayCharge(
            charge_set_id=pk,
            note_id=note_id,
            payer_id=payer_id,
            date_of_service=dos,
            line_number=number or 0,
            code=code,
            modifiers=tuple(str(m) for m in modifiers or ()),
            units=units or 0,
            rendering_provider_id=rendering_provider_id,
        )
        for pk, note_id, payer_id, dos, number, code, modifiers, units, rendering_provider_id in rows
    )


def charge_row(line: Charge) -> ChargeRow:
    return ChargeRow(
        line_number=line.line_number,
        code=line.code,
        units=line.units,
        modifiers=tuple(str(m) for m in line.modifiers),
        pos=line.place_of_service,
        diagnosis_pointers=tuple(int(p) for p in line.diagnosis_pointers),
        documented_minutes=line.documented_minutes,
        add_on=line.add_on,
        unit_fee_cents=line.unit_fee_cents,
        fee_cents=line.fee_cents,
        fee_source=line.fee_source,
        authorization_id=line.authorization_id,
        auth_number=line.auth_number,
    )


def charge_rows(*, charge_set_id: int) -> list[tuple[int, ChargeRow]]:
    """(charge id, values) of a set's lines by line number."""
    return [
        (line.pk, charge_row(line))
        for line in Charge.objects.filter(charge_set_id=charge_set_id).order_by("line_number")
    ]


# ---- capture -------------------------------------------------------------------------------------


def capture_facts(
    *, note: FinalSession, sessions: Sequence[FinalSession], charges: Sequence[DayCharge]
) -> CaptureFacts:
    """Everything capture decides from (coverage, rules, code set, supervision, authorizations,
    fees), for final note `note` among the day's `sessions`; `charges` from `day_charges`."""
    day = note.date_of_service
    coverage = coverage_facts(primary_billed_coverage_on(patient_id=note.patient_id, on=day))
    payer_id = coverage.payer_id if coverage is not None else None
    return CaptureFacts(
        note=CaptureNote(
            note_id=note.note_id,
            practice_id=note.practice_id,
            patient_id=note.patient_id,
            author_id=note.author_id,
            author_credential=note.author_credential,
            supervisor_id=note.supervisor_id,
            date_of_service=day,
            session=session_facts(note),
        ),
        others=tuple(session_facts(s) for s in sessions if s.note_id != note.note_id),
        coverage=coverage,
        policy=policy_on(payer_id=payer_id, day=day),
        catalog=catalog(),
        captured_units=captured_units(charges, day=day, exclude_note_id=note.note_id),
        diagnoses=tuple(icd10_check(code, on=day) for code in diagnosis_codes(note)),
        supervisor_on_file=supervisor_on_file(author_id=note.author_id, day=day),
        authorizations=authorizations_for(patient_id=note.patient_id, payer_id=payer_id),
        fee_entries=fee_entries(practice_id=note.practice_id, payer_id=payer_id),
    )


def diagnosis_facts(check: Icd10Check) -> DiagnosisFacts:
    return DiagnosisFacts(
        code=check.code or check.raw,
        valid=check.valid,
        billable=check.billable,
        reason=check.reason,
        fiscal_year=check.fiscal_year,
        checked_against=check.fiscal_year if check.exact else check.table_fiscal_year,
    )


# ---- the claim-to-be -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimSpec:
    """One note's charges (stored or just planned) and the facts already read around them.
    `authorizations`: `used` not counting what these charges took."""

    charge_set_id: int | None
    note: FinalSession
    sessions: tuple[FinalSession, ...]
    charges: tuple[DayCharge, ...]
    lines: tuple[ChargeRow, ...]
    coverage: CoverageFacts | None
    self_pay: bool
    policy: PayerPolicy
    catalog: CodeCatalog
    rendering_id: int
    supervising_id: int | None
    supervisor_on_file: int | None  # the author's supervisor on the date from the records
    diagnoses: tuple[DiagnosisFacts, ...]
    authorizations: tuple[AuthorizationFacts, ...]


def stored_claim_spec(
    *, charge_set: ChargeSet, lines: Sequence[ChargeRow], codes: CodeCatalog | None = None
) -> ClaimSpec:
    """A stored charge set with coverage, rules, code set, authorizations and the day read fresh."""
    sessions = final_sessions(note_id=charge_set.note_id)
    note = session_of(sessions, charge_set.note_id)
    if note is None:  # a charge set's note is final for good
        raise LookupError(f"The note of charge set {charge_set.pk} is not final.")
    day = charge_set.date_of_service
    coverage = None
    if charge_set.coverage_id is not None and charge_set.payer_id is not None and not charge_set.self_pay:
        coverage = coverage_facts(billed_coverage_get(coverage_id=charge_set.coverage_id))
    auths = authorizations_for(
        patient_id=charge_set.patient_id, payer_id=coverage.payer_id if coverage is not None else None
    )
    return ClaimSpec(
        charge_set_id=charge_set.pk,
        note=note,
        sessions=tuple(sessions),
        charges=day_charges(patient_id=charge_set.patient_id, day=day),
        lines=tuple(lines),
        coverage=coverage,
        self_pay=charge_set.self_pay,
        policy=policy_on(payer_id=coverage.payer_id if coverage is not None else None, day=day),
        catalog=codes or catalog(),
        rendering_id=charge_set.rendering_provider_id,
        supervising_id=charge_set.supervising_provider_id,
        supervisor_on_file=supervisor_on_file(author_id=note.author_id, day=day),
        diagnoses=tuple(diagnosis_facts(icd10_check(code, on=day)) for code in charge_set.claim_diagnoses),
        authorizations=without_own_usage(lines, auths),
    )


def _claim_providers(spec: ClaimSpec, payer_id: int | None) -> dict[int, ClaimProvider]:
    ids = {spec.rendering_id, *([spec.supervising_id] if spec.supervising_id is not None else [])}
    providers = billing_providers(provider_ids=ids)
    enrollments = enrollments_with_payer(provider_ids=ids, payer_pk=payer_id) if payer_id is not None else {}
    found: dict[int, ClaimProvider] = {}
    for pk, p in providers.items():
        e = enrollments.get(pk)
        found[pk] = ClaimProvider(
            provider_id=pk,
            name=p.name,
            npi=p.npi,
            credential=p.credential,
            level_modifier=level_modifier(p.credential),
            supervised=credential_requires_supervision(p.credential),
            licenses=tuple(
                LicenseFact(issued_on=lic.issued_on, expires_on=lic.expires_on) for lic in p.licenses
            ),
            enrollment=EnrollmentFacts(status=e.status, effective_on=e.effective_on, ends_on=e.ends_on)
            if e is not None
            else None,
        )
    return found


def _note_facts(spec: ClaimSpec) -> NoteFacts:
    note, day = spec.note, spec.note.date_of_service
    crisis, timed = day_minutes(
        ((s.service_type, s.segments) for s in spec.sessions), day=day, catalog=spec.catalog
    )
    return NoteFacts(
        note_id=note.note_id,
        status="final",
        service_type=note.service_type,
        minutes=session_minutes(list(note.segments)),
        requires_cosign=note.requires_cosign,
        cosigned=note.cosigned,
        author_has_supervisor=spec.supervisor_on_file is not None,
        telehealth=note.telehealth,
        patient_at_home=note.patient_at_home,
        place_of_service=note.place_of_service,
        crisis_minutes_on_date=crisis,
        timed_minutes_on_date=timed,
    )


def claim_to_be(spec: ClaimSpec) -> ClaimToBe:
    """The scrubber's input: `spec` plus the patient, the providers with their enrolments with
    the payer, and the practice (billing NPI, today) — four to five queries."""
    note, day = spec.note, spec.note.date_of_service
    payer_id = spec.coverage.payer_id if spec.coverage is not None else None
    patient = patient_billing_facts(patient_id=note.patient_id)
    providers = _claim_providers(spec, payer_id)
    practice = practice_billing_facts(practice_id=note.practice_id)
    return ClaimToBe(
        today=practice.today,
        date_of_service=day,
        patient=PatientFacts(
            patient_id=patient.patient_id,
            date_of_birth=patient.date_of_birth,
            in_part2_program=patient.in_part2_program,
            consents=patient.consents,
        ),
        note=_note_facts(spec),
        lines=tuple(line_facts(line, day=day, catalog=spec.catalog) for line in spec.lines),
        coverage=spec.coverage,
        eligibility=eligibility_facts(
            spec.coverage, day=day, window_days=spec.policy.eligibility.verify_within_days
        ),
        self_pay=spec.self_pay,
        policy=spec.policy,
        billing_npi=practice.billing_npi,
        rendering=providers.get(spec.rendering_id),
        supervising=providers.get(spec.supervising_id) if spec.supervising_id is not None else None,
        diagnoses=spec.diagnoses,
        authorizations=spec.authorizations,
        prior_lines=prior_lines(spec.charges, day=day, exclude_charge_set_id=spec.charge_set_id),
        prior_evaluations=prior_evaluations(
            spec.charges, day=day, payer_id=payer_id, exclude_charge_set_id=spec.charge_set_id
        ),
        prior_visits=prior_visits(
            spec.charges,
            day=day,
            payer_id=payer_id,
            note_id=note.note_id,
            exclude_charge_set_id=spec.charge_set_id,
        ),
    )
