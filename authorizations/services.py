"""Prior-authorization use cases.

* `authorization_create` / `authorization_update`: billers and admins (AUTHORIZATION_EDIT) record
  a payer's authorization or change it (cancel it, make it live again); audited.
* `authorization_usage_record(auth_id=, source_id=, units=, on=, code=)`: the charges side records
  what a captured charge took. Idempotent on (authorization, source): recording the same charge
  again changes nothing (different units replace the old ones). It joins the caller's
  transaction (the charge capture), so call it from inside your service's durable block.
* `authorization_usage_remove(auth_id=, source_id=)`: a voided charge gives its units back.
* `authorization_alerts_raise(today=)`: the daily job (`tasks.authorization_alerts_task`) brings
  statuses up to date and raises AuthorizationAlert rows, at most one per authorization, kind and
  day (a unique constraint), so running it twice a day creates nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import Enum
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from authorizations import selectors
from authorizations.domain.burn_down import alert_conditions, effective_status
from authorizations.domain.rules import (
    authorization_problems,
    details_normalized,
    settable_status_problems,
    usage_problems,
)
from authorizations.domain.types import (
    AuthorizationDetails,
    AuthorizationProblemCode,
    AuthStatus,
    CapDetails,
    UnitKind,
)
from authorizations.models import (
    AuthorizationAlert,
    AuthorizationCap,
    AuthorizationUsage,
    AuthorizedCode,
    PriorAuthorization,
)
from coding.domain.code_sets import shipped_catalog
from core.domain.problems import Problem
from core.errors import NotFound
from patients.selectors import payer_facts
from practice.selectors import practice_today
from practice.services.common import model_full_clean, raise_if_problems
from scheduling.selectors import patient_facts, provider_facts


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # "leave the rendering provider as it is" (None clears it)


def _party_problems(
    *, practice_id: int, patient_id: int | None, payer_id: int | None, rendering_provider_id: int | None
) -> list[Problem]:
    problems: list[Problem] = []
    if patient_id is not None and patient_facts(practice_id=practice_id, patient_id=patient_id) is None:
        problems.append(Problem(AuthorizationProblemCode.PATIENT_UNKNOWN, "Choose a patient.", "patient_id"))
    if payer_id is not None:
        payer = payer_facts(payer_id=payer_id)
        if payer is None or payer.practice_id != practice_id:
            problems.append(Problem(AuthorizationProblemCode.PAYER_UNKNOWN, "Choose a payer.", "payer_id"))
        elif payer.is_self_pay:
            problems.append(
                Problem(
                    AuthorizationProblemCode.PAYER_SELF_PAY,
                    "Self-pay needs no prior authorization.",
                    "payer_id",
                )
            )
    if (
        rendering_provider_id is not None
        and provider_facts(practice_id=practice_id, provider_id=rendering_provider_id) is None
    ):
        problems.append(
            Problem(AuthorizationProblemCode.PROVIDER_UNKNOWN, "Choose a provider.", "rendering_provider_id")
        )
    return problems


def _number_taken(*, payer_id: int, number: str, exclude_pk: int | None) -> list[Problem]:
    others = PriorAuthorization.objects.filter(payer_id=payer_id, number__iexact=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if number and others.exists():
        return [
            Problem(
                AuthorizationProblemCode.NUMBER_TAKEN,
                "This payer already has an authorization with this number.",
                "number",
            )
        ]
    return []


def _used(authorization_id: int) -> int:
    return sum(
        AuthorizationUsage.objects.filter(authorization_id=authorization_id).values_list("units", flat=True)
    )


def _refresh_status(auth: PriorAuthorization, *, today: dt.date) -> str:
    """Bring the stored status in line with the dates and the usage (conditional update)."""
    status = effective_status(
        stored=AuthStatus(auth.status),
        authorized=auth.authorized,
        used=_used(auth.pk),
        end_on=auth.end_on,
        today=today,
    )
    if status != auth.status:
        PriorAuthorization.objects.filter(pk=auth.pk, status=auth.status).update(
            status=status.value, updated_at=timezone.now()
        )
        auth.status = status.value
    return auth.status


def _audit(access: PracticeAccess, *, action: str, auth: PriorAuthorization, detail: str = "") -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=auth.patient_id,
        object_type="prior_authorization",
        object_id=auth.pk,
        detail=detail,
    )


def authorization_create(
    *,
    access: PracticeAccess,
    patient_id: int,
    payer_id: int,
    number: str,
    codes: Sequence[str],
    authorized: int,
    start_on: dt.date,
    end_on: dt.date,
    unit_kind: str = UnitKind.UNITS.value,
    rendering_provider_id: int | None = None,
    notes: str = "",
    caps: Sequence[CapDetails] = (),
) -> PriorAuthorization:
    """Record a payer's authorization for a patient (codes, units or visits, dates, and caps per
    code or group of codes within the total)."""
    access.require(Capability.AUTHORIZATION_EDIT)
    details = details_normalized(
        AuthorizationDetails(
            number=number,
            codes=tuple(codes),
            unit_kind=unit_kind,
            authorized=authorized,
            start_on=start_on,
            end_on=end_on,
            notes=notes,
            caps=tuple(caps),
        )
    )
    with transaction.atomic(durable=True):
        problems = authorization_problems(details, catalog=shipped_catalog())
        problems += _party_problems(
            practice_id=access.practice_id,
            patient_id=patient_id,
            payer_id=payer_id,
            rendering_provider_id=rendering_provider_id,
        )
        problems += _number_taken(payer_id=payer_id, number=details.number, exclude_pk=None)
        raise_if_problems(problems)
        auth = PriorAuthorization(
            practice_id=access.practice_id,
            patient_id=patient_id,
            payer_id=payer_id,
            number=details.number,
            unit_kind=details.unit_kind,
            authorized=details.authorized,
            start_on=details.start_on,
            end_on=details.end_on,
            rendering_provider_id=rendering_provider_id,
            notes=details.notes,
            created_by_id=access.user_id,
            status=effective_status(
                stored=AuthStatus.ACTIVE,
                authorized=details.authorized,
                used=0,
                end_on=details.end_on,
                today=practice_today(practice_id=access.practice_id),
            ).value,
        )
        model_full_clean(auth)
        auth.save()
        AuthorizedCode.objects.bulk_create(
            [AuthorizedCode(authorization=auth, code=c) for c in details.codes]
        )
        _write_caps(auth, details.caps)
        _audit(access, action=AuditEvent.Action.CREATE, auth=auth)
    return auth


def authorization_update(
    *,
    access: PracticeAccess,
    authorization_id: int,
    number: str | None = None,
    codes: Sequence[str] | None = None,
    unit_kind: str | None = None,
    authorized: int | None = None,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    rendering_provider_id: int | None | Literal[_Keep.KEEP] = KEEP,
    notes: str | None = None,
    status: str | None = None,
    caps: Sequence[CapDetails] | None = None,
) -> PriorAuthorization:
    """Change an authorization; None (KEEP for the provider) leaves a field as it is. `status` may
    be "cancelled" or "active"; expired and exhausted follow from the dates and the usage."""
    access.require(Capability.AUTHORIZATION_EDIT)
    with transaction.atomic(durable=True):
        auth = (
            PriorAuthorization.objects.select_for_update(of=("self",))
            .filter(pk=authorization_id, practice_id=access.practice_id)
            .first()
        )
        if auth is None:
            raise NotFound()
        current_codes = selectors.authorization_codes(auth)
        current_caps = selectors.authorization_caps(auth)
        details = details_normalized(
            AuthorizationDetails(
                number=number if number is not None else auth.number,
                codes=tuple(codes) if codes is not None else current_codes,
                unit_kind=unit_kind if unit_kind is not None else auth.unit_kind,
                authorized=authorized if authorized is not None else auth.authorized,
                start_on=start_on if start_on is not None else auth.start_on,
                end_on=end_on if end_on is not None else auth.end_on,
                notes=notes if notes is not None else auth.notes,
                caps=tuple(caps) if caps is not None else current_caps,
            )
        )
        provider_id = auth.rendering_provider_id if rendering_provider_id is KEEP else rendering_provider_id
        problems = authorization_problems(details, catalog=shipped_catalog())
        problems += _party_problems(
            practice_id=access.practice_id, patient_id=None, payer_id=None, rendering_provider_id=provider_id
        )
        problems += _number_taken(payer_id=auth.payer_id, number=details.number, exclude_pk=auth.pk)
        if status is not None:
            problems += settable_status_problems(status)
        raise_if_problems(problems)
        values: dict[str, Any] = {
            "number": details.number,
            "unit_kind": details.unit_kind,
            "authorized": details.authorized,
            "start_on": details.start_on,
            "end_on": details.end_on,
            "notes": details.notes,
            "rendering_provider_id": provider_id,
        }
        if status is not None:
            values["status"] = status
        changed = [name for name, value in values.items() if getattr(auth, name) != value]
        for name in changed:
            setattr(auth, name, values[name])
        model_full_clean(auth)
        if changed:
            auth.save(update_fields=[*changed, "updated_at"])
        if details.codes != current_codes:
            AuthorizedCode.objects.filter(authorization=auth).exclude(code__in=details.codes).delete()
            AuthorizedCode.objects.bulk_create(
                [AuthorizedCode(authorization=auth, code=c) for c in details.codes if c not in current_codes]
            )
            changed.append("codes")
        if details.caps != current_caps or "codes" in changed:
            _write_caps(auth, details.caps)
            if details.caps != current_caps:
                changed.append("caps")
        before = auth.status
        _refresh_status(auth, today=practice_today(practice_id=access.practice_id))
        if auth.status != before and "status" not in changed:
            changed.append("status")
        if changed:
            _audit(access, action=AuditEvent.Action.UPDATE, auth=auth, detail=f"fields={','.join(changed)}")
    return auth


def _write_caps(auth: PriorAuthorization, caps: Sequence[CapDetails]) -> None:
    """Replace the authorization's caps (checked by `authorization_problems`)."""
    AuthorizationCap.objects.filter(authorization=auth).delete()  # its codes' cap becomes null
    for cap in caps:
        row = AuthorizationCap(authorization=auth, units=cap.units)
        model_full_clean(row)
        row.save()
        AuthorizedCode.objects.filter(authorization=auth, code__in=cap.codes).update(cap=row)


def authorization_usage_record(
    *, auth_id: int, source_id: str | int, units: int, on: dt.date, code: str = ""
) -> AuthorizationUsage:
    """Record what a captured charge took from an authorization (idempotent per source).

    `source_id` names the charge (e.g. "charge-line:42"); `units` are the line's units, or 1 for
    an authorization counted in visits; `code` is the line's code (checked against the
    authorization's codes when given). Raises ValidationFailed (cancelled, outside the dates,
    code not authorized, units < 1) or NotFound.
    """
    source = str(source_id).strip()
    with transaction.atomic():  # joins the charge capture's transaction when there is one
        auth = PriorAuthorization.objects.select_for_update(of=("self",)).filter(pk=auth_id).first()
        if auth is None:
            raise NotFound()
        raise_if_problems(
            usage_problems(
                status=AuthStatus(auth.status),
                codes=frozenset(selectors.authorization_codes(auth)),
                start_on=auth.start_on,
                end_on=auth.end_on,
                source_id=source,
                code=code,
                units=units,
                on=on,
            )
        )
        values = {"code": code.strip().upper(), "units": units, "service_date": on}
        usage = AuthorizationUsage.objects.filter(authorization=auth, source_id=source).first()
        if usage is None:
            usage = AuthorizationUsage(authorization=auth, source_id=source, **values)
            model_full_clean(usage)
            usage.save()
        else:
            changed = [name for name, value in values.items() if getattr(usage, name) != value]
            for name in changed:
                setattr(usage, name, values[name])
            if changed:
                model_full_clean(usage)
                usage.save(update_fields=[*changed, "updated_at"])
        _refresh_status(auth, today=practice_today(practice_id=auth.practice_id))
    return usage


def authorization_usage_remove(*, auth_id: int, source_id: str | int) -> bool:
    """Give back what a voided charge took; False when nothing was recorded for it."""
    with transaction.atomic():
        auth = PriorAuthorization.objects.select_for_update(of=("self",)).filter(pk=auth_id).first()
        if auth is None:
            raise NotFound()
        deleted, _ = AuthorizationUsage.objects.filter(
            authorization=auth, source_id=str(source_id).strip()
        ).delete()
        if deleted:
            _refresh_status(auth, today=practice_today(practice_id=auth.practice_id))
    return bool(deleted)


def authorization_alerts_raise(*, today: dt.date | None = None) -> int:
    """Update statuses and raise today's alerts for every practice; return how many were new.

    Without `today`, each practice's own local date is used.
    """
    with transaction.atomic(durable=True):
        days: dict[int, dt.date] = {}
        due: list[AuthorizationAlert] = []
        for practice_id, auth in selectors.authorizations_for_alerts():
            if practice_id not in days:
                days[practice_id] = today or practice_today(practice_id=practice_id)
            day = days[practice_id]
            used = sum(u.units for u in auth.usages.all())
            status = effective_status(
                stored=AuthStatus(auth.status),
                authorized=auth.authorized,
                used=used,
                end_on=auth.end_on,
                today=day,
            )
            if status != auth.status:
                PriorAuthorization.objects.filter(pk=auth.pk, status=auth.status).update(
                    status=status.value, updated_at=timezone.now()
                )
            for condition in alert_conditions(
                authorized=auth.authorized,
                used=used,
                end_on=auth.end_on,
                today=day,
                status=status,
                unit_kind=UnitKind(auth.unit_kind),
            ):
                due.append(
                    AuthorizationAlert(
                        authorization_id=auth.pk,
                        kind=condition.kind.value,
                        raised_on=day,
                        remaining=condition.remaining,
                        days_left=condition.days_left,
                        message=condition.message,
                    )
                )
        if not due:
            return 0
        existing = set(
            AuthorizationAlert.objects.filter(
                authorization_id__in={a.authorization_id for a in due},
                raised_on__in={a.raised_on for a in due},
            ).values_list("authorization_id", "kind", "raised_on")
        )
        new = [a for a in due if (a.authorization_id, a.kind, a.raised_on) not in existing]
        AuthorizationAlert.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
