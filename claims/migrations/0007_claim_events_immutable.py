"""Claim events are the claim's history (who moved it, when, why): on PostgreSQL a row trigger
refuses UPDATE and DELETE of `claims_claimevent` (the model and its QuerySet refuse them too).
SQLite (the demo): the model guard only."""

from django.db import migrations

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION claims_claimevent_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'claim events are append-only: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER claims_claimevent_immutable
        BEFORE UPDATE OR DELETE ON claims_claimevent
        FOR EACH ROW EXECUTE FUNCTION claims_claimevent_immutable();
    """,
]
REMOVE = [
    "DROP TRIGGER IF EXISTS claims_claimevent_immutable ON claims_claimevent;",
    "DROP FUNCTION IF EXISTS claims_claimevent_immutable();",
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
    dependencies = [("claims", "0006_claims_837")]

    operations = [migrations.RunPython(install, remove)]
