"""Permission-matrix entries for the eligibility screens and API.

Coverage readers (clinicians, supervisors, billers, admins) see a patient's eligibility and a
check's record; billers and admins verify (on demand) and see the problems before the session.
Technicians and compliance see none of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from eligibility.models import EligibilityCheck
from tests.factories import PayerFactory
from tests.factories.scheduling import AppointmentFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
BILLING = ("biller", "practice_admin")
COVERAGE_READERS = ("clinician", "supervisor", "biller", "practice_admin")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _check(g: dict[str, Any]) -> dict[str, Any]:
    if "eligibility_check" not in g:
        g["eligibility_check"] = EligibilityCheck.objects.create(  # test-only: a recorded check
            practice=g["practice"],
            patient=g["patient"],
            coverage=g["coverage"],
            service_date=dt.date(2026, 3, 10),
            reason=EligibilityCheck.Reason.ON_DEMAND,
            trace_number="MATRIX0001",
        )
    return {"check_id": g["eligibility_check"].pk}


def sftp_form_data(**changes: str) -> dict[str, str]:
    """A valid SFTP connection form: a fresh Ed25519 key pair (the server's key pinned, a client
    key pasted), synthetic host and folders."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    server, client = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    host_key = server.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    private = client.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    return {
        "host": "sftp.clearinghouse.example",
        "port": "2222",
        "username": "parity-practice",
        "known_host_key": host_key.decode(),
        "outbox": "outbox",
        "inbox": "inbox",
        "archive": "archive",
        "rejected": "rejected",
        "private_key": private.decode(),
        "passphrase": "",
        **changes,
    }


def _carve_out_check(g: dict[str, Any]) -> dict[str, Any]:
    """A finished check whose 271 named a carve-out administrator the practice has set up."""
    if "eligibility_carve_out" not in g:
        PayerFactory(practice=g["practice"], payer_id="SBXBH01", name="Sandbox Behavioral Health")
        g["eligibility_carve_out"] = EligibilityCheck.objects.create(  # test-only: a recorded check
            practice=g["practice"],
            patient=g["patient"],
            coverage=g["coverage"],
            service_date=dt.date(2026, 3, 11),
            reason=EligibilityCheck.Reason.ON_DEMAND,
            trace_number="MATRIX0002",
            status=EligibilityCheck.Status.DONE,
            summary={
                "coverage": "covered",
                "carve_out": "SANDBOX BEHAVIORAL HEALTH",
                "carve_out_payer_id": "SBXBH01",
            },
        )
    return {"check_id": g["eligibility_carve_out"].pk}


def _appointment(g: dict[str, Any]) -> dict[str, Any]:
    if "eligibility_appointment" not in g:
        g["eligibility_appointment"] = AppointmentFactory(practice=g["practice"], patient=g["patient"])
    return {"appointment_id": g["eligibility_appointment"].pk}


ENTRIES: dict[str, dict[str, Any]] = {
    "eligibility:problems": {"access": _only(*BILLING)},
    "eligibility:settings": {"access": _only("practice_admin")},
    "eligibility:sftp_settings": {
        "access": _only("practice_admin"),
        "method": "post",
        "data": lambda g: sftp_form_data(),
    },
    "eligibility:patient": {
        "access": _only(*COVERAGE_READERS),
        "kwargs": lambda g: {"patient_id": g["patient"].pk},
    },
    "eligibility:check": {"access": _only(*COVERAGE_READERS), "kwargs": _check},
    "eligibility:verify_coverage": {
        "access": _only(*BILLING),
        "kwargs": lambda g: {"coverage_id": g["coverage"].pk},
        "method": "post",
        "data": lambda g: {"service_date": "2026-03-10"},
    },
    "eligibility:verify_appointment": {
        "access": _only(*BILLING),
        "kwargs": _appointment,
        "method": "post",
        "data": lambda g: {},
    },
    "eligibility_api:check_create": {
        "access": _only(*BILLING),
        "method": "post",
        "data": lambda g: {"coverage_id": g["coverage"].pk, "service_date": "2026-03-10"},
    },
    "eligibility_api:check_detail": {"access": _only(*COVERAGE_READERS), "kwargs": _check},
    "eligibility:verify_carve_out": {
        "access": _only(*BILLING),
        "kwargs": _carve_out_check,
        "method": "post",
        "data": lambda g: {},
    },
    "eligibility_api:check_carve_out": {
        "access": _only(*BILLING),
        "kwargs": _carve_out_check,
        "method": "post",
        "data": lambda g: {},
    },
}
