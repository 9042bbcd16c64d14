"""What the claims services share: the edit check, event and audit rows (charge and claim events),
line snapshots, and telling the authorizations what a charge took."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Required, TypedDict, Unpack

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from authorizations.domain.types import AuthorizationFacts
from authorizations.services import authorization_usage_record, authorization_usage_remove
from claims.domain.capture_plan import ChargeRow, UsageLine, usage_actions
from claims.models import ChargeEvent, ChargeSet, ClaimEvent
from claims.selectors import CHARGE_OBJECT_TYPE
from core.domain.problems import Problem
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.validation import raise_for_problems

SYSTEM = "charges"
OBJECT_TYPE = CHARGE_OBJECT_TYPE
SYSTEM_LABEL = "system:claims"  # a claim event's actor when no user acted


def raise_problems(problems: Sequence[Problem], message: str = "The data is not valid.") -> None:
    raise_for_problems(problems, message=message, include_problems=True)


def require_edit(access: PracticeAccess, *, object_id: int | str = "") -> None:
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


def line_dict(line: ChargeRow) -> dict[str, Any]:
    return {
        "line": line.line_number,
        "code": line.code,
        "units": line.units,
        "modifiers": list(line.modifiers),
        "pos": line.pos,
        "diagnosis_pointers": list(line.diagnosis_pointers),
        "fee_cents": line.fee_cents,
    }


def new_event(
    charge_set: ChargeSet,
    *,
    kind: str,
    actor: PracticeAccess | None,
    at: datetime,
    charge_id: int | None = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
) -> ChargeEvent:
    """An unsaved event row (save it, or bulk-create several)."""
    return ChargeEvent(
        charge_set=charge_set,
        charge_id=charge_id,
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


def audit_change(access: PracticeAccess, charge_set: ChargeSet, *, detail: str) -> None:
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


def record_usage(
    charge_set: ChargeSet, lines: Sequence[tuple[int, ChargeRow]], auths: Sequence[AuthorizationFacts]
) -> list[str]:
    """Tell the authorizations what these lines took (idempotent per source); notes for the why."""
    usage = [UsageLine(pk, r.code, r.units, r.authorization_id, r.auth_number) for pk, r in lines]
    notes: list[str] = []
    for action in usage_actions(charge_set.pk, usage, auths):
        try:
            if action.units > 0:
                authorization_usage_record(
                    auth_id=action.authorization_id,
                    source_id=action.source_id,
                    units=action.units,
                    on=charge_set.date_of_service,
                    code=action.code,
                )
            else:
                authorization_usage_remove(auth_id=action.authorization_id, source_id=action.source_id)
        except (ValidationFailed, NotFound) as error:
            notes.append(f"Authorization {action.auth_number}: usage not recorded ({error.message}).")
    return notes


def release_usage(*, authorization_id: int, charge_id: int) -> None:
    """Give back what a line took from an authorization it no longer bills against."""
    with contextlib.suppress(NotFound):
        authorization_usage_remove(auth_id=authorization_id, source_id=f"charge-line:{charge_id}")


def claim_event_row(
    claim_id: int,
    *,
    kind: str,
    actor: PracticeAccess | None,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    detail: str = "",
    data: dict[str, Any] | None = None,
    system_label: str = SYSTEM_LABEL,
) -> dict[str, Any]:
    """An event's column values by attname (for `core.bulk.rows_insert`, or `ClaimEvent(**row)`);
    `system_label` names the actor when no user acted."""
    return {
        "claim_id": claim_id,
        "kind": kind,
        "actor_id": actor.user_id if actor is not None else None,
        "actor_label": actor.username if actor is not None else system_label,
        "occurred_at": at,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "detail": detail[:200],
        "data": data or {},
    }


class EventFields(TypedDict, total=False):
    """`claim_event`'s keywords: those of `claim_event_row`."""

    kind: Required[str]
    actor: Required[PracticeAccess | None]
    at: Required[datetime]
    from_status: str
    to_status: str
    reason: str
    detail: str
    data: dict[str, Any] | None
    system_label: str


def claim_event(claim_id: int, **fields: Unpack[EventFields]) -> ClaimEvent:
    """An unsaved event row (save it, or bulk-create several)."""
    return ClaimEvent(**claim_event_row(claim_id, **fields))
