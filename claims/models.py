"""The claims side of the hand-off from documentation (a minimal start; issue 4 builds claims).

A final session note is recorded here once as ready to bill. The coding capability will turn
these into charges; until then this table is the billing work queue's source.
"""

from django.db import models


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
