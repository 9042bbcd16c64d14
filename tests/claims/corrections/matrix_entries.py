"""Permission-matrix entries for the corrections screens (`claim_corrections:*`) and API
(`claim_corrections_api:*`): billers act, billers and practice admins see the panel, clinical
roles and compliance neither. The graph gets a paid claim (payer claim number known, the
primary's adjudication posted) and a secondary coverage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from claims.models import Claim, ClaimAdjudication, ClaimLineAdjudication
from tests.factories import CoverageFactory, PayerFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


READERS = _only("biller", "practice_admin")
EDITORS = _only("biller")


def _claim(g: dict[str, Any]) -> Claim:
    if "paid_claim" not in g:
        claim = ClaimFactory(
            coverage=g["coverage"],
            rendering_provider=g["provider"],
            status="paid",
            payer_claim_number="PAY-1",
        )
        line = ClaimLineFactory(claim=claim, charge_cents=claim.total_cents)
        adjudication = ClaimAdjudication.objects.create(
            claim=claim,
            era_reference="ERA-1",
            payer_claim_number="PAY-1",
            claim_status_code="1",
            charge_cents=claim.total_cents,
            paid_cents=claim.total_cents - 3000,
            patient_responsibility_cents=3000,
            adjudicated_on=dt.date(2026, 4, 2),
            recorded_at=timezone.now(),
        )
        ClaimLineAdjudication.objects.create(
            adjudication=adjudication,
            claim_line=line,
            charge_cents=line.charge_cents,
            paid_cents=line.charge_cents - 3000,
            adjustments=[{"group": "PR", "reason": "2", "cents": 3000, "quantity": None}],
        )
        CoverageFactory(
            patient=g["patient"], payer=PayerFactory(practice=g["practice"]), priority=2, member_id="SEC1"
        )
        g["paid_claim"] = claim
    return g["paid_claim"]


def _claim_id(g: dict[str, Any]) -> dict[str, Any]:
    return {"claim_id": _claim(g).pk}


def _reason(g: dict[str, Any]) -> dict[str, Any]:
    return {"reason": "Corrected modifier."}


ENTRIES: dict[str, dict[str, Any]] = {
    "claim_corrections_api:panel": {"access": READERS, "kwargs": _claim_id},
    "claim_corrections_api:replace": {
        "access": EDITORS,
        "kwargs": _claim_id,
        "method": "post",
        "data": _reason,
    },
    "claim_corrections_api:void": {"access": EDITORS, "kwargs": _claim_id, "method": "post", "data": _reason},
    "claim_corrections_api:next_payer": {
        "access": EDITORS,
        "kwargs": _claim_id,
        "method": "post",
        "data": lambda g: {},
    },
    "claim_corrections:page": {"access": READERS, "kwargs": _claim_id},
    "claim_corrections:replace": {"access": EDITORS, "kwargs": _claim_id, "method": "post", "data": _reason},
    "claim_corrections:void": {"access": EDITORS, "kwargs": _claim_id, "method": "post", "data": _reason},
    "claim_corrections:next_payer": {
        "access": EDITORS,
        "kwargs": _claim_id,
        "method": "post",
        "data": lambda g: {},
    },
}
