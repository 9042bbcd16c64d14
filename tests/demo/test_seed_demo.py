"""seed_demo builds the demo practice through the services, and running it twice adds nothing.

The seed is the expensive part (minutes on PostgreSQL), so one test runs it once through the
command, as `make run` does, then a second time for idempotency, and checks every area of the
demo with the helpers below. Pitfall D6: the PR denial moved to the patient, never a CO one."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, User
from audit.models import AuditEvent
from billing.celery import app as celery_app
from claims.models import BillableNote, ChargeSet, Claim, ClaimAdjudication, ClaimBatch, InboundFile
from clinical_notes.models import NoteAddendum, SessionNote
from demo.seed import DEMO_USERS, PATIENT_COUNT, seed_all
from denials.domain.table import UNKNOWN, denial_table
from denials.domain.workflow import Outcome
from denials.models import Appeal, Denial
from eligibility.models import EligibilityCheck
from ledger.billing_selectors import claim_patient_cents
from ledger.models import LedgerEntry, PatientPayment, PatientStatement
from patients.models import Consent, Coverage, Patient
from payers.models import Payer
from practice.models import LicenseAlert, Practice, Supervision
from remittance.models import EraFile, PostingException
from scheduling.models import Appointment

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)  # 10:00 in the practice (New York)


@pytest.fixture
def eager_tasks():
    """Run queued tasks in-process, as `make run` does without REDIS_URL."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "practices": Practice.objects.count(),
        "payers": Payer.objects.count(),
        "patients": Patient.objects.count(),
        "coverages": Coverage.objects.count(),
        "consents": Consent.objects.count(),
        "supervisions": Supervision.objects.count(),
        "audited_writes": AuditEvent.objects.exclude(action__in=["list", "view"]).count(),
        "license_alerts": LicenseAlert.objects.count(),
        "appointments": Appointment.objects.count(),
        "claims": Claim.objects.count(),
        "claim_batches": ClaimBatch.objects.count(),
        "notes": SessionNote.objects.count(),
        "billable": BillableNote.objects.count(),
        "eligibility_checks": EligibilityCheck.objects.count(),
        "inbound_files": InboundFile.objects.count(),
        "era_files": EraFile.objects.count(),
        "posting_exceptions": PostingException.objects.count(),
        "adjudications": ClaimAdjudication.objects.count(),
        "denials": Denial.objects.count(),
        "appeals": Appeal.objects.count(),
        "ledger_entries": LedgerEntry.objects.count(),
        "patient_payments": PatientPayment.objects.count(),
        "statements": PatientStatement.objects.count(),
    }


# Committed for real (as `make run` does in autocommit): each durable job runs when its
# transaction commits, so the 835 is posted and its denials opened before the biller acts.
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(900)  # the seed twice, on a shared CI runner: more than the suite's 300 s default
def test_d6_seed_demo_builds_the_whole_cycle_prints_the_logins_and_is_idempotent(
    eager_tasks, settings, tmp_path, capsys
):
    settings.CLAIMS_SANDBOX_DIR = str(tmp_path / "sandbox")
    # when: the command once (what `make run` runs), then the seed again
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo")
        first = _counts()
        seed_all(now=timezone.now())
        second = _counts()
    # then
    assert first == second
    _assert_the_command_prints_the_logins(capsys.readouterr().out)
    _assert_users_payers_and_patients(first)
    _assert_the_clinical_cycle(first)
    _assert_claims_and_their_835s(first)
    _assert_denials_in_every_category_and_appeals_in_every_state()
    _assert_the_patients_share()
    # the demo patients carrying the sandbox's test members were verified through the sandbox
    assert first["eligibility_checks"] == 13
    assert {"covered", "inactive", "rejected", "at_risk"} <= set(
        EligibilityCheck.objects.values_list("coverage_status", flat=True)
    )
    assert EligibilityCheck.objects.filter(status="failed_transient").count() == 2  # retried by the relay
    # every write went through a service, which audits it
    assert (
        AuditEvent.objects.filter(actor_username="system:seed_demo", action="create").count() >= PATIENT_COUNT
    )


def _assert_the_command_prints_the_logins(out: str) -> None:
    assert "Demo practice ready (" in out
    assert "parity-demo-2026" in out
    for username, *_ in DEMO_USERS:
        assert username in out


def _assert_users_payers_and_patients(first: dict[str, int]) -> None:
    main = Practice.objects.get(legal_name__startswith="Harborview")
    roles = set(Membership.objects.filter(practice=main).values_list("role", flat=True))
    assert roles == {"technician", "clinician", "supervisor", "biller", "practice_admin", "compliance"}
    assert set(Payer.objects.filter(practice=main).values_list("kind", flat=True)) == {
        "commercial",
        "medicaid",
        "medicare",
        "self_pay",
    }
    assert Patient.objects.filter(practice=main).count() == PATIENT_COUNT
    assert Coverage.objects.filter(patient__practice=main, priority=2).exists()
    assert Coverage.objects.filter(patient__practice=main, terminates_on__lt=TODAY).exists()
    assert Consent.objects.filter(kind="part2_tpo").exists()
    assert Patient.objects.filter(is_substance_use_program=True).exclude(consents__kind="part2_tpo").exists()
    assert first["supervisions"] == 2
    assert first["license_alerts"] >= 1
    assert Membership.objects.filter(user__username="biller").count() == 2
    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)


def _assert_the_clinical_cycle(first: dict[str, int]) -> None:
    # past and upcoming sessions, notes in every state, final notes handed off
    assert Appointment.objects.filter(starts_at__lt=NOW).exists()
    assert Appointment.objects.filter(starts_at__gt=NOW + dt.timedelta(days=7)).exists()
    assert set(Appointment.objects.values_list("status", flat=True)) == {
        "scheduled",
        "completed",
        "cancelled",
        "no_show",
    }
    assert set(SessionNote.objects.values_list("status", flat=True)) == {
        "draft",
        "awaiting_cosign",
        "returned",
        "final",
    }
    assert NoteAddendum.objects.exists()
    assert SessionNote.objects.filter(
        status="final", requires_cosign=True, cosigned_at__isnull=False
    ).exists()
    assert first["billable"] == SessionNote.objects.filter(status="final").count()
    # every final note became charges; the scrubber holds some back and passes others
    assert ChargeSet.objects.count() == first["billable"]
    assert set(ChargeSet.objects.values_list("status", flat=True)) == {"ready", "reviewed", "on_hold"}


def _assert_claims_and_their_835s(first: dict[str, int]) -> None:
    # the reviewed charges became claims sent through the sandbox in three batches, answered in
    # stages; the last day's charges stay ready for a new user's first batch
    assert first["claim_batches"] == 3
    claim_states = set(Claim.objects.values_list("status", flat=True))
    assert {"submitted", "accepted_clearinghouse"} <= claim_states
    assert claim_states & {"accepted_payer", "paid", "partially_paid", "denied"}
    assert ChargeSet.objects.filter(status="ready").exists()
    # the oldest batch's 835s were received and posted through the worker's path (inbound file ->
    # era_post): paid in full, paid with a patient share (PR deductible/coinsurance/copay next to
    # CO-45) and denied
    assert InboundFile.objects.filter(kind="835", status="processed").exists()
    assert EraFile.objects.filter(status="posted", inbound_file_id__isnull=False).exists()
    assert {"paid", "denied"} <= claim_states
    shared = ClaimAdjudication.objects.filter(patient_responsibility_cents__gt=0, paid_cents__gt=0)
    assert shared.exists()
    assert any(
        adj["group"] == "CO" and adj["reason"] == "45"
        for line in shared.first().lines.all()  # type: ignore[union-attr]
        for adj in line.adjustments
    )
    # the exceptions queue, left open for a biller to practise on: a claim paid off balance, a
    # line whose code the payer changed without echoing REF*6R, a CLP01 naming no claim of ours
    open_exceptions = sorted(PostingException.objects.filter(status="open").values_list("kind", flat=True))
    assert open_exceptions == ["out_of_balance", "unmatched_claim", "unmatched_line"]
    unmatched_line = PostingException.objects.get(kind="unmatched_line")
    assert unmatched_line.era_line is not None
    assert unmatched_line.era_line.claim_line_id is None


def _assert_denials_in_every_category_and_appeals_in_every_state() -> None:
    # a denial for every kind the sandbox payer gives, one of them a parity (MHPAEA) candidate
    assert set(Denial.objects.values_list("carc", flat=True)) == {
        "197", "50", "16", "29", "18", "27", "4", "11", "119", "22", "45", "B7", "204"
    }  # fmt: skip
    assert Denial.objects.filter(carc="119", parity_candidate=True).exists()
    # after the biller's work, every root-cause category still has an open denial to work on
    categories = set(denial_table().categories) - {UNKNOWN}
    assert len(categories) == 10
    assert set(Denial.objects.filter(status="open").values_list("category", flat=True)) == categories
    # what the biller did: appeals in every state, a write-off, a resubmission, a transfer
    assert sorted(Appeal.objects.values_list("status", flat=True)) == sorted(o.value for o in Outcome)
    assert set(Denial.objects.values_list("status", flat=True)) == {
        "open", "in_appeal", "resolved", "written_off", "resubmitted", "transferred"
    }  # fmt: skip
    assert (
        Denial.objects.get(status="written_off").events.filter(kind="written_off").exclude(reason="").exists()
    )
    assert Claim.objects.filter(frequency="7", status="draft", replaces__isnull=False).count() == 1
    # D6: only the PR denial moved to the patient, whose balance carries it; no CO amount did
    transferred = Denial.objects.get(status="transferred")
    assert (transferred.group, transferred.carc) == ("PR", "204")
    assert transferred.events.filter(kind="transferred").exclude(reason="").exists()
    assert claim_patient_cents(claim_id=transferred.claim_id) == transferred.amount_cents


def _assert_the_patients_share() -> None:
    # a copay at the time of service and a statement for a patient who owes
    assert PatientPayment.objects.filter(at_time_of_service=True).count() == 1
    statement = PatientStatement.objects.get()
    assert statement.amount_due_cents > 0
