from django.db import models

from core.models import TimeStampedModel


class Payer(TimeStampedModel):
    """An insurer (or self-pay) as configured by one practice."""

    class ClaimFilingIndicator(models.TextChoices):
        # X12 SBR09 codes with our own short labels.
        COMMERCIAL = "CI", "Commercial insurance"
        BLUE_CROSS = "BL", "Blue Cross / Blue Shield"
        MEDICARE_B = "MB", "Medicare Part B"
        MEDICAID = "MC", "Medicaid"
        HMO = "HM", "HMO"
        PPO = "12", "PPO"
        POS = "13", "Point of service"
        EPO = "14", "EPO"
        TRICARE = "CH", "TRICARE"
        VA = "VA", "Veterans Affairs"
        WORKERS_COMP = "WC", "Workers' compensation"
        OTHER = "ZZ", "Other / mutually defined"

    class Kind(models.TextChoices):
        COMMERCIAL = "commercial", "Commercial"
        MEDICAID = "medicaid", "Medicaid / Medicaid MCO"
        MEDICARE = "medicare", "Medicare"
        SELF_PAY = "self_pay", "Self-pay"
        OTHER = "other", "Other"

    class EraEnrollment(models.TextChoices):
        UNKNOWN = "unknown", "Not recorded"
        NOT_ENROLLED = "not_enrolled", "Not enrolled"
        PENDING = "pending", "Enrolment pending"
        ENROLLED = "enrolled", "Enrolled"

    practice = models.ForeignKey("practice.Practice", on_delete=models.CASCADE, related_name="payers")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMMERCIAL)
    payer_id = models.CharField(
        max_length=20, blank=True, help_text="Electronic payer ID; blank for self-pay"
    )
    claim_filing_indicator = models.CharField(
        max_length=2, choices=ClaimFilingIndicator.choices, default=ClaimFilingIndicator.COMMERCIAL
    )
    address_line1 = models.CharField(max_length=100, blank=True)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    timely_filing_days = models.PositiveIntegerField(default=90)
    appeal_window_days = models.PositiveIntegerField(default=180)
    is_active = models.BooleanField(default=True)
    # R19: whether the practice is enrolled to receive this payer's ERAs (835), and from when.
    # The last ERA received is read from remittance, never stored here.
    era_enrollment = models.CharField(
        max_length=12, choices=EraEnrollment.choices, default=EraEnrollment.UNKNOWN
    )
    era_enrolled_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="payers_payer_name_unique"),
            models.UniqueConstraint(
                fields=["practice", "payer_id"],
                condition=~models.Q(payer_id=""),
                name="payers_payer_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="self_pay") | ~models.Q(payer_id=""),
                name="payers_payer_id_required_unless_self_pay",
            ),
        ]
        ordering = ["name"]

    @property
    def is_self_pay(self) -> bool:
        return self.kind == self.Kind.SELF_PAY

    def __str__(self) -> str:
        return self.name


class PayerEnrollment(TimeStampedModel):
    """Whether a provider is credentialed (enrolled) with a payer, and from when."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        PENDING = "pending", "Application pending"
        ENROLLED = "enrolled", "Enrolled"
        DENIED = "denied", "Denied"
        TERMINATED = "terminated", "Terminated"

    provider = models.ForeignKey("practice.Provider", on_delete=models.CASCADE, related_name="enrollments")
    payer = models.ForeignKey(Payer, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    effective_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    payer_provider_id = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "payer"], name="payers_enrollment_unique"),
        ]
