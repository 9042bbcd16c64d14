"""The claims side: final notes ready to bill, the charges captured from them, their history,
and the practice's fee schedule.

A final session note is recorded once as ready to bill (`BillableNote`) and captured once as a
`ChargeSet` (one per note: the idempotency key) holding `Charge` lines. Every change to a set
or a line is a `ChargeEvent` row (append-only). The scrubber's findings are stored on the set.
Amounts are integer cents.
"""

from django.db import models

from core.db.append_only import AppendOnlyModel
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


class EventRow(AppendOnlyModel):
    """What every charge and claim event records: who (a user, or the system's label), when, why
    and a short detail. Written once, never changed."""

    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    occurred_at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")
    detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["occurred_at", "pk"]


class ChargeEvent(EventRow):
    """Every change to a note's charges: capture, scrub, override (with reason, before and after),
    review. Written once, never changed."""

    append_only_message = "Charge events are append-only."

    class Kind(models.TextChoices):
        CAPTURED = "captured", "Captured"
        SCRUBBED = "scrubbed", "Scrubbed"
        OVERRIDDEN = "overridden", "Line overridden"
        LINE_ADDED = "line_added", "Line added"
        REVIEWED = "reviewed", "Reviewed"

    charge_set = models.ForeignKey(ChargeSet, on_delete=models.CASCADE, related_name="events")
    charge = models.ForeignKey(Charge, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16, blank=True, default="")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Charge event {self.pk} ({self.kind})"


# -- claims (837P) --------------------------------------------------------------------------------
#
# A `Claim` is built from reviewed charges (`ClaimLine.charge`) and moves through `ClaimStatus`
# (claims.domain.claim_status: the allowed transitions) only through
# claims.services.transitions, each move a `ClaimEvent` (append-only). Nothing is deleted:
# reopening a claim the payer already has is a new version (`version` + 1, `replaces` the old
# one, `original` the first, a new patient control number). Amounts are integer cents.


class ClaimStatus(models.TextChoices):
    # Values mirror claims.domain.claim_status.ClaimStatus (a test keeps them in step).
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready"
    QUEUED = "queued", "Queued"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED_CLEARINGHOUSE = "accepted_clearinghouse", "Accepted by the clearinghouse"
    REJECTED = "rejected", "Rejected"
    ACCEPTED_PAYER = "accepted_payer", "Accepted by the payer"
    PAID = "paid", "Paid"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    DENIED = "denied", "Denied"
    APPEALED = "appealed", "Appealed"
    CLOSED = "closed", "Closed"
    VOIDED = "voided", "Voided"


class ClaimResponsibility(models.TextChoices):
    PRIMARY = "P", "Primary"
    SECONDARY = "S", "Secondary"
    TERTIARY = "T", "Tertiary"


class ClaimFrequency(models.TextChoices):
    ORIGINAL = "1", "Original"
    REPLACEMENT = "7", "Replacement"
    VOID = "8", "Void"


class Claim(TimeStampedModel):
    """One 837P claim (CLM): one patient, payer, coverage, billing provider (the practice),
    rendering/supervising provider and date-of-service group, at most 50 lines.

    `patient_control_number` is CLM01 (≤ 17 characters, unique per practice, new per version:
    pitfall C6). `primary_claim` is the claim whose adjudication a secondary/tertiary carries.
    `supervisor_billing` copies the charge set's ("with_supervisor"/"supervisor_renders"): the
    837 names the supervisor in 2310D when the payer bills the rendering tech under one.
    `findings` are the scrubber's problems (dicts) at `scrubbed_at`; a claim becomes `ready`
    only with `error_count` 0. `timely_filing_deadline` = first date of service + the payer
    rule's timely-filing days.
    """

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="claims")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="claims")
    payer = models.ForeignKey("payers.Payer", on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey("patients.Coverage", on_delete=models.PROTECT, related_name="claims")
    responsibility = models.CharField(
        max_length=1, choices=ClaimResponsibility.choices, default=ClaimResponsibility.PRIMARY
    )
    frequency = models.CharField(
        max_length=1, choices=ClaimFrequency.choices, default=ClaimFrequency.ORIGINAL
    )
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="later_versions"
    )
    primary_claim = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="secondary_claims"
    )
    patient_control_number = models.CharField(max_length=17)
    status = models.CharField(max_length=24, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    status_changed_at = models.DateTimeField()
    rendering_provider = models.ForeignKey(
        "practice.Provider", on_delete=models.PROTECT, related_name="rendered_claims"
    )
    supervising_provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="supervised_claims"
    )
    supervisor_billing = models.CharField(max_length=24, blank=True, default="")
    place_of_service = models.CharField(max_length=2)
    date_from = models.DateField()
    date_to = models.DateField()
    total_cents = models.BigIntegerField(default=0)
    diagnoses = models.JSONField(default=list, blank=True)
    prior_auth_number = models.CharField(max_length=50, blank=True, default="")
    payer_claim_number = models.CharField(max_length=50, blank=True, default="")
    timely_filing_deadline = models.DateField(null=True, blank=True)
    findings = models.JSONField(default=list, blank=True)
    error_count = models.PositiveSmallIntegerField(default=0)
    warning_count = models.PositiveSmallIntegerField(default=0)
    scrubbed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in ClaimStatus]),
                name="claims_claim_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(responsibility__in=["P", "S", "T"]),
                name="claims_claim_responsibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=["1", "7", "8"]), name="claims_claim_frequency_valid"
            ),
            models.UniqueConstraint(
                fields=["practice", "patient_control_number"], name="claims_claim_pcn_once_per_practice"
            ),
            models.CheckConstraint(
                condition=~models.Q(patient_control_number=""), name="claims_claim_pcn_not_blank"
            ),
            models.CheckConstraint(
                condition=models.Q(total_cents__gte=0), name="claims_claim_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")), name="claims_claim_dates_ordered"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claims_claim_version_positive"),
            # Version 1 stands alone; a later version names the claim it replaces and the first.
            models.CheckConstraint(
                condition=(
                    models.Q(version=1, replaces__isnull=True, original__isnull=True)
                    | models.Q(version__gt=1, replaces__isnull=False, original__isnull=False)
                ),
                name="claims_claim_versions_linked",
            ),
            models.UniqueConstraint(
                fields=["original", "version"],
                condition=models.Q(original__isnull=False),
                name="claims_claim_version_once",
            ),
            # A replacement/void carries the payer's claim number (REF*F8, pitfall C7).
            models.CheckConstraint(
                condition=models.Q(frequency="1") | ~models.Q(payer_claim_number=""),
                name="claims_claim_correction_has_payer_number",
            ),
            models.CheckConstraint(
                condition=models.Q(responsibility="P") | models.Q(primary_claim__isnull=False),
                name="claims_claim_secondary_has_primary",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "status"], name="claims_claim_status_idx"),
            models.Index(fields=["practice", "payer"], name="claims_claim_payer_idx"),
            models.Index(fields=["practice", "date_from"], name="claims_claim_dos_idx"),
            models.Index(fields=["patient", "date_from"], name="claims_claim_patient_idx"),
            models.Index(fields=["practice", "timely_filing_deadline"], name="claims_claim_deadline_idx"),
        ]
        ordering = ["-date_from", "-pk"]

    def __str__(self) -> str:
        return f"Claim {self.patient_control_number} v{self.version} ({self.status})"


class ClaimLine(models.Model):
    """One service line (2400). `charge` is the reviewed charge it bills; `line_control_number`
    is REF*6R (≤ 30 characters, unique), echoed on the 835 so payments match line by line."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines")
    line_number = models.PositiveSmallIntegerField()
    charge = models.ForeignKey(
        Charge, null=True, blank=True, on_delete=models.PROTECT, related_name="claim_lines"
    )
    code = models.CharField(max_length=5)
    modifiers = models.JSONField(default=list, blank=True)
    units = models.PositiveIntegerField()
    charge_cents = models.BigIntegerField()
    place_of_service = models.CharField(max_length=2)
    diagnosis_pointers = models.JSONField(default=list, blank=True)
    service_date = models.DateField()
    prior_auth_number = models.CharField(max_length=50, blank=True, default="")
    line_control_number = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "line_number"], name="claims_claimline_once"),
            models.UniqueConstraint(fields=["line_control_number"], name="claims_claimline_control_unique"),
            models.CheckConstraint(
                condition=models.Q(line_number__gte=1, line_number__lte=50),
                name="claims_claimline_number_range",
            ),
            models.CheckConstraint(condition=models.Q(units__gte=1), name="claims_claimline_units_positive"),
            models.CheckConstraint(
                condition=models.Q(charge_cents__gte=0), name="claims_claimline_charge_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(line_control_number=""), name="claims_claimline_control_not_blank"
            ),
        ]
        ordering = ["claim", "line_number"]

    def __str__(self) -> str:
        return f"Claim line {self.line_control_number}"


class ClaimEvent(EventRow):
    """Every change to a claim: creation, scrub, each status transition (who, when, why), a new
    version, an acknowledgement, an adjudication. Written once, never changed (the model refuses,
    and on PostgreSQL a trigger does too: migration 0007)."""

    append_only_message = "Claim events are append-only."

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        SCRUBBED = "scrubbed", "Scrubbed"
        TRANSITION = "transition", "Status changed"
        NEW_VERSION = "new_version", "New version"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ADJUDICATED = "adjudicated", "Adjudicated"
        REVERSED = "reversed", "Adjudication reversed"
        NOTE = "note", "Note"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=24, blank=True, default="")
    to_status = models.CharField(max_length=24, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta(EventRow.Meta):
        indexes = [models.Index(fields=["claim", "occurred_at"], name="claims_claimevent_claim_idx")]
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"Claim event {self.pk} ({self.kind})"


class ClaimBatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    NEEDS_ATTENTION = "needs_attention", "Needs attention"


class ClaimBatch(TimeStampedModel):
    """One 837P interchange to the clearinghouse. `interchange_control_number` (ISA13, also GS06)
    comes from the database counter and is unique per submitter (the practice): a re-sent file
    keeps its number, a new file never reuses one (pitfall C16). `x12` is the file as sent."""

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="claim_batches")
    status = models.CharField(
        max_length=16, choices=ClaimBatchStatus.choices, default=ClaimBatchStatus.QUEUED
    )
    clearinghouse = models.CharField(max_length=32, blank=True, default="")
    interchange_control_number = models.BigIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=120, blank=True, default="")
    x12 = models.TextField(blank=True, default="")
    claim_count = models.PositiveIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    sending_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in ClaimBatchStatus]),
                name="claims_claimbatch_status_valid",
            ),
            models.UniqueConstraint(
                fields=["practice", "interchange_control_number"],
                condition=models.Q(interchange_control_number__isnull=False),
                name="claims_claimbatch_isa13_once_per_submitter",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="claims_claimbatch_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["practice", "status"], name="claims_claimbatch_status_idx")]
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Claim batch {self.pk} ({self.status})"


class ClaimBatchItem(models.Model):
    batch = models.ForeignKey(ClaimBatch, on_delete=models.PROTECT, related_name="items")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="batch_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "claim"], name="claims_claimbatchitem_once")]
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"Batch {self.batch_id} claim {self.claim_id}"


class InboundFileKind(models.TextChoices):
    ACK_999 = "999", "999 acknowledgement"
    ACK_277CA = "277CA", "277CA claim acknowledgement"
    ERA_835 = "835", "835 remittance"


class InboundFileStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


class InboundFile(TimeStampedModel):
    """A file the clearinghouse sent back (999, 277CA, 835), kept as received. The same bytes
    twice are one row (`sha256` unique per practice). An 835 is handed to the remittance app by
    the durable job "remittance.tasks.era_post_inbound_file" (inbound_file_id=...)."""

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="inbound_files")
    kind = models.CharField(max_length=8, choices=InboundFileKind.choices)
    name = models.CharField(max_length=200, blank=True, default="")
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=InboundFileStatus.choices, default=InboundFileStatus.RECEIVED
    )
    error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "sha256"], name="claims_inboundfile_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[choice.value for choice in InboundFileKind]),
                name="claims_inboundfile_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in InboundFileStatus]),
                name="claims_inboundfile_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["practice", "kind", "status"], name="claims_inboundfile_kind_idx")]
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"Inbound {self.kind} {self.pk} ({self.status})"


class AcknowledgementSource(models.TextChoices):
    ACK_999 = "999", "999 (file syntax)"
    CLEARINGHOUSE_277CA = "clearinghouse_277ca", "Clearinghouse 277CA"
    PAYER_277CA = "payer_277ca", "Payer 277CA"


class ClaimAcknowledgement(models.Model):
    """One claim's acceptance or rejection by a 999 or a 277CA: the status category/code as
    received and `message` in our plain language; the payer's claim number when given."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="acknowledgements")
    inbound_file = models.ForeignKey(
        InboundFile, null=True, blank=True, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    batch = models.ForeignKey(
        ClaimBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    source = models.CharField(max_length=24, choices=AcknowledgementSource.choices)
    accepted = models.BooleanField()
    category_code = models.CharField(max_length=8, blank=True, default="")
    status_code = models.CharField(max_length=8, blank=True, default="")
    message = models.TextField(blank=True, default="")
    payer_claim_number = models.CharField(max_length=50, blank=True, default="")
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=[choice.value for choice in AcknowledgementSource]),
                name="claims_claimack_source_valid",
            ),
        ]
        indexes = [models.Index(fields=["claim", "occurred_at"], name="claims_claimack_claim_idx")]
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"Acknowledgement {self.pk} ({'accepted' if self.accepted else 'rejected'})"


class ClaimAdjudication(models.Model):
    """What the payer decided about a claim, from one ERA claim (CLP). Written only by
    `claims.services.adjudication.claim_adjudication_record` (remittance posting calls it),
    once per (claim, era_reference, is_reversal). `is_reversal`: this row records the payer's
    reversal (CLP02 22) of an earlier outcome; `reversed_by` on the earlier row points at it.
    Secondary claims (COB 2320/2330/2430) read the latest row not reversed."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="adjudications")
    era_reference = models.CharField(max_length=80)
    payer_claim_number = models.CharField(max_length=50, blank=True, default="")
    claim_status_code = models.CharField(max_length=2)
    charge_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)
    patient_responsibility_cents = models.BigIntegerField(default=0)
    adjustments = models.JSONField(default=list, blank=True)  # claim-level CAS
    adjudicated_on = models.DateField()
    is_reversal = models.BooleanField(default=False)
    reversed_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reverses"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "era_reference", "is_reversal"], name="claims_claimadjudication_once"
            ),
        ]
        indexes = [models.Index(fields=["claim", "adjudicated_on"], name="claims_claimadj_claim_idx")]
        ordering = ["adjudicated_on", "pk"]

    def __str__(self) -> str:
        return f"Adjudication {self.pk} of claim {self.claim_id} ({self.claim_status_code})"

    @property
    def reversed(self) -> bool:
        return self.reversed_by_id is not None


class ClaimLineAdjudication(models.Model):
    """One line of an adjudication (SVC): paid and allowed amounts, the adjustments
    ([{group, reason, cents, quantity}]) and remark codes. `code`/`modifiers` as the payer
    adjudicated them (a payer may drop a modifier)."""

    adjudication = models.ForeignKey(ClaimAdjudication, on_delete=models.PROTECT, related_name="lines")
    claim_line = models.ForeignKey(ClaimLine, on_delete=models.PROTECT, related_name="adjudications")
    code = models.CharField(max_length=5, blank=True, default="")
    modifiers = models.JSONField(default=list, blank=True)
    units = models.PositiveIntegerField(null=True, blank=True)
    charge_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)
    allowed_cents = models.BigIntegerField(null=True, blank=True)
    adjustments = models.JSONField(default=list, blank=True)
    remarks = models.JSONField(default=list, blank=True)
    adjudicated_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["adjudication", "claim_line"], name="claims_claimlineadjudication_once"
            ),
        ]
        ordering = ["adjudication", "claim_line"]

    def __str__(self) -> str:
        return f"Line adjudication {self.pk}"


class ClaimCounter(models.Model):
    """A claims counter, one row per name: "pcn:<practice>" hands out patient control number
    sequence values in blocks (never twice); "assemble:<practice>" is the row an assembly run
    locks so that runs of one practice go one at a time. (ISA13 comes from eligibility's
    interchange counter, shared by every file the practice sends.)"""

    name = models.CharField(max_length=48, primary_key=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
