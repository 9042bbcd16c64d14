from django.db import models

from core.models import TimeStampedModel


class PriorAuthorization(TimeStampedModel):
    """A payer's prior authorization for a patient: codes, an amount of units or visits, dates.

    `status` is kept current by the services (cancelled by a person; exhausted when usage is
    recorded; expired by the daily job); `authorizations.domain.burn_down.effective_status`
    computes it for any date.
    """

    class UnitKind(models.TextChoices):
        UNITS = "units", "Units"
        VISITS = "visits", "Visits"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        EXHAUSTED = "exhausted", "Exhausted"
        CANCELLED = "cancelled", "Cancelled"

    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, related_name="prior_authorizations"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="prior_authorizations"
    )
    payer = models.ForeignKey("payers.Payer", on_delete=models.PROTECT, related_name="prior_authorizations")
    number = models.CharField(max_length=30)
    unit_kind = models.CharField(max_length=8, choices=UnitKind.choices, default=UnitKind.UNITS)
    authorized = models.PositiveIntegerField()
    start_on = models.DateField()
    end_on = models.DateField()
    rendering_provider = models.ForeignKey(
        "practice.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="authorizations_priorauthorization_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(authorized__gt=0), name="authorizations_priorauthorization_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "expired", "exhausted", "cancelled"]),
                name="authorizations_priorauthorization_status_valid",
            ),
            models.UniqueConstraint(
                fields=["payer", "number"], name="authorizations_priorauthorization_number_once"
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "status"], name="auth_practice_status_idx"),
            models.Index(fields=["patient", "payer", "start_on"], name="auth_patient_payer_idx"),
        ]
        ordering = ["end_on", "pk"]

    def __str__(self) -> str:
        return f"Prior authorization {self.pk}"


class AuthorizationCap(models.Model):
    """At most `units` of some of an authorization's codes together (its codes point at it):
    a per-code cap (one code) or a per-group cap, besides the authorization's total."""

    authorization = models.ForeignKey(PriorAuthorization, on_delete=models.CASCADE, related_name="caps")
    units = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(units__gt=0), name="authorizations_cap_units_positive"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Authorization cap {self.pk}"


class AuthorizedCode(models.Model):
    """One code an authorization covers (and the cap it falls under, if any)."""

    authorization = models.ForeignKey(PriorAuthorization, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=5)
    cap = models.ForeignKey(
        AuthorizationCap, null=True, blank=True, on_delete=models.SET_NULL, related_name="codes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authorization", "code"], name="authorizations_code_once"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class AuthorizationUsage(TimeStampedModel):
    """Units (or a visit) a captured charge took from an authorization: one row per source
    (a charge line), so recording the same charge twice changes nothing."""

    authorization = models.ForeignKey(PriorAuthorization, on_delete=models.CASCADE, related_name="usages")
    source_id = models.CharField(max_length=64)
    code = models.CharField(max_length=5, blank=True)
    units = models.PositiveIntegerField()
    service_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "source_id"], name="authorizations_usage_once_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(units__gt=0), name="authorizations_usage_units_positive"
            ),
        ]
        ordering = ["service_date", "pk"]

    def __str__(self) -> str:
        return f"Authorization usage {self.pk}"


class AuthorizationAlert(TimeStampedModel):
    """Raised by the daily job: little left or the end date near. One per authorization, kind and day."""

    class Kind(models.TextChoices):
        LOW_REMAINING = "low_remaining", "Little left"
        EXPIRING = "expiring", "Ending soon"

    authorization = models.ForeignKey(PriorAuthorization, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    raised_on = models.DateField()
    remaining = models.IntegerField()
    days_left = models.IntegerField()
    message = models.CharField(max_length=200)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "kind", "raised_on"], name="authorizations_alert_once_per_day"
            ),
        ]
        ordering = ["-raised_on", "kind", "pk"]

    def __str__(self) -> str:
        return f"Authorization alert {self.pk}"
