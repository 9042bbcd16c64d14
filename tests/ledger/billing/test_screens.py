"""Patient-billing screens: take a copay at the visit, see it as a credit while insurance is
pending (P1, P4), apply it once the payer decides, refund a credit with a reason (P5), the
statement PDF, the credit-balance list and its CSV; every account read audited; a patient of
another practice is not found (U5: nothing saved under the wrong patient)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from ledger.models import LedgerEntry, PatientPayment, PatientStatement
from tests.factories import PatientFactory
from tests.ledger.billing.world import billed_claim, post_era

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_member):  # type: ignore[no-untyped-def]
    claim = billed_claim()
    biller = make_member("biller", claim.practice)
    admin = make_member("practice_admin", claim.practice)
    return claim, biller, admin


def test_copay_at_the_visit_then_applied_then_refund(setup, client_for):
    claim, biller, _admin = setup
    client = client_for(biller)
    account_url = reverse("patient_billing:account", args=[claim.patient_id])
    response = client.post(
        reverse("patient_billing:payment_add", args=[claim.patient_id]),
        {
            "amount": "50.00",
            "method": "card",
            "received_on": "2026-11-02",
            "claim": str(claim.pk),
            "at_time_of_service": "on",
            "reference": "R1",
        },
    )
    assert response.status_code == 302
    payment = PatientPayment.objects.get(patient_id=claim.patient_id)
    assert payment.unapplied_cents == 5000  # pending insurance: nothing owed on the claim yet (P1)
    page = client.get(account_url).content.decode()
    assert "Pending insurance" in page
    assert "Unapplied credit" in page
    post_era(claim, paid=9000, co=2000, pr=4000)
    response = client.post(
        reverse("patient_billing:credit_apply", args=[claim.patient_id]), {"claim": str(claim.pk)}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.unapplied_cents == 1000
    bad = client.post(
        reverse("patient_billing:refund", args=[claim.patient_id]), {"amount": "10.00", "reason": ""}
    )
    assert "This field is required" in bad.content.decode()
    assert not LedgerEntry.objects.filter(kind="refund").exists()
    client.post(
        reverse("patient_billing:refund", args=[claim.patient_id]),
        {"amount": "10.00", "reason": "Asked by phone"},
    )
    refund = LedgerEntry.objects.get(kind="refund")
    assert refund.amount_cents == 1000
    assert refund.actor_id == biller.pk
    assert "Asked by phone" in refund.memo
    assert AuditEvent.objects.filter(
        object_type="patient_account", patient_id=claim.patient_id, action="view"
    ).exists()


def test_statement_pdf_and_credit_list_csv(setup, client_for):
    claim, biller, admin = setup
    post_era(claim, paid=9000, co=2000, pr=4000)
    client = client_for(biller)
    client.post(
        reverse("patient_billing:statement_create", args=[claim.patient_id]), {"statement_date": "2026-11-25"}
    )
    statement = PatientStatement.objects.get(patient_id=claim.patient_id)
    assert statement.amount_due_cents == 4000
    pdf = client_for(admin).get(
        reverse("patient_billing:statement_pdf", args=[claim.patient_id, statement.pk])
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("patient_billing:ar"), {"only": "due", "format": "csv"}).content.decode()
            )
        )
    )
    assert rows[0] == ["Patient", "Account", "Insurance pending", "Patient due", "Credit"]
    assert rows[1][1:] == [str(claim.patient_id), "0.00", "40.00", "0.00"]
    assert (
        client.get(reverse("patient_billing:ar"), {"only": "credit", "format": "csv"})
        .content.decode()
        .count("\n")
        == 1
    )


def test_an_other_practices_patient_is_not_found(setup, client_for, other_practice):
    _claim, biller, _admin = setup
    stranger = PatientFactory(practice=other_practice)
    client = client_for(biller)
    assert client.get(reverse("patient_billing:account", args=[stranger.pk])).status_code == 404
    response = client.post(
        reverse("patient_billing:payment_add", args=[stranger.pk]),
        {"amount": "5.00", "method": "cash", "received_on": "2026-11-02"},
    )
    assert response.status_code == 404
    assert not PatientPayment.objects.exists()
