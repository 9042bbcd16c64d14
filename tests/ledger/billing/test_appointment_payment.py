"""The appointment screen's "Record payment" button: only roles that may take payments see it; it
opens the patient's payment form prefilled with the visit's date, the copay the latest eligibility
response gives (when known) and "collected at the visit", and saving it records a copay taken at
the time of service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ledger.models import PatientPayment
from tests.eligibility.world import make_world
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.factories.scheduling import AppointmentFactory

pytestmark = pytest.mark.django_db

DOS = dt.date(2026, 3, 10)


def test_the_button_opens_the_payment_form_prefilled_with_the_visit_and_its_copay(make_member, client_for):  # type: ignore[no-untyped-def]
    # given: a patient whose plan has a $30 copay (sandbox member SBX1002), verified for the visit
    world = make_world(make_member)
    coverage = world.coverage("SBX1002")
    appointment = world.appointment(coverage, DOS)
    world.verified(coverage, DOS)
    client = client_for(world.biller)
    # when: the biller opens the appointment, then its "Record payment" button
    detail = client.get(reverse("scheduling:appointment_detail", args=[appointment.pk])).content.decode()
    url = reverse("patient_billing:appointment_payment", args=[appointment.pk])
    response = client.get(url)
    # then
    assert f'href="{url}#take-payment"' in detail
    assert "Record payment" in detail
    assert response.status_code == 200
    form = response.context["payment_form"]
    assert form.initial == {
        "received_on": DOS,
        "method": "card",
        "at_time_of_service": True,
        "reference": "Copay at check-in",
        "amount": Decimal("30.00"),
    }
    assert response.context["account"].patient_id == coverage.patient_id
    page = response.content.decode()
    assert "the expected copay is $30.00 (Sandbox Health Plan" in page
    assert 'id="take-payment"' in page
    # and saving the prefilled form records a copay taken at the visit
    saved = client.post(
        reverse("patient_billing:payment_add", args=[coverage.patient_id]),
        {"amount": "30.00", "method": "card", "received_on": DOS.isoformat(), "at_time_of_service": "on",
         "reference": "Copay at check-in"},
    )  # fmt: skip
    assert saved.status_code == 302
    payment = PatientPayment.objects.get(patient_id=coverage.patient_id)
    assert (payment.amount_cents, payment.at_time_of_service, payment.received_on) == (3000, True, DOS)


def test_without_a_known_copay_the_amount_is_left_to_the_biller(make_member, client_for):  # type: ignore[no-untyped-def]
    # given: the same kind of visit, never verified
    world = make_world(make_member)
    appointment = world.appointment(world.coverage("SBX1002"), DOS)
    # when
    response = client_for(world.biller).get(
        reverse("patient_billing:appointment_payment", args=[appointment.pk])
    )
    # then: date and "at the visit" prefilled, no amount, and the page says why
    assert response.status_code == 200
    assert "amount" not in response.context["payment_form"].initial
    assert response.context["payment_form"].initial["received_on"] == DOS
    assert "no copay known from an eligibility response" in response.content.decode()
    assert not PatientPayment.objects.exists()


@pytest.mark.parametrize(
    ("_case", "role", "sees_button"),
    [
        ("the biller takes payments", "biller", True),
        ("a practice admin reads billing but takes no payment", "practice_admin", False),
        ("a clinician schedules but takes no payment", "clinician", False),
    ],
)
def test_only_roles_that_record_payments_see_the_button(_case, role, sees_button, make_member, client_for):  # type: ignore[no-untyped-def]
    world = make_world(make_member)
    appointment = world.appointment(world.coverage("SBX1002"), DOS)
    user = world.clinician if role == "clinician" else make_member(role, world.practice)
    page = client_for(user).get(reverse("scheduling:appointment_detail", args=[appointment.pk]))
    assert page.status_code == 200
    assert ('id="record-payment"' in page.content.decode()) is sees_button


def test_an_other_practices_appointment_is_not_found(make_member, client_for, other_practice):  # type: ignore[no-untyped-def]
    world = make_world(make_member)
    patient = PatientFactory(practice=other_practice)
    CoverageFactory(patient=patient, payer=PayerFactory(practice=other_practice))
    elsewhere = AppointmentFactory(practice=other_practice, patient=patient)
    response = client_for(world.biller).get(
        reverse("patient_billing:appointment_payment", args=[elsewhere.pk])
    )
    assert response.status_code == 404
    assert not PatientPayment.objects.exists()
