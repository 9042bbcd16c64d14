from django.db import models

from core.domain.service_types import service_type_choices
from core.models import TimeStampedModel


class Telehealth(models.TextChoices):
    NONE = "", "In person"
    AUDIO_VIDEO = "audio_video", "Telehealth, audio and video"
    AUDIO_ONLY = "audio_only", "Telehealth, audio only"


class GroupSession(TimeStampedModel):
    """A group session; its roster is the appointments that point at it (one per patient)."""

    practice = models.ForeignKey("practice.Practice", on_delete=models.CASCADE, related_name="group_sessions")
    provider = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="group_sessions")
    title = models.CharField(max_length=120)
    service_type = models.CharField(max_length=48, choices=service_type_choices())
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.ForeignKey("practice.Location", null=True, blank=True, on_delete=models.PROTECT)
    telehealth = models.CharField(max_length=16, choices=Telehealth.choices, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="scheduling_group_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Group session {self.pk}"


class Appointment(TimeStampedModel):
    """A scheduled session for one patient with one rendering provider."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        ARRIVED = "arrived", "Arrived"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    practice = models.ForeignKey("practice.Practice", on_delete=models.CASCADE, related_name="appointments")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointments")
    provider = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="appointments")
    service_type = models.CharField(max_length=48, choices=service_type_choices())
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.ForeignKey(
        "practice.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    place_of_service = models.CharField(max_length=2, default="11")
    telehealth = models.CharField(max_length=16, choices=Telehealth.choices, blank=True, default="")
    patient_at_home = models.BooleanField(
        default=False, help_text="Telehealth with the patient at home: place of service 10, else 02"
    )
    group_session = models.ForeignKey(
        GroupSession, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="scheduling_appointment_times_ordered",
            ),
            models.UniqueConstraint(
                fields=["group_session", "patient"],
                condition=models.Q(group_session__isnull=False),
                name="scheduling_appointment_once_per_group",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "provider", "starts_at"], name="sched_provider_time_idx"),
            models.Index(fields=["practice", "location", "starts_at"], name="sched_location_time_idx"),
            models.Index(fields=["patient", "starts_at"], name="sched_patient_time_idx"),
        ]
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Appointment {self.pk}"


class AppointmentEvent(TimeStampedModel):
    """Every status change of an appointment (who, when, from, to)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Appointment {self.appointment_id}: {self.from_status or '-'}->{self.to_status}"
