"""Reads of the audit log for the compliance viewer (the verifier reads the chain in chain_services.py).

Audit events say who touched which patient, so reading them is itself recorded (action
`list` or `export`, category `audit_log`). Every viewer read is scoped to the viewer's
practice. The capability check (`Capability.AUDIT_VIEW`) happens at the edge, in
views.py / api.py, which know the request's `PracticeAccess`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from audit.chain_services import CHAIN_CHUNK_SIZE
from audit.domain import readable
from audit.domain.categories import Category
from audit.domain.chain import shown_ids_needle
from audit.domain.export import csv_safe
from audit.models import AuditEvent, AuditVerification
from audit.services import audit_event_record
from core.audit_context import AuditContext
from core.directory import PatientLabel, patient_labels, practice_zone_name
from core.formatting import moment_label

EVENTS_PER_PAGE = 50

CSV_HEADER = [
    "seq",
    "occurred_at_utc",
    "user",
    "practice_id",
    "patient_id",
    "action",
    "category",
    "object_type",
    "object_id",
    "outcome",
    "detail",
    "ip_address",
    "hash",
]


class AuditViewer(Protocol):
    """Who is reading the log, and in which practice (accounts.access.PracticeAccess fits)."""

    @property
    def practice_id(self) -> int: ...

    @property
    def audit(self) -> AuditContext: ...


# ---- the compliance viewer --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEventFilters:
    username: str = ""
    patient_id: int | None = None
    patient_ids: tuple[int, ...] | None = None  # from a name search (core.directory)
    category: str = ""
    action: str = ""
    outcome: str = ""
    date_from: dt.date | None = None  # inclusive, in the practice's time zone
    date_to: dt.date | None = None  # inclusive, in the practice's time zone

    def describe(self) -> str:
        """Which filters were used, for the audit record (ids and codes only, no PHI)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("user", self.username),
                ("category", self.category),
                ("action", self.action),
                ("outcome", self.outcome),
                ("from", self.date_from.isoformat() if self.date_from else ""),
                ("to", self.date_to.isoformat() if self.date_to else ""),
            )
            if value
        ]
        if self.patient_id is not None or self.patient_ids is not None:
            parts.append("patient")
        return "filters: " + (", ".join(parts) if parts else "none")


@dataclass(frozen=True, slots=True)
class AuditEventRow:
    seq: int
    occurred_at: str  # in the practice's zone: "Fri 27 Nov 2026, 03:49 EST"
    username: str
    practice_id: int | None
    patient_id: str
    action: str
    action_label: str
    category: str
    object_label: str
    outcome: str
    outcome_badge: str  # css class: ok / bad
    detail: str
    ip_address: str
    patient_name: str = ""  # "Quill, Avery" (core.directory), else ""
    patient_account: str = ""
    category_label: str = ""
    object_text: str = ""
    detail_text: str = ""
    outcome_label: str = ""


@dataclass(frozen=True, slots=True)
class AuditEventPage:
    rows: list[AuditEventRow]
    number: int
    num_pages: int
    total: int
    previous_number: int | None
    next_number: int | None


@dataclass(frozen=True, slots=True)
class VerificationFinding:
    code: str
    message: str
    field: str


@dataclass(frozen=True, slots=True)
class VerificationSummary:
    ran_at: str
    ok: bool
    badge: str
    label: str
    events_checked: int
    findings: list[VerificationFinding]


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _day_start(day: dt.date, practice_id: int | None = None) -> dt.datetime:
    """Midnight starting `day` in the practice's zone (UTC without a practice)."""
    zone = ZoneInfo(practice_zone_name(practice_id=practice_id))
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def _filtered(*, practice_id: int, filters: AuditEventFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(practice_id=practice_id)
    if filters.username:
        events = events.filter(actor_username__iexact=filters.username)
    if filters.patient_id is not None:
        # Reads of that patient's records, and lists and searches that showed them.
        events = events.filter(
            Q(patient_id=filters.patient_id)
            | Q(shown_patient_ids__contains=shown_ids_needle(filters.patient_id))
        )
    if filters.patient_ids is not None:
        events = events.filter(patient_id__in=filters.patient_ids)
    if filters.category:
        events = events.filter(category=filters.category)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_day_start(filters.date_from, practice_id))
    if filters.date_to:
        events = events.filter(
            occurred_at__lt=_day_start(filters.date_to + dt.timedelta(days=1), practice_id)
        )
    return events.order_by("-seq")


def _record_read(*, viewer: AuditViewer, filters: AuditEventFilters, action: str, detail: str) -> None:
    audit_event_record(
        context=viewer.audit,
        action=action,
        category=Category.AUDIT_LOG,
        practice_id=viewer.practice_id,
        patient_id=filters.patient_id,
        object_type="audit_event",
        detail=detail,
    )


def audit_events_for_practice(*, viewer: AuditViewer, filters: AuditEventFilters) -> QuerySet[AuditEvent]:
    """The viewer's practice's events, newest first, filtered. Records the read (`list`)."""
    _record_read(viewer=viewer, filters=filters, action=AuditEvent.Action.LIST, detail=filters.describe())
    return _filtered(practice_id=viewer.practice_id, filters=filters)


def _row(event: AuditEvent, *, zone: ZoneInfo, labels: dict[int, PatientLabel]) -> AuditEventRow:
    object_label = f"{event.object_type} #{event.object_id}" if event.object_id else event.object_type
    label = labels.get(event.patient_id) if event.patient_id is not None else None
    return AuditEventRow(
        seq=event.seq,
        occurred_at=moment_label(event.occurred_at, zone),
        patient_name=label.name if label is not None else "",
        patient_account=label.account_number if label is not None else "",
        category_label=readable.sentence(event.category),
        object_text=readable.object_text(event.object_type, event.object_id),
        detail_text=readable.detail_text(event.detail),
        outcome_label=event.get_outcome_display(),
        username=event.actor_username,
        practice_id=event.practice_id,
        patient_id="" if event.patient_id is None else str(event.patient_id),
        action=event.action,
        action_label=event.get_action_display(),
        category=event.category,
        object_label=object_label,
        outcome=event.outcome,
        outcome_badge="ok" if event.outcome == AuditEvent.Outcome.ALLOWED else "bad",
        detail=event.detail,
        ip_address=event.ip_address or "",
    )


def audit_event_page(*, viewer: AuditViewer, filters: AuditEventFilters, page: int | str) -> AuditEventPage:
    """One page (50 rows) of the viewer's practice's events, newest first, as display rows."""
    paginator = Paginator(audit_events_for_practice(viewer=viewer, filters=filters), EVENTS_PER_PAGE)
    current = paginator.get_page(page)
    events = list(current.object_list)
    zone = ZoneInfo(practice_zone_name(practice_id=viewer.practice_id))
    labels = patient_labels(
        practice_id=viewer.practice_id, patient_ids=[e.patient_id for e in events if e.patient_id is not None]
    )
    return AuditEventPage(
        rows=[_row(event, zone=zone, labels=labels) for event in events],
        number=current.number,
        num_pages=paginator.num_pages,
        total=paginator.count,
        previous_number=current.previous_page_number() if current.has_previous() else None,
        next_number=current.next_page_number() if current.has_next() else None,
    )


def audit_event_export_rows(*, viewer: AuditViewer, filters: AuditEventFilters) -> Iterator[list[str]]:
    """CSV rows (header first) of the filtered events, streamed. Records the read (`export`).

    The export is recorded when this is called, before the first row is produced.
    """
    _record_read(viewer=viewer, filters=filters, action=AuditEvent.Action.EXPORT, detail=filters.describe())
    events = _filtered(practice_id=viewer.practice_id, filters=filters)
    return _export_rows(events)


def _export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    yield CSV_HEADER
    for event in events.iterator(chunk_size=CHAIN_CHUNK_SIZE):
        yield [
            csv_safe(value)
            for value in (
                str(event.seq),
                event.occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                event.actor_username,
                "" if event.practice_id is None else str(event.practice_id),
                "" if event.patient_id is None else str(event.patient_id),
                event.action,
                event.category,
                event.object_type,
                event.object_id,
                event.outcome,
                event.detail,
                event.ip_address or "",
                event.hash,
            )
        ]


def audit_verification_latest() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-ran_at", "-pk").first()


def audit_verification_summary() -> VerificationSummary | None:
    """The last verifier run, ready to show (None if the chain was never verified)."""
    latest = audit_verification_latest()
    if latest is None:
        return None
    return VerificationSummary(
        ran_at=_utc_text(latest.ran_at),
        ok=latest.ok,
        badge="ok" if latest.ok else "bad",
        label="Chain intact" if latest.ok else "Chain broken",
        events_checked=latest.events_checked,
        findings=[
            VerificationFinding(
                code=str(item.get("code", "")),
                message=str(item.get("message", "")),
                field=str(item.get("field", "")),
            )
            for item in latest.findings
        ],
    )


# ---------------------------------------------------------------------------------------------
# Counts for the compliance home page (numbers only)


@dataclass(frozen=True, slots=True)
class AuditWorklistCounts:
    denied: int  # denied attempts since `since`
    exports: int  # exports (CSV, PDF) since `since`


def audit_worklist_counts(*, viewer: AuditViewer, since: dt.date) -> AuditWorklistCounts:
    """Denied attempts and exports in the viewer's practice from `since` (a day in the practice's
    zone, as the log's date filter reads it): one query."""
    counts = AuditEvent.objects.filter(
        practice_id=viewer.practice_id, occurred_at__gte=_day_start(since, viewer.practice_id)
    ).aggregate(
        denied=Count("pk", filter=Q(outcome=AuditEvent.Outcome.DENIED)),
        exports=Count("pk", filter=Q(action=AuditEvent.Action.EXPORT)),
    )
    return AuditWorklistCounts(denied=counts["denied"], exports=counts["exports"])
