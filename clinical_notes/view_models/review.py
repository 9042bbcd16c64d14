"""Documentation findings, the diff against the previous note, and the co-sign queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from clinical_notes.domain.checks import clone_comparison
from clinical_notes.domain.templates import catalog
from clinical_notes.domain.timeliness import days_late, days_since_service
from clinical_notes.domain.track_changes import FieldChanges, narrative_changes
from clinical_notes.domain.types import PreviousNote
from clinical_notes.screen_selectors import CosignReviewFacts
from clinical_notes.view_models.formatting import date_label, days_label, moment_label
from clinical_notes.view_models.lists import Tab, tabs
from core.pagination import Pager

# ---------------------------------------------------------------------------------------------
# Documentation findings and the diff against the previous note


@dataclass(frozen=True, slots=True)
class FindingView:
    severity: str
    severity_label: str
    css: str
    message: str
    fix_hint: str
    field: str


def finding_view(problem: Mapping[str, str]) -> FindingView:
    severity = str(problem.get("severity", "error"))
    return FindingView(
        severity=severity,
        severity_label="Blocks signing" if severity == "error" else "Warning",
        css="bad" if severity == "error" else "warn",
        message=str(problem.get("message", "")),
        fix_hint=str(problem.get("fix_hint", "")),
        field=str(problem.get("field", "")),
    )


@dataclass(frozen=True, slots=True)
class DiffLine:
    text: str
    css: str  # "add" / "del" / "head" / "ctx"


@dataclass(frozen=True, slots=True)
class CloneView:
    previous_note_id: int
    previous_label: str
    previous_url: str
    similarity_label: str
    similar: bool  # at or above the threshold that flags a copied note
    lines: list[DiffLine]
    fields: list[FieldChanges] = field(default_factory=list)  # track changes, per narrative field


def _diff_css(line: str) -> str:
    if line.startswith(("+++", "---", "@@")):
        return "head"
    if line.startswith("+"):
        return "add"
    if line.startswith("-"):
        return "del"
    return "ctx"


def clone_view(content: Mapping[str, object], previous: PreviousNote | None) -> CloneView | None:
    if previous is None:
        return None
    comparison = clone_comparison(content, previous)
    threshold = catalog().quality.clone_similarity_threshold
    return CloneView(
        previous_note_id=previous.note_id,
        previous_label=f"Note {previous.note_id} of {date_label(previous.date_of_service)}",
        previous_url=reverse("clinical_notes:detail", args=[previous.note_id]),
        similarity_label=f"{int(comparison.similarity * 100)}% the same as the previous note",
        similar=comparison.similarity >= threshold,
        lines=[DiffLine(text=line, css=_diff_css(line)) for line in comparison.diff],
        fields=narrative_changes(content, previous.content, catalog()),
    )


@dataclass(frozen=True, slots=True)
class ContentSection:
    label: str
    text: str


def content_sections(content: Mapping[str, object]) -> list[ContentSection]:
    """The note's narrative as written, field by field (the card shows it when there is no
    previous note to compare with)."""
    cat = catalog()
    sections = []
    for key in cat.narrative_fields():
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            spec = cat.fields.get(key)
            sections.append(ContentSection(label=spec.label if spec else key, text=value.strip()))
    return sections


# ---------------------------------------------------------------------------------------------
# The co-sign queue


@dataclass(frozen=True, slots=True)
class QueueRow:
    note_id: int
    patient_name: str
    author_name: str
    service_label: str
    date_label: str
    signed_label: str
    waiting_label: str
    overdue: bool
    reminder_label: str
    findings: list[FindingView]
    clone: CloneView | None
    detail_url: str
    cosign_url: str
    return_url: str
    service_label_days: str = ""  # "session 12 days ago"
    late_label: str = ""  # "signed 9 days late" (due within NOTE_DUE_DAYS of the session)
    content: list[ContentSection] = field(default_factory=list)
    clean: bool = False  # no findings: may be co-signed with others in one pass


@dataclass(frozen=True, slots=True)
class QueuePage:
    tabs: list[Tab]
    is_provider: bool
    rows: list[QueueRow]
    overdue_days: int
    overdue_count: int  # in the whole queue, not only this page
    next_url: str
    pager: Pager
    cosign_many_url: str = ""
    clean_count: int = 0


def queue_page(
    *,
    items: Sequence[Any],
    facts: Mapping[int, CosignReviewFacts],
    reminders: Mapping[int, dt.date],
    zone: ZoneInfo,
    overdue_days: int,
    overdue_count: int,
    provider_id: int | None,
    pager: Pager,
    today: dt.date | None = None,
    due_days: int = 3,
) -> QueuePage:
    """`items` are one page of selectors.CosignQueueItem (oldest first)."""
    rows = []
    for item in items:
        review = facts.get(item.note_id)
        reminded = reminders.get(item.note_id)
        signed_on = item.signed_at.astimezone(zone).date()
        since_service = days_since_service(item.date_of_service, today or signed_on)
        late = days_late(item.date_of_service, signed_on, due_days)
        rows.append(
            QueueRow(
                note_id=item.note_id,
                patient_name=item.patient_name,
                author_name=item.author_name,
                service_label=item.service_type_label,
                date_label=date_label(item.date_of_service),
                signed_label=moment_label(item.signed_at, zone),
                waiting_label=f"Waiting {days_label(item.days_waiting)}",
                overdue=item.overdue,
                reminder_label=f"Reminder sent {date_label(reminded)}" if reminded else "",
                findings=[finding_view(f) for f in review.findings] if review else [],
                clone=clone_view(review.content, review.previous) if review else None,
                detail_url=reverse("clinical_notes:detail", args=[item.note_id]),
                cosign_url=reverse("clinical_notes:cosign", args=[item.note_id]),
                return_url=reverse("clinical_notes:return", args=[item.note_id]),
                service_label_days=f"session {days_label(since_service)} ago",
                late_label=f"signed {days_label(late)} late" if late else "",
                content=content_sections(review.content) if review else [],
                clean=bool(review) and not (review.findings if review else []),
            )
        )
    return QueuePage(
        tabs=tabs("clinical_notes:cosign_queue"),
        is_provider=provider_id is not None,
        rows=rows,
        overdue_days=overdue_days,
        overdue_count=overdue_count,
        next_url=_here(pager),
        pager=pager,
        cosign_many_url=reverse("clinical_notes:cosign_many"),
        clean_count=sum(1 for row in rows if row.clean),
    )


def _here(pager: Pager) -> str:
    """Where the co-sign and return forms come back to: this page of the queue."""
    base = reverse("clinical_notes:cosign_queue")
    current = next((link.url for link in pager.links if link.current), "")
    return current if current.startswith(base) else base
