"""Reads the note screens need beyond `clinical_notes.selectors` (written by the screens work).

Every function here starts from `selectors.note_scope(access)` (or from ids a scoped, audited
read has just returned) and answers in a fixed number of queries, whatever the number of rows,
so the lists stay free of N+1 reads:

- `note_statuses` — the status of the notes a day list links to (one query, no audit: the
  appointment list that carries the note ids is audited by scheduling's selector).
- `return_comments` — the latest "returned" event (the supervisor's comment) per note.
- `cosign_review_facts` — the content and stored findings of queued notes, plus each one's
  previous note (the same rule as the documentation checks: the patient's latest earlier note
  signed at least once) for the diff. Two queries. The queue read that listed these notes
  (`selectors.note_cosign_queue`) recorded the audit event.
- `reminders_sent` — the latest co-sign reminder date per note.
- `supervises_on` — whether a provider supervised the author on the date of service.

If these move into `clinical_notes.selectors`, the screens only change their import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import OuterRef, Q, Subquery

from accounts.access import PracticeAccess
from clinical_notes import selectors
from clinical_notes.domain.types import PreviousNote
from clinical_notes.models import CosignReminder, NoteEvent, NoteStatus, SessionNote
from practice.domain.supervision import supervisors_on
from practice.selectors import supervision_periods_for_supervisee

SIGNED_ONCE = (NoteStatus.AWAITING_COSIGN, NoteStatus.RETURNED, NoteStatus.FINAL)


def note_statuses(*, access: PracticeAccess, note_ids: Iterable[int]) -> dict[int, str]:
    """{note id: status} for the notes among `note_ids` that `access` may read."""
    wanted = sorted(set(note_ids))
    if not wanted:
        return {}
    rows = selectors.note_scope(access).filter(pk__in=wanted).values_list("pk", "status")
    return dict(rows)


@dataclass(frozen=True, slots=True)
class ReturnComment:
    note_id: int
    comment: str
    by: str
    at: datetime


def _person(first: str | None, last: str | None, username: str | None) -> str:
    name = f"{first or ''} {last or ''}".strip()
    return name or (username or "")


def return_comments(*, note_ids: Iterable[int]) -> dict[int, ReturnComment]:
    """The latest return (comment, who, when) of each note that was ever returned."""
    wanted = sorted(set(note_ids))
    if not wanted:
        return {}
    rows = (
        NoteEvent.objects.filter(note_id__in=wanted, to_status=NoteStatus.RETURNED)
        .order_by("note_id", "occurred_at", "pk")
        .values_list(
            "note_id", "comment", "occurred_at", "actor__first_name", "actor__last_name", "actor__username"
        )
    )
    found: dict[int, ReturnComment] = {}
    for note_id, comment, at, first, last, username in rows:  # later rows replace earlier ones
        found[note_id] = ReturnComment(
            note_id=note_id, comment=comment, by=_person(first, last, username), at=at
        )
    return found


@dataclass(frozen=True, slots=True)
class CosignReviewFacts:
    note_id: int
    content: Mapping[str, object]
    findings: list[dict[str, str]]
    previous: PreviousNote | None = field(default=None)


def cosign_review_facts(*, access: PracticeAccess, note_ids: Iterable[int]) -> dict[int, CosignReviewFacts]:
    """Content, stored findings and the previous note of each note in `note_ids` (in scope)."""
    wanted = sorted(set(note_ids))
    if not wanted:
        return {}
    previous = (
        SessionNote.objects.filter(
            practice_id=OuterRef("practice_id"),
            patient_id=OuterRef("patient_id"),
            status__in=SIGNED_ONCE,
        )
        .exclude(pk=OuterRef("pk"))
        .filter(
            Q(date_of_service__lt=OuterRef("date_of_service"))
            | Q(date_of_service=OuterRef("date_of_service"), pk__lt=OuterRef("pk"))
        )
        .order_by("-date_of_service", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        selectors.note_scope(access)
        .filter(pk__in=wanted)
        .annotate(previous_id=Subquery(previous))
        .values_list("pk", "content", "findings", "previous_id")
    )
    previous_ids = {prev for _pk, _content, _findings, prev in rows if prev is not None}
    earlier = {
        pk: PreviousNote(note_id=pk, date_of_service=dos, content=dict(content or {}))
        for pk, dos, content in SessionNote.objects.filter(pk__in=sorted(previous_ids)).values_list(
            "pk", "date_of_service", "content"
        )
    }
    return {
        pk: CosignReviewFacts(
            note_id=pk,
            content=dict(content or {}),
            findings=list(findings or []),
            previous=earlier.get(prev) if prev is not None else None,
        )
        for pk, content, findings, prev in rows
    }


def reminders_sent(*, note_ids: Iterable[int]) -> dict[int, date]:
    """The latest day a co-sign reminder went out for each note (notes without one are absent)."""
    wanted = sorted(set(note_ids))
    if not wanted:
        return {}
    latest: dict[int, date] = {}
    for note_id, sent_on in CosignReminder.objects.filter(note_id__in=wanted).values_list(
        "note_id", "sent_on"
    ):
        if note_id not in latest or sent_on > latest[note_id]:
            latest[note_id] = sent_on
    return latest


def supervises_on(*, provider_id: int | None, author_id: int, on: date) -> bool:
    """Whether `provider_id` supervised `author_id` on `on` (the co-sign and return rule)."""
    if provider_id is None or provider_id == author_id:
        return False
    periods = supervision_periods_for_supervisee(supervisee_id=author_id)
    return provider_id in supervisors_on(on, periods)
