"""A biller's change to one charge line: `claims.domain.override_plan` decides, this records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from claims import lock_objects, selectors
from claims.domain.capture import LineOverride
from claims.domain.capture_plan import ChargeRow
from claims.domain.findings import line_text, why_after_override
from claims.domain.override_plan import OverrideContext, plan_line_add, plan_override
from claims.models import Charge, ChargeEvent, ChargeSet, ChargeStatus
from claims.services.common import (
    audit_change,
    line_dict,
    new_event,
    raise_problems,
    record_usage,
    release_usage,
    require_edit,
)
from claims.services.scrub import refresh_people, scrub_stored
from core.errors import NotFound

_LINE_FIELDS = [
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
    require_edit(access, object_id=charge_id)
    charge_set_id = selectors.charge_set_id_of_line(practice_id=access.practice_id, charge_id=charge_id)
    change = LineOverride(
        code=code,
        units=units,
        modifiers=tuple(modifiers),
        pos=place_of_service,
        diagnosis_pointers=tuple(diagnosis_pointers),
        reason=reason,
    )
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        line = lock_objects.lock_charge(charge_set_id=charge_set_id, charge_id=charge_id)
        if charge_set is None or line is None:
            raise NotFound()
        context = _context(charge_set, line)
        plan = plan_override(change, context)
        raise_problems(plan.problems, message="The line was not changed.")
        before = line_dict(context.current)
        _save_line(line, plan.line)
        charge_set.why = why_after_override(
            charge_set.why,
            line_number=line.line_number,
            old_code=context.current.code,
            before=line_text(context.current.code, context.current.modifiers, context.current.units),
            after=line_text(plan.line.code, plan.line.modifiers, plan.line.units),
            reason=plan.change.reason,
            who=access.username,
        )
        charge_set.save(update_fields=["why", "updated_at"])
        if plan.released_authorization_id is not None:
            release_usage(authorization_id=plan.released_authorization_id, charge_id=line.pk)
        notes = record_usage(charge_set, [(line.pk, plan.line)], context.authorizations)
        spec = refresh_people(charge_set, codes=context.catalog)
        review_cleared = _clear_review(charge_set, now)
        new_event(
            charge_set,
            kind=ChargeEvent.Kind.OVERRIDDEN,
            actor=access,
            at=now,
            charge_id=line.pk,
            reason=plan.change.reason,
            before=before,
            after=line_dict(plan.line),
            detail=";".join(
                [f"line={line.line_number}", *(["review_cleared"] if review_cleared else []), *notes]
            ),
        ).save()
        scrub_stored(charge_set, actor=access, at=now, spec=spec)
        audit_change(
            access, charge_set, detail=f"override;line={line.line_number};errors={charge_set.error_count}"
        )
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)


def charge_line_add(
    *,
    access: PracticeAccess,
    charge_set_id: int,
    code: str,
    units: int,
    modifiers: Sequence[str],
    place_of_service: str,
    diagnosis_pointers: Sequence[int],
    reason: str,
) -> ChargeSet:
    """A biller adds a line to a note's charges (an E/M visit or an add-on the coding did not
    produce) and says why: checked and recorded like an override (ChargeEvent "line added" with
    the reason), the fee and authorization follow the line, the review is cleared and the
    scrubber runs again. Bad input: ValidationFailed, nothing written."""
    require_edit(access, object_id=charge_set_id)
    change = LineOverride(
        code=code,
        units=units,
        modifiers=tuple(modifiers),
        pos=place_of_service,
        diagnosis_pointers=tuple(diagnosis_pointers),
        reason=reason,
    )
    now = timezone.now()
    with transaction.atomic(durable=True):
        charge_set = lock_objects.lock_charge_set(practice_id=access.practice_id, charge_set_id=charge_set_id)
        if charge_set is None:
            raise NotFound()
        rows = selectors.charge_rows(charge_set_id=charge_set.pk)
        context = _context(charge_set, None)
        plan = plan_line_add(
            change,
            context,
            line_count=max((row.line_number for _pk, row in rows), default=0),
            documented_minutes=max((row.documented_minutes for _pk, row in rows), default=0),
        )
        raise_problems(plan.problems, message="The line was not added.")
        line = Charge(charge_set=charge_set, line_number=plan.line.line_number, add_on=plan.line.add_on)
        line.documented_minutes = plan.line.documented_minutes
        _save_line(line, plan.line, new=True)
        notes = record_usage(charge_set, [(line.pk, plan.line)], context.authorizations)
        spec = refresh_people(charge_set, codes=context.catalog)
        review_cleared = _clear_review(charge_set, now)
        new_event(
            charge_set,
            kind=ChargeEvent.Kind.LINE_ADDED,
            actor=access,
            at=now,
            charge_id=line.pk,
            reason=plan.change.reason,
            before={},
            after=line_dict(plan.line),
            detail=";".join(
                [f"line={line.line_number}", *(["review_cleared"] if review_cleared else []), *notes]
            ),
        ).save()
        scrub_stored(charge_set, actor=access, at=now, spec=spec)
        audit_change(
            access, charge_set, detail=f"line_added;line={line.line_number};errors={charge_set.error_count}"
        )
    return selectors.charge_set_after_change(charge_set_id=charge_set_id)


def _context(charge_set: ChargeSet, line: Charge | None) -> OverrideContext:
    insured = charge_set.payer_id is not None and not charge_set.self_pay
    return OverrideContext(
        current=selectors.charge_row(line) if line is not None else _NO_LINE,
        day=charge_set.date_of_service,
        catalog=selectors.catalog(),
        diagnosis_count=len(charge_set.claim_diagnoses),
        payer_id=charge_set.payer_id,
        self_pay=charge_set.self_pay,
        patient_id=charge_set.patient_id,
        rendering_provider_id=charge_set.rendering_provider_id,
        fee_entries=selectors.fee_entries(practice_id=charge_set.practice_id, payer_id=charge_set.payer_id),
        authorizations=selectors.authorizations_for(
            patient_id=charge_set.patient_id, payer_id=charge_set.payer_id if insured else None
        ),
    )


_NO_LINE = ChargeRow(
    line_number=0,
    code="",
    units=0,
    modifiers=(),
    pos="",
    diagnosis_pointers=(),
    documented_minutes=0,
    add_on=False,
    unit_fee_cents=0,
    fee_cents=0,
    fee_source="",
    authorization_id=None,
    auth_number="",
)


def _save_line(line: Charge, values: ChargeRow, *, new: bool = False) -> None:
    line.code = values.code
    line.units = values.units
    line.modifiers = list(values.modifiers)
    line.place_of_service = values.pos
    line.diagnosis_pointers = list(values.diagnosis_pointers)
    line.unit_fee_cents = values.unit_fee_cents
    line.fee_cents = values.fee_cents
    line.fee_source = values.fee_source
    line.authorization_id = values.authorization_id
    line.auth_number = values.auth_number
    line.overridden = True
    line.full_clean(exclude=["charge_set", "modifiers", "diagnosis_pointers"], validate_unique=not new)
    if new:
        line.save()
    else:
        line.save(update_fields=_LINE_FIELDS)


def _clear_review(charge_set: ChargeSet, now: datetime) -> bool:
    """A changed line needs a fresh review: back to "ready" until the scrubber decides."""
    if charge_set.reviewed_at is None:
        return False
    ChargeSet.objects.filter(pk=charge_set.pk).update(
        status=ChargeStatus.READY, reviewed_at=None, reviewed_by=None, updated_at=now
    )
    charge_set.status = ChargeStatus.READY
    charge_set.reviewed_at = None
    charge_set.reviewed_by = None
    return True
