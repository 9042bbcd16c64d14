"""seed_demo builds the demo practice through the services, and running it twice adds nothing."""

import datetime as dt

import pytest
from django.core.management import call_command

from accounts.models import Membership, User
from audit.models import AuditEvent
from demo.seed import DEMO_USERS, PATIENT_COUNT, seed_all
from patients.models import Consent, Coverage, Patient
from payers.models import Payer
from practice.models import LicenseAlert, Practice, Supervision

TODAY = dt.date(2026, 11, 27)


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
        "audit": AuditEvent.objects.count(),
        "license_alerts": LicenseAlert.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_builds_every_role_payer_kind_and_patients_and_is_idempotent():
    # when
    seed_all(today=TODAY)
    first = _counts()
    seed_all(today=TODAY)
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
    # every write went through a service, which audits it
    assert AuditEvent.objects.filter(actor_username="system:seed_demo", action="create").count() >= PATIENT_COUNT


@pytest.mark.django_db
def test_seed_demo_command_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "parity-demo-2026" in out
    for username, *_ in DEMO_USERS:
        assert username in out
