"""Permission-matrix entries for the claim screens (`claims:*`) and API (`claims_api:*`).

Billers read claims and act (submit a batch, resubmit a rejection); practice admins read;
clinical roles and compliance get 403. The graph gets one ready and one rejected claim of its
patient.
"""

from __future__ import annotations

from typing import Any

from claims.models import Claim
from tests.factories.claims import ClaimFactory, ClaimLineFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


READERS = _only("biller", "practice_admin")
EDITORS = _only("biller")


def _claim(g: dict[str, Any], status: str) -> Claim:
    key = f"claim_{status}"
    if key not in g:
        claim = ClaimFactory(coverage=g["coverage"], rendering_provider=g["provider"], status=status)
        ClaimLineFactory(claim=claim)
        g[key] = claim
    return g[key]


def _ready(g: dict[str, Any]) -> int:
    return _claim(g, "ready").pk


def _rejected(g: dict[str, Any]) -> int:
    return _claim(g, "rejected").pk


ENTRIES: dict[str, dict[str, Any]] = {
    "claims:list": {"access": READERS},
    "claims:export": {"access": READERS},
    "claims:batches": {"access": READERS},
    "claims:batch_submit": {
        "access": EDITORS,
        "method": "post",
        "data": lambda g: {"claim_ids": [_ready(g)]},
    },  # fmt: skip
    "claims:batch_progress": {"access": READERS},
    "claims:rejections": {"access": READERS},
    "claims:detail": {"access": READERS, "kwargs": lambda g: {"claim_id": _ready(g)}},
    "claims:pdf": {"access": READERS, "kwargs": lambda g: {"claim_id": _ready(g)}},
    "claims:resubmit": {"access": EDITORS, "method": "post", "kwargs": lambda g: {"claim_id": _rejected(g)}},
    "claims_api:list": {"access": READERS},
    "claims_api:batches": {"access": READERS},
    "claims_api:rejections": {"access": READERS},
    "claims_api:detail": {"access": READERS, "kwargs": lambda g: {"claim_id": _ready(g)}},
    "claims_api:resubmit": {
        "access": EDITORS,
        "method": "post",
        "kwargs": lambda g: {"claim_id": _rejected(g)},
    },
}
