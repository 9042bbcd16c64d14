"""Good Faith Estimates: made from the self-pay fee schedule, deadline tracked, billed vs estimate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from claims.models import Charge, ChargeSet
from claims.services import fee_schedule_entry_set
from core.errors import PermissionDenied, ValidationFailed
from estimates.models import GoodFaithEstimate
from estimates.selectors import billed_against_estimate, good_faith_estimate_get
from estimates.services import GfeItemInput, good_faith_estimate_create, good_faith_estimate_issue
from tests.factories.clinical import SessionNoteFactory

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 9)


def make(billing, **changes):  # type: ignore[no-untyped-def]
    values = {
        "access": billing.biller,
        "patient_id": billing.patient.pk,
        "provider_id": billing.clinic.clinician.pk,
        "items": [GfeItemInput("90791"), GfeItemInput("90834", quantity=4)],
        "service_description": "Outpatient psychotherapy: an evaluation, then weekly sessions",
        "service_on": dt.date(2026, 3, 23),
        "scheduled_on": MON,
    }
    values.update(changes)
    return good_faith_estimate_create(**values)


@pytest.fixture
def fees(billing):  # type: ignore[no-untyped-def]
    fee_schedule_entry_set(
        access=billing.admin, code="90791", amount_cents=20000, effective_from=dt.date(2025, 1, 1)
    )
    return billing


def test_a_gfe_holds_what_the_law_asks_and_its_deadline(fees) -> None:  # type: ignore[no-untyped-def]
    gfe = make(fees)
    assert gfe.total_cents == 20000 + 4 * 11000
    assert [(i.code, i.quantity, i.unit_cents, i.total_cents) for i in gfe.items.all()] == [
        ("90791", 1, 20000, 20000),
        ("90834", 4, 11000, 44000),
    ]
    assert all(i.description for i in gfe.items.all())  # our own plain labels
    assert gfe.diagnosis_codes == ["F840"]
    assert gfe.practice_tin == fees.practice.tax_id
    assert gfe.provider_npi == fees.clinic.clinician.npi
    assert gfe.patient_birth_date == fees.patient.date_of_birth
    # scheduled Monday 9 March for Monday 23 March: 10 business days ahead, due in 3
    assert gfe.due_on == dt.date(2026, 3, 12)
    assert gfe.reason == GoodFaithEstimate.Reason.SCHEDULED
    assert AuditEvent.objects.filter(object_type="good_faith_estimate", action="create").count() == 1


def test_a_request_is_due_in_3_business_days(fees) -> None:  # type: ignore[no-untyped-def]
    gfe = make(fees, scheduled_on=None, service_on=None, requested_on=dt.date(2026, 3, 12))
    assert gfe.due_on == dt.date(2026, 3, 17)
    assert gfe.reason == GoodFaithEstimate.Reason.REQUESTED


def test_a_code_without_a_self_pay_fee_stops_the_estimate(billing) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as failed:
        make(billing)  # no default fee for 90791 in the fixture
    assert [p["message"] for p in failed.value.extra["problems"]] == [
        "Item 1: no self-pay fee for 90791 on Mon 23 Mar 2026; add it to the fee schedule."
    ]
    assert not GoodFaithEstimate.objects.exists()


def test_only_billing_editors_make_gfes(fees) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        make(fees, access=fees.access(fees.clinic.clinician_user))


def test_issue_once(fees) -> None:  # type: ignore[no-untyped-def]
    gfe = make(fees)
    at = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
    good_faith_estimate_issue(access=fees.biller, estimate_id=gfe.pk, at=at)
    again = good_faith_estimate_issue(access=fees.biller, estimate_id=gfe.pk, at=at + dt.timedelta(days=1))
    assert again.issued_at == at


def _bill(billing, gfe, cents: int) -> None:  # type: ignore[no-untyped-def]
    signed = dt.datetime(2026, 3, 12, 20, 0, tzinfo=dt.UTC)
    note = SessionNoteFactory(practice=billing.practice, patient=billing.patient, author=billing.clinic.clinician,
                              status="final", date_of_service=gfe.service_on, signed_at=signed,
                              finalized_at=signed, signed_by=billing.clinic.clinician_user)  # fmt: skip
    charge_set = ChargeSet.objects.create(practice=billing.practice, note=note, patient=billing.patient,
                                          date_of_service=gfe.service_on, self_pay=True,
                                          rendering_provider=billing.clinic.clinician, captured_at=signed)  # fmt: skip
    Charge.objects.create(charge_set=charge_set, line_number=1, code="90837", units=1, place_of_service="11",
                          documented_minutes=60, unit_fee_cents=cents, fee_cents=cents)  # fmt: skip


@pytest.mark.parametrize(("billed_cents", "exceeds"), [(39999, False), (40000, True)])
def test_billed_400_or_more_over_the_estimate_warns(fees, billed_cents: int, exceeds: bool) -> None:  # type: ignore[no-untyped-def]
    gfe = make(fees, items=[GfeItemInput("90791")], service_on=dt.date(2026, 3, 12), scheduled_on=MON)
    assert billed_against_estimate(estimate=gfe) is None  # nothing billed yet
    _bill(fees, gfe, 20000 + billed_cents)
    check = billed_against_estimate(estimate=good_faith_estimate_get(access=fees.biller, estimate_id=gfe.pk))
    assert check is not None
    assert check.difference == Decimal(billed_cents) / 100
    assert check.exceeds is exceeds


def test_from_an_appointment_the_dates_come_from_the_booking(fees) -> None:  # type: ignore[no-untyped-def]
    from scheduling.models import AppointmentEvent
    from tests.factories.scheduling import AppointmentFactory

    appointment = AppointmentFactory(
        practice=fees.practice, patient=fees.patient, provider=fees.clinic.clinician,
        starts_at=dt.datetime(2026, 3, 19, 14, 0, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 3, 19, 15, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    event = AppointmentEvent.objects.create(appointment=appointment, to_status="scheduled")
    AppointmentEvent.objects.filter(pk=event.pk).update(
        created_at=dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC)
    )
    gfe = make(fees, scheduled_on=None, service_on=None, appointment_id=appointment.pk)
    assert (gfe.scheduled_on, gfe.service_on, gfe.appointment_id) == (
        MON,
        dt.date(2026, 3, 19),
        appointment.pk,
    )
    assert gfe.due_on == dt.date(2026, 3, 10)  # 8 business days ahead: 1 business day
    other = AppointmentFactory(
        practice=fees.practice, patient=fees.clinic.other_patient, provider=fees.clinic.clinician
    )
    with pytest.raises(ValidationFailed):
        make(fees, appointment_id=other.pk)
