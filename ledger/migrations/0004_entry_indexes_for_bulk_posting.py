"""Two fewer indexes for the ledger's bulk appends (an ERA posting COPYs ~13 rows per claim):
`patient_id` alone is covered by `ledger_entry_patient_account` (patient, account), and
`patient_payment_id` is indexed only where set (ERA rows, most of the table, have none). The
foreign keys themselves are unchanged, so only the indexes move (no re-validation of the table)."""

import django.db.models.deletion
from django.db import migrations, models

PATIENT_INDEX = "ledger_ledgerentry_patient_id_e9b88519"
PAYMENT_INDEX = "ledger_ledgerentry_patient_payment_id_1929bd75"


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_patient_statements")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="patient",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="patients.patient",
                    ),
                ),
                migrations.AlterField(
                    model_name="ledgerentry",
                    name="patient_payment",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="ledger.patientpayment",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{PATIENT_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{PATIENT_INDEX}" ON "ledger_ledgerentry" ("patient_id")',
                ),
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{PAYMENT_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{PAYMENT_INDEX}" ON "ledger_ledgerentry" ("patient_payment_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("patient_payment__isnull", False)),
                fields=["patient_payment"],
                name="ledger_entry_patient_payment",
            ),
        ),
    ]
