"""Permission-matrix entries for the practice and payer routes.

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; that module
merges them into MATRIX. `kwargs`/`data` take the shared graph and may create the rows a
route needs (a licence, an alert, a supervision, a location) the first time they are asked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import Membership, User
from practice.models import License, LicenseAlert, Location, Supervision

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
PROVIDER_READERS = ("technician", "clinician", "supervisor", "biller", "practice_admin")
PAYER_READERS = ("biller", "practice_admin")
ADMIN = ("practice_admin",)


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _provider(g: dict[str, Any]) -> dict[str, Any]:
    return {"provider_id": g["provider"].pk}


def _payer(g: dict[str, Any]) -> dict[str, Any]:
    return {"payer_pk": g["payer"].pk}


def _license(g: dict[str, Any]) -> License:
    lic, _ = License.objects.get_or_create(
        provider=g["provider"], state="IL", number="MATRIX-1", defaults={"expires_on": date(2030, 1, 1)}
    )
    return lic


def _alert(g: dict[str, Any]) -> dict[str, Any]:
    lic = _license(g)
    alert, _ = LicenseAlert.objects.get_or_create(license=lic, expires_on=lic.expires_on, status="expiring")
    return {"alert_id": alert.pk}


def _supervisor_id(g: dict[str, Any]) -> int:
    return g["members"]["supervisor"].provider_profiles.get().pk


def _supervision(g: dict[str, Any]) -> dict[str, Any]:
    supervision, _ = Supervision.objects.get_or_create(
        supervisor_id=_supervisor_id(g), supervisee=g["provider"], defaults={"starts_on": date(2025, 1, 1)}
    )
    return {"supervision_id": supervision.pk}


def _location(g: dict[str, Any]) -> dict[str, Any]:
    location, _ = Location.objects.get_or_create(
        practice=g["practice"],
        name="Matrix clinic",
        defaults={
            "address_line1": "1 Main Street",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
        },
    )
    return {"location_id": location.pk}


LOCATION_DATA = {
    "name": "Matrix annex",
    "address_line1": "2 Main Street",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "default_place_of_service": "11",
}


def _team_member(g: dict[str, Any]) -> dict[str, Any]:
    """A member whose authenticator the matrix may reset without locking out a role it probes."""
    user, _ = User.objects.get_or_create(username="matrix-team-member")
    Membership.objects.get_or_create(user=user, practice=g["practice"], defaults={"role": "clinician"})
    return {"user_id": user.pk}


ENTRIES: dict[str, dict[str, Any]] = {
    # the enrolment page (signed-in users who passed MFA are sent on; before MFA it asks for a code)
    "mfa_enrol": {"access": dict.fromkeys(ROLES, "ok")},
    "practice:team": {"access": _only(*ADMIN)},
    "practice:team_code_issue": {
        "access": _only(*ADMIN),
        "kwargs": _team_member,
        "method": "post",
        "data": lambda g: {},
    },
    "practice:team_mfa_reset": {
        "access": _only(*ADMIN),
        "kwargs": _team_member,
        "method": "post",
        "data": lambda g: {},
    },
    # screens
    "practice:provider_list": {"access": _only(*PROVIDER_READERS)},
    "practice:provider_detail": {"access": _only(*PROVIDER_READERS), "kwargs": _provider},
    "practice:provider_create": {"access": _only(*ADMIN)},
    "practice:provider_edit": {"access": _only(*ADMIN), "kwargs": _provider},
    "practice:license_add": {
        "access": _only(*ADMIN),
        "kwargs": _provider,
        "method": "post",
        "data": lambda g: {"number": "SCREEN-1", "state": "IL", "expires_on": "2030-01-01"},
    },
    "practice:license_renew": {
        "access": _only(*ADMIN),
        "kwargs": lambda g: {"license_id": _license(g).pk},
        "method": "post",
        "data": lambda g: {"expires_on": "2031-01-01"},
    },
    "practice:alert_acknowledge": {
        "access": _only(*ADMIN),
        "kwargs": _alert,
        "method": "post",
        "data": lambda g: {},
    },
    "practice:supervision_add": {
        "access": _only(*ADMIN),
        "kwargs": _provider,
        "method": "post",
        "data": lambda g: {"supervisor_id": _supervisor_id(g), "starts_on": "2025-01-01"},
    },
    "practice:supervision_end": {
        "access": _only(*ADMIN),
        "kwargs": _supervision,
        "method": "post",
        "data": lambda g: {"ends_on": "2025-06-30"},
    },
    "practice:settings": {"access": _only(*ADMIN)},
    "practice:location_create": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: LOCATION_DATA,
    },
    "practice:location_edit": {"access": _only(*ADMIN), "kwargs": _location},
    "payers:list": {"access": _only(*PAYER_READERS)},
    "payers:create": {"access": _only(*ADMIN)},
    "payers:edit": {"access": _only(*ADMIN), "kwargs": _payer},
    "payers:enrollment_set": {"access": _only(*ADMIN)},
    # API (JSON bodies)
    "practice_api:practice_detail": {"access": _only(*ROLES)},
    "practice_api:practice_update": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: {"phone": "217-555-0100"},
    },
    "practice_api:provider_list": {"access": _only(*PROVIDER_READERS)},
    "practice_api:provider_detail": {"access": _only(*PROVIDER_READERS), "kwargs": _provider},
    "practice_api:provider_create": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: {"first_name": "Matrix", "last_name": "Tech", "credential": "RBT"},
    },
    "practice_api:provider_update": {
        "access": _only(*ADMIN),
        "kwargs": _provider,
        "method": "post",
        "data": lambda g: {"last_name": "Matrix"},
    },
    "practice_api:license_add": {
        "access": _only(*ADMIN),
        "kwargs": _provider,
        "method": "post",
        "data": lambda g: {"number": "API-1", "state": "IL", "expires_on": "2030-01-01"},
    },
    "practice_api:supervision_add": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: {
            "supervisor_id": _supervisor_id(g),
            "supervisee_id": g["provider"].pk,
            "starts_on": "2025-01-01",
        },
    },
    "practice_api:supervision_end": {
        "access": _only(*ADMIN),
        "kwargs": _supervision,
        "method": "post",
        "data": lambda g: {"ends_on": "2025-06-30"},
    },
    "practice_api:location_list": {"access": _only(*PROVIDER_READERS)},
    "practice_api:location_create": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: LOCATION_DATA,
    },
    "practice_api:location_update": {
        "access": _only(*ADMIN),
        "kwargs": _location,
        "method": "post",
        "data": lambda g: {"default_place_of_service": "12"},
    },
    "payers_api:payer_list": {"access": _only(*PAYER_READERS)},
    "payers_api:payer_detail": {"access": _only(*PAYER_READERS), "kwargs": _payer},
    "payers_api:payer_create": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: {"name": "Matrix Plan", "kind": "commercial", "payer_id": "MTX01"},
    },
    "payers_api:payer_update": {
        "access": _only(*ADMIN),
        "kwargs": _payer,
        "method": "post",
        "data": lambda g: {"timely_filing_days": 120},
    },
    "payers_api:enrollment_set": {
        "access": _only(*ADMIN),
        "method": "post",
        "data": lambda g: {"provider_id": g["provider"].pk, "payer": g["payer"].pk, "status": "pending"},
    },
}
