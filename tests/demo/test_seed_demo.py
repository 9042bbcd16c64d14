"""seed_demo builds the demo practice through the services, and running it twice adds nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, User
from audit.models import AuditEvent
from billing.celery import app as celery_app
from claims.models import BillableNote, ChargeSet, Claim, ClaimBatch
from clinical_notes.models import NoteAddendum, SessionNote
from demo.seed import DEMO_USERS, PATIENT_COUNT, seed_all
from eligibility.models import EligibilityCheck
from patients.models import Consent, Coverage, Patient
from payers.models import Payer
from practice.models import LicenseAlert, Practice, Supervision
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
    }


@pytest.mark.django_db
def test_seed_demo_builds_every_role_payer_kind_and_patients_and_is_idempotent(
    eager_tasks, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.CLAIMS_SANDBOX_DIR = str(tmp_path / "sandbox")
    # when
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            seed_all(now=timezone.now())
        first = _counts()
        with django_capture_on_commit_callbacks(execute=True):
            seed_all(now=timezone.now())
        second = _counts()
    # then
    assert first == second
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
    # the clinical cycle: past and upcoming sessions, notes in every state, final notes handed off
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
    # the reviewed charges became claims sent through the sandbox in three batches, answered in
    # stages; the last day's charges stay ready for a new user's first batch
    assert first["claim_batches"] == 3
    claim_states = set(Claim.objects.values_list("status", flat=True))
    assert {"submitted", "accepted_clearinghouse"} <= claim_states
    assert claim_states & {"accepted_payer", "paid", "partially_paid", "denied"}
    assert ChargeSet.objects.filter(status="ready").exists()
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


@pytest.mark.django_db
def test_seed_demo_command_prints_the_logins(capsys, eager_tasks):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "parity-demo-2026" in out
    for username, *_ in DEMO_USERS:
        assert username in out
