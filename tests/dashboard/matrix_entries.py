"""Permission-matrix entries for the background-jobs screen (`dashboard:*`).

Billers and practice admins see the practice's jobs; billers retry them; clinical roles and
compliance neither (403).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.models import BackgroundJob

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _job_id(g: dict[str, Any]) -> dict[str, Any]:
    if "job" not in g:
        g["job"] = BackgroundJob.objects.create(
            key="matrix:job",
            task_name="claims.tasks.note_ready_to_bill_task",
            kwargs={"note_id": 999_999},
            label="Capture charges for note #999999",
            practice_id=g["practice"].pk,
            status=BackgroundJob.Status.NEEDS_ATTENTION,
            attempts=5,
            next_attempt_at=timezone.now(),
            last_error="OperationalError: the database went away",
        )
    return {"job_id": g["job"].pk}


ENTRIES: dict[str, dict[str, Any]] = {
    "dashboard:jobs": {"access": _only("biller", "practice_admin")},
    "dashboard:job_retry": {
        "access": _only("biller"),
        "kwargs": _job_id,
        "method": "post",
        "data": lambda g: {},
    },
}
