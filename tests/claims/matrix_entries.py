"""Permission-matrix entries for the charge screens (`charges:*`) and API (`charges_api:*`).

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`. Billers read and
change charges; practice admins read them; clinical roles and compliance neither (403). The
graph gets one final note of its patient with a clean, ready charge set of one line (90834).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from claims.models import Charge, ChargeSet
from tests.factories.clinical import SessionNoteFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
FINALIZED = dt.datetime(2026, 3, 9, 20, 0, tzinfo=dt.UTC)


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


READERS = _only("biller", "practice_admin")
EDITORS = _only("biller")


def _charge_set(g: dict[str, Any]) -> ChargeSet:
    if "charge_set" not in g:
        author = g["members"]["clinician"].provider_profiles.get()
        note = SessionNoteFactory(
            practice=g["practice"],
            patient=g["patient"],
            author=author,
            status="final",
            signed_at=FINALIZED,
            finalized_at=FINALIZED,
            signed_by=g["members"]["clinician"],
        )
        charge_set = ChargeSet.objects.create(
            practice=g["practice"],
            note=note,
            patient=g["patient"],
            date_of_service=note.date_of_service,
            self_pay=True,
            rendering_provider=author,
            status="ready",
            captured_at=FINALIZED,
            scrubbed_at=FINALIZED,
        )
        Charge.objects.create(
            charge_set=charge_set,
            line_number=1,
            code="90834",
            units=1,
            place_of_service="11",
            documented_minutes=45,
        )
        g["charge_set"] = charge_set
    return g["charge_set"]


def _set_id(g: dict[str, Any]) -> dict[str, Any]:
    return {"charge_set_id": _charge_set(g).pk}


def _note_id(g: dict[str, Any]) -> dict[str, Any]:
    return {"note_id": _charge_set(g).note_id}


def _line_id(g: dict[str, Any]) -> dict[str, Any]:
    return {"charge_id": _charge_set(g).lines.get().pk}


def _api_override(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": "90834",
        "units": 1,
        "modifiers": [],
        "place_of_service": "12",
        "diagnosis_pointers": [],
        "reason": "Seen at home.",
    }


def _screen_override(g: dict[str, Any]) -> dict[str, Any]:
    prefix = f"line-{_charge_set(g).lines.get().pk}"
    return {
        f"{prefix}-code": "90834",
        f"{prefix}-units": "1",
        f"{prefix}-modifiers": "",
        f"{prefix}-pos": "12",
        f"{prefix}-diagnosis_pointers": "",
        f"{prefix}-reason": "Seen at home.",
    }


def _screen_add(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "add-code": "90785",
        "add-units": "1",
        "add-modifiers": "",
        "add-pos": "11",
        "add-diagnosis_pointers": "",
        "add-reason": "Interactive complexity documented.",
    }


ENTRIES: dict[str, dict[str, Any]] = {
    # API
    "charges_api:list": {"access": READERS},
    "charges_api:detail": {"access": READERS, "kwargs": _set_id},
    "charges_api:for_note": {"access": READERS, "kwargs": _note_id},
    "charges_api:scrub": {"access": EDITORS, "kwargs": _set_id, "method": "post", "data": lambda g: {}},
    "charges_api:review": {"access": EDITORS, "kwargs": _set_id, "method": "post", "data": lambda g: {}},
    "charges_api:override": {"access": EDITORS, "kwargs": _line_id, "method": "post", "data": _api_override},
    "charges_api:line_add": {"access": EDITORS, "kwargs": _set_id, "method": "post", "data": _api_override},
    # Screens
    "charges:list": {"access": READERS},
    "charges:detail": {"access": READERS, "kwargs": _set_id},
    "charges:for_note": {"access": READERS, "kwargs": _note_id},
    "charges:scrub": {"access": EDITORS, "kwargs": _set_id, "method": "post", "data": lambda g: {}},
    "charges:review": {"access": EDITORS, "kwargs": _set_id, "method": "post", "data": lambda g: {}},
    "charges:review_many": {
        "access": EDITORS,
        "method": "post",
        "data": lambda g: {"charge_set_ids": [str(_charge_set(g).pk)]},
    },
    "charges:override": {"access": EDITORS, "kwargs": _line_id, "method": "post", "data": _screen_override},
    "charges:line_add": {"access": EDITORS, "kwargs": _set_id, "method": "post", "data": _screen_add},
}
