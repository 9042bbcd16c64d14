"""Ledger rows are money facts: on PostgreSQL a row trigger refuses UPDATE and DELETE of
`ledger_ledgerentry` (the model and queryset refuse them too). SQLite (the demo): the model
guard only. (No TRUNCATE trigger: the test runner flushes with TRUNCATE.)"""

from django.db import migrations

from core.db.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_ledger_entries_and_patient_payments")]

    operations = [
        append_only_trigger(
            table="ledger_ledgerentry",
            name="ledger_entry_immutable",
            what="ledger entries are append-only",
        )
    ]
