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
