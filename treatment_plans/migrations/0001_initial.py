"""Treatment plans move from clinical_notes into their own app; the tables stay where they are.

State only: the four models are created in this app's migration state with `db_table` set to
the tables clinical_notes created (clinical_notes 0005 removes them from its state), so no row
is copied or touched. The content types follow the models (admin history and permissions keep
pointing at the same rows); on a new database there are none yet and nothing happens.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("treatmentplan", "planproblem", "plangoal", "planobjective")


def move_content_types(apps, schema_editor, *, source="clinical_notes", target="treatment_plans"):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if content_type.objects.filter(app_label=target, model=model).exists():
            continue
        content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="treatment_plans", target="clinical_notes")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clinical_notes", "0004_final_note_immutability_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("patients", "0002_patient_account_sequence"),
        ("practice", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="TreatmentPlan",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("status", models.CharField(choices=[("draft", "Draft"), ("active", "Active"), ("superseded", "Superseded")], default="draft", max_length=16)),
                        ("starts_on", models.DateField()),
                        ("review_on", models.DateField()),
                        ("signed_at", models.DateTimeField(blank=True, null=True)),
                        ("patient_signed_on", models.DateField(blank=True, help_text="Patient or guardian signature date", null=True)),
                        ("author", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="treatment_plans", to="practice.provider")),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="treatment_plans", to="patients.patient")),
                        ("practice", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="treatment_plans", to="practice.practice")),
                        ("signed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "clinical_notes_treatmentplan",
                        "ordering": ["-starts_on"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("review_on__gte", models.F("starts_on"))), name="clinical_notes_plan_dates_ordered"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PlanProblem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("description", models.TextField()),
                        ("position", models.PositiveSmallIntegerField(default=1)),
                        ("diagnosis", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="patients.patientdiagnosis")),
                        ("plan", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="problems", to="treatment_plans.treatmentplan")),
                    ],
                    options={"db_table": "clinical_notes_planproblem", "ordering": ["position", "pk"]},
                ),
                migrations.CreateModel(
                    name="PlanGoal",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("description", models.TextField()),
                        ("interventions", models.TextField(blank=True)),
                        ("position", models.PositiveSmallIntegerField(default=1)),
                        ("problem", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="goals", to="treatment_plans.planproblem")),
                    ],
                    options={"db_table": "clinical_notes_plangoal", "ordering": ["position", "pk"]},
                ),
                migrations.CreateModel(
                    name="PlanObjective",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("description", models.TextField(help_text="Measurable: what, how much, by when")),
                        ("measure", models.CharField(blank=True, max_length=120)),
                        ("target", models.CharField(blank=True, max_length=120)),
                        ("target_on", models.DateField(blank=True, null=True)),
                        ("goal", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="objectives", to="treatment_plans.plangoal")),
                    ],
                    options={"db_table": "clinical_notes_planobjective", "ordering": ["pk"]},
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
