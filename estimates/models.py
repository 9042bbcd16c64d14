"""Good Faith Estimates (No Surprises Act) for uninsured and self-pay patients.

A GFE is a document given to the patient: what it says is kept as it was when made (names, NPI,
TIN, location, diagnosis codes, items and their charges), so a later change to the patient, the
provider or the fee schedule does not rewrite it. Money in integer cents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class GoodFaithEstimate(TimeStampedModel):
    class Reason(models.TextChoices):
        SCHEDULED = "scheduled", "Service scheduled"
        REQUESTED = "requested", "Patient asked for an estimate"

    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.PROTECT, related_name="good_faith_estimates"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="good_faith_estimates"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    scheduled_on = models.DateField(null=True, blank=True)
    requested_on = models.DateField(null=True, blank=True)
    service_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="Empty when none is required")
    deadline_rule = models.CharField(max_length=200)
    service_description = models.CharField(max_length=200)
    diagnosis_codes = models.JSONField(default=list, blank=True)
    total_cents = models.BigIntegerField()
    # What the document says, as it was when made
    patient_name = models.CharField(max_length=130)
    patient_birth_date = models.DateField()
    provider_name = models.CharField(max_length=130)
    provider_npi = models.CharField(max_length=10, blank=True)
    practice_name = models.CharField(max_length=200)
    practice_tin = models.CharField(max_length=10)
    practice_npi = models.CharField(max_length=10)
    location_text = models.CharField(max_length=250)
    issued_at = models.DateTimeField(null=True, blank=True, help_text="When it was given to the patient")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_cents__gte=0), name="estimates_gfe_total_not_negative"
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Good Faith Estimate {self.pk}"


class GoodFaithEstimateParty(models.Model):
    """A co-provider or co-facility whose expected items the convening provider's GFE includes
    (No Surprises Act): its name, NPI, TIN and location, as they gave them."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", "Co-provider"
        FACILITY = "facility", "Co-facility"

    estimate = models.ForeignKey(GoodFaithEstimate, on_delete=models.CASCADE, related_name="parties")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    npi = models.CharField(max_length=10)
    tin = models.CharField(max_length=10)
    location_text = models.CharField(max_length=250)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["estimate", "number"], name="estimates_gfeparty_once"),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class GoodFaithEstimateItem(models.Model):
    estimate = models.ForeignKey(GoodFaithEstimate, on_delete=models.CASCADE, related_name="items")
    # None: the convening provider's own item (priced from the practice's fee schedule); else
    # a co-provider's or co-facility's, at the charge it gave.
    party = models.ForeignKey(
        GoodFaithEstimateParty, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    line_number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=5)
    modifiers_key = models.CharField(max_length=16, blank=True, default="")
    description = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField()
    unit_cents = models.BigIntegerField()
    total_cents = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["estimate", "line_number"], name="estimates_gfeitem_line_once"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="estimates_gfeitem_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_cents__gte=0), name="estimates_gfeitem_unit_not_negative"
            ),
        ]
        ordering = ["line_number"]

    def __str__(self) -> str:
        return f"{self.code} x{self.quantity}"
