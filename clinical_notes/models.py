"""Session notes, their history and addenda (treatment plans live in treatment_plans).

A final note is immutable: the service layer refuses changes, and on PostgreSQL a trigger
rejects any UPDATE or DELETE of a final note (and of its segments, scores, diagnoses and goal
links), whatever path it comes from (ORM, bulk update, admin, raw SQL), and TRUNCATE of any of
their tables. Corrections are addenda. The diagnoses a note was signed with are copied onto its
own rows (`NoteDiagnosis.code`, `.description`), so the patient's problem list can change later.
"""

from typing import Any

from django.db import models

from clinical_notes.errors import FinalNoteImmutable
from core.db.append_only import AppendOnlyModel
from core.domain.service_types import service_type_choices
from core.models import TimeStampedModel


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_COSIGN = "awaiting_cosign", "Awaiting co-signature"
    RETURNED = "returned", "Returned for revision"
    FINAL = "final", "Final"


class SessionNoteQuerySet(models.QuerySet["SessionNote"]):
    """Guards bulk paths (`update()`, `bulk_update()`, `delete()`) against touching final notes.

    The PostgreSQL trigger is the real wall; this makes the ORM fail the same way on SQLite.
    """

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=NoteStatus.FINAL).exists():
            raise FinalNoteImmutable()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=NoteStatus.FINAL).exists():
            raise FinalNoteImmutable()
        return super().delete()


class SessionNote(TimeStampedModel):
    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="session_notes")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="session_notes")
    appointment = models.OneToOneField(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="note"
    )
    author = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="authored_notes")
    service_type = models.CharField(max_length=48, choices=service_type_choices())
    date_of_service = models.DateField(help_text="In the practice's time zone")
    place_of_service = models.CharField(max_length=2, default="11")
    telehealth = models.CharField(max_length=16, blank=True, default="")
    status = models.CharField(max_length=16, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    # The template's answers (participants, interventions, response, progress, necessity, risk, plan...).
    content = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every draft save (optimistic locking)"
    )
    requires_cosign = models.BooleanField(default=False)
    supervisor = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="notes_to_cosign"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attestation = models.TextField(blank=True)
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosign_attestation = models.TextField(blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    # The documentation checks' findings at the last sign (list of Problem dicts).
    findings = models.JSONField(default=list, blank=True)

    objects = SessionNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="final")
                | models.Q(finalized_at__isnull=False, signed_at__isnull=False),
                name="clinical_notes_note_final_is_signed",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="final", requires_cosign=True)
                | models.Q(cosigned_at__isnull=False),
                name="clinical_notes_note_final_is_cosigned",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "status"], name="notes_practice_status_idx"),
            models.Index(fields=["patient", "date_of_service"], name="notes_patient_dos_idx"),
            models.Index(fields=["author", "status"], name="notes_author_status_idx"),
            models.Index(fields=["supervisor", "status"], name="notes_supervisor_status_idx"),
            # Who-sees-what (`selectors.note_scope`) reads only these columns: counts are
            # index-only scans, and pages walk it newest first without a sort.
            models.Index(
                fields=["practice", "-date_of_service", "-id", "status", "author", "supervisor", "patient"],
                name="notes_visibility_idx",
            ),
        ]
        ordering = ["-date_of_service", "-pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} ({self.status})"

    def _stored_is_final(self) -> bool:
        note_id: int | None = self.pk
        return _note_is_final(note_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Guard only: services change notes; a final row may not be saved over at all.
        if not self._state.adding and self._stored_is_final():
            raise FinalNoteImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_is_final():
            raise FinalNoteImmutable()
        return super().delete(*args, **kwargs)


def _note_is_final(note_id: int | None) -> bool:
    return (
        note_id is not None and SessionNote._base_manager.filter(pk=note_id, status=NoteStatus.FINAL).exists()
    )


class NotePartQuerySet(models.QuerySet[Any]):
    """Bulk paths on a note's parts (segments, scores, diagnoses, goal links)."""

    def _touches_final_note(self) -> bool:
        return SessionNote._base_manager.filter(
            pk__in=self.values("note_id"), status=NoteStatus.FINAL
        ).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_final_note():
            raise FinalNoteImmutable()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_final_note():
            raise FinalNoteImmutable()
        return super().delete()


class NotePart(models.Model):
    """A row that belongs to one note and freezes with it."""

    note_id: int

    objects = NotePartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored_note_id = None
        if not self._state.adding:
            stored_note_id = (
                type(self)._base_manager.filter(pk=self.pk).values_list("note_id", flat=True).first()  # type: ignore[misc]  # abstract base
            )
        if _note_is_final(self.note_id) or _note_is_final(stored_note_id):
            raise FinalNoteImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if _note_is_final(self.note_id):
            raise FinalNoteImmutable()
        return super().delete(*args, **kwargs)


class AppendOnly(AppendOnlyModel):
    """Events and addenda: written once, never changed (a trigger enforces it on PostgreSQL)."""

    append_only_error = FinalNoteImmutable
    append_only_message = "History rows are append-only."

    class Meta:
        abstract = True


class NoteSegment(NotePart):
    """One stretch of face-to-face time; a split session has several."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="segments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_crisis = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Segment {self.pk}"


class NoteMeasurement(NotePart):
    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="measurements")
    instrument = models.CharField(max_length=32)
    score = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "instrument"], name="clinical_notes_measurement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}={self.score}"


class NoteDiagnosis(NotePart):
    """A diagnosis the note addresses, in pointer order.

    `code` and `description` are the diagnosis as signed: copied from the patient's problem list
    when the note is signed (cleared when it is returned for revision), so a signed note keeps
    saying what it said whatever later happens to the problem list. Empty while the note is
    editable: the editable note shows the problem list as it is today.
    """

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="note_diagnoses")
    diagnosis = models.ForeignKey("patients.PatientDiagnosis", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    code = models.CharField(
        max_length=8, blank=True, default="", help_text="ICD-10-CM as signed, without the dot (F411)"
    )
    description = models.CharField(max_length=250, blank=True, default="", help_text="As signed")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "diagnosis"], name="clinical_notes_notediagnosis_once"),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Note {self.note_id} dx {self.diagnosis_id}"


class NoteGoal(NotePart):
    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="note_goals")
    goal = models.ForeignKey("treatment_plans.PlanGoal", on_delete=models.PROTECT, related_name="+")
    progress = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "goal"], name="clinical_notes_notegoal_once"),
        ]

    def __str__(self) -> str:
        return f"Note {self.note_id} goal {self.goal_id}"


class NoteEvent(AppendOnly):
    """Every transition of a note: who, when, from, to (and the supervisor's comments)."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"Note {self.note_id}: {self.from_status}->{self.to_status}"


class NoteAddendum(AppendOnly):
    """A correction or addition to a final note. Append-only, shown in order."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum {self.pk} to note {self.note_id}"


class CosignReminder(models.Model):
    """One reminder per note per day that it waited too long for its co-signature (idempotent)."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="cosign_reminders")
    supervisor = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    days_waiting = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["note", "sent_on"], name="clinical_notes_cosignreminder_once_a_day"
            ),
        ]
        ordering = ["-sent_on", "pk"]

    def __str__(self) -> str:
        return f"Co-sign reminder {self.pk} for note {self.note_id}"


class FullNoteOpening(models.Model):
    """A billing reader opened a final note's full text for a stated purpose, until `expires_at`.

    Minimum necessary (clinical_notes.domain.disclosure): billers and practice admins see a billing
    view by default. The opening itself is also an audit event; the free-text detail lives only
    here (it may name a request), never in the audit trail's detail.
    """

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="full_openings")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=32)
    detail = models.CharField(max_length=200)
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["note", "user", "expires_at"], name="notes_full_opening_idx")]

    def __str__(self) -> str:
        return f"Full note {self.note_id} opened by user {self.user_id}"
