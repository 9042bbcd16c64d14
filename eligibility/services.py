"""Eligibility use cases: ask for a check (on demand, scheduled, before a session) and run it.

* `eligibility_verify_now(access=, coverage_id= | appointment_id=, force=)`: one check per
  coverage and date of service; a second request returns the same check unless `force`
  ("Verify again"), which starts a new one. The check is handed to a worker through the
  durable outbox (`core.jobs.job_enqueue_on_commit`, docs/decisions/0014).
* `eligibility_schedule_run(practice_id=)`: the beat job's work for one practice: every
  coverage with an appointment in the next N days whose last check is stale, or that comes back
  after a gap, gets a check in one batch whose progress the screens show.
* `eligibility_check_run(check_id=)`: the worker's handler. Transient failures (clearinghouse
  down, AAA 42/80) keep the raw exchange and raise `CheckRetry`, so the job retries with
  backoff and jitter (`core.domain.backoff`); after the last attempt, and for permanent
  failures, the check is failed and shown, never retried. The previous finished check stays
  the current result (pitfall E5).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from clearinghouse.interface import (
    EligibilityCheck as CheckRequest,
)
from clearinghouse.interface import (
    EligibilityResult,
    PermanentClearinghouseError,
    TransientClearinghouseError,
)
from clearinghouse.sftp import AnswerPending, CollectReport, InboxFile, host_key_problem, private_key_problem
from core.domain.backoff import MAX_ATTEMPTS
from core.errors import NotFound, ValidationFailed
from core.jobs import JobSpec, job_enqueue_on_commit, jobs_enqueue_many_on_commit
from edi.errors import X12Error
from edi.x270 import Envelope
from edi.x271 import EligibilityTransaction, Response271
from eligibility.adapters import ADAPTERS, adapter_for, clearinghouse_name, sandbox_allowed, sftp_adapter
from eligibility.domain.changes import what_changed
from eligibility.domain.request import build_request
from eligibility.domain.schedule import in_window, needs_verification
from eligibility.domain.summary import summarize, summary_to_json
from eligibility.models import (
    ControlNumber,
    EligibilityBatch,
    EligibilityCheck,
    EligibilityExchange,
    EligibilitySettings,
)
from eligibility.selectors import (
    _primary_coverage,
    carve_out_payers,
    change_json,
    check_facts,
    checks_on_dates,
    eligibility_rules,
    last_check_times,
    practice_clearinghouse,
    previous_done_summary,
    schedule_appointments,
    schedule_settings,
    settings_for,
    sftp_connection_label,
    sftp_practice_ids,
)
from patients.models import Coverage
from patients.selectors import (
    coverage_to_verify,
    coverages_lock,
    primary_coverage_on,
    primary_coverages_of_patients,
)
from payer_rules.domain.policy import EligibilityRules
from payer_rules.selectors import payer_policy_timelines
from payers.models import Payer
from payers.selectors import EnrollmentSpan, enrollments_with_payer
from practice.models import SftpConnection
from practice.selectors import practice_today, practice_zone
from practice.sftp import PASSPHRASE_SUFFIX
from scheduling.models import Appointment

CHECK_TASK = "eligibility.tasks.eligibility_check_task"
COLLECT_TASK = "eligibility.tasks.eligibility_sftp_collect_task"
Status = EligibilityCheck.Status
Reason = EligibilityCheck.Reason
OPEN_STATUSES = (Status.QUEUED, Status.RUNNING, Status.FAILED_TRANSIENT)
ISA13_MAX = 999_999_999


class CheckRetry(Exception):
    """A transient failure: the durable job runs the check again after a backoff."""


def next_control_numbers(name: str, count: int) -> list[int]:
    """The next `count` values of a database counter, in one statement (an upsert that adds
    `count` and returns the new last value): unique across batches and workers (pitfall E7)."""
    table = connection.ops.quote_name(ControlNumber._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, last_value) VALUES (%s, %s) "  # noqa: S608 (our table name)
            f"ON CONFLICT (name) DO UPDATE SET last_value = {table}.last_value + EXCLUDED.last_value "
            "RETURNING last_value",
            [name, count],
        )
        last = int(cursor.fetchone()[0])
    return [(value - 1) % ISA13_MAX + 1 for value in range(last - count + 1, last + 1)]


def next_control_number(name: str) -> int:
    """The next value of a database counter (unique across batches and workers: pitfall E7)."""
    return next_control_numbers(name, 1)[0]


def eligibility_settings_save(
    *,
    access: PracticeAccess,
    clearinghouse: str = "",
    days_ahead: int = 7,
    reverify_after_days: int = 30,
    appointment_gap_days: int = 60,
) -> EligibilitySettings:
    """The practice verifies eligibility in Parity, through `clearinghouse` ("" = the deployment's)."""
    access.require(Capability.PRACTICE_MANAGE)
    if clearinghouse and clearinghouse not in ADAPTERS:
        raise ValidationFailed(field_errors={"clearinghouse": ["Choose a clearinghouse from the list."]})
    if clearinghouse == "sandbox" and not sandbox_allowed():
        raise ValidationFailed(field_errors={"clearinghouse": ["The sandbox is refused in production."]})
    if clearinghouse == "sftp" and not sftp_connection_label(practice_id=access.practice_id):
        raise ValidationFailed(
            field_errors={"clearinghouse": ["The practice has no SFTP connection: set one up first."]}
        )
    with transaction.atomic(durable=True):
        row, _ = EligibilitySettings.objects.update_or_create(
            practice_id=access.practice_id,
            defaults={
                "clearinghouse": clearinghouse,
                "days_ahead": days_ahead,
                "reverify_after_days": reverify_after_days,
                "appointment_gap_days": appointment_gap_days,
            },
        )
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.UPDATE,
            category=Category.PRACTICE,
            practice_id=access.practice_id,
            object_type="eligibility_settings",
            object_id=row.pk,
            detail=f"clearinghouse {clearinghouse or 'default'}",
        )
    return row


SFTP_FIELDS = ("host", "port", "username", "known_host_key", "outbox", "inbox", "archive", "rejected")


def _sftp_problems(
    values: dict[str, Any], *, private_key: str, passphrase: str, key_path: str
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    host = str(values["host"]).strip()
    if not host or any(c.isspace() for c in host) or "/" in host:
        problems["host"] = ["Give the server's host name or address."]
    if not 1 <= int(values["port"]) <= 65535:
        problems["port"] = ["A port is between 1 and 65535."]
    if not str(values["username"]).strip():
        problems["username"] = ["Give the user name the clearinghouse issued."]
    if problem := host_key_problem(str(values["known_host_key"])):
        problems["known_host_key"] = [problem]
    folders = [str(values[name]).strip() for name in ("outbox", "inbox", "archive", "rejected")]
    for name, folder in zip(("outbox", "inbox", "archive", "rejected"), folders, strict=True):
        if not folder or ".." in folder.split("/") or any(c.isspace() or c in "\\*?" for c in folder):
            problems[name] = ["A folder on the server, e.g. outbox or /upload/270 (no .., no spaces)."]
    if len(set(folders)) < len(folders):
        problems.setdefault("archive", []).append(
            "The outbox, inbox, archive and rejected folders must differ."
        )
    if private_key:
        if problem := private_key_problem(private_key, passphrase or None):
            problems["private_key"] = [problem]
    elif not key_path:
        problems["private_key"] = ["Paste the private key Parity signs in with."]
    elif passphrase:  # a new passphrase for the key already stored
        try:
            with open(key_path, encoding="utf-8") as handle:
                stored = handle.read()
        except OSError:
            stored = ""
        if problem := private_key_problem(stored, passphrase):
            problems["passphrase"] = [problem]
    return problems


def _write_secret(path: Path, text: str) -> None:
    """Write a secret file readable by this user only, atomically (temporary file, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, path)


def eligibility_sftp_connection_save(
    *, access: PracticeAccess, private_key: str = "", passphrase: str = "", **values: Any
) -> SftpConnection:
    """The practice's SFTP connection, set by its admin on the eligibility settings screen.

    `private_key` and `passphrase` are write-only: blank keeps what is stored; given, they are
    checked (the key must open with the passphrase) and written to 0600 files under
    SFTP_KEYS_DIR, never to the database, and never shown again. The audit event names the
    fields that changed, never a secret."""
    access.require(Capability.PRACTICE_MANAGE)
    values = {name: values[name] for name in SFTP_FIELDS}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    private_key = private_key.strip().replace("\r\n", "\n")
    private_key = private_key + "\n" if private_key else ""
    row = SftpConnection.objects.filter(practice_id=access.practice_id).first()
    problems = _sftp_problems(
        values, private_key=private_key, passphrase=passphrase, key_path=row.key_path if row else ""
    )
    if problems:
        raise ValidationFailed("Check the SFTP connection's fields.", field_errors=problems)
    changed = [name for name in SFTP_FIELDS if row is None or getattr(row, name) != values[name]]
    old_key = row.key_path if row is not None else ""
    key_path = old_key
    if private_key:
        key_path = str(
            Path(settings.SFTP_KEYS_DIR) / f"practice-{access.practice_id}-{secrets.token_hex(8)}.key"
        )
        _write_secret(Path(key_path), private_key)
        changed.append("private key replaced")
    if passphrase:  # beside the new key, or the key already stored
        _write_secret(Path(key_path + PASSPHRASE_SUFFIX), passphrase)
        changed.append("passphrase replaced")
    with transaction.atomic(durable=True):
        row, created = SftpConnection.objects.update_or_create(
            practice_id=access.practice_id, defaults={**values, "key_path": key_path}
        )
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            category=Category.PRACTICE,
            practice_id=access.practice_id,
            object_type="sftp_connection",
            object_id=row.pk,
            detail="SFTP connection " + (", ".join(changed) if changed else "saved unchanged"),
        )
        if old_key and old_key != key_path:
            transaction.on_commit(lambda: _remove_secrets(old_key))
    return row


def _remove_secrets(key_path: str) -> None:
    for path in (Path(key_path), Path(key_path + PASSPHRASE_SUFFIX)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# ---- asking for a check ---------------------------------------------------------------------------


def _enrollment_warning(
    *, coverage: Coverage, rules: EligibilityRules, span: EnrollmentSpan | None
) -> list[str]:
    """Pitfall E9: the payer answers only for enrolled providers (`span`: the session's
    provider's enrolment with the coverage's payer)."""
    if not rules.enrollment_required or (span is not None and span.status == "enrolled"):
        return []
    return [
        f"{coverage.payer.name} requires eligibility enrollment and the session's provider is not enrolled: "
        "a rejection (AAA 41 or 50) most likely means the enrollment is missing."
    ]


def _enrollment_warnings(
    *, coverage: Coverage, appointment: Appointment | None, rules: EligibilityRules
) -> list[str]:
    if not rules.enrollment_required or appointment is None:
        return []
    span = enrollments_with_payer(provider_ids=[appointment.provider_id], payer_pk=coverage.payer_id).get(
        appointment.provider_id
    )
    return _enrollment_warning(coverage=coverage, rules=rules, span=span)


def _check_create(
    *,
    practice_id: int,
    coverage: Coverage,
    service_date: dt.date,
    reason: str,
    appointment: Appointment | None = None,
    user_id: int | None = None,
    batch: EligibilityBatch | None = None,
    force: bool = False,
    clearinghouse: str | None = None,
    rules: EligibilityRules | None = None,
) -> tuple[EligibilityCheck, bool]:
    """The coverage's check for the date (created and queued when there is none, or when forced
    and the last one has finished). Call inside a transaction that locked the coverage. A batch
    passes the practice's `clearinghouse` and the payer's `rules` on the date, read once."""
    existing = (
        EligibilityCheck.objects.filter(
            coverage=coverage, service_date=service_date, carve_out_of__isnull=True
        )
        .order_by("-sequence")
        .first()
    )
    if existing is not None and (not force or existing.status in (Status.QUEUED, Status.RUNNING)):
        return existing, False
    name = practice_clearinghouse(practice_id=practice_id) if clearinghouse is None else clearinghouse
    if rules is None:
        rules = eligibility_rules(payer_id=coverage.payer_id, on=service_date)
    check = EligibilityCheck.objects.create(
        practice_id=practice_id,
        patient_id=coverage.patient_id,
        coverage=coverage,
        appointment=appointment,
        batch=batch,
        service_date=service_date,
        sequence=existing.sequence + 1 if existing is not None else 0,
        reason=reason,
        requested_by_id=user_id,
        clearinghouse=name,
        is_sandbox=name == "sandbox",
        service_types=list(rules.service_types),
        trace_number=f"PRTY{next_control_number('trace'):010d}",
        warnings=_enrollment_warnings(coverage=coverage, appointment=appointment, rules=rules),
    )
    job_enqueue_on_commit(
        CHECK_TASK,
        key=f"eligibility.check:{check.pk}",
        label=f"Eligibility check {check.pk}",
        practice_id=practice_id,
        check_id=check.pk,
    )
    return check, True


def _appointment_date(appointment: Appointment) -> dt.date:
    return timezone.localtime(
        appointment.starts_at, practice_zone(practice_id=appointment.practice_id)
    ).date()


def eligibility_verify_now(
    *,
    access: PracticeAccess,
    coverage_id: int | None = None,
    appointment_id: int | None = None,
    service_date: dt.date | None = None,
    force: bool = False,
) -> EligibilityCheck:
    """ "Verify now" from the patient screen (a coverage, for a date: today by default) or the
    appointment screen (its primary coverage, for the appointment's date: pitfall E6)."""
    access.require(Capability.COVERAGE_EDIT)
    with transaction.atomic(durable=True):
        appointment = None
        if appointment_id is not None:
            appointment = Appointment.objects.filter(
                pk=appointment_id, practice_id=access.practice_id
            ).first()
            if appointment is None:
                raise NotFound("No such appointment in this practice.")
            service_date = _appointment_date(appointment)
            primary = _primary_coverage(appointment.patient_id, service_date)
            if primary is None:
                raise ValidationFailed(
                    "The patient has no insurance coverage active on the appointment's date.",
                    code="no_coverage",
                )
            coverage_id = primary.pk
        if coverage_id is None:
            raise ValidationFailed("Choose a coverage to verify.", code="no_coverage")
        coverage = coverage_to_verify(practice_id=access.practice_id, coverage_id=coverage_id, lock=True)
        if coverage is None:
            raise NotFound("No such insurance coverage in this practice.")
        day = service_date or practice_today(practice_id=access.practice_id)
        check, created = _check_create(
            practice_id=access.practice_id,
            coverage=coverage,
            service_date=day,
            reason=Reason.BEFORE_SESSION if appointment is not None else Reason.ON_DEMAND,
            appointment=appointment,
            user_id=access.user_id,
            force=force,
        )
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.VERIFY,
            category=Category.COVERAGE,
            practice_id=access.practice_id,
            patient_id=coverage.patient_id,
            object_type="eligibility_check",
            object_id=check.pk,
            detail=("verify again" if force else "verify now") + ("" if created else " (existing check)"),
        )
    return check


def eligibility_schedule_run(*, practice_id: int, today: dt.date | None = None) -> EligibilityBatch | None:
    """Queue a check for every coverage with an upcoming appointment that needs one (one batch).

    A constant number of queries whatever the number of coverages (the bench's 1,000 checks are
    queued in about a second): the appointments with each patient's previous one, their primary
    coverages, the coverages' last checks, one lock over the coverages chosen, their checks on
    those dates, the payers' rules and enrolments, a block of trace numbers, one INSERT of the
    checks and one of their outbox rows, sent after commit over one broker connection."""
    settings_row = settings_for(practice_id=practice_id)
    rules = schedule_settings(settings_row)
    today = today or practice_today(practice_id=practice_id)
    zone = practice_zone(practice_id=practice_id)
    clearinghouse = clearinghouse_name(settings_row.clearinghouse)
    with transaction.atomic(durable=True):
        appointments = schedule_appointments(practice_id, today=today, days=rules.days_ahead)
        coverages = primary_coverages_of_patients(patient_ids={a.patient_id for a in appointments})
        last_checked = last_check_times(
            coverage_ids={c.pk for found in coverages.values() for c in found}, zone=zone
        )
        planned: dict[tuple[int, dt.date], tuple[Coverage, Appointment]] = {}
        for appointment in appointments:
            on = timezone.localtime(appointment.starts_at, zone).date()
            if not in_window(on, today=today, days_ahead=rules.days_ahead):
                continue
            coverage = primary_coverage_on(coverages.get(appointment.patient_id, []), on)
            if coverage is None or (coverage.pk, on) in planned:
                continue
            previous = appointment.previous_starts_at  # type: ignore[attr-defined]
            if not needs_verification(
                today=today,
                appointment_on=on,
                last_checked_on=last_checked.get(coverage.pk),
                previous_appointment_on=timezone.localtime(previous, zone).date() if previous else None,
                settings=rules,
            ):
                continue
            planned[(coverage.pk, on)] = (coverage, appointment)
            last_checked[coverage.pk] = today  # the check planned now is the coverage's last
        locked = coverages_lock(practice_id=practice_id, coverage_ids={c.pk for c, _ in planned.values()})
        existing = checks_on_dates(pairs=set(planned))  # read after the lock: a "Verify now" won
        todo = [(key, *value) for key, value in planned.items() if key not in existing and key[0] in locked]
        if not todo:
            return None
        timelines = payer_policy_timelines(payer_pks={coverage.payer_id for _, coverage, _ in todo})
        enrolments: dict[int, dict[int, EnrollmentSpan]] = {}
        traces = iter(next_control_numbers("trace", len(todo)))
        batch = EligibilityBatch.objects.create(practice_id=practice_id, total=len(todo))
        checks = []
        for (_, on), coverage, appointment in todo:
            payer_rules = timelines[coverage.payer_id].on(on).eligibility
            if payer_rules.enrollment_required and coverage.payer_id not in enrolments:
                enrolments[coverage.payer_id] = enrollments_with_payer(
                    provider_ids={a.provider_id for _, _, a in todo}, payer_pk=coverage.payer_id
                )
            span = enrolments.get(coverage.payer_id, {}).get(appointment.provider_id)
            checks.append(
                EligibilityCheck(
                    practice_id=practice_id,
                    patient_id=coverage.patient_id,
                    coverage=coverage,
                    appointment=appointment,
                    batch=batch,
                    service_date=on,
                    sequence=0,
                    reason=Reason.SCHEDULED,
                    clearinghouse=clearinghouse,
                    is_sandbox=clearinghouse == "sandbox",
                    service_types=list(payer_rules.service_types),
                    trace_number=f"PRTY{next(traces):010d}",
                    warnings=_enrollment_warning(coverage=coverage, rules=payer_rules, span=span),
                )
            )
        EligibilityCheck.objects.bulk_create(checks)
        jobs_enqueue_many_on_commit(
            CHECK_TASK,
            [
                JobSpec(
                    key=f"eligibility.check:{c.pk}",
                    label=f"Eligibility check {c.pk}",
                    kwargs={"check_id": c.pk},
                )
                for c in checks
            ],
            practice_id=practice_id,
        )
    return batch


# ---- carve-outs (pitfall E1) ------------------------------------------------------------------------


def _carve_out_create(
    original: EligibilityCheck, *, payer: Payer, user_id: int | None
) -> tuple[EligibilityCheck, bool]:
    """The check asking the carve-out administrator `payer` about the original check's coverage
    and date (created and queued once; call inside a transaction that locked the original)."""
    existing = EligibilityCheck.objects.filter(carve_out_of=original).first()
    if existing is not None:
        return existing, False
    check = EligibilityCheck.objects.create(
        practice_id=original.practice_id,
        patient_id=original.patient_id,
        coverage_id=original.coverage_id,
        appointment_id=original.appointment_id,
        service_date=original.service_date,
        reason=Reason.CARVE_OUT,
        requested_by_id=user_id,
        clearinghouse=original.clearinghouse,
        is_sandbox=original.is_sandbox,
        service_types=list(original.service_types),
        trace_number=f"PRTY{next_control_number('trace'):010d}",
        carve_out_of=original,
        carve_out_payer=payer,
    )
    job_enqueue_on_commit(
        CHECK_TASK,
        key=f"eligibility.check:{check.pk}",
        label=f"Eligibility check {check.pk} (carve-out)",
        practice_id=original.practice_id,
        check_id=check.pk,
    )
    return check, True


def _carve_out_payer(check: EligibilityCheck) -> Payer | None:
    payer_id = (check.summary or {}).get("carve_out_payer_id", "")
    return (
        carve_out_payers(practice_id=check.practice_id, payer_ids={payer_id}).get(payer_id)
        if payer_id
        else None
    )


def eligibility_carve_out_verify(*, access: PracticeAccess, check_id: int) -> EligibilityCheck:
    """ "Verify with the administrator": the plan's answer (check `check_id`) says another
    organization administers the MH/SUD benefits; queue a 270 to it, once per plan check."""
    access.require(Capability.COVERAGE_EDIT)
    with transaction.atomic(durable=True):
        original = (
            EligibilityCheck.objects.select_for_update()
            .filter(pk=check_id, practice_id=access.practice_id)
            .first()
        )
        if original is None:
            raise NotFound("No such eligibility check in this practice.")
        administrator = (original.summary or {}).get("carve_out", "")
        if original.status != Status.DONE or not administrator or original.carve_out_of_id is not None:
            raise ValidationFailed(
                "This check's answer names no other administrator of the mental health benefits.",
                code="no_carve_out",
            )
        payer = _carve_out_payer(original)
        if payer is None:
            payer_id = original.summary.get("carve_out_payer_id", "")
            raise ValidationFailed(
                f"{administrator} is not set up as a payer"
                + (
                    f": add a payer with payer ID {payer_id} first."
                    if payer_id
                    else " (the 271 gives no payer ID)."
                ),
                code="carve_out_payer_missing",
            )
        check, created = _carve_out_create(original, payer=payer, user_id=access.user_id)
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.VERIFY,
            category=Category.COVERAGE,
            practice_id=access.practice_id,
            patient_id=original.patient_id,
            object_type="eligibility_check",
            object_id=check.pk,
            detail=f"verify with the carve-out administrator (check {original.pk})"
            + ("" if created else " (existing check)"),
        )
    return check


# ---- running a check --------------------------------------------------------------------------------


def _claim(check_id: int) -> EligibilityCheck | None:
    with transaction.atomic():
        check = EligibilityCheck.objects.select_for_update().filter(pk=check_id).first()
        if check is None or check.status in (Status.DONE, Status.FAILED_PERMANENT):
            return None  # a redelivered job: the check already ran to its end
        check.status = Status.RUNNING
        check.attempts += 1
        check.started_at = check.started_at or timezone.now()
        check.save(update_fields=["status", "attempts", "started_at", "updated_at"])
    return check


def _envelope(check: EligibilityCheck, *, control: int, payer_id: str, sandbox: bool) -> Envelope:
    created = timezone.localtime(timezone.now(), practice_zone(practice_id=check.practice_id)).replace(
        tzinfo=None
    )
    return Envelope(
        sender_id=f"PARITY{check.practice_id}"[:15],
        receiver_id=(payer_id or "CLEARINGHOUSE")[:15],
        interchange_control_number=control,
        group_control_number=control,
        created=created,
        usage="T" if sandbox else "P",
    )


def _fail(
    check: EligibilityCheck, *, control: int, outcome: str, message: str, request_x12: str, response_x12: str
) -> None:
    transient = outcome == "transient" and check.attempts < MAX_ATTEMPTS
    if outcome == "transient" and not transient:
        message = f"{message} Gave up after {check.attempts} attempts; verify again later."
    with transaction.atomic():
        EligibilityExchange.objects.create(
            check_run=check,
            attempt=check.attempts,
            interchange_control_number=control,
            request_x12=request_x12,
            response_x12=response_x12,
            outcome=outcome,
            error_message=message,
        )
        check.status = Status.FAILED_TRANSIENT if transient else Status.FAILED_PERMANENT
        check.error_message = message
        check.finished_at = None if transient else timezone.now()
        check.save(update_fields=["status", "error_message", "finished_at", "updated_at"])
    if transient:
        raise CheckRetry(message)


def _control_number(check: EligibilityCheck, *, answers_later: bool) -> int:
    """The ISA13 of this attempt's 270: a new one each attempt, except through a clearinghouse
    that answers later (SFTP batch), where every attempt reuses the first one's, recorded on the
    check before anything is uploaded (so even a worker killed mid-upload leaves it)."""
    if not answers_later:
        return next_control_number("interchange")
    if check.sent_control_number is None:
        control = next_control_number("interchange")
        EligibilityCheck.objects.filter(pk=check.pk, sent_control_number__isnull=True).update(
            sent_control_number=control
        )
        check.sent_control_number = EligibilityCheck.objects.values_list(
            "sent_control_number", flat=True
        ).get(pk=check.pk)
    return int(check.sent_control_number)  # type: ignore[arg-type]


def _wait(check: EligibilityCheck, *, control: int, request_x12: str, message: str) -> None:
    """The 270 is with a batch clearinghouse and its 271 has not come: record the 270 once (a
    "sent" exchange), then poll again with backoff until the last attempt gives up."""
    if not EligibilityExchange.objects.filter(interchange_control_number=control, outcome="sent").exists():
        with contextlib.suppress(IntegrityError), transaction.atomic():
            EligibilityExchange.objects.create(
                check_run=check,
                attempt=check.attempts,
                interchange_control_number=control,
                request_x12=request_x12,
                outcome="sent",
                error_message=message,
            )
    waiting = check.attempts < MAX_ATTEMPTS
    if not waiting:
        message = f"{message} Gave up after {check.attempts} attempts; verify again later."
    check.status = Status.FAILED_TRANSIENT if waiting else Status.FAILED_PERMANENT
    check.error_message = message
    check.finished_at = None if waiting else timezone.now()
    check.save(update_fields=["status", "error_message", "finished_at", "updated_at"])
    if waiting:
        raise CheckRetry(message)


def eligibility_check_run(*, check_id: int) -> None:
    """Send the check's 270 through the practice's clearinghouse and record the 271."""
    check = _claim(check_id)
    if check is None:
        return
    facts = check_facts(check=check)
    request_x12 = ""
    try:
        adapter = adapter_for(check.clearinghouse, practice_id=check.practice_id)
    except PermanentClearinghouseError as error:
        _fail(
            check,
            control=next_control_number("interchange"),
            outcome="permanent",
            message=str(error),
            request_x12="",
            response_x12="",
        )
        return
    control = _control_number(check, answers_later=getattr(adapter, "answers_later", False))
    try:
        request = build_request(facts, trace_number=check.trace_number)
        envelope = _envelope(check, control=control, payer_id=facts.payer_id, sandbox=adapter.is_sandbox)
        result = adapter.check_eligibility(CheckRequest(request=request, envelope=envelope))
    except AnswerPending as error:
        _wait(check, control=control, request_x12=error.request_x12, message=str(error))
        return
    except TransientClearinghouseError as error:
        _fail(
            check,
            control=control,
            outcome="transient",
            message=str(error),
            request_x12=error.request_x12,
            response_x12=error.response_x12,
        )
        return
    except PermanentClearinghouseError as error:
        _fail(
            check,
            control=control,
            outcome="permanent",
            message=str(error),
            request_x12=error.request_x12,
            response_x12=error.response_x12,
        )
        return
    except X12Error as error:
        _fail(
            check,
            control=control,
            outcome="permanent",
            message=str(error),
            request_x12=request_x12,
            response_x12="",
        )
        return
    if result.payer_unavailable:
        first = result.response.transactions[0].errors[0]
        _fail(
            check,
            control=control,
            outcome="transient",
            message=f"The payer could not answer now (AAA {first.code}: {first.message}).",
            request_x12=result.request_x12,
            response_x12=result.response_x12,
        )
        return
    _answer_record(
        check,
        control=control,
        request_x12=result.request_x12,
        response_x12=result.response_x12,
        response=result.response,
    )


def _answer_record(
    check: EligibilityCheck, *, control: int, request_x12: str, response_x12: str, response: Response271
) -> bool:
    """Store the 271 that answers the check (its exchange, the result, the summary and what
    changed) unless the check already has its answer: the worker polling the SFTP inbox and the
    collector may both find it, and the same file may come twice. True when stored."""
    entry = response.transactions[0]
    summary = summarize(entry, requested=tuple(check.service_types), service_date=check.service_date)
    changes = [change_json(c) for c in what_changed(previous_done_summary(check=check), summary)]
    with transaction.atomic():
        locked = EligibilityCheck.objects.select_for_update().filter(pk=check.pk).first()
        if locked is None or locked.status == Status.DONE:
            return False
        EligibilityExchange.objects.create(
            check_run=locked,
            attempt=locked.attempts,
            interchange_control_number=control,
            request_x12=request_x12,
            response_x12=response_x12,
            outcome="answered",
        )
        locked.status = Status.DONE
        locked.error_message = ""
        locked.result = response.as_json()
        locked.summary = summary_to_json(summary)
        locked.coverage_status = summary.coverage
        locked.changes = changes
        locked.has_alert = any(c["alert"] for c in changes)
        locked.finished_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "error_message",
                "result",
                "summary",
                "coverage_status",
                "changes",
                "has_alert",
                "finished_at",
                "updated_at",
            ]
        )
        if locked.reason == Reason.SCHEDULED and summary.carve_out_payer_id:
            payer = _carve_out_payer(locked)  # the batch asks the administrator when it is set up
            if payer is not None:
                _carve_out_create(locked, payer=payer, user_id=None)
    return True


# ---- the SFTP batch clearinghouse's inbox ----------------------------------------------------------


def sftp_answers_store(*, practice_id: int, inbox_file: InboxFile) -> list[str]:
    """Store each 271 of a collected inbox file against its check, matched by trace number (TRN02)
    among the practice's checks. Answers to unknown trace numbers, to finished checks (the same
    file twice) and "payer unavailable" answers (the check's own retries handle those) change
    nothing. The answer is recorded as a new exchange (its own control number) carrying the 270
    last sent and the whole 271 file. Returns the trace numbers stored."""
    by_trace: dict[str, list[EligibilityTransaction]] = {}
    for entry in inbox_file.response.transactions:
        for trace in entry.trace_numbers:
            by_trace.setdefault(trace, []).append(entry)
    checks = EligibilityCheck.objects.filter(
        practice_id=practice_id, trace_number__in=list(by_trace), status__in=[*OPEN_STATUSES]
    )
    stored: list[str] = []
    for check in checks:
        response = Response271(transactions=by_trace[check.trace_number])
        unavailable = EligibilityResult(request_x12="", response_x12="", response=response).payer_unavailable
        if not response.transactions or unavailable:
            continue
        sent = (
            check.exchanges.filter(outcome="sent").order_by("-pk").first()
            or check.exchanges.order_by("-attempt", "-pk").first()
        )
        if _answer_record(
            check,
            # the answer to the 270 the check sent (its ISA13); a check sent before the number
            # was kept on it gets a number of its own
            control=check.sent_control_number or next_control_number("interchange"),
            request_x12=sent.request_x12 if sent else "",
            response_x12=inbox_file.text,
            response=response,
        ):
            stored.append(check.trace_number)
    return sorted(stored)


def eligibility_sftp_collect_enqueue(*, slot: str) -> int:
    """The beat's work: one durable collect job per SFTP practice for this time slot (the job
    key makes a second beat message for the same slot queue nothing). Returns the jobs queued."""
    with transaction.atomic(durable=True):
        ids = sftp_practice_ids()
        for practice_id in ids:
            job_enqueue_on_commit(
                COLLECT_TASK,
                key=f"eligibility.sftp_collect:{practice_id}:{slot}",
                label="Eligibility answers from the SFTP inbox",
                practice_id=practice_id,
                practice_pk=practice_id,  # the task's argument (`practice_id` is the job's column)
            )
    return len(ids)


def eligibility_sftp_collect(*, practice_id: int) -> CollectReport:
    """Pick up the practice's SFTP inbox (the beat's durable job): each 271 file is stored
    against its checks, then archived by the adapter; a file whose storing fails stays in the
    inbox for the next run."""
    adapter = sftp_adapter(practice_id)

    def handle(inbox_file: InboxFile) -> None:
        sftp_answers_store(practice_id=practice_id, inbox_file=inbox_file)

    return adapter.collect(handle)
