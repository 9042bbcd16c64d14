"""PayerRuleSet now belongs to payer_rules (its 0001 takes it over).

State only, so the table, its rows and its constraints stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("payers", "0002_payer_rule_set"),
        ("payer_rules", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="PayerRuleSet")],
        ),
    ]
