"""The demo's appointments and session notes, made through the scheduling and note services.

Weekly sessions for a few patients of each provider over the past 60 days and the next 14, and
their notes in every state a practice sees: final (co-signed where the author is supervised),
awaiting co-signature, returned with comments, drafts, sessions still to document, addenda, a
no-show and a cancellation. Idempotent: nothing is added once the practice has appointments in
the window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from accounts.access import PracticeAccess
from accounts.models import User
from audit.services import AuditContext
from clinical_notes import services as note_services
from clinical_notes.domain.types import Segment
from core.domain.service_types import ServiceType
from demo.note_content import complete_content_for
from patients.selectors import diagnosis_list_for_user
from practice.access import practice_access_for
from practice.selectors import location_list
from scheduling import selectors as schedule_selectors
from scheduling import services as schedule_services

PAST_WEEKS = (1, 2, 3, 4, 6, 8)  # weeks before this one: weekly lately, then every other week
FUTURE_WEEKS = (0, 1, 2)  # this week's later days and the next two weeks
PATIENTS_PER_PROVIDER = 3


@dataclass(frozen=True)
class ProviderPlan:
    key: str  # demo username
    service_type: ServiceType
    minutes: int
    first_hour: int  # each provider keeps its own hours, so a patient is never double-booked


PLANS = (
    ProviderPlan("clinician", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, 53, 9),
    ProviderPlan("supervisor", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, 45, 14),
    ProviderPlan("tech", ServiceType.BEHAVIORAL_HEALTH_COUNSELING, 60, 9),
    ProviderPlan("rbt", ServiceType.ABA_TECHNICIAN_TREATMENT, 90, 9),
    ProviderPlan("bcba", ServiceType.ABA_PROTOCOL_MODIFICATION, 60, 14),
)
SUPERVISOR_OF = {"tech": "supervisor", "rbt": "bcba"}


def _access(user: User, practice_id: int) -> PracticeAccess:
    access = practice_access_for(user=user, practice_id=practice_id, audit=AuditContext.system("seed_demo"))
    if access is None:
        raise RuntimeError(f"Demo user {user.username} has no membership in the demo practice.")
    return access


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def seed_clinical(
    *,
    practice_id: int,
    timezone_name: str,
    users: dict[str, User],
    teams: dict[str, list[str]],
    patient_ids: dict[str, int],
    now: dt.datetime,
    cycle_patient_ids: list[int] | None = None,
) -> dict[str, int]:
    """Book the sessions and document the past ones. Returns counts of what it made."""
    zone = ZoneInfo(timezone_name)
    today = now.astimezone(zone).date()
    scheduler = _access(users["admin"], practice_id)
    if schedule_selectors.appointment_list(
        access=scheduler, first_day=today - dt.timedelta(days=60), last_day=today
    ):
        return {}
    clinic = location_list(access=scheduler, active_only=True)[0]
    counts: dict[str, int] = {}
    seed = 0
    for plan in PLANS:
        caseload = [patient_ids[acct] for acct, team in sorted(teams.items()) if plan.key in team]
        author = _access(users[plan.key], practice_id)
        cosigner = _access(users[SUPERVISOR_OF[plan.key]], practice_id) if plan.key in SUPERVISOR_OF else None
        for slot, patient_id in enumerate(caseload[:PATIENTS_PER_PROVIDER]):
            diagnosis_ids = [d.pk for d in diagnosis_list_for_user(access=author, patient_id=patient_id)][:2]
            weeks = [-w for w in PAST_WEEKS] + list(FUTURE_WEEKS)
            for week in sorted(weeks):
                day = _monday(today) + dt.timedelta(weeks=week, days=slot % 5)
                starts = dt.datetime.combine(day, dt.time(plan.first_hour + slot), tzinfo=zone)
                if week >= 0 and starts <= now:
                    continue  # this week's sessions already past are covered by week 0 logic below
                telehealth = "audio_video" if plan.key == "clinician" and week % 3 == 0 else ""
                booking = schedule_services.appointment_schedule(
                    access=scheduler,
                    patient_id=patient_id,
                    provider_id=author.provider_id or 0,
                    service_type=plan.service_type,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=plan.minutes),
                    location_id=None if telehealth else clinic.pk,
                    telehealth=telehealth,
                    patient_at_home=bool(telehealth),
                )
                counts["appointments"] = counts.get("appointments", 0) + 1
                if starts > now:
                    continue
                seed += 1
                _document(
                    appointment_id=booking.appointment.pk,
                    scheduler=scheduler,
                    author=author,
                    cosigner=cosigner,
                    plan=plan,
                    diagnosis_ids=diagnosis_ids,
                    recency_weeks=-week,
                    slot=slot,
                    seed=seed,
                    counts=counts,
                )
    _billing_cases(
        author=_access(users["clinician"], practice_id),
        patient_id=patient_ids[LATE_NOTES_ACCOUNT],
        today=today,
        zone=zone,
        counts=counts,
    )
    _cycle_cases(
        author=_access(users["supervisor"], practice_id),
        patient_ids=cycle_patient_ids or [],
        today=today,
        zone=zone,
        counts=counts,
    )
    return counts


# A commercial patient of the clinician (90-day timely filing): sessions documented late and a
# long crisis session, so the charge screens show the filing-deadline checks and crisis add-ons.
LATE_NOTES_ACCOUNT = "HV-0006"
BILLING_CASES = (
    # days before today, service, minutes, what it shows
    (100, ServiceType.INDIVIDUAL_PSYCHOTHERAPY, 53, "notes_past_timely_filing"),
    (82, ServiceType.INDIVIDUAL_PSYCHOTHERAPY, 45, "notes_near_timely_filing"),
    (70, ServiceType.CRISIS_PSYCHOTHERAPY, 80, "crisis_sessions"),
)


def _billing_cases(
    *, author: PracticeAccess, patient_id: int, today: dt.date, zone: ZoneInfo, counts: dict[str, int]
) -> None:
    diagnosis_ids = [d.pk for d in diagnosis_list_for_user(access=author, patient_id=patient_id)][:2]
    for seed, (days_ago, service_type, minutes, what) in enumerate(BILLING_CASES, start=900):
        day = today - dt.timedelta(days=days_ago)
        starts = dt.datetime.combine(day, dt.time(16, 0), tzinfo=zone)
        note = note_services.note_create(
            access=author, patient_id=patient_id, service_type=service_type, date_of_service=day
        )
        note = note_services.note_draft_update(
            access=author,
            note_id=note.pk,
            version=note.version,
            content=complete_content_for(service_type, seed=seed, patient_present=True),
            segments=[
                Segment(
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=minutes),
                    is_crisis=service_type is ServiceType.CRISIS_PSYCHOTHERAPY,
                )
            ],
            diagnosis_ids=diagnosis_ids,
        )
        note_services.note_sign(access=author, note_id=note.pk, attested=True)
        counts[what] = counts.get(what, 0) + 1


# One session for each patient carrying a claims-sandbox scenario the payer answers in its 835
# (partly paid, deductible, each kind of denial), dated before the weekly sessions so its claim
# goes in the oldest batch, the one the demo collects through to its 835 (demo/seed_claims.py).
CYCLE_DAYS_AGO = 64


def _cycle_cases(
    *, author: PracticeAccess, patient_ids: list[int], today: dt.date, zone: ZoneInfo, counts: dict[str, int]
) -> None:
    service_type = ServiceType.INDIVIDUAL_PSYCHOTHERAPY
    for index, patient_id in enumerate(patient_ids):
        day = today - dt.timedelta(days=CYCLE_DAYS_AGO + index % 3)
        starts = dt.datetime.combine(day, dt.time(8 + index // 3, 0), tzinfo=zone)
        diagnosis_ids = [d.pk for d in diagnosis_list_for_user(access=author, patient_id=patient_id)][:2]
        note = note_services.note_create(
            access=author, patient_id=patient_id, service_type=service_type, date_of_service=day
        )
        note = note_services.note_draft_update(
            access=author,
            note_id=note.pk,
            version=note.version,
            content=complete_content_for(service_type, seed=950 + index, patient_present=True),
            segments=[Segment(starts_at=starts, ends_at=starts + dt.timedelta(minutes=45))],
            diagnosis_ids=diagnosis_ids,
        )
        note_services.note_sign(access=author, note_id=note.pk, attested=True)
        counts["cycle_sessions"] = counts.get("cycle_sessions", 0) + 1


def _document(
    *,
    appointment_id: int,
    scheduler: PracticeAccess,
    author: PracticeAccess,
    cosigner: PracticeAccess | None,
    plan: ProviderPlan,
    diagnosis_ids: list[int],
    recency_weeks: int,
    slot: int,
    seed: int,
    counts: dict[str, int],
) -> None:
    """Move a past session through its life: attended (or not), documented, signed, co-signed."""

    def bump(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    recent = recency_weeks == 1
    if recency_weeks == 2 and slot == 1:
        schedule_services.appointment_set_status(
            access=scheduler, appointment_id=appointment_id, status="no_show"
        )
        return bump("no_shows")
    if recency_weeks == 3 and slot == 2:
        schedule_services.appointment_set_status(
            access=scheduler, appointment_id=appointment_id, status="cancelled", reason="Patient ill"
        )
        return bump("cancellations")
    schedule_services.appointment_set_status(
        access=scheduler, appointment_id=appointment_id, status="completed"
    )
    if recent and slot == 2:
        return bump("sessions_to_document")
    note = note_services.note_create(access=author, appointment_id=appointment_id)
    note = note_services.note_draft_update(
        access=author,
        note_id=note.pk,
        version=note.version,
        content=complete_content_for(plan.service_type, seed=seed, patient_present=True),
        diagnosis_ids=diagnosis_ids,
    )
    if recent and slot == 1 and cosigner is None:
        return bump("drafts")
    note = note_services.note_sign(access=author, note_id=note.pk, attested=True)
    if cosigner is None or note.status == "final":
        bump("final_notes")
    elif recent and slot == 0:
        bump("awaiting_cosign")
        return None
    elif recent and slot == 1:
        note_services.note_return(
            access=cosigner,
            note_id=note.pk,
            comment="Please describe the patient's response to the intervention in measurable terms.",
        )
        bump("returned")
        return None
    else:
        note_services.note_cosign(access=cosigner, note_id=note.pk, attested=True)
        bump("final_notes")
    if recency_weeks == 4 and slot == 0:
        note_services.note_addendum_add(
            access=author,
            note_id=note.pk,
            reason="Late entry",
            text="Caregiver called after the session to report the new routine held all weekend.",
        )
        bump("addenda")
    return None
