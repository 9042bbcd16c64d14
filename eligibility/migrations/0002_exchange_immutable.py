"""The raw 270/271 exchanges are the due-diligence record: on PostgreSQL a row trigger refuses
UPDATE and DELETE of `eligibility_eligibilityexchange` (the model refuses them too). SQLite (the
demo): the model guard only."""

from django.db import migrations

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION eligibility_exchange_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'eligibility exchanges are evidence: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER eligibility_exchange_immutable
        BEFORE UPDATE OR DELETE ON eligibility_eligibilityexchange
        FOR EACH ROW EXECUTE FUNCTION eligibility_exchange_immutable();
    """,
]
REMOVE = [
    "DROP TRIGGER IF EXISTS eligibility_exchange_immutable ON eligibility_eligibilityexchange;",
    "DROP FUNCTION IF EXISTS eligibility_exchange_immutable();",
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
    dependencies = [("eligibility", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
