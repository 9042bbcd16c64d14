"""Ledger rows are money facts: on PostgreSQL a row trigger refuses UPDATE and DELETE of
`ledger_ledgerentry` (the model and queryset refuse them too). SQLite (the demo): the model
guard only. (No TRUNCATE trigger: the test runner flushes with TRUNCATE.)"""

from django.db import migrations

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION ledger_entry_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER ledger_entry_immutable
        BEFORE UPDATE OR DELETE ON ledger_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_immutable();
    """,
]
REMOVE = [
    "DROP TRIGGER IF EXISTS ledger_entry_immutable ON ledger_ledgerentry;",
    "DROP FUNCTION IF EXISTS ledger_entry_immutable();",
]


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in INSTALL:
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in REMOVE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_ledger_entries_and_patient_payments")]

    operations = [migrations.RunPython(install, remove)]
