"""Charge capture: one final note -> one `ChargeSet` of `Charge` lines, scrubbed.

The service only orchestrates: it reads the note and the facts around it through the
selectors, locks the patient's date of service (claims' own `CaptureDay` row), lets
`claims.domain.capture_plan.plan_capture` decide the lines, fees, authorizations, supervisor
and "why", scrubs the claim-to-be, and writes the set, its lines, its two events (captured,
scrubbed) and one audit event in the same transaction. A second call returns the existing set;
a concurrent one waits for the lock and then finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import AuditContext, audit_event_record
from claims import lock_objects, selectors
from claims.domain.capture_plan import CaptureFacts, CapturePlan, ChargeRow, plan_capture
from claims.domain.claim_facts import DayCharge, charge_set_of_note
from claims.domain.scrubber import scrub
from claims.domain.status import status_after_scrub
from claims.models import Charge, ChargeEvent, ChargeSet, ChargeStatus
from claims.selectors.facts import ClaimSpec
from claims.services.common import OBJECT_TYPE, SYSTEM, line_dict, new_event, record_usage
from claims.services.scrub import scrub_counts
from clinical_notes.selectors import FinalSession
from core.domain.problems import Problem, problem_as_dict

# Checked by the database (constraints, foreign keys): validating them here would cost a query each.
_DB_CHECKED = {"validate_unique": False, "validate_constraints": False}
_SET_RELATIONS = [
    "practice",
    "note",
    "patient",
    "payer",
    "coverage",
    "rendering_provider",
    "supervising_provider",
]


def charges_capture_for_note(*, note_id: int) -> ChargeSet | None:
    """Capture the charges of final note `note_id` (see the module docstring). Idempotent; None
    when the note is missing or not final."""
    sessions = selectors.final_sessions(note_id=note_id)
    note = selectors.session_of(sessions, note_id)
    if note is None:
        return None
    try:
        with transaction.atomic(durable=True):
            day = note.date_of_service
            lock_objects.lock_patient_day(patient_id=note.patient_id, day=day, at=timezone.now())
            charges = selectors.day_charges(patient_id=note.patient_id, day=day)
            existing = charge_set_of_note(charges, note_id)
            if existing is None:
                return _capture(note, sessions, charges)
    except IntegrityError:
        existing = selectors.charge_set_id_for_note(note_id=note_id)  # a concurrent capture won
        if existing is None:
            raise
    return selectors.charge_set_after_change(charge_set_id=existing)


def _capture(note: FinalSession, sessions: Sequence[FinalSession], charges: Sequence[DayCharge]) -> ChargeSet:
    now = timezone.now()
    facts = selectors.capture_facts(note=note, sessions=sessions, charges=charges)
    plan = plan_capture(facts)
    problems = scrub(selectors.claim_to_be(_claim_spec(facts, plan, note, sessions, charges)))
    charge_set = _new_charge_set(facts, plan, problems, now)
    charge_set.save()
    lines = _save_lines(charge_set, plan.lines)
    usage_notes = record_usage(charge_set, lines, facts.authorizations)
    if usage_notes:
        charge_set.why = list(dict.fromkeys([*plan.why, *usage_notes]))
        charge_set.save(update_fields=["why", "updated_at"])
    ChargeEvent.objects.bulk_create(_capture_events(charge_set, plan, problems, now))
    audit_event_record(
        context=AuditContext.system(SYSTEM),
        action=AuditEvent.Action.CREATE,
        category=Category.BILLING,
        practice_id=note.practice_id,
        patient_id=note.patient_id,
        object_type=OBJECT_TYPE,
        object_id=charge_set.pk,
        detail=f"captured;note={note.note_id};lines={len(lines)};self_pay={plan.self_pay}",
    )
    return charge_set


def _claim_spec(
    facts: CaptureFacts,
    plan: CapturePlan,
    note: FinalSession,
    sessions: Sequence[FinalSession],
    charges: Sequence[DayCharge],
) -> ClaimSpec:
    return ClaimSpec(
        charge_set_id=None,
        note=note,
        sessions=tuple(sessions),
        charges=tuple(charges),
        lines=plan.lines,
        coverage=facts.coverage,
        self_pay=plan.self_pay,
        policy=facts.policy,
        catalog=facts.catalog,
        rendering_id=note.author_id,
        supervising_id=plan.supervising_id,
        supervisor_on_file=facts.supervisor_on_file,
        diagnoses=tuple(selectors.diagnosis_facts(check) for check in facts.diagnoses),
        authorizations=facts.authorizations,
    )


def _new_charge_set(
    facts: CaptureFacts, plan: CapturePlan, problems: list[Problem], now: datetime
) -> ChargeSet:
    """The set as stored: already scrubbed (the events record captured, then scrubbed)."""
    errors, warnings = scrub_counts(problems)
    note = facts.note
    charge_set = ChargeSet(
        practice_id=note.practice_id,
        note_id=note.note_id,
        patient_id=note.patient_id,
        date_of_service=note.date_of_service,
        payer_id=plan.payer_id,
        coverage_id=plan.coverage_id,
        self_pay=plan.self_pay,
        rendering_provider_id=note.author_id,
        supervising_provider_id=plan.supervising_id,
        supervisor_billing=plan.supervisor_billing,
        status=status_after_scrub(has_errors=errors > 0, reviewed=False).value,
        rules_label=plan.rules_label,
        claim_diagnoses=list(plan.claim_diagnoses),
        why=list(plan.why),
        coding_problems=[problem_as_dict(p) for p in plan.coding_problems],
        findings=[problem_as_dict(p) for p in problems],
        error_count=errors,
        warning_count=warnings,
        captured_at=now,
        scrubbed_at=now,
    )
    charge_set.full_clean(
        exclude=[*_SET_RELATIONS, "why", "findings", "coding_problems", "claim_diagnoses"], **_DB_CHECKED
    )
    return charge_set


def _save_lines(charge_set: ChargeSet, rows: Sequence[ChargeRow]) -> list[tuple[int, ChargeRow]]:
    lines = [
        Charge(
            charge_set=charge_set,
            line_number=row.line_number,
            code=row.code,
            units=row.units,
            modifiers=list(row.modifiers),
            place_of_service=row.pos,
            diagnosis_pointers=list(row.diagnosis_pointers),
            documented_minutes=row.documented_minutes,
            add_on=row.add_on,
            unit_fee_cents=row.unit_fee_cents,
            fee_cents=row.fee_cents,
            fee_source=row.fee_source,
            authorization_id=row.authorization_id,
            auth_number=row.auth_number,
        )
        for row in rows
    ]
    for line in lines:
        line.full_clean(exclude=["charge_set", "modifiers", "diagnosis_pointers"], **_DB_CHECKED)
    saved = Charge.objects.bulk_create(lines) if lines else []  # ids returned (PostgreSQL, SQLite)
    return [(line.pk, row) for line, row in zip(saved, rows, strict=True)]


def _capture_events(
    charge_set: ChargeSet, plan: CapturePlan, problems: list[Problem], now: datetime
) -> list[ChargeEvent]:
    errors, warnings = scrub_counts(problems)
    captured = new_event(
        charge_set,
        kind=ChargeEvent.Kind.CAPTURED,
        actor=None,
        at=now,
        to_status=ChargeStatus.CAPTURED,
        after={
            "lines": [line_dict(row) for row in plan.lines],
            "payer_id": plan.payer_id,
            "self_pay": plan.self_pay,
        },
        detail=f"lines={len(plan.lines)};rules={plan.rules_label}",
    )
    scrubbed = new_event(
        charge_set,
        kind=ChargeEvent.Kind.SCRUBBED,
        actor=None,
        at=now,
        from_status=ChargeStatus.CAPTURED,
        to_status=charge_set.status,
        detail=f"errors={errors};warnings={warnings}",
    )
    return [captured, scrubbed]
