"""Payer rule sets move from payers into their own app; the table stays where it is.

State only: PayerRuleSet is created in this app's migration state with `db_table` set to the
table payers created (payers 0003 removes it from its state), so no row is copied or touched.
The content type follows the model; on a new database there is none yet and nothing happens.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, source="payers", target="payer_rules"):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label=target, model="payerruleset").exists():
        return
    content_type.objects.filter(app_label=source, model="payerruleset").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="payer_rules", target="payers")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("payers", "0002_payer_rule_set"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="PayerRuleSet",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("effective_from", models.DateField()),
                        ("effective_to", models.DateField(blank=True, null=True)),
                        ("rules", models.JSONField(blank=True, default=dict)),
                        ("notes", models.TextField(blank=True)),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("payer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="rule_sets", to="payers.payer")),
                    ],
                    options={
                        "db_table": "payers_payerruleset",
                        "ordering": ["payer", "-effective_from"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("effective_to__isnull", True), ("effective_to__gte", models.F("effective_from")), _connector="OR"), name="payers_payerruleset_dates_ordered"),
                            models.UniqueConstraint(fields=("payer", "effective_from"), name="payers_payerruleset_one_per_start"),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
