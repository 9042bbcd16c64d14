"""Reads for the eligibility workflow: the facts a check sends, the patient's panel, the
problems before upcoming sessions, alerts, batch progress and the scrubber's facts.

Screens read through `*_for_user` functions that check the capability and write one audit
event (coverage category); the others serve services, tasks and other apps' selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from authorizations.domain.types import AuthorizationFacts, AuthStatus
from authorizations.selectors import authorization_facts_for_patients
from core.errors import NotFound
from edi.codes import SERVICE_TYPES
from edi.x271 import EligibilityTransaction, Response271
from eligibility.adapters import ADAPTER_LABELS, ADAPTERS, clearinghouse_name, sandbox_allowed
from eligibility.domain.changes import Change
from eligibility.domain.problems import PROBLEM_LABELS, LatestCheck, SessionProblem, session_problems
from eligibility.domain.request import CheckFacts
from eligibility.domain.schedule import ScheduleSettings
from eligibility.domain.summary import COVERAGE_LABELS, Summary, plain_lines, summary_from_json
from eligibility.models import EligibilityBatch, EligibilityCheck, EligibilitySettings
from patients.models import Coverage
from patients.selectors import (
    coverage_to_verify,
    coverages_to_verify,
    primary_coverage_on,
    primary_coverage_to_verify,
    primary_coverages_of_patients,
)
from payer_rules.domain.policy import EligibilityRules
from payer_rules.selectors import payer_policy_on, payer_policy_timelines
from payers.models import Payer
from practice.models import SftpConnection
from practice.selectors import practice_today, practice_zone
from practice.sftp import key_passphrase_from_file
from scheduling.models import Appointment
from scheduling.selectors import upcoming_appointments

Status = EligibilityCheck.Status
FAILED = (Status.FAILED_TRANSIENT, Status.FAILED_PERMANENT)
ACTIVE_APPOINTMENT_STATUSES = (Appointment.Status.SCHEDULED, Appointment.Status.ARRIVED)


# ---- settings and facts --------------------------------------------------------------------------


def settings_for(*, practice_id: int) -> EligibilitySettings:
    found = EligibilitySettings.objects.filter(practice_id=practice_id).first()
    return found if found is not None else EligibilitySettings(practice_id=practice_id)


def schedule_settings(row: EligibilitySettings) -> ScheduleSettings:
    return ScheduleSettings(
        days_ahead=row.days_ahead,
        stale_after_days=row.reverify_after_days,
        gap_days=row.appointment_gap_days,
    )


def clearinghouse_choices() -> list[tuple[str, str]]:
    """The settings screen's choices: the deployment's default, then each adapter this
    deployment allows (the sandbox only where it is allowed)."""
    default = settings.ELIGIBILITY_CLEARINGHOUSE
    label = ADAPTER_LABELS.get(default, "none configured") if default else "none configured"
    return [("", f"The deployment's default ({label})")] + [
        (name, ADAPTER_LABELS[name]) for name in ADAPTERS if name != "sandbox" or sandbox_allowed()
    ]


def sftp_connection_label(*, practice_id: int) -> str:
    """Where the SFTP batch adapter connects ("" when the practice has no SFTP connection)."""
    row = SftpConnection.objects.filter(practice_id=practice_id).only("host", "port", "username").first()
    return f"{row.username}@{row.host}:{row.port}" if row is not None else ""


@dataclass(frozen=True, slots=True)
class SftpConnectionView:
    """The SFTP connection as its admin sees it: the fields, and whether the secrets are set
    (never the secrets themselves)."""

    initial: dict[str, Any]
    key_set: bool
    passphrase_set: bool
    passphrase_env: str
    updated_at: dt.datetime


def sftp_connection_for_admin(*, access: PracticeAccess) -> SftpConnectionView | None:
    access.require(Capability.PRACTICE_MANAGE)
    row = SftpConnection.objects.filter(practice_id=access.practice_id).first()
    if row is None:
        return None
    fields = ("host", "port", "username", "known_host_key", "outbox", "inbox", "archive", "rejected")
    return SftpConnectionView(
        initial={name: getattr(row, name) for name in fields},
        key_set=bool(row.key_path),
        passphrase_set=key_passphrase_from_file(row.key_path) is not None if row.key_path else False,
        passphrase_env=row.passphrase_env,
        updated_at=row.updated_at,
    )


def sftp_practice_ids() -> list[int]:
    """The practices with an SFTP connection whose eligibility goes through it (their own choice,
    or the deployment's default when they made none): the ones the collector visits. Two queries."""
    connected = list(SftpConnection.objects.values_list("practice_id", flat=True))
    chosen = dict(
        EligibilitySettings.objects.filter(practice_id__in=connected).values_list(
            "practice_id", "clearinghouse"
        )
    )
    return sorted(p for p in connected if clearinghouse_name(chosen.get(p, "")) == "sftp")


def practice_clearinghouse(*, practice_id: int) -> str:
    return clearinghouse_name(settings_for(practice_id=practice_id).clearinghouse)


def eligibility_rules(*, payer_id: int, on: dt.date) -> EligibilityRules:
    return payer_policy_on(payer_pk=payer_id, on=on).eligibility


def check_facts(*, check: EligibilityCheck) -> CheckFacts:
    coverage = coverage_to_verify(practice_id=check.practice_id, coverage_id=check.coverage_id)
    if coverage is None:
        raise NotFound("The check's coverage is gone.")
    patient, practice, payer = coverage.patient, coverage.patient.practice, coverage.payer
    if check.carve_out_payer_id is not None:  # asked of the carve-out administrator (pitfall E1)
        payer = Payer.objects.get(pk=check.carve_out_payer_id)
    return CheckFacts(
        patient_first_name=patient.first_name,
        patient_last_name=patient.last_name,
        patient_birth_date=patient.date_of_birth,
        patient_sex=patient.sex,
        member_id=coverage.member_id,
        group_number=coverage.group_number,
        relationship=coverage.subscriber_relationship,
        subscriber_first_name=coverage.subscriber_first_name,
        subscriber_last_name=coverage.subscriber_last_name,
        subscriber_birth_date=coverage.subscriber_date_of_birth,
        subscriber_sex=coverage.subscriber_sex,
        payer_name=payer.name,
        payer_id=payer.payer_id,
        provider_name=practice.legal_name,
        provider_npi=practice.billing_npi,
        service_date=check.service_date,
        service_types=tuple(check.service_types),
    )


def previous_done_summary(*, check: EligibilityCheck) -> Summary | None:
    """The summary of the coverage's last finished check before this one, asked of the same
    payer (a carve-out administrator's answer is compared with its own earlier answers)."""
    previous = (
        EligibilityCheck.objects.filter(
            coverage_id=check.coverage_id, status=Status.DONE, carve_out_payer_id=check.carve_out_payer_id
        )
        .exclude(pk=check.pk)
        .filter(finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .values_list("summary", flat=True)
        .first()
    )
    return summary_from_json(previous) if previous else None


def carve_out_payers(*, practice_id: int, payer_ids: set[str]) -> dict[str, Payer]:
    """The practice's payers set up with these electronic payer IDs (carve-out administrators
    named in 271s), by payer ID. One query."""
    if not payer_ids:
        return {}
    return {p.payer_id: p for p in Payer.objects.filter(practice_id=practice_id, payer_id__in=payer_ids)}


# ---- the patient's panel -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckRow:
    check_id: int
    service_date: dt.date
    requested_at: dt.datetime
    requested_by: str
    reason: str
    status: str
    status_label: str
    coverage_label: str
    payer_name: str
    is_sandbox: bool
    error_message: str
    changes: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class CarveOutRow:
    """Pitfall E1 on the patient screen: the plan's current answer names another administrator
    of the MH/SUD benefits; the check asked of it, or what it takes to ask."""

    plan_check_id: int
    administrator: str  # as the 271 names it
    administrator_payer_id: str
    payer_name: str  # the practice's payer with that payer ID ("" when not set up)
    check: CheckRow | None
    lines: list[str]


@dataclass(frozen=True, slots=True)
class CoveragePanel:
    coverage_id: int
    payer_name: str
    member_id: str
    current: CheckRow | None  # the latest finished check
    latest: CheckRow | None  # the latest check of any status
    summary: Summary | None
    lines: list[str]
    errors: list[dict[str, Any]]
    warnings: list[str]
    banner: str  # the latest check failed or is still running, while an older result shows
    history: list[CheckRow] = field(default_factory=list)
    carve_out: CarveOutRow | None = None

    @property
    def is_sandbox(self) -> bool:
        return any(row.is_sandbox for row in self.history)


def _row(check: EligibilityCheck) -> CheckRow:
    summary = check.summary or {}
    return CheckRow(
        check_id=check.pk,
        service_date=check.service_date,
        requested_at=check.created_at,
        requested_by=check.requested_by.get_username() if check.requested_by else "Scheduled job",
        reason=check.get_reason_display(),
        status=check.status,
        status_label=check.get_status_display(),
        coverage_label=COVERAGE_LABELS.get(summary.get("coverage", ""), "") if summary else "",
        payer_name=check.carve_out_payer.name if check.carve_out_payer else check.coverage.payer.name,
        is_sandbox=check.is_sandbox,
        error_message=check.error_message,
        changes=list(check.changes),
    )


def _carve_out_row(
    done: EligibilityCheck | None,
    summary: Summary | None,
    checks: list[EligibilityCheck],
    payers: dict[str, Payer],
) -> CarveOutRow | None:
    if done is None or summary is None or not summary.carve_out:
        return None
    asked = next((c for c in checks if c.carve_out_of_id == done.pk), None)
    answer = summary_from_json(asked.summary) if asked is not None and asked.summary else None
    payer = payers.get(summary.carve_out_payer_id)
    return CarveOutRow(
        plan_check_id=done.pk,
        administrator=summary.carve_out,
        administrator_payer_id=summary.carve_out_payer_id,
        payer_name=payer.name if payer is not None else "",
        check=_row(asked) if asked is not None else None,
        lines=plain_lines(answer)
        if answer is not None and asked is not None and asked.status == Status.DONE
        else [],
    )


def _panel(coverage: Coverage, checks: list[EligibilityCheck], payers: dict[str, Payer]) -> CoveragePanel:
    rows = [_row(c) for c in checks]
    plan_checks = [c for c in checks if c.carve_out_of_id is None]
    done = next((c for c in plan_checks if c.status == Status.DONE), None)
    latest = plan_checks[0] if plan_checks else None
    summary = summary_from_json(done.summary) if done is not None and done.summary else None
    banner = ""
    if latest is not None and latest is not done:
        kept = f" Showing the result of {done.finished_at:%b %d, %Y}." if done and done.finished_at else ""
        if latest.status in FAILED:
            banner = f"The last check failed: {latest.error_message}{kept}"
        else:
            banner = f"A check is {latest.get_status_display().lower()}.{kept}"
    return CoveragePanel(
        coverage_id=coverage.pk,
        payer_name=coverage.payer.name,
        member_id=coverage.member_id,
        current=_row(done) if done is not None else None,
        latest=_row(latest) if latest is not None else None,
        summary=summary,
        lines=plain_lines(summary) if summary is not None else [],
        errors=list(summary.errors) if summary is not None else [],
        warnings=list(done.warnings) if done is not None else [],
        banner=banner,
        history=rows,
        carve_out=_carve_out_row(done, summary, checks, payers),
    )


def _audit_view(access: PracticeAccess, *, patient_id: int, detail: str) -> None:
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.COVERAGE,
        practice_id=access.practice_id,
        patient_id=patient_id,
        object_type="eligibility",
        object_id=patient_id,
        detail=detail,
    )


def eligibility_panels_for_user(
    *, access: PracticeAccess, patient_id: int, audit: bool = True
) -> list[CoveragePanel]:
    """Each of the patient's coverages with its current result, banner and history. One event,
    unless `audit` is False: the patient screen's own view event (its coverage section) covers
    the panel it includes, so that page still writes exactly one."""
    access.require(Capability.COVERAGE_VIEW)
    coverages = coverages_to_verify(practice_id=access.practice_id, patient_id=patient_id)
    checks = (
        EligibilityCheck.objects.filter(coverage__in=coverages)
        .select_related("requested_by", "coverage__payer", "carve_out_payer")
        .order_by("-created_at", "-pk")
    )
    by_coverage: dict[int, list[EligibilityCheck]] = {c.pk: [] for c in coverages}
    named: set[str] = set()
    for check in checks[:200]:
        by_coverage[check.coverage_id].append(check)
        named.add((check.summary or {}).get("carve_out_payer_id", ""))
    payers = carve_out_payers(practice_id=access.practice_id, payer_ids=named - {""})
    if audit:
        _audit_view(access, patient_id=patient_id, detail="eligibility panel")
    return [_panel(c, by_coverage[c.pk], payers) for c in coverages]


@dataclass(frozen=True, slots=True)
class EstimateLink:
    appointment_id: int
    date_of_service: dt.date


def estimate_links(*, practice_id: int, patient_id: int, limit: int = 3) -> list[EstimateLink]:
    """The patient's next sessions (within the practice's eligibility window) the panel links to
    their estimate (`/estimates/appointments/<id>/`). The caller shows them to billing roles only."""
    now = timezone.now()
    days = settings_for(practice_id=practice_id).days_ahead
    rows = upcoming_appointments(
        practice_id=practice_id, start=now, end=now + dt.timedelta(days=days + 1), patient_id=patient_id
    )
    return [
        EstimateLink(appointment_id=r.appointment_id, date_of_service=r.date_of_service) for r in rows[:limit]
    ]


def check_get_for_user(*, access: PracticeAccess, check_id: int) -> EligibilityCheck:
    """One check with its raw exchanges (the due-diligence record). One event."""
    access.require(Capability.COVERAGE_VIEW)
    check = (
        EligibilityCheck.objects.filter(pk=check_id, practice_id=access.practice_id)
        .select_related("coverage__payer", "requested_by", "patient")
        .prefetch_related("exchanges")
        .first()
    )
    if check is None:
        raise NotFound("No such eligibility check in this practice.")
    _audit_view(access, patient_id=check.patient_id, detail=f"eligibility check {check.pk}")
    return check


def check_summary_lines(check: EligibilityCheck) -> list[str]:
    return plain_lines(summary_from_json(check.summary)) if check.summary else []


def service_type_label(code: str) -> str:
    return SERVICE_TYPES.get(code, code)


def clearinghouse_label(name: str) -> str:
    return ADAPTER_LABELS.get(name, name or "none")


# ---- problems before the session ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionProblemRow:
    appointment_id: int
    patient_id: int
    patient_name: str
    starts_at: dt.datetime
    payer_name: str
    coverage_id: int | None
    problems: list[str]
    is_sandbox: bool


def _upcoming(practice_id: int, *, today: dt.date, days: int) -> QuerySet[Appointment]:
    start = dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC) - dt.timedelta(hours=14)
    end = dt.datetime.combine(today + dt.timedelta(days=days + 1), dt.time.min, tzinfo=dt.UTC) + dt.timedelta(
        hours=14
    )
    return (
        Appointment.objects.filter(
            practice_id=practice_id,
            status__in=ACTIVE_APPOINTMENT_STATUSES,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("patient")
        .order_by("starts_at", "pk")
    )


def schedule_appointments(practice_id: int, *, today: dt.date, days: int) -> list[Appointment]:
    """The batch's appointments (`_upcoming`), each with `previous_starts_at`: when the patient's
    previous appointment (not cancelled) started, for the gap rule. One query."""
    previous = (
        Appointment.objects.filter(patient_id=OuterRef("patient_id"), starts_at__lt=OuterRef("starts_at"))
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    return list(
        _upcoming(practice_id, today=today, days=days).annotate(previous_starts_at=Subquery(previous))
    )


def last_check_times(*, coverage_ids: set[int], zone: ZoneInfo) -> dict[int, dt.date]:
    """Per coverage: the day (in the practice's zone) its last check that did not fail for good
    was asked for. One query."""
    rows = (
        EligibilityCheck.objects.filter(coverage_id__in=coverage_ids)
        .exclude(status=Status.FAILED_PERMANENT)
        .values("coverage_id")
        .annotate(last=Max("created_at"))
        .values_list("coverage_id", "last")
    )
    return {coverage_id: timezone.localtime(last, zone).date() for coverage_id, last in rows}


def checks_on_dates(*, pairs: set[tuple[int, dt.date]]) -> set[tuple[int, dt.date]]:
    """Which (coverage, date of service) pairs already have a check. One query."""
    if not pairs:
        return set()
    rows = EligibilityCheck.objects.filter(
        coverage_id__in={c for c, _ in pairs},
        service_date__in={d for _, d in pairs},
        carve_out_of__isnull=True,
    ).values_list("coverage_id", "service_date")
    return set(rows) & pairs


def _primary_coverage(patient_id: int, on: dt.date) -> Coverage | None:
    return primary_coverage_to_verify(patient_id=patient_id, on=on)


def _latest_checks(coverage_ids: set[int]) -> dict[int, tuple[LatestCheck, bool]]:
    """Per coverage: its latest finished check (else its latest check of any status) as the
    problems rule reads it, and whether it ran in the sandbox. Two queries (DISTINCT ON)."""
    fields = ("pk", "coverage_id", "status", "service_date", "summary", "is_sandbox")
    done = (
        EligibilityCheck.objects.filter(coverage_id__in=coverage_ids, status=Status.DONE)
        .order_by("coverage_id", "-finished_at", "-pk")
        .distinct("coverage_id")
        .only(*fields)
    )
    latest = (
        EligibilityCheck.objects.filter(coverage_id__in=coverage_ids)
        .order_by("coverage_id", "-created_at", "-pk")
        .distinct("coverage_id")
        .only(*fields)
    )
    chosen: dict[int, EligibilityCheck] = {c.coverage_id: c for c in latest}
    chosen.update({c.coverage_id: c for c in done})  # a finished check wins over a later one
    return {
        coverage_id: (
            LatestCheck(
                service_date=c.service_date,
                summary=summary_from_json(c.summary) if c.status == Status.DONE and c.summary else None,
            ),
            c.is_sandbox,
        )
        for coverage_id, c in chosen.items()
    }


def _has_authorization(facts: list[AuthorizationFacts], on: dt.date) -> bool:
    return any(
        a.status is AuthStatus.ACTIVE and a.start_on <= on <= a.end_on and a.remaining > 0 for a in facts
    )


def session_problem_rows(*, practice_id: int, days: int | None = None) -> list[SessionProblemRow]:
    """Upcoming appointments (today and the next N days) whose coverage is unverified, inactive
    or needs an authorization none covers. A constant number of queries, whatever the number of
    appointments: coverages, latest checks, authorizations and payer rules are read in bulk."""
    today = practice_today(practice_id=practice_id)
    settings_row = settings_for(practice_id=practice_id)
    days = settings_row.days_ahead if days is None else days
    zone = practice_zone(practice_id=practice_id)
    sessions: list[tuple[Appointment, dt.date]] = []
    for appointment in _upcoming(practice_id, today=today, days=days):
        on = timezone.localtime(appointment.starts_at, zone).date()
        if today <= on <= today + dt.timedelta(days=days):
            sessions.append((appointment, on))
    if not sessions:
        return []
    patient_ids = {a.patient_id for a, _ in sessions}
    coverages_of = primary_coverages_of_patients(patient_ids=patient_ids)
    in_force = [(a, on, primary_coverage_on(coverages_of.get(a.patient_id, ()), on)) for a, on in sessions]
    covered = [(a, on, c) for a, on, c in in_force if c is not None]
    if not covered:
        return []
    latest_of = _latest_checks({c.pk for _, _, c in covered})
    timelines = payer_policy_timelines(payer_pks={c.payer_id for _, _, c in covered})
    authorizations = authorization_facts_for_patients(patient_ids=patient_ids)
    rows: list[SessionProblemRow] = []
    for appointment, on, coverage in covered:
        latest, sandbox = latest_of.get(coverage.pk, (None, False))
        found = session_problems(
            appointment_on=on,
            latest=latest,
            window_days=timelines[coverage.payer_id].on(on).eligibility.verify_within_days,
            has_authorization=_has_authorization(
                authorizations.get((appointment.patient_id, coverage.payer_id), []), on
            ),
        )
        if found:
            patient = appointment.patient
            rows.append(
                SessionProblemRow(
                    appointment_id=appointment.pk,
                    patient_id=patient.pk,
                    patient_name=f"{patient.last_name}, {patient.first_name}",
                    starts_at=appointment.starts_at,
                    payer_name=coverage.payer.name,
                    coverage_id=coverage.pk,
                    problems=[PROBLEM_LABELS[SessionProblem(p)] for p in found],
                    is_sandbox=sandbox,
                )
            )
    return rows


def session_problems_for_user(*, access: PracticeAccess) -> list[SessionProblemRow]:
    access.require(Capability.COVERAGE_EDIT)
    rows = session_problem_rows(practice_id=access.practice_id)
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.COVERAGE,
        practice_id=access.practice_id,
        object_type="eligibility",
        detail=f"problems before the session ({len(rows)})",
    )
    return rows


def session_problem_count(*, practice_id: int) -> int:
    """How many upcoming sessions have an eligibility problem (for the biller's home worklist)."""
    return len(session_problem_rows(practice_id=practice_id))


@dataclass(frozen=True, slots=True)
class AlertRow:
    check_id: int
    patient_id: int
    finished_at: dt.datetime | None
    changes: list[str]


def eligibility_alerts(*, practice_id: int, days: int = 30, limit: int = 50) -> list[AlertRow]:
    """Finished checks of the last `days` days whose "what changed" holds an alert."""
    since = timezone.now() - dt.timedelta(days=days)
    checks = EligibilityCheck.objects.filter(
        practice_id=practice_id, has_alert=True, finished_at__gte=since
    ).order_by("-finished_at", "-pk")[:limit]
    return [
        AlertRow(
            check_id=c.pk,
            patient_id=c.patient_id,
            finished_at=c.finished_at,
            changes=[change["message"] for change in c.changes if change.get("alert")],
        )
        for c in checks
    ]


def eligibility_alert_count(*, practice_id: int, days: int = 30) -> int:
    """How many finished checks of the last `days` days hold an alert (one query): the
    biller's "Coverage changes" tile."""
    since = timezone.now() - dt.timedelta(days=days)
    return EligibilityCheck.objects.filter(
        practice_id=practice_id, has_alert=True, finished_at__gte=since
    ).count()


def change_json(change: Change) -> dict[str, Any]:
    return {"kind": change.kind.value, "message": change.message, "alert": change.alert}


# ---- batches ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchProgress:
    batch_id: int
    created_at: dt.datetime
    total: int
    by_status: dict[str, int]

    @property
    def finished(self) -> int:
        return sum(n for s, n in self.by_status.items() if s in (Status.DONE, Status.FAILED_PERMANENT))

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.finished / self.total)


def batch_progress(*, batch_id: int) -> BatchProgress:
    batch = EligibilityBatch.objects.get(pk=batch_id)
    counts = dict(
        EligibilityCheck.objects.filter(batch_id=batch_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return BatchProgress(batch_id=batch.pk, created_at=batch.created_at, total=batch.total, by_status=counts)


def recent_batches(*, practice_id: int, limit: int = 5) -> list[BatchProgress]:
    ids = EligibilityBatch.objects.filter(practice_id=practice_id).order_by("-created_at", "-pk")[:limit]
    return [batch_progress(batch_id=b.pk) for b in ids]


# ---- the scrubber's facts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimEligibility:
    """The coverage's finished check nearest the date of service (and its window).
    `required`: the practice verifies eligibility in Parity (it has eligibility settings), so a
    claim without a check is flagged; practices that verify elsewhere are not warned on every
    claim."""

    service_date: dt.date | None
    window_days: int
    summary: Summary | None
    required: bool = True


def claim_eligibility(
    *, coverage_id: int, payer_id: int, date_of_service: dt.date, window_days: int
) -> ClaimEligibility:
    """The coverage's finished check nearest the date within `window_days` (the payer's rule):
    one query, two when there is none (does the practice verify in Parity?)."""
    lo, hi = (
        date_of_service - dt.timedelta(days=window_days),
        date_of_service + dt.timedelta(days=window_days),
    )
    candidates = list(
        EligibilityCheck.objects.filter(
            coverage_id=coverage_id, status=Status.DONE, service_date__gte=lo, service_date__lte=hi
        ).values_list("service_date", "summary", "finished_at")
    )
    if not candidates:
        required = EligibilitySettings.objects.filter(practice__payers__pk=payer_id).exists()
        return ClaimEligibility(service_date=None, window_days=window_days, summary=None, required=required)
    best = min(
        candidates,
        key=lambda c: (abs((c[0] - date_of_service).days), -(c[2].timestamp() if c[2] else 0)),
    )
    return ClaimEligibility(service_date=best[0], window_days=window_days, summary=summary_from_json(best[1]))


def latest_271_entry(*, coverage_id: int, on: dt.date) -> EligibilityTransaction | None:
    """The parsed 271 of the coverage's most recently finished check for a date of service on or
    before `on` (the estimate's benefits: deductible and out-of-pocket left, copay,
    coinsurance), or None when no check has finished. One query."""
    row = (
        EligibilityCheck.objects.filter(coverage_id=coverage_id, status=Status.DONE, service_date__lte=on)
        .order_by("-finished_at", "-pk")
        .values_list("result", flat=True)
        .first()
    )
    if not row:
        return None
    transactions = Response271.model_validate(row).transactions
    return transactions[0] if transactions else None
