"""The clinician's lists: tabs, my day, notes to write, returned notes, all notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from clinical_notes.domain.transitions import EDITABLE_STATES, NoteState
from clinical_notes.screen_selectors import ReturnComment
from clinical_notes.view_models.formatting import (
    date_label,
    moment_label,
    patient_label,
    provider_label,
    service_label,
    status_css,
    status_label,
)
from core.pagination import Pager

# ---------------------------------------------------------------------------------------------
# Tabs shared by the clinician screens


@dataclass(frozen=True, slots=True)
class Tab:
    label: str
    url: str
    active: bool


TAB_ROUTES = (
    ("My day", "clinical_notes:my_day"),
    ("Notes to write", "clinical_notes:to_write"),
    ("Returned notes", "clinical_notes:returned"),
    ("Co-sign queue", "clinical_notes:cosign_queue"),
    ("All notes", "clinical_notes:list"),
)


def tabs(active: str, *, can_cosign: bool = True) -> list[Tab]:
    """The notes tabs; the co-sign queue only for someone who may co-sign (no tab that 403s)."""
    return [
        Tab(label=label, url=reverse(name), active=name == active)
        for label, name in TAB_ROUTES
        if can_cosign or name != "clinical_notes:cosign_queue"
    ]


# ---------------------------------------------------------------------------------------------
# Rows that link to a note or start one


@dataclass(frozen=True, slots=True)
class RowAction:
    label: str
    url: str
    post: bool = False  # a button in a small POST form (starting a note), else a link


def _note_action(*, note_id: int, status: str, mine: bool) -> RowAction:
    if mine and status and NoteState(status) in EDITABLE_STATES:
        return RowAction("Continue", reverse("clinical_notes:edit", args=[note_id]))
    return RowAction("View note", reverse("clinical_notes:detail", args=[note_id]))


def _start_action(appointment_id: int) -> RowAction:
    return RowAction("Write note", reverse("clinical_notes:start", args=[appointment_id]), post=True)


@dataclass(frozen=True, slots=True)
class AppointmentRow:
    appointment_id: int
    date_label: str
    time_label: str
    patient_name: str
    service_label: str
    appointment_status_label: str
    appointment_status_css: str
    released: bool  # cancelled / no-show: shown struck through, nothing to write
    note_status_label: str
    note_status_css: str
    action: RowAction | None


RELEASED = {"cancelled", "no_show"}


def appointment_row(appointment: Any, *, note_status: str, provider_id: int | None) -> AppointmentRow:
    """`appointment` is a scheduling.selectors.AppointmentView."""
    released = appointment.status in RELEASED
    note_id = appointment.note_id
    if note_id is not None:
        action: RowAction | None = _note_action(
            note_id=note_id, status=note_status, mine=appointment.provider_id == provider_id
        )
    elif released:
        action = None
    else:
        action = _start_action(appointment.appointment_id)
    return AppointmentRow(
        appointment_id=appointment.appointment_id,
        date_label=date_label(appointment.date_of_service),
        time_label=appointment.time_label,
        patient_name=appointment.patient_name,
        service_label=appointment.service_label,
        appointment_status_label=appointment.status_label,
        appointment_status_css=appointment.status_css,
        released=released,
        note_status_label=status_label(note_status) if note_id is not None else "Not started",
        note_status_css=status_css(note_status) if note_id is not None else "",
        action=action,
    )


@dataclass(frozen=True, slots=True)
class MyDayPage:
    tabs: list[Tab]
    day_label: str
    timezone: str
    is_provider: bool
    rows: list[AppointmentRow]
    to_write_count: int


def my_day_page(
    *,
    appointments: Sequence[Any],
    statuses: Mapping[int, str],
    day: dt.date,
    zone: ZoneInfo,
    provider_id: int | None,
    can_cosign: bool = True,
) -> MyDayPage:
    rows = [
        appointment_row(
            a, note_status=statuses.get(a.note_id, "") if a.note_id else "", provider_id=provider_id
        )
        for a in appointments
    ]
    return MyDayPage(
        tabs=tabs("clinical_notes:my_day", can_cosign=can_cosign),
        day_label=date_label(day),
        timezone=zone.key,
        is_provider=provider_id is not None,
        rows=rows,
        to_write_count=sum(1 for r in rows if r.action is not None and r.action.post),
    )


@dataclass(frozen=True, slots=True)
class NoteRow:
    note_id: int
    patient_name: str
    author_name: str
    service_label: str
    date_label: str
    status_label: str
    status_css: str
    action: RowAction


def note_row(note: Any, *, provider_id: int | None) -> NoteRow:
    """`note` is a SessionNote with patient and author joined."""
    return NoteRow(
        note_id=note.pk,
        patient_name=patient_label(note.patient),
        author_name=provider_label(note.author),
        service_label=service_label(note.service_type),
        date_label=date_label(note.date_of_service),
        status_label=status_label(note.status),
        status_css=status_css(note.status),
        action=_note_action(note_id=note.pk, status=note.status, mine=note.author_id == provider_id),
    )


@dataclass(frozen=True, slots=True)
class ToWritePage:
    tabs: list[Tab]
    is_provider: bool
    appointments: list[AppointmentRow]
    drafts: list[NoteRow]
    days_back: int
    drafts_pager: Pager | None = None


def to_write_page(
    *,
    appointments: Sequence[Any],
    drafts: Sequence[Any],
    provider_id: int | None,
    days_back: int,
    drafts_pager: Pager | None = None,
    can_cosign: bool = True,
) -> ToWritePage:
    return ToWritePage(
        tabs=tabs("clinical_notes:to_write", can_cosign=can_cosign),
        is_provider=provider_id is not None,
        appointments=[appointment_row(a, note_status="", provider_id=provider_id) for a in appointments],
        drafts=[note_row(n, provider_id=provider_id) for n in drafts],
        days_back=days_back,
        drafts_pager=drafts_pager,
    )


@dataclass(frozen=True, slots=True)
class ReturnedRow:
    note: NoteRow
    comment: str
    returned_by: str
    returned_at_label: str


@dataclass(frozen=True, slots=True)
class ReturnedPage:
    tabs: list[Tab]
    is_provider: bool
    rows: list[ReturnedRow]
    pager: Pager | None = None


def returned_page(
    *,
    notes: Sequence[Any],
    comments: Mapping[int, ReturnComment],
    zone: ZoneInfo,
    provider_id: int | None,
    pager: Pager | None = None,
    can_cosign: bool = True,
) -> ReturnedPage:
    rows = []
    for note in notes:
        comment = comments.get(note.pk)
        rows.append(
            ReturnedRow(
                note=note_row(note, provider_id=provider_id),
                comment=comment.comment if comment else "",
                returned_by=comment.by if comment else "",
                returned_at_label=moment_label(comment.at, zone) if comment else "",
            )
        )
    return ReturnedPage(
        tabs=tabs("clinical_notes:returned", can_cosign=can_cosign),
        is_provider=provider_id is not None,
        rows=rows,
        pager=pager,
    )


@dataclass(frozen=True, slots=True)
class NoteListPage:
    tabs: list[Tab]
    show_tabs: bool
    heading: str
    rows: list[NoteRow]
    total: int
    range_label: str
    prev_url: str
    next_url: str
    pager: Pager


def note_list_page(
    *,
    notes: Sequence[Any],
    pager: Pager,
    provider_id: int | None,
    clinical: bool,
    can_cosign: bool = True,
) -> NoteListPage:
    """One page of notes; `pager` carries the links to the other pages (filters kept)."""
    return NoteListPage(
        tabs=tabs("clinical_notes:list", can_cosign=can_cosign),
        show_tabs=clinical,
        heading="Session notes" if clinical else "Final session notes",
        rows=[note_row(n, provider_id=provider_id) for n in notes],
        total=pager.total,
        range_label=pager.summary if notes else "No notes",
        prev_url=pager.previous_url,
        next_url=pager.next_url,
        pager=pager,
    )
