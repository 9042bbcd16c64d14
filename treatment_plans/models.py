"""Treatment plans: a plan (dates, status, signatures) → problems → goals → measurable objectives.

The models moved here from clinical_notes; their tables kept their names (`db_table`), so the
move changed no data (migration 0001 is state-only). Session notes link plan goals
(`clinical_notes.NoteGoal.goal`): clinical_notes depends on treatment_plans, never the reverse.
"""

from django.db import models

from core.models import TimeStampedModel


class TreatmentPlan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"

    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, related_name="treatment_plans"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="treatment_plans")
    author = models.ForeignKey("practice.Provider", on_delete=models.PROTECT, related_name="treatment_plans")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    starts_on = models.DateField()
    review_on = models.DateField()
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient_signed_on = models.DateField(
        null=True, blank=True, help_text="Patient or guardian signature date"
    )

    class Meta:
        db_table = "clinical_notes_treatmentplan"  # the table kept its name when the model moved here
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_on__gte=models.F("starts_on")),
                name="clinical_notes_plan_dates_ordered",  # named before the move; kept in the database
            ),
        ]
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"Treatment plan {self.pk}"


class PlanProblem(TimeStampedModel):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField()
    diagnosis = models.ForeignKey(
        "patients.PatientDiagnosis", null=True, blank=True, on_delete=models.PROTECT
    )
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        db_table = "clinical_notes_planproblem"  # the table kept its name when the model moved here
        ordering = ["position", "pk"]


class PlanGoal(TimeStampedModel):
    problem = models.ForeignKey(PlanProblem, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField()
    interventions = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        db_table = "clinical_notes_plangoal"  # the table kept its name when the model moved here
        ordering = ["position", "pk"]


class PlanObjective(TimeStampedModel):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField(help_text="Measurable: what, how much, by when")
    measure = models.CharField(max_length=120, blank=True)
    target = models.CharField(max_length=120, blank=True)
    target_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "clinical_notes_planobjective"  # the table kept its name when the model moved here
        ordering = ["pk"]
