"""Eligibility checks: one per coverage and date of service, with the raw X12 kept as evidence.

* `EligibilitySettings`: a practice's clearinghouse and schedule (days ahead, re-verify after,
  gap in appointments).
* `ControlNumber`: the counters ISA13/GS06 come from (pitfall E7: never reused across batches).
* `EligibilityBatch`: the scheduled job's run, whose progress the screens show.
* `EligibilityCheck`: the check, its status, who/when/why, the parsed 271, the plain summary and
  what changed since the coverage's previous finished check. `sequence` > 0 only when someone
  asked to verify again (idempotency: one check per coverage, date and sequence).
* `EligibilityExchange`: each attempt's raw 270 and 271 (or error), append-only: the model
  refuses updates and deletes, and on PostgreSQL a trigger does too (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.db.append_only import AppendOnlyModel
from core.models import TimeStampedModel


class Clearinghouse(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox (test members only)"


class EligibilitySettings(TimeStampedModel):
    practice = models.OneToOneField(
        "practice.Practice", on_delete=models.CASCADE, related_name="eligibility_settings"
    )
    clearinghouse = models.CharField(
        max_length=32,
        blank=True,
        help_text="Blank: the deployment's clearinghouse (ELIGIBILITY_CLEARINGHOUSE).",
    )
    days_ahead = models.PositiveSmallIntegerField(
        default=7, help_text="Verify coverages with an appointment in the next N days."
    )
    reverify_after_days = models.PositiveSmallIntegerField(
        default=30, help_text="Verify again when the last check is older than this."
    )
    appointment_gap_days = models.PositiveSmallIntegerField(
        default=60, help_text="Verify again when the patient returns after this many days without a visit."
    )

    class Meta:
        verbose_name_plural = "eligibility settings"

    def __str__(self) -> str:
        return f"Eligibility settings {self.pk}"


class ControlNumber(models.Model):
    """One counter per name ("interchange"): incremented in the database, never reused."""

    name = models.CharField(max_length=32, primary_key=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class EligibilityBatch(TimeStampedModel):
    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, related_name="eligibility_batches"
    )
    total = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Eligibility batch {self.pk}"


class EligibilityCheck(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED_TRANSIENT = "failed_transient", "Failed, retrying"
        FAILED_PERMANENT = "failed_permanent", "Failed"

    class Reason(models.TextChoices):
        ON_DEMAND = "on_demand", "On demand"
        SCHEDULED = "scheduled", "Scheduled"
        BEFORE_SESSION = "before_session", "Before the session"
        CARVE_OUT = "carve_out", "Carve-out administrator"

    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="eligibility_checks"
    )
    coverage = models.ForeignKey(
        "patients.Coverage", on_delete=models.PROTECT, related_name="eligibility_checks"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eligibility_checks",
    )
    batch = models.ForeignKey(
        EligibilityBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks"
    )
    service_date = models.DateField()
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clearinghouse = models.CharField(max_length=32, blank=True)
    is_sandbox = models.BooleanField(default=False)
    service_types = models.JSONField(default=list)
    trace_number = models.CharField(max_length=50, unique=True)
    # A clearinghouse that answers later (SFTP batch): the ISA13 of the one 270 the check sent;
    # every retry reuses it (same file, same trace), so the inquiry goes up once (decision 0042).
    sent_control_number = models.BigIntegerField(null=True, blank=True)
    # Pitfall E1: the plan's 271 named another administrator of the MH/SUD benefits; this check
    # asks that administrator (a payer the practice set up with its payer ID) about the same
    # coverage and date. One per plan check.
    carve_out_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carve_out_check"
    )
    carve_out_payer = models.ForeignKey(
        "payers.Payer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    warnings = models.JSONField(default=list)
    result = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    coverage_status = models.CharField(max_length=24, blank=True)
    changes = models.JSONField(default=list, blank=True)
    has_alert = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coverage", "service_date", "sequence"],
                condition=models.Q(carve_out_of__isnull=True),
                name="eligibility_check_once_per_date",
            ),
        ]
        indexes = [models.Index(fields=["coverage", "status", "-finished_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Eligibility check {self.pk}"


class ExchangeImmutable(Exception):
    pass


class EligibilityExchange(AppendOnlyModel):
    """One attempt's raw X12: the 270 sent and the 271 received (or the error), as evidence.
    `outcome`: answered, transient, permanent, or sent (a batch clearinghouse took the 270; its
    271 comes later as an "answered" row with the same control number)."""

    append_only_error = ExchangeImmutable
    append_only_message = "Raw eligibility exchanges are never changed or deleted."
    # A bulk update or delete is left to the PostgreSQL trigger (migration 0002).
    append_only_bulk_guard = False

    check_run = models.ForeignKey(EligibilityCheck, on_delete=models.PROTECT, related_name="exchanges")
    attempt = models.PositiveIntegerField()
    interchange_control_number = models.BigIntegerField()
    request_x12 = models.TextField(blank=True)
    response_x12 = models.TextField(blank=True)
    outcome = models.CharField(max_length=20)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt", "pk"]
        constraints = [
            # An ISA13 belongs to one 270. A batch clearinghouse's check has a "sent" row and an
            # "answered" row for the same 270 (and "transient" rows when polling failed).
            models.UniqueConstraint(
                fields=["interchange_control_number", "outcome"],
                condition=~models.Q(outcome="transient"),
                name="eligibility_exchange_control_number_once",
            ),
            # A check is answered once, whoever finds the 271 (the check's poll, the collector).
            models.UniqueConstraint(
                fields=["check_run"],
                condition=models.Q(outcome="answered"),
                name="eligibility_exchange_one_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Eligibility exchange {self.pk}"
