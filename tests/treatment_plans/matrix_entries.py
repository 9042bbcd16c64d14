"""Permission-matrix entries for the treatment-plan screens (`plans:*`) and API (`plans_api:*`).

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; that module merges
them into MATRIX. Clinical roles read plans; clinicians and supervisors write, sign and activate
them. Writes must give every allowed role a 2xx on the same URL, so each body puts the plan back
where the call expects it (ORM resets, test-only). The shared graph's `patient` is on the
technician's caseload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.factories.clinical import SupervisionFactory, TreatmentPlanFactory
from treatment_plans.models import TreatmentPlan

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
CLINICAL = ("technician", "clinician", "supervisor")
PLAN_WRITERS = ("clinician", "supervisor")


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _once(g: dict[str, Any], key: str, make: Any) -> Any:
    if key not in g:
        g[key] = make()
    return g[key]


def _provider_of(g: dict[str, Any], role: str) -> Any:
    return g["members"][role].provider_profiles.get()


def _plan(g: dict[str, Any]) -> TreatmentPlan:
    """A draft by the clinician, whom the supervisor supervises (so both may sign)."""

    def make() -> TreatmentPlan:
        SupervisionFactory(
            supervisor=_provider_of(g, "supervisor"),
            supervisee=_provider_of(g, "clinician"),
            starts_on=dt.date(2020, 1, 1),
        )
        return TreatmentPlanFactory(
            practice=g["practice"],
            patient=g["patient"],
            author=_provider_of(g, "clinician"),
            status="draft",
            starts_on=dt.date(2026, 1, 1),
            review_on=dt.date(2026, 6, 30),
        )

    return _once(g, "plans_plan", make)


def _plan_kwargs(g: dict[str, Any]) -> dict[str, Any]:
    return {"plan_id": _plan(g).pk}


def _patient(g: dict[str, Any]) -> dict[str, Any]:
    return {"patient_id": g["patient"].pk}


def _reset_plan(g: dict[str, Any], **state: Any) -> None:
    TreatmentPlan.objects.filter(patient=g["patient"]).exclude(pk=_plan(g).pk).delete()
    values = {"status": "draft", "signed_at": None, "signed_by": None, "patient_signed_on": None}
    values.update(state)
    TreatmentPlan.objects.filter(pk=_plan(g).pk).update(**values)


def _sign(g: dict[str, Any]) -> dict[str, Any]:
    _reset_plan(g)
    return {}


def _activate(g: dict[str, Any]) -> dict[str, Any]:
    _reset_plan(g, signed_at=timezone.now(), signed_by=g["members"]["clinician"])
    return {}


def _content(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "starts_on": "2026-01-01",
        "review_on": "2026-06-30",
        "problems": [
            {
                "description": "Matrix problem",
                "goals": [
                    {
                        "description": "Matrix goal",
                        "objectives": [{"description": "Objective", "measure": "Count", "target": "0"}],
                    }
                ],
            }
        ],
    }


def _update(g: dict[str, Any]) -> dict[str, Any]:
    _reset_plan(g)
    return _content(g)


def _new_plan(g: dict[str, Any]) -> dict[str, Any]:
    return {"patient_id": g["patient"].pk, **_content(g)}


ENTRIES: dict[str, dict[str, Any]] = {
    # screens
    "plans:list": {"access": _only(*CLINICAL), "kwargs": _patient},
    "plans:create": {"access": _only(*PLAN_WRITERS), "kwargs": _patient},
    "plans:detail": {"access": _only(*CLINICAL), "kwargs": _plan_kwargs},
    "plans:edit": {"access": _only(*PLAN_WRITERS), "kwargs": _plan_kwargs},
    "plans:sign": {"access": _only(*PLAN_WRITERS), "kwargs": _plan_kwargs, "method": "post", "data": _sign},
    "plans:activate": {
        "access": _only(*PLAN_WRITERS),
        "kwargs": _plan_kwargs,
        "method": "post",
        "data": _activate,
    },
    # API
    "plans_api:list": {"access": _only(*CLINICAL), "data": lambda g: {"patient": g["patient"].pk}},
    "plans_api:create": {"access": _only(*PLAN_WRITERS), "method": "post", "data": _new_plan},
    "plans_api:detail": {"access": _only(*CLINICAL), "kwargs": _plan_kwargs},
    "plans_api:update": {
        "access": _only(*PLAN_WRITERS),
        "kwargs": _plan_kwargs,
        "method": "post",
        "data": _update,
    },
    "plans_api:sign": {
        "access": _only(*PLAN_WRITERS),
        "kwargs": _plan_kwargs,
        "method": "post",
        "data": _sign,
    },
    "plans_api:activate": {
        "access": _only(*PLAN_WRITERS),
        "kwargs": _plan_kwargs,
        "method": "post",
        "data": _activate,
    },
}
