"""Good Faith Estimates: make one (`good_faith_estimate_create`) and record that it was given to
the patient (`good_faith_estimate_issue`).

The charges come from the practice's default (self-pay) fee schedule on the date of service; the
deadline from `estimates.domain.good_faith.gfe_due_on`. What the document shows (names, NPI,
TIN, location, diagnoses) is copied onto it when it is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.domain.capture import modifiers_key
from claims.selectors import catalog
from claims.selectors.fees import billed_fee
from core.domain.identifiers import npi_problems, tax_id_problems
from core.domain.problems import Problem
from core.errors import NotFound, PermissionDenied
from core.formatting import date_label
from core.money import cents_from_decimal
from core.validation import raise_for_problems
from estimates.domain.good_faith import CoProviderInput, gfe_due_on
from estimates.holidays import federal_holiday_table
from estimates.models import GoodFaithEstimate, GoodFaithEstimateItem, GoodFaithEstimateParty
from estimates.selectors import GFE_OBJECT_TYPE
from patients.selectors import diagnosis_list_for_user, patient_get_for_user
from practice.selectors import location_get, practice_get, practice_today, provider_get
from scheduling.selectors import appointment_get

MAX_ITEMS = 24
MAX_QUANTITY = 60  # a course of weekly sessions for a year fits


@dataclass(frozen=True, slots=True)
class GfeItemInput:
    code: str
    quantity: int = 1
    modifiers: tuple[str, ...] = ()


def _require_edit(access: PracticeAccess) -> None:
    if not access.can(Capability.BILLING_EDIT):
        raise PermissionDenied()


def good_faith_estimate_create(
    *,
    access: PracticeAccess,
    patient_id: int,
    provider_id: int,
    items: Sequence[GfeItemInput],
    service_description: str,
    service_on: date | None = None,
    scheduled_on: date | None = None,
    requested_on: date | None = None,
    location_id: int | None = None,
    diagnosis_codes: Sequence[str] | None = None,
    appointment_id: int | None = None,
    co_providers: Sequence[CoProviderInput] = (),
) -> GoodFaithEstimate:
    """Make a GFE. A scheduled service needs its date; a request needs the request date. Every
    item needs a default fee on the date of service (or today, for a request without a date):
    otherwise ValidationFailed naming the item, and nothing saved.

    From an appointment (`appointment_id`): its date of service, location, and the day it was
    booked (its first event, in the practice's time zone) fill what was not given.

    `co_providers`: the co-providers' and co-facilities' expected items at the charges they gave
    (No Surprises Act: the convening provider's GFE includes them). Business days skip the
    federal holidays of `estimates/data/federal_holidays.json`."""
    _require_edit(access)
    if appointment_id is not None:
        booked = appointment_get(access=access, appointment_id=appointment_id)
        view = booked.appointment
        if view.patient_id != patient_id:
            raise_for_problems(
                [Problem("gfe_appointment", "The appointment is another patient's.", "appointment_id")],
                message="The estimate was not made.",
                include_problems=True,
            )
        service_on = service_on or view.date_of_service
        location_id = location_id if location_id is not None else view.location_id
        if scheduled_on is None and requested_on is None:
            first = min((e.at_local for e in booked.events), default=None)
            scheduled_on = (
                first.date() if first is not None else practice_today(practice_id=access.practice_id)
            )
    patient = patient_get_for_user(access=access, patient_id=patient_id, purpose="good_faith_estimate")
    provider = provider_get(access=access, provider_id=provider_id)
    practice = practice_get(access=access)
    location = location_get(access=access, location_id=location_id) if location_id is not None else None
    today = practice_today(practice_id=access.practice_id)
    problems: list[Problem] = []
    if scheduled_on is not None and service_on is None:
        problems.append(Problem("gfe_service_date", "A scheduled service needs its date.", "service_on"))
    if scheduled_on is None and requested_on is None:
        problems.append(
            Problem(
                "gfe_trigger", "Give the date the service was scheduled or the patient asked.", "scheduled_on"
            )
        )
    if not service_description.strip():
        problems.append(Problem("gfe_description", "Describe the primary service.", "service_description"))
    if not items or len(items) > MAX_ITEMS:
        problems.append(Problem("gfe_items", f"List 1 to {MAX_ITEMS} expected services.", "items"))
    priced: list[tuple[GfeItemInput, str, int]] = []
    fee_day = service_on or today
    for number, item in enumerate(items[:MAX_ITEMS], start=1):
        code = item.code.strip().upper()
        info = catalog().lookup(code, on=fee_day)
        fee = billed_fee(practice_id=access.practice_id, code=code, modifiers=item.modifiers, on=fee_day)
        if not 1 <= item.quantity <= MAX_QUANTITY:
            problems.append(
                Problem(
                    "gfe_quantity", f"Item {number}: quantity must be 1 to {MAX_QUANTITY}.", f"items.{number}"
                )
            )
        if info is None:
            problems.append(
                Problem("gfe_code", f"Item {number}: {code} is not a known code.", f"items.{number}")
            )
        elif fee is None:
            problems.append(
                Problem(
                    "gfe_no_fee",
                    f"Item {number}: no self-pay fee for {code} on {date_label(fee_day)}; add it to the fee schedule.",
                    f"items.{number}",
                )
            )
        else:
            priced.append((item, info.label, cents_from_decimal(fee)))
    co_items = [(party, co_item) for party in co_providers for co_item in party.items]
    if len(items) + len(co_items) > MAX_ITEMS:
        problems.append(Problem("gfe_items", f"List at most {MAX_ITEMS} items in all.", "co_providers"))
    for number, party in enumerate(co_providers, start=1):  # the API's parties are checked here
        for problem in [*npi_problems(party.npi), *tax_id_problems(party.tin)]:
            problems.append(Problem(problem.code, f"Co-provider {number}: {problem.message}", "co_providers"))
    for party, co_item in co_items:
        if catalog().lookup(co_item.code, on=fee_day) is None:
            problems.append(
                Problem("gfe_code", f"{party.name}: {co_item.code} is not a known code.", "co_providers")
            )
    first_year, last_year, holidays = federal_holiday_table()
    for day in (scheduled_on, requested_on, service_on):
        if day is not None and not first_year <= day.year <= last_year:
            problems.append(
                Problem(
                    "gfe_holidays",
                    f"The federal holiday table covers {first_year} to {last_year}: add {day.year} to "
                    "estimates/data/federal_holidays.json.",
                    "scheduled_on",
                )
            )
            break
    raise_for_problems(problems, message="The estimate was not made.", include_problems=True)
    if diagnosis_codes is None:
        diagnosis_codes = [
            d.code
            for d in diagnosis_list_for_user(access=access, patient_id=patient.pk)
            if d.resolved_on is None
        ]
    deadline = gfe_due_on(
        scheduled_on=scheduled_on, service_on=service_on, requested_on=requested_on, holidays=holidays
    )
    address = location or practice
    location_text = ", ".join(
        p
        for p in (
            address.address_line1,
            address.address_line2,
            address.city,
            address.state,
            address.postal_code,
        )
        if p
    )
    with transaction.atomic(durable=True):
        estimate = GoodFaithEstimate(
            practice_id=access.practice_id,
            patient_id=patient.pk,
            appointment_id=appointment_id,
            provider_id=provider.pk,
            reason=GoodFaithEstimate.Reason.SCHEDULED if scheduled_on else GoodFaithEstimate.Reason.REQUESTED,
            scheduled_on=scheduled_on,
            requested_on=requested_on,
            service_on=service_on,
            due_on=deadline.due_on,
            deadline_rule=deadline.rule,
            service_description=service_description.strip(),
            diagnosis_codes=list(diagnosis_codes),
            total_cents=sum(unit * item.quantity for item, _, unit in priced)
            + sum(cents_from_decimal(co_item.unit) * co_item.quantity for _, co_item in co_items),
            patient_name=f"{patient.first_name} {patient.last_name}",
            patient_birth_date=patient.date_of_birth,
            provider_name=f"{provider.first_name} {provider.last_name}",
            provider_npi=provider.npi,
            practice_name=practice.legal_name,
            practice_tin=practice.tax_id,
            practice_npi=practice.billing_npi,
            location_text=location_text,
            created_by_id=access.user_id,
        )
        estimate.full_clean()
        estimate.save()
        GoodFaithEstimateItem.objects.bulk_create(
            GoodFaithEstimateItem(
                estimate=estimate,
                line_number=number,
                code=item.code.strip().upper(),
                modifiers_key=modifiers_key(item.modifiers),
                description=label,
                quantity=item.quantity,
                unit_cents=unit,
                total_cents=unit * item.quantity,
            )
            for number, (item, label, unit) in enumerate(priced, start=1)
        )
        line = len(priced)
        for number, party in enumerate(co_providers, start=1):
            row = GoodFaithEstimateParty.objects.create(
                estimate=estimate,
                number=number,
                kind=party.kind,
                name=party.name,
                npi=party.npi,
                tin=party.tin,
                location_text=party.location,
            )
            for co_item in party.items:
                line += 1
                info = catalog().lookup(co_item.code, on=fee_day)
                unit = cents_from_decimal(co_item.unit)
                GoodFaithEstimateItem.objects.create(
                    estimate=estimate,
                    party=row,
                    line_number=line,
                    code=co_item.code,
                    description=info.label if info is not None else co_item.code,
                    quantity=co_item.quantity,
                    unit_cents=unit,
                    total_cents=unit * co_item.quantity,
                )
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.CREATE,
            category=Category.BILLING,
            practice_id=access.practice_id,
            patient_id=patient.pk,
            object_type=GFE_OBJECT_TYPE,
            object_id=estimate.pk,
            detail=f"total_cents={estimate.total_cents};due={deadline.due_on or ''}",
        )
    return estimate


def good_faith_estimate_issue(*, access: PracticeAccess, estimate_id: int, at: datetime) -> GoodFaithEstimate:
    """Record that the GFE was given to the patient (once; a second call changes nothing)."""
    _require_edit(access)
    with transaction.atomic(durable=True):
        estimate = (
            GoodFaithEstimate.objects.select_for_update()
            .filter(practice_id=access.practice_id, pk=estimate_id)
            .first()
        )
        if estimate is None:
            raise NotFound()
        if estimate.issued_at is not None:
            return estimate
        estimate.issued_at = at
        estimate.save(update_fields=["issued_at", "updated_at"])
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.UPDATE,
            category=Category.BILLING,
            practice_id=access.practice_id,
            patient_id=estimate.patient_id,
            object_type=GFE_OBJECT_TYPE,
            object_id=estimate.pk,
            detail="issued",
        )
    return estimate
