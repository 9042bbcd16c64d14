"""Denials (one per denied ERA line, or claim when the payer denied it without lines), their
append-only history, the reminders sent before appeal deadlines, and appeals.

A denial never changes its own status to written off (pitfall R4): every transition is a
person's action through `denials.services`, recorded as a `DenialEvent`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.db.append_only import AppendOnlyModel
from core.models import TimeStampedModel
from denials.domain.workflow import Outcome, Source, Status


class Denial(TimeStampedModel):
    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="denials")
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="denials")
    claim_line = models.ForeignKey(
        "claims.ClaimLine", null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    # What the payer decided (claims' record of the ERA); None for a rejection.
    adjudication = models.ForeignKey(
        "claims.ClaimAdjudication", null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    line_adjudication = models.ForeignKey(
        "claims.ClaimLineAdjudication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="denials",
    )
    # The ERA's SVC (or CLP, for a claim-level denial) it came from; None for a rejection.
    era_line = models.ForeignKey(
        "remittance.EraLine", null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    era_claim = models.ForeignKey(
        "remittance.EraClaim", null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    # Immutable facts copied when opened, for the queue's filters and analytics without joins.
    payer = models.ForeignKey("payers.Payer", on_delete=models.PROTECT, related_name="denials")
    provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="denials")
    service_code = models.CharField(max_length=8, blank=True, default="")
    service_date = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=10, choices=[(s.value, s.value) for s in Source], default=Source.PAYER
    )
    source_key = models.CharField(max_length=64)  # "era-line:12": opening twice finds the row
    group = models.CharField(max_length=2)
    carc = models.CharField(max_length=8)
    carcs = models.JSONField(default=list)  # every "GROUP-CARC" on the line, main first
    rarcs = models.JSONField(default=list)
    amount_cents = models.BigIntegerField()
    category = models.CharField(max_length=32)
    recommended_action = models.CharField(max_length=32)
    why = models.CharField(max_length=300, blank=True, default="")
    parity_candidate = models.BooleanField(default=False)
    appeal_rights = models.BooleanField(default=True)
    status = models.CharField(
        max_length=16, choices=[(s.value, s.value) for s in Status], default=Status.OPEN
    )
    status_changed_at = models.DateTimeField()
    era_date = models.DateField()
    appeal_deadline = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["appeal_deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "source_key"], name="denials_denial_source_once"),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="denials_denial_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]), name="denials_denial_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=Source.REJECTION) | models.Q(appeal_rights=False),
                name="denials_denial_rejection_no_appeal",
            ),
        ]
        indexes = [models.Index(fields=["practice", "status", "appeal_deadline"], name="denials_queue_idx")]

    def __str__(self) -> str:
        return f"Denial {self.pk} ({self.group}-{self.carc}, {self.status})"


class DenialEvent(AppendOnlyModel):
    """Every step of a denial: opened, assigned, corrected, appealed, outcome, transferred,
    written off, resolved, reminded. Written once, never changed."""

    append_only_message = "Denial events are append-only."

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        ASSIGNED = "assigned", "Assigned"
        RESUBMITTED = "resubmitted", "Corrected and resubmitted"
        APPEALED = "appealed", "Appealed"
        LETTER = "letter", "Appeal letter generated"
        OUTCOME = "outcome", "Appeal outcome"
        TRANSFERRED = "transferred", "Transferred to the patient"
        WRITTEN_OFF = "written_off", "Written off"
        RESOLVED = "resolved", "Resolved"
        REMINDED = "reminded", "Deadline reminder"

    denial = models.ForeignKey(Denial, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    occurred_at = models.DateTimeField()
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"Denial event {self.pk} ({self.kind})"


class DenialReminder(models.Model):
    """One reminder per denial and threshold (14, 7, 2 days left): the beat job's idempotency."""

    denial = models.ForeignKey(Denial, on_delete=models.CASCADE, related_name="reminders")
    threshold_days = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["denial", "threshold_days"], name="denials_reminder_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.threshold_days}d for denial {self.denial_id}"


class Appeal(TimeStampedModel):
    """One level of appeal of a denial: its letter, when it was sent, and what the payer decided."""

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="appeals")
    denial = models.ForeignKey(Denial, on_delete=models.PROTECT, related_name="appeals")
    level = models.PositiveSmallIntegerField(default=1)
    parity = models.BooleanField(default=False)  # the MHPAEA letter
    status = models.CharField(
        max_length=16, choices=[(o.value, o.value) for o in Outcome], default=Outcome.PENDING
    )
    amount_recovered_cents = models.BigIntegerField(default=0)
    submitted_on = models.DateField(null=True, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    letter_generated_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["denial", "level"], name="denials_appeal_one_per_level"),
            models.CheckConstraint(
                condition=models.Q(amount_recovered_cents__gte=0),
                name="denials_appeal_recovered_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[o.value for o in Outcome]), name="denials_appeal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk} level {self.level} ({self.status})"
