"""Permission-matrix entries for fees, estimates and Good Faith Estimates (`estimates:*`,
`estimates_api:*`).

Billers and practice admins read (BILLING_VIEW); both change fees (BILLING_EDIT or
PRACTICE_MANAGE); only billers make and give GFEs (BILLING_EDIT). Clinical roles and compliance:
403. The graph gets an appointment of its patient, a default fee for 90834 and one GFE.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from claims.models import FeeScheduleEntry
from estimates.models import GoodFaithEstimate
from tests.factories.scheduling import AppointmentFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


READERS = _only("biller", "practice_admin")
FEE_EDITORS = _only("biller", "practice_admin")
GFE_EDITORS = _only("biller")


def _appointment(g: dict[str, Any]) -> int:
    if "appointment" not in g:
        g["appointment"] = AppointmentFactory(
            practice=g["practice"], patient=g["patient"], provider=g["provider"]
        )
    return int(g["appointment"].pk)


def _fee(g: dict[str, Any]) -> None:
    FeeScheduleEntry.objects.get_or_create(
        practice=g["practice"], payer=None, code="90834", modifiers_key="", effective_from=dt.date(2025, 1, 1),
        defaults={"amount_cents": 12000},
    )  # fmt: skip


def _gfe(g: dict[str, Any]) -> int:
    if "gfe" not in g:
        patient, provider = g["patient"], g["provider"]
        g["gfe"] = GoodFaithEstimate.objects.create(
            practice=g["practice"], patient=patient, provider=provider, reason="requested",
            requested_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 3, 5), deadline_rule="Requested",
            service_description="Psychotherapy", total_cents=12000, patient_name="A Patient",
            patient_birth_date=patient.date_of_birth, provider_name="A Provider", practice_name="P",
            practice_tin="12-3456789", practice_npi="1234567893", location_text="1 Main St",
            created_by=g["members"]["biller"],
        )  # fmt: skip
        g["gfe"].items.create(line_number=1, code="90834", description="Psychotherapy, 45 minutes", quantity=1,
                              unit_cents=12000, total_cents=12000)  # fmt: skip
    return int(g["gfe"].pk)


CSV = "code,amount,effective_from\n90834,95.00,2026-01-01\n"

ENTRIES: dict[str, dict[str, Any]] = {
    "estimates:fees": {"access": READERS},
    "estimates:allowed_add": {"access": FEE_EDITORS},
    "estimates:fee_import": {"access": FEE_EDITORS},
    "estimates:appointment": {"access": READERS, "kwargs": lambda g: {"appointment_id": _appointment(g)}},
    "estimates:gfe_list": {"access": READERS},
    "estimates:gfe_create": {"access": GFE_EDITORS},
    "estimates:gfe_detail": {"access": READERS, "kwargs": lambda g: {"estimate_id": _gfe(g)}},
    "estimates:gfe_issue": {
        "access": GFE_EDITORS,
        "method": "post",
        "kwargs": lambda g: {"estimate_id": _gfe(g)},
    },
    "estimates:gfe_pdf": {"access": READERS, "kwargs": lambda g: {"estimate_id": _gfe(g)}},
    "estimates_api:fee_list": {"access": READERS},
    "estimates_api:allowed_set": {
        "access": FEE_EDITORS,
        "method": "post",
        "data": lambda g: {
            "payer_id": g["payer"].pk,
            "code": "90834",
            "amount": "95.00",
            "effective_from": "2026-01-01",
        },  # fmt: skip
    },
    "estimates_api:fee_import": {
        "access": FEE_EDITORS,
        "method": "post",
        "data": lambda g: {"kind": "allowed", "payer_id": g["payer"].pk, "csv": CSV},
    },
    "estimates_api:appointment": {"access": READERS, "kwargs": lambda g: {"appointment_id": _appointment(g)}},
    "estimates_api:gfe_list": {"access": READERS},
    "estimates_api:gfe_detail": {"access": READERS, "kwargs": lambda g: {"estimate_id": _gfe(g)}},
    "estimates_api:gfe_create": {
        "access": GFE_EDITORS,
        "method": "post",
        "data": lambda g: (
            _fee(g)
            or {
                "patient_id": g["patient"].pk,
                "provider_id": g["provider"].pk,
                "service_description": "Therapy",
                "items": [{"code": "90834", "quantity": 2}],
                "requested_on": "2026-03-02",
            }
        ),  # fmt: skip
    },
}
