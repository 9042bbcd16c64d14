"""Permission-matrix entries for patient billing (`patient_billing:*`) and the billing dashboard
(`billing_dashboard:*`): billers and practice admins read; only billers (BILLING_EDIT) take
payments, apply and refund credits and make statements; clinical roles and compliance neither."""

from __future__ import annotations

from datetime import date
from typing import Any

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


READERS = _only("biller", "practice_admin")
EDITORS = _only("biller")


def _patient(g: dict[str, Any]) -> dict[str, Any]:
    return {"patient_id": g["patient"].pk}


def _appointment(g: dict[str, Any]) -> dict[str, Any]:
    from tests.factories.scheduling import AppointmentFactory

    if "payment_appointment" not in g:
        g["payment_appointment"] = AppointmentFactory(practice=g["practice"], patient=g["patient"])
    return {"appointment_id": g["payment_appointment"].pk}


def _statement(g: dict[str, Any]) -> dict[str, Any]:
    from ledger.patient_billing import statement_generate

    if "statement" not in g:
        g["statement"] = statement_generate(
            practice_id=g["practice"].pk, patient_id=g["patient"].pk, statement_date=date(2026, 11, 1)
        )
    return {"patient_id": g["patient"].pk, "statement_id": g["statement"].pk}


ENTRIES: dict[str, dict[str, Any]] = {
    "billing_dashboard:dashboard": {"access": READERS},
    "billing_dashboard:claims": {"access": READERS},
    "patient_billing:ar": {"access": READERS},
    "patient_billing:account": {"access": READERS, "kwargs": _patient},
    "patient_billing:statement_pdf": {"access": READERS, "kwargs": _statement},
    # the appointment screen's "Record payment": the payment form, prefilled (BILLING_EDIT)
    "patient_billing:appointment_payment": {"access": EDITORS, "kwargs": _appointment},
    "patient_billing:payment_add": {
        "access": EDITORS,
        "kwargs": _patient,
        "method": "post",
        "data": lambda g: {"amount": "5.00", "method": "cash", "received_on": "2026-11-02"},
    },
    "patient_billing:credit_apply": {
        "access": EDITORS,
        "kwargs": _patient,
        "method": "post",
        "data": lambda g: {},
    },
    "patient_billing:refund": {"access": EDITORS, "kwargs": _patient, "method": "post", "data": lambda g: {}},
    "patient_billing:statement_create": {
        "access": EDITORS,
        "kwargs": _patient,
        "method": "post",
        "data": lambda g: {"statement_date": "2026-11-03"},
    },
    "patient_billing:statements_run": {
        "access": EDITORS,
        "method": "post",
        "data": lambda g: {"statement_date": "2026-11-03"},
    },
}
