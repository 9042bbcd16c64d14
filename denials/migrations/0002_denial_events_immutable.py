"""Denial events are the denial's history (who decided what, when, why): on PostgreSQL a row trigger
refuses UPDATE and DELETE of `denials_denialevent` (the model and its QuerySet refuse them too): a write-off cannot be unwritten quietly (R4).
SQLite (the demo): the model guard only."""

from django.db import migrations

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION denials_denialevent_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'denial events are append-only: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER denials_denialevent_immutable
        BEFORE UPDATE OR DELETE ON denials_denialevent
        FOR EACH ROW EXECUTE FUNCTION denials_denialevent_immutable();
    """,
]
REMOVE = [
    "DROP TRIGGER IF EXISTS denials_denialevent_immutable ON denials_denialevent;",
    "DROP FUNCTION IF EXISTS denials_denialevent_immutable();",
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
    dependencies = [("denials", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
