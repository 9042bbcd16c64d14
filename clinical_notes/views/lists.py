"""The clinician's lists (my day, notes to write, returned notes, the co-sign queue, all
notes) and starting a note from an appointment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.domain.roles import Capability
from clinical_notes import screen_selectors, selectors, services, view_models
from clinical_notes.domain.transitions import NoteState
from clinical_notes.errors import NoteErrorCode
from clinical_notes.forms import (
    CosignForm,
    NoteFilterForm,
    ReturnForm,
)
from clinical_notes.views.common import (
    access_for,
    app_errors,
    flat_messages,
    safe_next,
)
from core.errors import Conflict, ValidationFailed
from core.pagination import page_window, pager
from practice.selectors import practice_today, practice_zone
from scheduling import selectors as schedule_selectors
from scheduling.domain.types import AppointmentStatus

DAYS_BACK = 30
LIST_LIMIT = 50
QUEUE_PAGE_SIZE = 20  # each queued note shows its checks and a diff: a shorter page
WRITABLE_APPOINTMENTS = (AppointmentStatus.SCHEDULED, AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED)


# --- lists ---------------------------------------------------------------------------------------


@login_required
@require_GET
@app_errors
def my_day(request: HttpRequest) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW)
    zone = practice_zone(practice_id=access.practice_id)
    day = timezone.now().astimezone(zone).date()
    appointments = schedule_selectors.my_day(access=access, day=day)
    statuses = screen_selectors.note_statuses(
        access=access, note_ids=[a.note_id for a in appointments if a.note_id is not None]
    )
    page = view_models.my_day_page(
        can_cosign=access.can(Capability.NOTE_COSIGN),
        appointments=appointments,
        statuses=statuses,
        day=day,
        zone=zone,
        provider_id=access.provider_id,
    )
    return render(request, "clinical_notes/my_day.html", {"page": page})


@login_required
@require_GET
@app_errors
def to_write(request: HttpRequest) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW)
    appointments: list[Any] = []
    drafts: list[Any] = []
    window = page_window(request.GET, size=LIST_LIMIT)
    drafts_pager = None
    if access.provider_id is not None:
        today = practice_today(practice_id=access.practice_id)
        now = timezone.now()
        listed = schedule_selectors.appointment_list(
            access=access,
            first_day=today - dt.timedelta(days=DAYS_BACK),
            last_day=today,
            provider_id=access.provider_id,
            statuses=WRITABLE_APPOINTMENTS,
            view="notes_to_write",
        )
        appointments = [
            a
            for a in listed
            if a.note_id is None and (a.status == AppointmentStatus.COMPLETED or a.ends_at <= now)
        ]
        listed_drafts = selectors.note_list(
            access=access, mine=True, status=NoteState.DRAFT, limit=window.size, offset=window.offset
        )
        drafts = listed_drafts.notes
        drafts_pager = pager(params=request.GET, window=window, total=listed_drafts.total, shown=len(drafts))
    page = view_models.to_write_page(
        can_cosign=access.can(Capability.NOTE_COSIGN),
        appointments=appointments,
        drafts=drafts,
        provider_id=access.provider_id,
        days_back=DAYS_BACK,
        drafts_pager=drafts_pager,
    )
    return render(request, "clinical_notes/to_write.html", {"page": page})


@login_required
@require_GET
@app_errors
def returned(request: HttpRequest) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW)
    notes: list[Any] = []
    window = page_window(request.GET, size=LIST_LIMIT)
    links = None
    if access.provider_id is not None:
        listed = selectors.note_list(
            access=access, mine=True, status=NoteState.RETURNED, limit=window.size, offset=window.offset
        )
        notes = listed.notes
        links = pager(params=request.GET, window=window, total=listed.total, shown=len(notes))
    comments = screen_selectors.return_comments(note_ids=[n.pk for n in notes])
    page = view_models.returned_page(
        can_cosign=access.can(Capability.NOTE_COSIGN),
        notes=notes,
        comments=comments,
        zone=practice_zone(practice_id=access.practice_id),
        provider_id=access.provider_id,
        pager=links,
    )
    return render(request, "clinical_notes/returned.html", {"page": page})


@login_required
@require_GET
@app_errors
def cosign_queue(request: HttpRequest) -> HttpResponse:
    access = access_for(request, Capability.NOTE_COSIGN)
    overdue_days = settings.COSIGN_OVERDUE_DAYS
    window = page_window(request.GET, size=QUEUE_PAGE_SIZE)
    queue = selectors.note_cosign_queue(
        access=access, overdue_days=overdue_days, offset=window.offset, limit=window.size
    )
    note_ids = [item.note_id for item in queue.items]
    zone = practice_zone(practice_id=access.practice_id)
    page = view_models.queue_page(
        items=queue.items,
        facts=screen_selectors.cosign_review_facts(access=access, note_ids=note_ids),
        reminders=screen_selectors.reminders_sent(note_ids=note_ids),
        zone=zone,
        overdue_days=overdue_days,
        overdue_count=queue.overdue_total,
        provider_id=access.provider_id,
        pager=pager(
            params=request.GET,
            window=window,
            total=queue.total,
            shown=len(queue.items),
            base=reverse("clinical_notes:cosign_queue"),
        ),
        today=timezone.now().astimezone(zone).date(),
        due_days=settings.NOTE_DUE_DAYS,
    )
    context = {"page": page, "cosign_form": CosignForm(), "return_form": ReturnForm()}
    return render(request, "clinical_notes/cosign_queue.html", context)


@login_required
@require_GET
@app_errors
def note_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW, Capability.BILLING_VIEW)
    form = NoteFilterForm(request.GET)
    form.is_valid()
    status = form.cleaned_data.get("status") or None
    window = page_window(request.GET, size=LIST_LIMIT)
    page = selectors.note_list(access=access, status=status, limit=window.size, offset=window.offset)
    links = pager(
        params={"status": status or ""} | {"page": window.number},
        window=window,
        total=page.total,
        shown=len(page.notes),
        base=reverse("clinical_notes:list"),
    )
    context = {
        "page": view_models.note_list_page(
            can_cosign=access.can(Capability.NOTE_COSIGN),
            notes=page.notes,
            pager=links,
            provider_id=access.provider_id,
            clinical=access.can(Capability.CLINICAL_VIEW),
        ),
        "form": form,
    }
    return render(request, "clinical_notes/list.html", context)


# --- starting a note --------------------------------------------------------------------------


@login_required
@require_POST
@app_errors
def note_start(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Write the note of an appointment: a new draft (note_create), or the one already started."""
    access = access_for(request, Capability.CLINICAL_VIEW)
    try:
        note = services.note_create(access=access, appointment_id=appointment_id)
    except Conflict as error:
        if error.code != NoteErrorCode.NOTE_EXISTS_FOR_APPOINTMENT:
            raise
        return redirect("clinical_notes:edit", note_id=error.extra["note_id"])
    except ValidationFailed as error:
        messages.error(request, " ".join(flat_messages(error)))
        return redirect(safe_next(request, request.POST.get("next", ""), reverse("clinical_notes:my_day")))
    return redirect("clinical_notes:edit", note_id=note.pk)
