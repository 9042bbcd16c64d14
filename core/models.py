from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BackgroundJob(models.Model):
    """The intent to run a background task, committed with the state change that calls for it.

    The outbox of the durable hand-off (docs/decisions/0014-durable-hand-offs-with-an-outbox.md):
    a service writes the row in its own transaction; after commit the task is sent to the broker;
    the relay (Celery beat, every minute) sends again whatever is due and not done, so a lost
    message, a dead worker or a broker that was down only delays the work. `key` makes the
    hand-off idempotent (one row per intent, e.g. "claims.note_ready_to_bill:note=42").
    `next_attempt_at` is both the retry time and a lease: while a task runs, or was just sent,
    it lies in the future, and the relay leaves the job alone until it passes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"

    key = models.CharField(max_length=200, unique=True)
    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    label = models.CharField(max_length=200)
    # A plain id (core sits below practice): the practice whose staff see and retry the job.
    practice_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The relay's scan: pending jobs whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                name="core_job_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["practice_id", "status", "-created_at"], name="core_job_practice_status"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"
