"""Patient billing (DOMAIN-rcm-pitfalls §6, P1-P6): balances kept apart, statements whose PDF
totals equal the ledger, payments shown as patient payments, credits visible and refundable."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import ValidationFailed
from ledger.billing_selectors import patient_account, patient_ar_rows
from ledger.models import LedgerEntry, PatientStatement
from ledger.patient_billing import (
    credit_apply,
    credit_refund,
    patient_payment_take,
    statement_generate,
    statements_request,
)
from ledger.pdf import statement_pdf
from tests.clinical_notes.views.test_pdf import pdf_text
from tests.ledger.billing.world import DOS, billed_claim, post_era, post_pr_correction

pytestmark = pytest.mark.django_db


def _pdf_text(statement: PatientStatement) -> str:
    return pdf_text(statement_pdf(statement))


def _pay(claim, cents: int, **kw):  # type: ignore[no-untyped-def]
    return patient_payment_take(
        practice_id=claim.practice_id,
        patient_id=claim.patient_id,
        amount_cents=cents,
        method="card",
        received_on=kw.pop("on", DOS),
        **kw,
    )


def test_p1_insurance_pending_is_not_patient_due_even_after_a_statement():
    claim = billed_claim()
    first = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 5)
    )
    assert first.amount_due_cents == 0
    assert first.insurance_pending_cents == 15000
    second = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 10)
    )
    assert second.amount_due_cents == 0
    row = second.content["claims"][0]
    assert row["status"] == "Pending insurance"
    assert row["due_cents"] == 0
    post_era(claim, paid=9000, co=2000, pr=4000)
    after = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 21)
    )
    assert after.amount_due_cents == 4000
    assert after.insurance_pending_cents == 0
    assert "$40.00" in _pdf_text(after)


def test_p2_statement_pdf_total_equals_the_ledger_patient_balance():
    claim = billed_claim()
    post_era(claim, paid=10000, co=1500, pr=3500)
    statement = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 30)
    )
    ledger = sum(
        LedgerEntry.objects.filter(patient_id=claim.patient_id, account="patient").values_list(
            "amount_cents", flat=True
        )
    )
    assert statement.amount_due_cents == ledger == 3500
    text = _pdf_text(statement)
    assert "Amount due: $35.00" in text


def test_p3_copay_at_check_in_shows_as_a_patient_payment():
    claim = billed_claim()
    _pay(claim, 2500, at_time_of_service=True)
    statement = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 5)
    )
    text = _pdf_text(statement)
    assert "Patient payment" in text
    assert "-$25.00" in text
    assert statement.content["payments"][0]["at_time_of_service"] is True


def test_p4_prepayment_is_visible_and_can_be_applied_to_a_date_of_service():
    claim = billed_claim()
    _pay(claim, 10000)
    account = patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id)
    assert account.unapplied_cents == 10000
    assert account.credit_cents == 10000
    statement = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 5)
    )
    assert "Unapplied credit: $100.00" in _pdf_text(statement)
    post_era(claim, paid=9000, co=0, pr=6000)
    applied = credit_apply(
        practice_id=claim.practice_id, patient_id=claim.patient_id, claim_id=claim.pk, on=date(2026, 11, 21)
    )
    assert applied == 6000
    account = patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id)
    assert account.unapplied_cents == 4000
    assert account.claims[0].patient_cents == 0


def test_p5_credit_after_insurance_is_on_the_worklist_and_refunded_with_a_reason():
    claim = billed_claim()
    _pay(claim, 10000)
    post_era(claim, paid=9000, co=0, pr=6000)
    credit_apply(
        practice_id=claim.practice_id, patient_id=claim.patient_id, claim_id=claim.pk, on=date(2026, 11, 21)
    )
    rows, count = patient_ar_rows(practice_id=claim.practice_id, only="credit")
    assert count == 1
    assert rows[0].credit_cents == 4000
    statement = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 11, 22)
    )
    assert statement.credit_cents == 4000
    assert "Credit balance: $40.00" in _pdf_text(statement)
    with pytest.raises(ValidationFailed):
        credit_refund(
            practice_id=claim.practice_id,
            patient_id=claim.patient_id,
            amount_cents=4000,
            reason="",
            on=date(2026, 11, 23),
        )
    with pytest.raises(ValidationFailed):
        credit_refund(
            practice_id=claim.practice_id,
            patient_id=claim.patient_id,
            amount_cents=4001,
            reason="Patient asked",
            on=date(2026, 11, 23),
        )
    credit_refund(
        practice_id=claim.practice_id,
        patient_id=claim.patient_id,
        amount_cents=4000,
        reason="Patient asked",
        on=date(2026, 11, 23),
    )
    assert patient_ar_rows(practice_id=claim.practice_id, only="credit")[1] == 0
    assert patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id).patient_cents == 0


def test_patient_share_is_the_pr_amount_not_the_transfer_netted_to_zero():
    """The PR transfer writes two rows of the same kind (insurance -x, patient +x): the visit's
    "Patient share" column is the patient's leg, not their sum ($0.00 before the UI review)."""
    claim = billed_claim()
    post_era(claim, paid=9000, co=2000, pr=4000)
    row = patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id).claims[0]
    assert row.patient_responsibility_cents == 4000
    assert row.patient_due_cents == 4000


def test_p6_correction_lowering_the_share_makes_a_credit_the_next_statement_shows():
    claim = billed_claim()
    post_era(claim, paid=9000, co=2000, pr=4000)
    _pay(claim, 4000, claim_id=claim.pk, on=date(2026, 11, 22))
    assert patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id).patient_cents == 0
    post_pr_correction(claim, old_pr=4000, new_pr=2000)
    account = patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id)
    assert account.patient_cents == -2000
    assert account.claims[0].patient_responsibility_cents == 2000
    statement = statement_generate(
        practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=date(2026, 12, 2)
    )
    assert statement.credit_cents == 2000
    assert "Credit balance: $20.00" in _pdf_text(statement)
    assert patient_ar_rows(practice_id=claim.practice_id, only="credit")[1] == 1
    credit_refund(
        practice_id=claim.practice_id,
        patient_id=claim.patient_id,
        amount_cents=2000,
        reason="EOB corrected",
        on=date(2026, 12, 3),
    )
    assert patient_account(practice_id=claim.practice_id, patient_id=claim.patient_id).patient_cents == 0


def test_statement_is_made_once_per_patient_and_date_through_the_durable_job():
    claim = billed_claim()
    post_era(claim, paid=9000, co=2000, pr=4000)
    day = date(2026, 11, 25)
    assert statements_request(practice_id=claim.practice_id, statement_date=day) == 1
    assert statements_request(practice_id=claim.practice_id, statement_date=day) == 1  # same job key
    statement_generate(practice_id=claim.practice_id, patient_id=claim.patient_id, statement_date=day)
    assert PatientStatement.objects.filter(patient_id=claim.patient_id, statement_date=day).count() == 1
    from core.models import BackgroundJob

    assert BackgroundJob.objects.filter(key__startswith="statement:").count() == 1
