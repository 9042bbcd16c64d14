"""Permission-matrix entries for denials and appeals (`denials:*`, `denials_api:*`).

Billers and practice admins read (BILLING_VIEW); only billers act (BILLING_EDIT) and write off
(WRITE_OFF). Clinical roles and compliance: 403. The graph gets a denied claim line (CO-50)
opened through the service, and a pending appeal of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from claims.models import Claim, ClaimAdjudication, ClaimLine, ClaimLineAdjudication
from denials import services
from denials.models import Appeal, Denial
from tests.factories.claims import ClaimFactory, ClaimLineFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


READERS = _only("biller", "practice_admin")
ACTORS = _only("biller")


def _denial(g: dict[str, Any]) -> int:
    if "denial" not in g:
        claim: Claim = ClaimFactory(coverage=g["coverage"], rendering_provider=g["provider"], status="denied")  # type: ignore[assignment]
        line: ClaimLine = ClaimLineFactory(claim=claim)  # type: ignore[assignment]
        adjudication = ClaimAdjudication.objects.create(
            claim=claim, era_reference="matrix:1", claim_status_code="4", charge_cents=15000,
            adjudicated_on=dt.date(2026, 11, 20), recorded_at=timezone.now(),
        )  # fmt: skip
        ClaimLineAdjudication.objects.create(
            adjudication=adjudication, claim_line=line, code=line.code, charge_cents=15000, paid_cents=0,
            adjustments=[{"group": "CO", "reason": "50", "cents": 15000, "quantity": None}],
        )  # fmt: skip
        services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
        g["denial"] = Denial.objects.get(claim=claim)
    return int(g["denial"].pk)


def _appeal(g: dict[str, Any]) -> int:
    if "appeal" not in g:
        denial_id = _denial(g)
        g["appeal"] = Appeal.objects.create(
            practice=g["practice"], denial_id=denial_id, level=1, created_by=g["members"]["biller"]
        )
        Denial.objects.filter(pk=denial_id).update(status="in_appeal")
    return int(g["appeal"].pk)


def _outcome(g: dict[str, Any]) -> dict[str, Any]:
    return {"outcome": "lost", "recovered": "0.00", "outcome_on": "2026-12-01"}


ENTRIES: dict[str, dict[str, Any]] = {
    "denials:queue": {"access": READERS},
    "denials:export": {"access": READERS},
    "denials:detail": {"access": READERS, "kwargs": lambda g: {"denial_id": _denial(g)}},
    "denials:act": {
        "access": ACTORS,
        "method": "post",
        "kwargs": lambda g: {"denial_id": _denial(g), "operation": "appeal"},
        "data": lambda g: {"note": "Level 1"},
    },
    "denials:assign": {
        "access": ACTORS,
        "method": "post",
        "kwargs": lambda g: {"denial_id": _denial(g)},
        "data": lambda g: {"user_id": str(g["members"]["biller"].pk)},
    },
    "denials:appeals": {"access": READERS},
    "denials:appeal_letter": {"access": READERS, "kwargs": lambda g: {"appeal_id": _appeal(g)}},
    "denials:appeal_outcome": {
        "access": ACTORS,
        "method": "post",
        "kwargs": lambda g: {"appeal_id": _appeal(g)},
        "data": _outcome,
    },
    "denials:appeal_submitted": {
        "access": ACTORS,
        "method": "post",
        "kwargs": lambda g: {"appeal_id": _appeal(g)},
        "data": lambda g: {"submitted_on": "2026-11-25"},
    },
    "denials:analytics": {"access": READERS},
    "denials:analytics_export": {"access": READERS},
    "denials_api:list": {"access": READERS},
    "denials_api:detail": {"access": READERS, "kwargs": lambda g: {"denial_id": _denial(g)}},
    "denials_api:action": {
        "access": ACTORS,
        "method": "post",
        "kwargs": lambda g: {"denial_id": _denial(g)},
        "data": lambda g: {"action": "appeal", "reason": "Level 1"},
    },
    "denials_api:appeals": {"access": READERS},
    "denials_api:appeal_outcome": {
        "access": ACTORS,
        "method": "post",
        "kwargs": lambda g: {"appeal_id": _appeal(g)},
        "data": _outcome,
    },
    "denials_api:analytics": {"access": READERS},
}
