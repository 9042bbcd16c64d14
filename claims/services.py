"""Claims use cases: the hand-off of a final note, charge capture, the scrubber, a biller's
override and review, and the fee schedule.

* `note_ready_to_bill_record(note_id=)`: what the documentation hand-off task runs: records the
  note as ready to bill, then captures its charges. Both steps are idempotent on the note.
* `charges_capture_for_note(note_id=)`: one final note -> one `ChargeSet` of `Charge` lines
  (coded with the patient's other final sessions of the date, under the payer's rules on the
  date), fees, the authorization matched (its usage recorded), the coding's "why", then the
  scrubber. A second call returns the existing set; a concurrent one loses on the unique note.
* `charge_set_scrub`, `charge_override`, `charge_set_mark_reviewed`: a biller's actions.

Every change appends a `ChargeEvent` and an audit event (category billing) in the same
transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import AuditContext, audit_event_record
from authorizations.domain.matching import authorization_for
from authorizations.domain.types import AuthorizationFacts, ServiceToAuthorize, UnitKind
from authorizations.services import authorization_usage_record, authorization_usage_remove
from claims import lock_objects, selectors
from claims.domain.capture import (
    FeeEntry,
    LineOverride,
    fee_for,
    lines_for_note,
    modifiers_key,
    normalized_override,
    override_problems,
)
from claims.domain.scrubber import scrub
from claims.domain.status import review_problems, status_after_scrub
from claims.domain.types import ChargeStatus as Status
from claims.models import BillableNote, Charge, ChargeEvent, ChargeSet, ChargeStatus, FeeScheduleEntry
from clinical_notes.selectors import final_note_ref
from coding.domain.pointers import plan_diagnosis_pointers
from coding.domain.rules import code_day
from coding.domain.types import CodeKind, SessionFacts
from coding.selectors import icd10_check
from core.domain.problems import Problem, Severity, problem_as_dict
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.validation import raise_for_problems
from payer_rules.domain.policy import PayerPolicy, RenderingBilling, rendering_decision
from practice.selectors import practice_today

SYSTEM = "charges"
OBJECT_TYPE = selectors.CHARGE_OBJECT_TYPE


def _raise_problems(problems: Sequence[Problem], message: str = "The data is not valid.") -> None:
    raise_for_problems(problems, message=message, include_problems=True)


def _require_edit(access: PracticeAccess, *, object_id: int | str = "") -> None:
    if access.can(Capability.BILLING_EDIT):
        return
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.UPDATE,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=OBJECT_TYPE,
        object_id=object_id,
        outcome=AuditEvent.Outcome.DENIED,
        detail="reason=capability",
    )
    raise PermissionDenied()


# ---------------------------------------------------------------------------------------------
# The documentation hand-off


def note_ready_to_bill_record(*, note_id: int) -> BillableNote | None:
    """Record the final note `note_id` as ready to bill, then capture its charges.

    Called (through its task) when a note becomes final. Idempotent: a second call finds the
    row and the charge set and changes nothing; a note that is not final (or missing) is not
    recorded (None).
    """
    ref = final_note_ref(note_id=note_id)
    if ref is None:
        return None
    with transaction.atomic(durable=True):
        billable, _created = BillableNote.objects.get_or_create(
            note_id=ref.note_id,
            defaults={
                "practice_id": ref.practice_id,
                "status": BillableNote.Status.READY_TO_BILL,
                "recorded_at": timezone.now(),
            },
        )
    charges_capture_for_note(note_id=note_id)
    return billable


# ---------------------------------------------------------------------------------------------
# Capture


@dataclass(frozen=True, slots=True)
class _People:
    supervising_id: int | None
    supervisor_billing: str


def _people(
    policy: PayerPolicy, *, insured: bool, credential: str, codes: Sequence[str], supervisor_id: int | None
) -> tuple[_People, list[str]]:
    """Who the claim names besides the performer: the supervisor, when the payer bills this
    credential's codes under one (as supervising provider, or as the rendering provider)."""
    if not insured:
        return _People(supervising_id=None, supervisor_billing=""), []
    decisions = [
        rendering_decision(policy, credential=credential, code=code) for code in dict.fromkeys(codes)
    ]
    billings = {d.billing for d in decisions}
    why = [d.why for d in decisions if d.supervisor_on_claim or not d.allowed]
    if RenderingBilling.SUPERVISOR_RENDERS in billings:
        billing = RenderingBilling.SUPERVISOR_RENDERS.value
    elif RenderingBilling.WITH_SUPERVISOR in billings:
        billing = RenderingBilling.WITH_SUPERVISOR.value
    else:
        return _People(supervising_id=None, supervisor_billing=""), why
    if supervisor_id is None:
        why.append(f"No supervisor of the {credential} is on file for the date of service.")
    return _People(supervising_id=supervisor_id, supervisor_billing=billing), why


def _auth_for(
    auths: Sequence[AuthorizationFacts],
    *,
    patient_id: int,
    payer_id: int,
    code: str,
    day: date,
    provider_id: int,
    units: int,
) -> AuthorizationFacts | None:
    return authorization_for(
        ServiceToAuthorize(
            patient_id=patient_id, payer_id=payer_id, code=code, on=day, provider_id=provider_id, units=units
        ),
        auths,
    )


def _record_usage(
    charge_set: ChargeSet, lines: Sequence[Charge], auths: Sequence[AuthorizationFacts]
) -> list[str]:
    """Tell the authorizations what these charges took (idempotent per source); return notes for the why."""
    kinds = {a.authorization_id: a.unit_kind for a in auths}
    notes: list[str] = []
    visits_done: set[int] = set()
    for line in lines:
        auth_id = line.authorization_id
        if auth_id is None or auth_id not in kinds:
            continue
        if kinds[auth_id] is UnitKind.VISITS:
            source, units = f"charge-set:{charge_set.pk}", 1
            if auth_id in visits_done:
                continue
            visits_done.add(auth_id)
        else:
            source, units = f"charge-line:{line.pk}", line.units
        try:
            if units > 0:
                authorization_usage_record(
                    auth_id=auth_id,
                    source_id=source,
                    units=units,
                    on=charge_set.date_of_service,
                    code=line.code,
                )
            else:
                authorization_usage_remove(auth_id=auth_id, source_id=source)
        except (ValidationFailed, NotFound) as error:
            notes.append(f"Authorization {line.auth_number}: usage not recorded ({error.message}).")
    return notes


def _fees(
    entries: Sequence[FeeEntry],
    *,
    payer_id: int | None,
    code: str,
    modifiers: Sequence[str],
    units: int,
    day: date,
) -> tuple[int, int, str, str]:
    fee = fee_for(entries, payer_id=payer_id, code=code, modifiers=modifiers, on=day)
    return fee.unit_cents, fee.unit_cents * max(units, 0), fee.source, fee.why


def _line_keys(lines: Sequence[Any]) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(line.code, line.units, tuple(line.modifiers)) for line in lines]


def _session_index_problems(problems: Sequence[Problem], index: int) -> list[Problem]:
    """The coding problems about this note's session (or about the day as a whole)."""
    mine = f"sessions[{index}]"
    return [p for p in problems if not p.field.startswith("sessions[") or p.field.startswith(mine)]


def charges_capture_for_note(*, note_id: int) -> ChargeSet | None:
    """Capture the charges of final note `note_id` (see the module docstring). Idempotent."""
    existing = selectors.charge_set_id_for_note(note_id=note_id)
    if existing is not None:
        return selectors.charge_set_after_change(charge_set_id=existing)
    note = selectors.note_for_capture(note_id=note_id)
    if note is None:
        return None
    try:
        with transaction.atomic(durable=True):
            lock_objects.lock_patient_day(patient_id=note.patient_id, day=note.date_of_service)
            charge_set_id = selectors.charge_set_id_for_note(note_id=note_id) or _capture(note)
    except IntegrityError:
        found = selectors.charge_set_id_for_note(note_id=note_id)  # a concurrent capture won
        if found is None:
            raise
        charge_set_id = found
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)


def _capture(note: selectors.NoteForCapture) -> int:
    day = note.date_of_service
    now = timezone.now()
    coverage = selectors.primary_coverage_on(patient_id=note.patient_id, day=day)
    payer_id = coverage.payer_id if coverage is not None else None
    policy = selectors.policy_on(payer_id=payer_id, day=day)
    codes = selectors.catalog()
    others = selectors.day_sessions(patient_id=note.patient_id, day=day, exclude_note_id=note.note_id)
    sessions: list[SessionFacts] = sorted(
        [*others, note.session], key=lambda s: int(s.session_ref.split(":")[1])
    )
    index = sessions.index(note.session)
    day_result = code_day(sessions, policy.coding, catalog=codes)
    captured = selectors.captured_units_on(patient_id=note.patient_id, day=day, exclude_note_id=note.note_id)
    share = lines_for_note(day_result, note_ref=note.session.session_ref, captured_units=captured)

    why: list[str] = []
    if coverage is None:
        why.append(f"No primary coverage active on {day}: self-pay, coded by the CPT rules alone.")
    else:
        why.append(f"Payer: {coverage.payer_name}, the primary coverage active on {day}.")
    coding_why = day_result.why
    if others:
        alone = code_day([note.session], policy.coding, catalog=codes)
        same = _line_keys(alone.lines) == _line_keys(share.lines)
        why.append(
            f"Coded with the patient's {len(others)} other final session(s) of {day}"
            + (
                ": the day changes nothing on this note's lines."
                if same
                else ": the day's totals change this note's lines."
            )
        )
        coding_why = alone.why if same else day_result.why
    why += list(coding_why)
    why += list(share.why)

    checks = [icd10_check(code, on=day) for code in note.diagnoses]
    claim_codes = tuple(dict.fromkeys(c.code or c.raw for c in checks))
    plan = plan_diagnosis_pointers([claim_codes]) if claim_codes else None
    pointers = list(plan.pointers[0]) if plan is not None else []
    if plan is not None:
        why += list(plan.why)
    coding_problems = _session_index_problems(day_result.problems, index)
    if plan is not None:
        coding_problems += list(plan.problems)

    supervisor_id = selectors.supervisor_for(
        author_id=note.author_id, note_supervisor_id=note.supervisor_id, day=day
    )
    people, people_why = _people(
        policy,
        insured=coverage is not None,
        credential=note.author_credential,
        codes=[line.code for line in share.lines],
        supervisor_id=supervisor_id,
    )
    why += people_why

    auths = (
        selectors.authorizations_for(patient_id=note.patient_id, payer_id=payer_id)
        if payer_id is not None
        else []
    )
    entries = selectors.fee_entries(
        practice_id=note.practice_id, payer_id=payer_id, codes=[line.code for line in share.lines]
    )
    charge_set = ChargeSet(
        practice_id=note.practice_id,
        note_id=note.note_id,
        patient_id=note.patient_id,
        date_of_service=day,
        payer_id=payer_id,
        coverage_id=coverage.coverage_id if coverage is not None else None,
        self_pay=coverage is None,
        rendering_provider_id=note.author_id,
        supervising_provider_id=people.supervising_id,
        supervisor_billing=people.supervisor_billing,
        status=ChargeStatus.CAPTURED,
        rules_label=policy.coding.label,
        claim_diagnoses=list(claim_codes),
        captured_at=now,
    )
    charge_set.full_clean(exclude=["note", "why", "findings", "coding_problems", "claim_diagnoses"])
    charge_set.save()
    rows: list[Charge] = []
    for number, line in enumerate(share.lines, start=1):
        unit_fee, fee, source, fee_why = _fees(
            entries, payer_id=payer_id, code=line.code, modifiers=line.modifiers, units=line.units, day=day
        )
        why.append(fee_why)
        auth = None
        if payer_id is not None:
            auth = _auth_for(
                auths,
                patient_id=note.patient_id,
                payer_id=payer_id,
                code=line.code,
                day=day,
                provider_id=note.author_id,
                units=line.units,
            )
            if auth is not None:
                why.append(f"{line.code}: authorization {auth.number} covers {day}.")
        rows.append(
            Charge(
                charge_set=charge_set,
                line_number=number,
                code=line.code,
                units=line.units,
                modifiers=list(line.modifiers),
                place_of_service=line.pos,
                diagnosis_pointers=pointers,
                documented_minutes=line.minutes,
                add_on=line.add_on,
                unit_fee_cents=unit_fee,
                fee_cents=fee,
                fee_source=source,
                authorization_id=auth.authorization_id if auth is not None else None,
                auth_number=auth.number if auth is not None else "",
            )
        )
    for row in rows:
        row.full_clean(exclude=["charge_set", "modifiers", "diagnosis_pointers"])
    Charge.objects.bulk_create(rows)
    rows = list(Charge.objects.filter(charge_set=charge_set).order_by("line_number"))
    why += _record_usage(charge_set, rows, auths)
    if not rows:
        why.append("Nothing on this note is billable (see the coding notes).")
    charge_set.why = list(dict.fromkeys(why))
    charge_set.coding_problems = [problem_as_dict(p) for p in coding_problems]
    charge_set.save(update_fields=["why", "coding_problems", "updated_at"])
    _event(
        charge_set,
        kind=ChargeEvent.Kind.CAPTURED,
        actor=None,
        at=now,
        to_status=ChargeStatus.CAPTURED,
        after={
            "lines": [_line_dict(row) for row in rows],
            "payer_id": payer_id,
            "self_pay": coverage is None,
        },
        detail=f"lines={len(rows)};rules={policy.coding.label}"[:200],
    )
    audit_event_record(
        context=AuditContext.system(SYSTEM),
        action=AuditEvent.Action.CREATE,
        category=Category.BILLING,
        practice_id=note.practice_id,
        patient_id=note.patient_id,
        object_type=OBJECT_TYPE,
        object_id=charge_set.pk,
        detail=f"captured;note={note.note_id};lines={len(rows)};self_pay={coverage is None}",
    )
    _scrub(charge_set, actor=None, at=now)
    return charge_set.pk


# ---------------------------------------------------------------------------------------------
# The scrubber


def _line_dict(line: Charge) -> dict[str, Any]:
    return {
        "line": line.line_number,
        "code": line.code,
        "units": line.units,
        "modifiers": list(line.modifiers),
        "pos": line.place_of_service,
        "diagnosis_pointers": list(line.diagnosis_pointers),
        "fee_cents": line.fee_cents,
    }


def _event(
    charge_set: ChargeSet,
    *,
    kind: str,
    actor: PracticeAccess | None,
    at: datetime,
    charge: Charge | None = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
) -> ChargeEvent:
    event = ChargeEvent(
        charge_set=charge_set,
        charge=charge,
        kind=kind,
        actor_id=actor.user_id if actor is not None else None,
        actor_label=actor.username if actor is not None else f"system:{SYSTEM}",
        occurred_at=at,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        before=before or {},
        after=after or {},
        detail=detail[:200],
    )
    event.save()
    return event


def _scrub(charge_set: ChargeSet, *, actor: PracticeAccess | None, at: datetime) -> list[Problem]:
    """Run the scrubber on the stored charges; store the findings and the status they lead to."""
    claim = selectors.claim_to_be_for_charge_set(
        charge_set_id=charge_set.pk, today=practice_today(practice_id=charge_set.practice_id)
    )
    problems = scrub(claim)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    before = charge_set.status
    after = status_after_scrub(has_errors=errors > 0, reviewed=charge_set.reviewed_at is not None)
    updated = ChargeSet.objects.filter(pk=charge_set.pk, status=before).update(
        findings=[problem_as_dict(p) for p in problems],
        error_count=errors,
        warning_count=warnings,
        status=after.value,
        scrubbed_at=at,
        updated_at=at,
    )
    if updated != 1:
        raise Conflict("The charges changed while they were scrubbed; reload them.", code="charges_conflict")
    charge_set.status = after.value
    charge_set.error_count = errors
    charge_set.warning_count = warnings
    _event(
        charge_set,
        kind=ChargeEvent.Kind.SCRUBBED,
        actor=actor,
        at=at,
        from_status=before,
        to_status=after.value,
        detail=f"errors={errors};warnings={warnings}",
    )
    return problems


def charge_set_scrub(*, access: PracticeAccess, charge_set_id: int) -> ChargeSet:
    """Re-run the scrubber (after the coverage, an authorization or a licence was fixed)."""
    _require_edit(access, object_id=charge_set_id)
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        if charge_set is None:
            raise NotFound()
        _scrub(charge_set, actor=access, at=now)
        _audit(access, charge_set, detail=f"scrubbed;errors={charge_set.error_count}")
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)


def _audit(access: PracticeAccess, charge_set: ChargeSet, *, detail: str) -> None:
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.UPDATE,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=charge_set.patient_id,
        object_type=OBJECT_TYPE,
        object_id=charge_set.pk,
        detail=detail[:200],
    )


# ---------------------------------------------------------------------------------------------
# A biller's override and review


def charge_override(
    *,
    access: PracticeAccess,
    charge_id: int,
    code: str,
    units: int,
    modifiers: Sequence[str],
    place_of_service: str,
    diagnosis_pointers: Sequence[int],
    reason: str,
) -> ChargeSet:
    """A biller changes one line (code, units, modifiers, place of service, pointers) and says why.

    The reason is required; who, when, before and after are recorded (a ChargeEvent), the fee
    and the authorization usage follow the line, the review is cleared and the scrubber runs
    again. Bad input (unknown code, modifier or POS, negative units, a pointer to a diagnosis
    the claim does not list, no reason, no change): ValidationFailed, nothing written.
    Units 0 drop the line from the claim.
    """
    _require_edit(access, object_id=charge_id)
    found = (
        Charge.objects.filter(pk=charge_id, charge_set__practice_id=access.practice_id)
        .values_list("charge_set_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound()
    charge_set_id = found
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        line = lock_objects.lock_charge(charge_set_id=charge_set_id, charge_id=charge_id)
        if charge_set is None or line is None:
            raise NotFound()
        day = charge_set.date_of_service
        change = normalized_override(
            LineOverride(
                code=code,
                units=units,
                modifiers=tuple(modifiers),
                pos=place_of_service,
                diagnosis_pointers=tuple(diagnosis_pointers),
                reason=reason,
            )
        )
        current = LineOverride(
            code=line.code,
            units=line.units,
            modifiers=tuple(line.modifiers),
            pos=line.place_of_service,
            diagnosis_pointers=tuple(line.diagnosis_pointers),
            reason="",
        )
        codes = selectors.catalog()
        info = codes.lookup(change.code, on=day)
        _raise_problems(
            override_problems(
                change,
                current=current,
                code_known=info is not None and info.kind in (CodeKind.CPT, CodeKind.HCPCS),
                pos_known=codes.lookup(change.pos, on=day, kind=CodeKind.POS) is not None,
                unknown_modifiers=[
                    m for m in change.modifiers if codes.lookup(m, on=day, kind=CodeKind.MODIFIER) is None
                ],
                diagnosis_count=len(charge_set.claim_diagnoses),
            ),
            message="The line was not changed.",
        )
        before = _line_dict(line)
        entries = selectors.fee_entries(
            practice_id=charge_set.practice_id, payer_id=charge_set.payer_id, codes=[change.code]
        )
        unit_fee, fee, source, _why = _fees(
            entries,
            payer_id=charge_set.payer_id,
            code=change.code,
            modifiers=change.modifiers,
            units=change.units,
            day=day,
        )
        auths: list[AuthorizationFacts] = []
        old_auth_id = line.authorization_id
        if charge_set.payer_id is not None and not charge_set.self_pay:
            auths = selectors.authorizations_for(
                patient_id=charge_set.patient_id, payer_id=charge_set.payer_id
            )
            auth = _auth_for(
                auths,
                patient_id=charge_set.patient_id,
                payer_id=charge_set.payer_id,
                code=change.code,
                day=day,
                provider_id=charge_set.rendering_provider_id,
                units=change.units,
            )
            line.authorization_id = auth.authorization_id if auth is not None else None
            line.auth_number = auth.number if auth is not None else ""
        line.code = change.code
        line.units = change.units
        line.modifiers = list(change.modifiers)
        line.place_of_service = change.pos
        line.diagnosis_pointers = list(change.diagnosis_pointers)
        line.unit_fee_cents = unit_fee
        line.fee_cents = fee
        line.fee_source = source
        line.overridden = True
        line.full_clean(exclude=["charge_set", "modifiers", "diagnosis_pointers"])
        line.save(
            update_fields=[
                "code",
                "units",
                "modifiers",
                "place_of_service",
                "diagnosis_pointers",
                "unit_fee_cents",
                "fee_cents",
                "fee_source",
                "authorization_id",
                "auth_number",
                "overridden",
                "updated_at",
            ]
        )
        if old_auth_id is not None and old_auth_id != line.authorization_id:
            with contextlib.suppress(NotFound):
                authorization_usage_remove(auth_id=old_auth_id, source_id=f"charge-line:{line.pk}")
        notes = _record_usage(charge_set, [line], auths)
        _refresh_people(charge_set)
        review_cleared = charge_set.reviewed_at is not None
        if review_cleared:
            # A changed line needs a fresh review: back to "ready" until the scrubber decides.
            ChargeSet.objects.filter(pk=charge_set.pk).update(
                status=ChargeStatus.READY, reviewed_at=None, reviewed_by=None, updated_at=now
            )
            charge_set.status = ChargeStatus.READY
            charge_set.reviewed_at = None
            charge_set.reviewed_by = None
        _event(
            charge_set,
            kind=ChargeEvent.Kind.OVERRIDDEN,
            actor=access,
            at=now,
            charge=line,
            reason=change.reason,
            before=before,
            after=_line_dict(line),
            detail=";".join(
                [f"line={line.line_number}", *(["review_cleared"] if review_cleared else []), *notes]
            )[:200],
        )
        _scrub(charge_set, actor=access, at=now)
        _audit(access, charge_set, detail=f"override;line={line.line_number};errors={charge_set.error_count}")
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)


def _refresh_people(charge_set: ChargeSet) -> None:
    """After a code changed: does the payer now bill it under the supervisor?"""
    if charge_set.self_pay or charge_set.payer_id is None:
        return
    day = charge_set.date_of_service
    policy = selectors.policy_on(payer_id=charge_set.payer_id, day=day)
    credential, note_supervisor = selectors.rendering_context(charge_set_id=charge_set.pk)
    supervisor_id = selectors.supervisor_for(
        author_id=charge_set.rendering_provider_id, note_supervisor_id=note_supervisor, day=day
    )
    people, _why = _people(
        policy,
        insured=True,
        credential=credential,
        codes=list(Charge.objects.filter(charge_set=charge_set, units__gt=0).values_list("code", flat=True)),
        supervisor_id=supervisor_id,
    )
    if (charge_set.supervising_provider_id, charge_set.supervisor_billing) != (
        people.supervising_id,
        people.supervisor_billing,
    ):
        charge_set.supervising_provider_id = people.supervising_id
        charge_set.supervisor_billing = people.supervisor_billing
        charge_set.save(update_fields=["supervising_provider", "supervisor_billing", "updated_at"])


def charge_set_mark_reviewed(*, access: PracticeAccess, charge_set_id: int) -> ChargeSet:
    """A biller marks the charges reviewed (only when the scrubber found no errors)."""
    _require_edit(access, object_id=charge_set_id)
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        if charge_set is None:
            raise NotFound()
        before = charge_set.status
        _raise_problems(
            review_problems(status=Status(before), error_count=charge_set.error_count),
            message="The charges cannot be marked reviewed.",
        )
        updated = ChargeSet.objects.filter(pk=charge_set.pk, status=before).update(
            status=ChargeStatus.REVIEWED, reviewed_at=now, reviewed_by_id=access.user_id, updated_at=now
        )
        if updated != 1:
            raise Conflict("The charges changed; reload them.", code="charges_conflict")
        _event(
            charge_set,
            kind=ChargeEvent.Kind.REVIEWED,
            actor=access,
            at=now,
            from_status=before,
            to_status=ChargeStatus.REVIEWED,
        )
        _audit(access, charge_set, detail=f"reviewed;{before}->reviewed")
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)


# ---------------------------------------------------------------------------------------------
# Fee schedule


def fee_schedule_entry_set(
    *,
    access: PracticeAccess,
    code: str,
    amount_cents: int,
    effective_from: date,
    payer_id: int | None = None,
    modifiers: Sequence[str] = (),
    effective_to: date | None = None,
) -> FeeScheduleEntry:
    """Set the practice's fee for a code (and modifiers), for a payer or as the default (upsert on
    practice, payer, code, modifiers and start date). Unknown payer or code, a negative amount:
    ValidationFailed, nothing written."""
    if not (access.can(Capability.BILLING_EDIT) or access.can(Capability.PRACTICE_MANAGE)):
        raise PermissionDenied()
    problems: list[Problem] = []
    code = code.strip().upper()
    if payer_id is not None and not selectors.payer_in_practice(
        practice_id=access.practice_id, payer_id=payer_id
    ):
        problems.append(Problem("fee_payer_unknown", "No such payer in this practice.", "payer"))
    info = selectors.catalog().lookup(code, on=effective_from)
    if info is None or info.kind not in (CodeKind.CPT, CodeKind.HCPCS):
        problems.append(
            Problem(
                "fee_code_unknown",
                f"{code or 'The code'} is not a CPT/HCPCS code on {effective_from}.",
                "code",
            )
        )
    if amount_cents < 0:
        problems.append(Problem("fee_amount_negative", "A fee cannot be negative.", "amount_cents"))
    if effective_to is not None and effective_to < effective_from:
        problems.append(
            Problem("fee_dates_order", "The end date cannot be before the start date.", "effective_to")
        )
    _raise_problems(problems, message="The fee was not saved.")
    key = modifiers_key(modifiers)
    with transaction.atomic(durable=True):
        payer_lookup: dict[str, object] = (
            {"payer_id": payer_id} if payer_id is not None else {"payer__isnull": True}
        )
        entry = (
            FeeScheduleEntry.objects.select_for_update()
            .filter(
                **payer_lookup,
                practice_id=access.practice_id,
                code=code,
                modifiers_key=key,
                effective_from=effective_from,
            )
            .first()
        )
        if entry is not None and (entry.amount_cents, entry.effective_to) == (amount_cents, effective_to):
            return entry  # already so: nothing to write, nothing to audit
        created = entry is None
        if entry is None:
            entry = FeeScheduleEntry(
                practice_id=access.practice_id,
                payer_id=payer_id,
                code=code,
                modifiers_key=key,
                effective_from=effective_from,
            )
        entry.amount_cents = amount_cents
        entry.effective_to = effective_to
        entry.full_clean()
        entry.save()
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            category=Category.BILLING,
            practice_id=access.practice_id,
            object_type="fee_schedule_entry",
            object_id=entry.pk,
            detail=f"code={code};modifiers={key};cents={amount_cents}",
        )
    return entry
