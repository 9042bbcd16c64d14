"""Permission-matrix entries for the schedule screens and API (treatment plans: tests/treatment_plans).

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; merge them into
MATRIX there (`MATRIX.update({name: Entry(**spec) for name, spec in SCHEDULING_ENTRIES.items()})`).
`tests/scheduling/test_matrix_entries.py` runs them until then.

Writes must give every allowed role a 2xx on the same URL, so each body prepares its own state:
new bookings get a day of their own (a counter), and status/roster changes put their row
back where the call expects it (ORM resets, test-only). The shared graph's `patient` is on the
technician's caseload; the technician's own appointment and group are what a technician sees.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from scheduling.models import Appointment
from tests.factories.scheduling import AppointmentFactory, GroupSessionFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
SCHEDULE_VIEWERS = ("technician", "clinician", "supervisor", "biller", "practice_admin")
SCHEDULERS = ("clinician", "supervisor", "biller", "practice_admin")

_calls = itertools.count()


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _once(g: dict[str, Any], key: str, make: Any) -> Any:
    if key not in g:
        g[key] = make()
    return g[key]


def _tech_provider(g: dict[str, Any]) -> Any:
    return g["members"]["technician"].provider_profiles.get()


def _tech_appointment(g: dict[str, Any]) -> Appointment:
    """The technician's own appointment, started half an hour ago (so it may be checked in)."""

    def make() -> Appointment:
        start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
        return AppointmentFactory(
            practice=g["practice"],
            patient=g["patient"],
            provider=_tech_provider(g),
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            service_type="aba_technician_treatment",
        )

    return _once(g, "sched_tech_appointment", make)


def _other_appointment(g: dict[str, Any]) -> Appointment:
    return _once(
        g,
        "sched_other_appointment",
        lambda: AppointmentFactory(
            practice=g["practice"],
            patient=g["patient"],
            provider=g["provider"],
            starts_at=dt.datetime(2039, 1, 3, 15, 0, tzinfo=dt.UTC),
        ),
    )


def _tech_group(g: dict[str, Any]) -> Any:
    return _once(
        g,
        "sched_group",
        lambda: GroupSessionFactory(
            practice=g["practice"],
            provider=_tech_provider(g),
            service_type="skills_training",
            starts_at=dt.datetime(2039, 2, 1, 15, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2039, 2, 1, 16, 0, tzinfo=dt.UTC),
        ),
    )


def _appointment(g: dict[str, Any]) -> dict[str, Any]:
    return {"appointment_id": _tech_appointment(g).pk}


def _other(g: dict[str, Any]) -> dict[str, Any]:
    return {"appointment_id": _other_appointment(g).pk}


def _group(g: dict[str, Any]) -> dict[str, Any]:
    return {"group_session_id": _tech_group(g).pk}


def _arrive(g: dict[str, Any]) -> dict[str, Any]:
    Appointment.objects.filter(pk=_tech_appointment(g).pk).update(status="scheduled")
    return {"status": "arrived"}


def _fresh_day() -> str:
    return (dt.date(2040, 1, 1) + dt.timedelta(days=next(_calls))).isoformat()


def _new_appointment(g: dict[str, Any]) -> dict[str, Any]:
    day = _fresh_day()
    return {
        "patient_id": g["patient"].pk,
        "provider_id": g["provider"].pk,
        "service_type": "individual_psychotherapy",
        "starts_at": f"{day}T10:00",
        "ends_at": f"{day}T11:00",
        "telehealth": "audio_video",
    }


def _reschedule(g: dict[str, Any]) -> dict[str, Any]:
    Appointment.objects.filter(pk=_other_appointment(g).pk).update(status="scheduled")
    day = _fresh_day()
    return {"starts_at": f"{day}T09:00", "ends_at": f"{day}T10:00"}


def _new_group(g: dict[str, Any]) -> dict[str, Any]:
    day = _fresh_day()
    return {
        "provider_id": g["provider"].pk,
        "title": "Matrix group",
        "service_type": "group_psychotherapy",
        "starts_at": f"{day}T17:00",
        "ends_at": f"{day}T18:00",
        "telehealth": "audio_video",
        "patient_ids": [g["patient"].pk],
    }


def _roster_add(g: dict[str, Any]) -> dict[str, Any]:
    Appointment.objects.filter(group_session=_tech_group(g), patient=g["patient"]).update(
        status="cancelled", cancel_reason="reset"
    )
    return {"patient_id": g["patient"].pk}


def _roster_remove(g: dict[str, Any]) -> dict[str, Any]:
    group = _tech_group(g)
    Appointment.objects.update_or_create(
        group_session=group,
        patient=g["patient"],
        defaults={
            "practice": g["practice"],
            "provider": group.provider,
            "service_type": group.service_type,
            "starts_at": group.starts_at,
            "ends_at": group.ends_at,
            "location": group.location,
            "status": "scheduled",
        },
    )
    return {"patient_id": g["patient"].pk}


ENTRIES: dict[str, dict[str, Any]] = {
    # schedule screens
    "scheduling:day": {"access": _only(*SCHEDULE_VIEWERS)},
    "scheduling:week": {"access": _only(*SCHEDULE_VIEWERS)},
    "scheduling:appointment_create": {"access": _only(*SCHEDULERS)},
    "scheduling:appointment_detail": {"access": _only(*SCHEDULE_VIEWERS), "kwargs": _appointment},
    "scheduling:appointment_reschedule": {"access": _only(*SCHEDULERS), "kwargs": _other},
    "scheduling:appointment_status": {
        "access": _only(*SCHEDULE_VIEWERS),
        "kwargs": _appointment,
        "method": "post",
        "data": _arrive,
    },
    "scheduling:group_create": {"access": _only(*SCHEDULERS)},
    "scheduling:group_detail": {"access": _only(*SCHEDULE_VIEWERS), "kwargs": _group},
    "scheduling:group_roster_add": {
        "access": _only(*SCHEDULERS),
        "kwargs": _group,
        "method": "post",
        "data": _roster_add,
    },
    "scheduling:group_roster_remove": {
        "access": _only(*SCHEDULERS),
        "kwargs": _group,
        "method": "post",
        "data": _roster_remove,
    },
    # schedule API
    "scheduling_api:appointment_list": {"access": _only(*SCHEDULE_VIEWERS)},
    "scheduling_api:appointment_create": {
        "access": _only(*SCHEDULERS),
        "method": "post",
        "data": _new_appointment,
    },
    "scheduling_api:appointment_detail": {"access": _only(*SCHEDULE_VIEWERS), "kwargs": _appointment},
    "scheduling_api:appointment_reschedule": {
        "access": _only(*SCHEDULERS),
        "kwargs": _other,
        "method": "post",
        "data": _reschedule,
    },
    "scheduling_api:appointment_status": {
        "access": _only(*SCHEDULE_VIEWERS),
        "kwargs": _appointment,
        "method": "post",
        "data": _arrive,
    },
    "scheduling_api:group_session_create": {
        "access": _only(*SCHEDULERS),
        "method": "post",
        "data": _new_group,
    },
    "scheduling_api:group_session_detail": {"access": _only(*SCHEDULE_VIEWERS), "kwargs": _group},
    "scheduling_api:group_roster_add": {
        "access": _only(*SCHEDULERS),
        "kwargs": _group,
        "method": "post",
        "data": _roster_add,
    },
    "scheduling_api:group_roster_remove": {
        "access": _only(*SCHEDULERS),
        "kwargs": _group,
        "method": "post",
        "data": _roster_remove,
    },
}
