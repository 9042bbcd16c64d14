"""Payer use cases: add and change payers, set a provider's enrolment with a payer."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from typing import Any

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from core.domain.problems import Problem
from core.errors import NotFound
from payers.domain.rules import (
    enrollment_problems,
    payer_details_normalized,
    payer_problems,
)
from payers.domain.types import EnrollmentDetails, PayerDetails
from payers.models import Payer, PayerEnrollment
from practice import lock_objects as practice_locks
from practice.services import assign_changed, model_full_clean, raise_if_problems


def _uniqueness_problems(*, practice_id: int, details: PayerDetails, exclude_pk: int | None) -> list[Problem]:
    others = Payer.objects.filter(practice_id=practice_id)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    problems: list[Problem] = []
    if details.name and others.filter(name__iexact=details.name).exists():
        problems.append(Problem("payer_name_taken", "Another payer already has this name.", "name"))
    if details.payer_id and others.filter(payer_id__iexact=details.payer_id).exists():
        problems.append(Problem("payer_id_taken", "Another payer already has this payer ID.", "payer_id"))
    return problems


def _details(payer: Payer) -> PayerDetails:
    return PayerDetails(
        name=payer.name,
        kind=payer.kind,
        payer_id=payer.payer_id,
        claim_filing_indicator=payer.claim_filing_indicator,
        address_line1=payer.address_line1,
        address_line2=payer.address_line2,
        city=payer.city,
        state=payer.state,
        postal_code=payer.postal_code,
        phone=payer.phone,
        timely_filing_days=payer.timely_filing_days,
        appeal_window_days=payer.appeal_window_days,
    )


def payer_create(
    *,
    access: PracticeAccess,
    name: str,
    kind: str,
    payer_id: str = "",
    claim_filing_indicator: str = Payer.ClaimFilingIndicator.COMMERCIAL,
    address_line1: str = "",
    address_line2: str = "",
    city: str = "",
    state: str = "",
    postal_code: str = "",
    phone: str = "",
    timely_filing_days: int = 90,
    appeal_window_days: int = 180,
) -> Payer:
    """Add a payer. `payer_id` is the electronic payer ID (required unless self-pay)."""
    access.require(Capability.PRACTICE_MANAGE)
    details = payer_details_normalized(
        PayerDetails(
            name=name,
            kind=kind,
            payer_id=payer_id,
            claim_filing_indicator=claim_filing_indicator,
            address_line1=address_line1,
            address_line2=address_line2,
            city=city,
            state=state,
            postal_code=postal_code,
            phone=phone,
            timely_filing_days=timely_filing_days,
            appeal_window_days=appeal_window_days,
        )
    )
    with transaction.atomic(durable=True):
        practice_locks.practice_lock(practice_id=access.practice_id)  # serialises the name/ID checks
        problems = payer_problems(details)
        problems += _uniqueness_problems(practice_id=access.practice_id, details=details, exclude_pk=None)
        raise_if_problems(problems)
        payer = Payer(practice_id=access.practice_id, **asdict(details))
        model_full_clean(payer)
        payer.save()
    return payer


def payer_update(
    *,
    access: PracticeAccess,
    payer_pk: int,
    name: str | None = None,
    kind: str | None = None,
    payer_id: str | None = None,
    claim_filing_indicator: str | None = None,
    address_line1: str | None = None,
    address_line2: str | None = None,
    city: str | None = None,
    state: str | None = None,
    postal_code: str | None = None,
    phone: str | None = None,
    timely_filing_days: int | None = None,
    appeal_window_days: int | None = None,
    is_active: bool | None = None,
    era_enrollment: str | None = None,
    era_enrolled_on: date | None = None,
) -> Payer:
    """Change a payer. Arguments left as None stay as they are, except that the ERA enrolment
    date is set (or cleared) together with the ERA enrolment status, when one is given (R19)."""
    access.require(Capability.PRACTICE_MANAGE)
    given = {
        "name": name,
        "kind": kind,
        "payer_id": payer_id,
        "claim_filing_indicator": claim_filing_indicator,
        "address_line1": address_line1,
        "address_line2": address_line2,
        "city": city,
        "state": state,
        "postal_code": postal_code,
        "phone": phone,
        "timely_filing_days": timely_filing_days,
        "appeal_window_days": appeal_window_days,
    }
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    with transaction.atomic(durable=True):
        practice_locks.practice_lock(practice_id=access.practice_id)
        payer = (
            Payer.objects.select_for_update(of=("self",))
            .filter(pk=payer_pk, practice_id=access.practice_id)
            .first()
        )
        if payer is None:
            raise NotFound()
        details = payer_details_normalized(replace(_details(payer), **changes))
        problems = payer_problems(details)
        problems += _uniqueness_problems(practice_id=access.practice_id, details=details, exclude_pk=payer.pk)
        if (
            details.kind == Payer.Kind.SELF_PAY
            and payer.kind != Payer.Kind.SELF_PAY
            and payer.enrollments.exists()
        ):
            problems.append(
                Problem(
                    "payer_has_enrollments",
                    "Providers are enrolled with this payer; it cannot become self-pay.",
                    "kind",
                )
            )
        raise_if_problems(problems)
        values: dict[str, Any] = asdict(details)
        if is_active is not None:
            values["is_active"] = is_active
        if era_enrollment:  # "" or None: as it is
            values["era_enrollment"] = era_enrollment
            values["era_enrolled_on"] = era_enrolled_on
        changed = assign_changed(payer, values)
        model_full_clean(payer)
        if changed:
            payer.save(update_fields=[*changed, "updated_at"])
    return payer


def enrollment_set(
    *,
    access: PracticeAccess,
    provider_id: int,
    payer_pk: int,
    status: str,
    effective_on: date | None = None,
    ends_on: date | None = None,
    payer_provider_id: str = "",
) -> PayerEnrollment:
    """Create or replace a provider's enrolment with a payer (one row per provider and payer)."""
    access.require(Capability.PRACTICE_MANAGE)
    details = EnrollmentDetails(
        status=status.strip(),
        effective_on=effective_on,
        ends_on=ends_on,
        payer_provider_id=payer_provider_id.strip(),
    )
    with transaction.atomic(durable=True):
        provider = practice_locks.providers_lock(
            practice_id=access.practice_id, provider_ids=[provider_id]
        ).get(provider_id)
        payer = Payer.objects.filter(pk=payer_pk, practice_id=access.practice_id).first()
        if provider is None or payer is None:
            raise NotFound()
        raise_if_problems(enrollment_problems(details, payer_kind=payer.kind))
        enrollment = PayerEnrollment.objects.filter(provider=provider, payer=payer).first()
        if enrollment is None:
            enrollment = PayerEnrollment(provider=provider, payer=payer, **asdict(details))
            model_full_clean(enrollment)
            enrollment.save()
        else:
            changed = assign_changed(enrollment, asdict(details))
            model_full_clean(enrollment)
            if changed:
                enrollment.save(update_fields=[*changed, "updated_at"])
    return enrollment
