"""Permission-matrix entries for the patient screens and API.

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; that module
merges them into MATRIX. The shared graph's `patient` is on the technician's caseload and has a
coverage. Write bodies are valid and repeatable (every allowed role gets a 2xx): counters give
each call its own dates/codes, and same-value repeats (terminate, resolve, revoke, remove) are
no-ops by design.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.factories import ProviderFactory
from tests.patients.factories import CareTeamMemberFactory, ConsentFactory, DiagnosisFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
PATIENT_READERS = ("technician", "clinician", "supervisor", "biller", "practice_admin")
PATIENT_EDITORS = ("biller", "practice_admin")
COVERAGE_EDITORS = ("biller", "practice_admin")
DIAGNOSIS_EDITORS = ("clinician", "supervisor", "biller", "practice_admin")
CONSENT_EDITORS = ("biller", "practice_admin")

_calls = itertools.count()
_DX_CODES = ("F41.0", "F41.1", "F41.3", "F41.8", "F41.9", "F43.10", "F43.12", "F32.0", "F32.1", "F33.0")
PAST = "2026-01-15"  # before any real "today" the suite runs on, after the factories' start dates


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _patient(g: dict[str, Any]) -> dict[str, Any]:
    return {"patient_id": g["patient"].pk}


def _coverage(g: dict[str, Any]) -> dict[str, Any]:
    return {"patient_id": g["patient"].pk, "coverage_id": g["coverage"].pk}


def _once(g: dict[str, Any], key: str, make: Any) -> Any:
    if key not in g:
        g[key] = make()
    return g[key]


def _diagnosis(g: dict[str, Any]) -> dict[str, Any]:
    diagnosis = _once(g, "patients_diagnosis", lambda: DiagnosisFactory(patient=g["patient"], code="F4310"))
    return {"patient_id": g["patient"].pk, "diagnosis_id": diagnosis.pk}


def _consent(g: dict[str, Any]) -> dict[str, Any]:
    consent = _once(g, "patients_consent", lambda: ConsentFactory(patient=g["patient"]))
    return {"patient_id": g["patient"].pk, "consent_id": consent.pk}


def _care_team_member(g: dict[str, Any]) -> dict[str, Any]:
    member = _once(
        g, "patients_member", lambda: CareTeamMemberFactory(patient=g["patient"], provider=g["provider"])
    )
    return {"patient_id": g["patient"].pk, "member_id": member.pk}


def _new_patient(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "first_name": "Matrix",
        "last_name": f"Patient{next(_calls)}",
        "date_of_birth": "1990-04-12",
        "sex": "F",
        "address_line1": "1 Test Street",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
    }


def _new_coverage(g: dict[str, Any]) -> dict[str, Any]:
    year = 2040 + next(_calls)  # a year of its own: never overlaps another call's coverage
    return {
        "payer_id": g["payer"].pk,
        "member_id": "MATRIX001",
        "priority": 3,
        "effective_on": f"{year}-01-01",
        "terminates_on": f"{year}-12-31",
    }


def _new_diagnosis(g: dict[str, Any]) -> dict[str, Any]:
    """A code not yet active on the patient (F43.10 is the graph's own diagnosis)."""
    used = g.setdefault("patients_codes_used", {"F43.10"})
    code = next(c for c in _DX_CODES if c not in used)
    used.add(code)
    return {"code": code}


def _new_care_team_member(g: dict[str, Any]) -> dict[str, Any]:
    return {"provider_id": ProviderFactory(practice=g["practice"]).pk}


def _termination(g: dict[str, Any]) -> dict[str, Any]:
    return {"terminates_on": PAST}


ENTRIES: dict[str, dict[str, Any]] = {
    # screens
    "patients:list": {"access": _only(*PATIENT_READERS)},
    "patients:create": {"access": _only(*PATIENT_EDITORS)},
    "patients:detail": {"access": _only(*PATIENT_READERS), "kwargs": _patient},
    "patients:edit": {"access": _only(*PATIENT_EDITORS), "kwargs": _patient},
    "patients:coverage_add": {"access": _only(*COVERAGE_EDITORS), "kwargs": _patient},
    "patients:coverage_terminate": {
        "access": _only(*COVERAGE_EDITORS),
        "kwargs": _coverage,
        "method": "post",
        "data": lambda g: {"on": PAST},
    },
    "patients:diagnosis_add": {"access": _only(*DIAGNOSIS_EDITORS), "kwargs": _patient},
    "patients:diagnosis_resolve": {
        "access": _only(*DIAGNOSIS_EDITORS),
        "kwargs": _diagnosis,
        "method": "post",
        "data": lambda g: {"on": PAST},
    },
    "patients:consent_add": {"access": _only(*CONSENT_EDITORS), "kwargs": _patient},
    "patients:consent_revoke": {
        "access": _only(*CONSENT_EDITORS),
        "kwargs": _consent,
        "method": "post",
        "data": lambda g: {"on": PAST},
    },
    "patients:care_team_add": {
        "access": _only(*PATIENT_EDITORS),
        "kwargs": _patient,
        "method": "post",
        "data": _new_care_team_member,
    },
    "patients:care_team_remove": {
        "access": _only(*PATIENT_EDITORS),
        "kwargs": _care_team_member,
        "method": "post",
    },
    # API
    "patients_api:list": {"access": _only(*PATIENT_READERS)},
    "patients_api:search": {
        "access": _only(*PATIENT_READERS),
        "method": "post",
        "data": lambda g: {"q": "a"},
    },
    "patients_api:create": {"access": _only(*PATIENT_EDITORS), "method": "post", "data": _new_patient},
    "patients_api:detail": {"access": _only(*PATIENT_READERS), "kwargs": _patient},
    "patients_api:update": {
        "access": _only(*PATIENT_EDITORS),
        "kwargs": _patient,
        "method": "patch",
        "data": lambda g: {"city": "Chatham"},
    },
    "patients_api:coverage_add": {
        "access": _only(*COVERAGE_EDITORS),
        "kwargs": _patient,
        "method": "post",
        "data": _new_coverage,
    },
    "patients_api:coverage_update": {
        "access": _only(*COVERAGE_EDITORS),
        "kwargs": _coverage,
        "method": "patch",
        "data": lambda g: {"group_number": "MATRIX-G"},
    },
    "patients_api:coverage_terminate": {
        "access": _only(*COVERAGE_EDITORS),
        "kwargs": _coverage,
        "method": "post",
        "data": _termination,
    },
    "patients_api:diagnosis_add": {
        "access": _only(*DIAGNOSIS_EDITORS),
        "kwargs": _patient,
        "method": "post",
        "data": _new_diagnosis,
    },
    "patients_api:diagnosis_resolve": {
        "access": _only(*DIAGNOSIS_EDITORS),
        "kwargs": _diagnosis,
        "method": "post",
        "data": lambda g: {"resolved_on": PAST},
    },
    "patients_api:consent_add": {
        "access": _only(*CONSENT_EDITORS),
        "kwargs": _patient,
        "method": "post",
        "data": lambda g: {"kind": "treatment", "signed_on": PAST},
    },
    "patients_api:consent_revoke": {
        "access": _only(*CONSENT_EDITORS),
        "kwargs": _consent,
        "method": "post",
        "data": lambda g: {"revoked_on": PAST},
    },
    "patients_api:care_team_add": {
        "access": _only(*PATIENT_EDITORS),
        "kwargs": _patient,
        "method": "post",
        "data": _new_care_team_member,
    },
    "patients_api:care_team_remove": {
        "access": _only(*PATIENT_EDITORS),
        "kwargs": _care_team_member,
        "method": "post",
    },
}
