"""Permission-matrix entries for the prior-authorization screens and API.

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; that module merges
them into MATRIX. Billers and admins read and record authorizations; clinical roles and
compliance do not. Each allowed create posts its own authorization number.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.factories.authorizations import PriorAuthorizationFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
BILLING = ("biller", "practice_admin")

_numbers = itertools.count(1)


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _authorization(g: dict[str, Any]) -> dict[str, Any]:
    if "authorization" not in g:
        g["authorization"] = PriorAuthorizationFactory(
            practice=g["practice"], patient=g["patient"], payer=g["payer"]
        )
    return {"authorization_id": g["authorization"].pk}


def _new(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "patient_id": g["patient"].pk,
        "payer_id": g["payer"].pk,
        "number": f"MATRIX-{next(_numbers)}",
        "codes": ["97153"],
        "authorized": 40,
        "start_on": "2026-01-01",
        "end_on": "2026-06-30",
    }


ENTRIES: dict[str, dict[str, Any]] = {
    "authorizations:list": {"access": _only(*BILLING)},
    "authorizations:detail": {"access": _only(*BILLING), "kwargs": _authorization},
    "authorizations:create": {"access": _only(*BILLING)},
    "authorizations:edit": {"access": _only(*BILLING), "kwargs": _authorization},
    "authorizations_api:authorization_list": {"access": _only(*BILLING)},
    "authorizations_api:authorization_detail": {"access": _only(*BILLING), "kwargs": _authorization},
    "authorizations_api:authorization_create": {"access": _only(*BILLING), "method": "post", "data": _new},
    "authorizations_api:authorization_update": {
        "access": _only(*BILLING),
        "kwargs": _authorization,
        "method": "post",
        "data": lambda g: {"notes": "matrix"},
    },
}
