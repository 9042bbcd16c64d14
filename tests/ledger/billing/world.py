"""Helpers for patient-billing tests: claims (factories) and the ledger rows an ERA posting
writes for them (charge, payer payment, contractual adjustment, patient responsibility)."""

from __future__ import annotations

from datetime import date

from claims.models import Claim, ClaimLine
from ledger.models import Account, EntryKind, LedgerEntry
from tests.factories.claims import ClaimFactory, ClaimLineFactory

DOS = date(2026, 11, 2)


def billed_claim(
    patient_coverage: object | None = None, *, status: str = "submitted", cents: int = 15000, **kw: object
) -> Claim:
    extra: dict[str, object] = {"coverage": patient_coverage} if patient_coverage is not None else {}
    claim: Claim = ClaimFactory(
        status=status, total_cents=cents, date_from=kw.pop("date_from", DOS), **extra, **kw
    )
    ClaimLineFactory(claim=claim, charge_cents=cents)
    return claim


def post_era(
    claim: Claim, *, paid: int, co: int, pr: int, on: date = date(2026, 11, 20), first: bool = True
) -> None:
    """What remittance posting writes for one claim line (the charge only on the first ERA)."""
    line = ClaimLine.objects.filter(claim=claim).first()
    assert line is not None
    common = {
        "practice_id": claim.practice_id,
        "patient_id": claim.patient_id,
        "claim_id": claim.pk,
        "claim_line_id": line.pk,
        "occurred_on": on,
    }
    rows = []
    if first:
        rows.append(
            LedgerEntry(
                account=Account.INSURANCE, kind=EntryKind.CHARGE, amount_cents=line.charge_cents, **common
            )
        )
    if paid:
        rows.append(
            LedgerEntry(
                account=Account.INSURANCE, kind=EntryKind.INSURANCE_PAYMENT, amount_cents=-paid, **common
            )
        )
    if co:
        rows.append(
            LedgerEntry(
                account=Account.INSURANCE,
                kind=EntryKind.CONTRACTUAL_ADJUSTMENT,
                amount_cents=-co,
                group="CO",
                reason_code="45",
                **common,
            )
        )
    if pr:
        rows.append(
            LedgerEntry(
                account=Account.INSURANCE,
                kind=EntryKind.PATIENT_RESPONSIBILITY,
                amount_cents=-pr,
                group="PR",
                reason_code="2",
                **common,
            )
        )
        rows.append(
            LedgerEntry(
                account=Account.PATIENT,
                kind=EntryKind.PATIENT_RESPONSIBILITY,
                amount_cents=pr,
                group="PR",
                reason_code="2",
                **common,
            )
        )
    LedgerEntry.objects.bulk_create(rows)


def post_pr_correction(claim: Claim, *, old_pr: int, new_pr: int, on: date = date(2026, 12, 1)) -> None:
    """A correction ERA (reversal then re-adjudication) that changes the patient's share (P6)."""
    line = ClaimLine.objects.filter(claim=claim).first()
    assert line is not None
    common = {
        "practice_id": claim.practice_id,
        "patient_id": claim.patient_id,
        "claim_id": claim.pk,
        "claim_line_id": line.pk,
        "occurred_on": on,
        "group": "PR",
        "reason_code": "2",
    }
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(account=Account.PATIENT, kind=EntryKind.REVERSAL, amount_cents=-old_pr, **common),
            LedgerEntry(account=Account.INSURANCE, kind=EntryKind.REVERSAL, amount_cents=old_pr, **common),
            LedgerEntry(
                account=Account.PATIENT, kind=EntryKind.PATIENT_RESPONSIBILITY, amount_cents=new_pr, **common
            ),
            LedgerEntry(
                account=Account.INSURANCE, kind=EntryKind.OTHER_ADJUSTMENT, amount_cents=-new_pr, **common
            ),
        ]
    )
