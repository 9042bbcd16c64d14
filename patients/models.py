from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Unknown"


class Patient(TimeStampedModel):
    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT, related_name="patients")
    account_number = models.CharField(max_length=20, help_text="The practice's patient account number")
    first_name = models.CharField(max_length=60)
    middle_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60)
    preferred_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    address_line1 = models.CharField(max_length=100)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    is_substance_use_program = models.BooleanField(
        default=False, help_text="Treated in a 42 CFR Part 2 substance-use program"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "account_number"], name="patients_patient_account_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "last_name", "first_name"], name="patients_name_idx"),
            models.Index(fields=["practice", "date_of_birth"], name="patients_dob_idx"),
        ]
        ordering = ["last_name", "first_name"]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __str__(self) -> str:
        return f"Patient {self.pk}"  # no PHI in logs or reprs


class Guarantor(TimeStampedModel):
    """Who is responsible for the patient's balance (self, parent, spouse...)."""

    class Relationship(models.TextChoices):
        SELF = "self", "Self"
        PARENT = "parent", "Parent"
        SPOUSE = "spouse", "Spouse"
        LEGAL_GUARDIAN = "guardian", "Legal guardian"
        OTHER = "other", "Other"

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="guarantor")
    relationship = models.CharField(max_length=16, choices=Relationship.choices, default=Relationship.SELF)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    date_of_birth = models.DateField(null=True, blank=True)
    address_line1 = models.CharField(max_length=100)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return f"Guarantor {self.pk}"


class Coverage(TimeStampedModel):
    class Priority(models.IntegerChoices):
        PRIMARY = 1, "Primary"
        SECONDARY = 2, "Secondary"
        TERTIARY = 3, "Tertiary"

    class SubscriberRelationship(models.TextChoices):
        # X12 individual relationship codes (SBR02/PAT01) with our own labels.
        SELF = "18", "Self"
        SPOUSE = "01", "Spouse"
        CHILD = "19", "Child"
        OTHER = "G8", "Other"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="coverages")
    payer = models.ForeignKey("payers.Payer", on_delete=models.PROTECT, related_name="coverages")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.PRIMARY)
    member_id = models.CharField(max_length=30)
    group_number = models.CharField(max_length=30, blank=True)
    plan_name = models.CharField(max_length=80, blank=True)
    subscriber_relationship = models.CharField(
        max_length=2, choices=SubscriberRelationship.choices, default=SubscriberRelationship.SELF
    )
    subscriber_first_name = models.CharField(max_length=60, blank=True)
    subscriber_last_name = models.CharField(max_length=60, blank=True)
    subscriber_date_of_birth = models.DateField(null=True, blank=True)
    subscriber_sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    effective_on = models.DateField()
    terminates_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(terminates_on__isnull=True)
                | models.Q(terminates_on__gte=models.F("effective_on")),
                name="patients_coverage_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=[1, 2, 3]), name="patients_coverage_priority_valid"
            ),
        ]
        ordering = ["priority", "-effective_on"]

    def __str__(self) -> str:
        return f"Coverage {self.pk}"


class PatientDiagnosis(TimeStampedModel):
    """An active (or resolved) ICD-10-CM diagnosis on the patient's problem list."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField(max_length=8, help_text="ICD-10-CM, stored without the dot (F411)")
    description = models.CharField(max_length=250, blank=True)
    onset_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(default=1, help_text="1 = primary")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "code"],
                condition=models.Q(resolved_on__isnull=True),
                name="patients_diagnosis_active_once",
            ),
        ]
        ordering = ["rank", "code"]

    @property
    def is_active(self) -> bool:
        return self.resolved_on is None

    def __str__(self) -> str:
        return f"Diagnosis {self.pk}"


class Consent(TimeStampedModel):
    class Kind(models.TextChoices):
        TREATMENT = "treatment", "Consent to treatment"
        HIPAA_ACK = "hipaa_notice", "Notice of privacy practices acknowledged"
        ASSIGNMENT_OF_BENEFITS = "assignment_of_benefits", "Assignment of benefits"
        RELEASE_OF_INFORMATION = "release_of_information", "Release of information"
        PART2_TPO = "part2_tpo", "42 CFR Part 2 consent for treatment, payment and operations"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    signed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    recipient = models.CharField(max_length=200, blank=True, help_text="Who may receive the information")
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"Consent {self.pk}"


class CareTeamMemberQuerySet(models.QuerySet["CareTeamMember"]):
    def active_on(self, day: dt.date) -> CareTeamMemberQuerySet:
        """Memberships in force on `day`: the database form of patients.domain.care_team's rule
        (starts_on ≤ day ≤ ends_on, first and last day included, a missing side open)."""
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )


class CareTeamMember(TimeStampedModel):
    """A provider on the patient's care team. Techs see only their caseload's patients."""

    objects = CareTeamMemberQuerySet.as_manager()

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="care_team")
    provider = models.ForeignKey("practice.Provider", on_delete=models.CASCADE, related_name="caseload")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "provider"], name="patients_careteam_unique"),
        ]

    def __str__(self) -> str:
        return f"Care team member {self.pk}"


class PatientAccountSequence(models.Model):
    """The last account number handed out per practice (locked and incremented by patient_create)."""

    practice = models.OneToOneField(
        "practice.Practice", on_delete=models.CASCADE, related_name="patient_account_sequence"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"account sequence for practice {self.practice_id} at {self.last_number}"
