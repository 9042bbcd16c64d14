"""The treatment-plan models now belong to treatment_plans (its 0001 takes them over).

State only, so no table, row or constraint changes: a note's goal link points at
treatment_plans.PlanGoal (the same table, the same foreign key), and the four plan models leave
this app's state, leaves first.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clinical_notes", "0008_signed_note_diagnoses_required"),
        ("treatment_plans", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="notegoal",
                    name="goal",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="treatment_plans.plangoal"),
                ),
                migrations.DeleteModel(name="PlanObjective"),
                migrations.DeleteModel(name="PlanGoal"),
                migrations.DeleteModel(name="PlanProblem"),
                migrations.DeleteModel(name="TreatmentPlan"),
            ],
        ),
    ]
