"""The demo's money after the claims (demo/seed_claims.py): by then the sandbox's 835 for the
oldest batch has been posted by remittance (the same durable job a worker runs, in-process here)
and denials opened from it. This takes the cycle on through the real services, as a biller
would: appeals in every state (pending, won, partially won, lost), a denial written off with a
reason, one corrected and resubmitted (a replacement claim), the PR denial (PR-204, the plan
excludes the service) transferred to the patient (never a CO one: D6), a copay taken at the time
of service and a statement for a patient who owes after the payer's share. A second denial of
the timely-filing and duplicate kinds (demo/seed.py MORE_SCENARIOS) stays open beside the one
appealed or written off, so every root-cause category keeps an open denial to work on; the
exceptions queue (an unmatched line, an unmatched claim, a claim out of balance) is left alone.

Idempotent: a practice that already has an appeal is left alone.
"""

from __future__ import annotations

import datetime as dt

from accounts.access import PracticeAccess
from claims.models import Claim
from denials import services as denial_services
from denials.models import Appeal, Denial
from ledger.billing_selectors import claim_patient_cents
from ledger.patient_billing import patient_payment_take, statement_generate

# What the biller does with the first open denial of each CARC (the sandbox denies by the
# member-ID prefix: demo/seed.py DENIAL_SCENARIOS and MORE_SCENARIOS). An appeal's outcome is recorded for all but
# the pending one.
APPEALS = {
    "50": ("won", "The records show the session was medically necessary."),
    "119": ("partially_won", "Parity (MHPAEA): the visit limit is stricter than for medical care."),
    "197": ("lost", "The authorization was requested in time; the payer's portal lost it."),
    "29": ("pending", "Proof of timely filing: the clearinghouse acceptance report."),
}
WRITE_OFF = ("18", "Duplicate of a claim the payer already paid; nothing more is owed.")
RESUBMIT = ("4", "Added the missing modifier to the service line.")
COPAY_CENTS = 2000


def _first_open(practice_id: int, carc: str) -> Denial | None:
    return (
        Denial.objects.filter(practice_id=practice_id, carc=carc, status="open", appeal_rights=True)
        .order_by("service_date", "pk")
        .first()
    )


def seed_cycle(*, access: PracticeAccess, today: dt.date) -> dict[str, int]:
    practice_id = access.practice_id
    if Appeal.objects.filter(practice_id=practice_id).exists():
        return {}
    made = {"appeals": 0, "denial_actions": 0, "patient_payments": 0, "statements": 0}
    for carc, (outcome, note) in APPEALS.items():
        denial = _first_open(practice_id, carc)
        if denial is None:
            continue
        appeal = denial_services.denial_appeal(access=access, denial_id=denial.pk, note=note)
        denial_services.appeal_submitted(access=access, appeal_id=appeal.pk, submitted_on=today)
        made["appeals"] += 1
        if outcome == "pending":
            continue
        recovered = {"won": denial.amount_cents, "partially_won": denial.amount_cents // 2}.get(outcome, 0)
        denial_services.appeal_outcome_record(
            access=access, appeal_id=appeal.pk, outcome=outcome, recovered_cents=recovered, outcome_on=today
        )
    carc, reason = WRITE_OFF
    if (denial := _first_open(practice_id, carc)) is not None:
        denial_services.denial_write_off(access=access, denial_id=denial.pk, reason=reason)
        made["denial_actions"] += 1
    carc, note = RESUBMIT
    if (denial := _first_open(practice_id, carc)) is not None:
        denial_services.denial_correct_and_resubmit(access=access, denial_id=denial.pk, note=note)
        made["denial_actions"] += 1
    transferable = (
        Denial.objects.filter(practice_id=practice_id, group="PR", status="open").order_by("pk").first()
    )
    if transferable is not None:
        denial_services.denial_transfer_to_patient(
            access=access,
            denial_id=transferable.pk,
            reason="The plan excludes this service and the payer made the patient responsible.",
        )
        made["denial_actions"] += 1
    # The patient's share: a copay at check-in for the newest claim the payer answered with a
    # patient share (deductible, coinsurance, copay), and a statement for the oldest one's patient.
    owing = [
        claim
        for claim in Claim.objects.filter(
            practice_id=practice_id,
            status__in=["paid", "partially_paid"],
            adjudications__patient_responsibility_cents__gt=0,
        )
        .distinct()
        .order_by("date_from", "pk")
        if claim_patient_cents(claim_id=claim.pk) > 0
    ]
    if owing:
        copay = owing[-1]
        patient_payment_take(
            practice_id=practice_id,
            patient_id=copay.patient_id,
            amount_cents=COPAY_CENTS,
            method="card",
            received_on=copay.date_from,
            claim_id=copay.pk,
            at_time_of_service=True,
            reference="Copay at check-in",
            actor_id=access.user_id,
        )
        made["patient_payments"] += 1
        statement_generate(
            practice_id=practice_id,
            patient_id=owing[0].patient_id,
            statement_date=today,
            actor_id=access.user_id,
        )
        made["statements"] += 1
    return made
