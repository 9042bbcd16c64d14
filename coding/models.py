"""Code sets with effective dates: CPT/HCPCS codes, modifiers and places of service.

Reference data, not PHI. Loaded from coding/data/codes.csv by a data migration and updated
each year by `manage.py import_code_set` (through `coding.services.code_set_import`).
"""

from django.db import models

from core.models import TimeStampedModel


class CodeSetEntry(TimeStampedModel):
    class Kind(models.TextChoices):
        CPT = "cpt", "CPT"
        HCPCS = "hcpcs", "HCPCS Level II"
        MODIFIER = "modifier", "Modifier"
        POS = "pos", "Place of service"

    class Unit(models.TextChoices):
        NONE = "", "None"
        MIN15 = "15min", "Per 15 minutes"
        MIN30 = "30min", "Per 30 minutes"
        SESSION = "session", "Per session"
        UNTIMED = "untimed", "Untimed"
        PER_DIEM = "per_diem", "Per day"
        HOUR = "hour", "Per hour"

    code = models.CharField(max_length=8)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    label = models.CharField(max_length=120, help_text="Our own short label (never AMA descriptor text)")
    unit = models.CharField(max_length=8, choices=Unit.choices, blank=True, default="")
    timed_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Typical minutes of a time-banded code, or minutes per unit"
    )
    add_on = models.BooleanField(default=False)
    effective_from = models.DateField()
    effective_to = models.DateField(
        null=True, blank=True, help_text="Last day the code is valid; blank = open"
    )
    note = models.CharField(max_length=200, blank=True, help_text="Source or caveat")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "kind", "effective_from"], name="coding_codesetentry_code_kind_from_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="coding_codesetentry_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["code", "kind"], name="coding_cse_code_kind_idx")]
        ordering = ["kind", "code", "effective_from"]
        verbose_name = "code set entry"
        verbose_name_plural = "code set entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code} from {self.effective_from}"


class Icd10cmRelease(TimeStampedModel):
    """One fiscal year of ICD-10-CM imported from CMS's order file (`manage.py import_icd10cm`).

    A year's rows are replaced as a whole when a changed file is imported; `digest` is the
    fingerprint of the rows, so importing the same file again changes nothing."""

    fiscal_year = models.PositiveSmallIntegerField(unique=True)
    file_name = models.CharField(max_length=200, blank=True)
    digest = models.CharField(max_length=64, help_text="sha256 of the imported rows")
    code_count = models.PositiveIntegerField()
    billable_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = "ICD-10-CM year"
        verbose_name_plural = "ICD-10-CM years"

    def __str__(self) -> str:
        return f"ICD-10-CM FY{self.fiscal_year} ({self.code_count} codes)"


class Icd10cmCode(models.Model):
    """A category or code of an imported year (public-domain CMS/CDC text)."""

    release = models.ForeignKey(Icd10cmRelease, on_delete=models.CASCADE, related_name="codes")
    order_number = models.PositiveIntegerField()
    code = models.CharField(max_length=7, help_text="Without the dot")
    billable = models.BooleanField()
    short_description = models.CharField(max_length=60)
    long_description = models.CharField(max_length=400)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="coding_icd10cmcode_release_code_unique")
        ]
        ordering = ["release", "order_number"]
        verbose_name = "ICD-10-CM code"

    def __str__(self) -> str:
        return f"{self.code} {self.short_description}"
