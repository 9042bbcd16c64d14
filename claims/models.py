"""The claims side: final notes ready to bill, the charges captured from them, their history,
and the practice's fee schedule.

A final session note is recorded once as ready to bill (`BillableNote`) and captured once as a
`ChargeSet` (one per note: the idempotency key) holding `Charge` lines. Every change to a set
or a line is a `ChargeEvent` row (append-only). The scrubber's findings are stored on the set.
Amounts are integer cents.
"""

from typing import Any

from django.db import models

from core.models import TimeStampedModel


class BillableNote(models.Model):
    class Status(models.TextChoices):
        READY_TO_BILL = "ready_to_bill", "Ready to bill"

    note = models.ForeignKey("clinical_notes.SessionNote", on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.READY_TO_BILL)
    recorded_at = models.DateTimeField()

    class Meta:
        # The idempotency key: a retried or duplicated task finds the row and does nothing.
        constraints = [
            models.UniqueConstraint(fields=["note"], name="claims_billablenote_once_per_note"),
        ]
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Billable note {self.note_id} ({self.status})"


class CaptureDay(models.Model):
    """A patient's date of service as charge capture sees it: the row that captures of the same
    patient and date lock, so they run one at a time (each note's share of the day depends on
    what the day's other notes already captured). Claims' own row: capture locks nothing of
    another app's. See `claims.lock_objects.lock_patient_day`."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    date_of_service = models.DateField()
    locked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "date_of_service"], name="claims_captureday_once"),
        ]

    def __str__(self) -> str:
        return f"Capture day {self.date_of_service} of patient {self.patient_id}"


class ChargeStatus(models.TextChoices):
    # Values mirror claims.domain.types.ChargeStatus (a test keeps them in step).
    CAPTURED = "captured", "Captured"
    ON_HOLD = "on_hold", "On hold"
    READY = "ready", "Ready"
    REVIEWED = "reviewed", "Reviewed"


class FeeScheduleEntry(TimeStampedModel):
    """The practice's fee for a code (with modifiers), for one payer or as the default (payer null).

    `modifiers_key` is the sorted, comma-joined modifiers ("HO,95"); "" means the code with any
    modifiers. Rates may differ by modifier (e.g. H2014 vs H2014-HQ), so the key is both.
    """

    practice = models.ForeignKey("practice.Practice", on_delete=models.CASCADE, related_name="fee_entries")
    payer = models.ForeignKey(
        "payers.Payer", null=True, blank=True, on_delete=models.CASCADE, related_name="fee_entries"
    )
    code = models.CharField(max_length=5)
    modifiers_key = models.CharField(max_length=16, blank=True, default="")
    amount_cents = models.BigIntegerField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="claims_feescheduleentry_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="claims_feescheduleentry_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["practice", "payer", "code", "modifiers_key", "effective_from"],
                condition=models.Q(payer__isnull=False),
                name="claims_feescheduleentry_payer_once",
            ),
            models.UniqueConstraint(
                fields=["practice", "code", "modifiers_key", "effective_from"],
                condition=models.Q(payer__isnull=True),
                name="claims_feescheduleentry_default_once",
            ),
        ]
        ordering = ["code", "modifiers_key", "-effective_from"]

    def __str__(self) -> str:
        return f"Fee {self.code} {self.modifiers_key}".strip()


class ContractedRate(TimeStampedModel):
    """What a payer's contract allows for a code (with modifiers), effective-dated: the allowed
    amount, beside the practice's billed fee (`FeeScheduleEntry`). Patient-responsibility
    estimates start from it. `modifiers_key` as in `FeeScheduleEntry` ("" = any modifiers)."""

    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, related_name="contracted_rates"
    )
    payer = models.ForeignKey("payers.Payer", on_delete=models.CASCADE, related_name="contracted_rates")
    code = models.CharField(max_length=5)
    modifiers_key = models.CharField(max_length=16, blank=True, default="")
    amount_cents = models.BigIntegerField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="claims_contractedrate_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="claims_contractedrate_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["practice", "payer", "code", "modifiers_key", "effective_from"],
                name="claims_contractedrate_once",
            ),
        ]
        ordering = ["payer_id", "code", "modifiers_key", "-effective_from"]

    def __str__(self) -> str:
        return f"Allowed {self.code} {self.modifiers_key}".strip()


class ChargeSet(TimeStampedModel):
    """One final note's charges: the claim-to-be the scrubber judges.

    `payer`/`coverage` null with `self_pay`: the patient had no primary coverage active on the
    date of service. `rendering_provider` is who performed the service (the note's author);
    `supervising_provider` their supervisor on the date when the payer bills under one
    (`supervisor_billing`: "with_supervisor" or "supervisor_renders"). `why` is the coding's
    plain-language trace; `findings` the scrubber's problems (dicts) at `scrubbed_at`.
    """

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="charge_sets")
    note = models.OneToOneField(
        "clinical_notes.SessionNote", on_delete=models.PROTECT, related_name="charge_set"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="charge_sets")
    date_of_service = models.DateField()
    payer = models.ForeignKey(
        "payers.Payer", null=True, blank=True, on_delete=models.PROTECT, related_name="charge_sets"
    )
    coverage = models.ForeignKey(
        "patients.Coverage", null=True, blank=True, on_delete=models.PROTECT, related_name="charge_sets"
    )
    self_pay = models.BooleanField(default=False)
    rendering_provider = models.ForeignKey(
        "practice.Provider", on_delete=models.PROTECT, related_name="rendered_charge_sets"
    )
    supervising_provider = models.ForeignKey(
        "practice.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_charge_sets",
    )
    supervisor_billing = models.CharField(max_length=24, blank=True, default="")
    status = models.CharField(max_length=16, choices=ChargeStatus.choices, default=ChargeStatus.CAPTURED)
    rules_label = models.CharField(max_length=200, blank=True, default="")
    claim_diagnoses = models.JSONField(default=list, blank=True)
    why = models.JSONField(default=list, blank=True)
    coding_problems = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    error_count = models.PositiveSmallIntegerField(default=0)
    warning_count = models.PositiveSmallIntegerField(default=0)
    captured_at = models.DateTimeField()
    scrubbed_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["captured", "on_hold", "ready", "reviewed"]),
                name="claims_chargeset_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(self_pay=True) | models.Q(payer__isnull=False),
                name="claims_chargeset_payer_unless_self_pay",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="reviewed") | models.Q(reviewed_at__isnull=False),
                name="claims_chargeset_reviewed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "status"], name="claims_chargeset_status_idx"),
            models.Index(fields=["practice", "date_of_service"], name="claims_chargeset_dos_idx"),
            models.Index(fields=["patient", "date_of_service"], name="claims_chargeset_patient_idx"),
        ]
        ordering = ["-date_of_service", "-pk"]

    def __str__(self) -> str:
        return f"Charges {self.pk} for note {self.note_id} ({self.status})"


class Charge(TimeStampedModel):
    """One line of a note's charges. Units 0: dropped by a biller (kept for the history).

    `documented_minutes` are the note's minutes behind the line when it was coded (the scrubber
    re-derives the code and units from them). `fee_cents` = units x `unit_fee_cents`.
    `authorization_id` is the matched prior authorization (authorizations app) and its number.
    """

    charge_set = models.ForeignKey(ChargeSet, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=5)
    units = models.IntegerField()
    modifiers = models.JSONField(default=list, blank=True)
    place_of_service = models.CharField(max_length=2)
    diagnosis_pointers = models.JSONField(default=list, blank=True)
    documented_minutes = models.PositiveIntegerField(default=0)
    add_on = models.BooleanField(default=False)
    unit_fee_cents = models.BigIntegerField(default=0)
    fee_cents = models.BigIntegerField(default=0)
    fee_source = models.CharField(max_length=16, blank=True, default="")
    authorization_id = models.PositiveBigIntegerField(null=True, blank=True)
    auth_number = models.CharField(max_length=40, blank=True, default="")
    overridden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["charge_set", "line_number"], name="claims_charge_line_once"),
            models.CheckConstraint(condition=models.Q(units__gte=0), name="claims_charge_units_not_negative"),
            models.CheckConstraint(
                condition=models.Q(unit_fee_cents__gte=0, fee_cents__gte=0),
                name="claims_charge_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(line_number__gte=1), name="claims_charge_line_number_positive"
            ),
        ]
        ordering = ["charge_set", "line_number"]

    def __str__(self) -> str:
        return f"Charge {self.pk} line {self.line_number}"


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Charge events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Charge events are append-only.")


class ChargeEvent(models.Model):
    """Every change to a note's charges: capture, scrub, override (with reason, before and after),
    review. Written once, never changed."""

    class Kind(models.TextChoices):
        CAPTURED = "captured", "Captured"
        SCRUBBED = "scrubbed", "Scrubbed"
        OVERRIDDEN = "overridden", "Line overridden"
        LINE_ADDED = "line_added", "Line added"
        REVIEWED = "reviewed", "Reviewed"

    charge_set = models.ForeignKey(ChargeSet, on_delete=models.CASCADE, related_name="events")
    charge = models.ForeignKey(Charge, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    occurred_at = models.DateTimeField()
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    detail = models.CharField(max_length=200, blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"Charge event {self.pk} ({self.kind})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Charge events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Charge events are append-only.")
