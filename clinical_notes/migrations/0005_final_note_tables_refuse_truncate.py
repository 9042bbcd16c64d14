"""Every table that makes up a final note refuses TRUNCATE, as the audit tables do (issue #7).

0004 stops UPDATE and DELETE of a final note row by row; TRUNCATE fires no row triggers, so
until now one statement could empty every note at once. On PostgreSQL each table below gets a
statement-level BEFORE TRUNCATE trigger that raises `restrict_violation` (Django:
IntegrityError) with "<table> holds final notes: TRUNCATE is not allowed". The triggers also fire
for tables reached through `TRUNCATE ... CASCADE` (truncating patients, say).

Tables: the note row (signatures and attestations, content with participants, findings),
its segments, measurement scores, diagnoses, goal links, events and addenda.

Escape hatch, as in audit/migrations/0005: a *superuser* session that sets
`parity.final_note_truncate = 'allow'` may TRUNCATE them. Django's test runner flushes
transactional tests with one TRUNCATE of every table, so billing/settings/test.py sets it on
test connections. A superuser can disable triggers anyway; this stops mistakes.

SQLite (the demo): nothing. SQLite has no TRUNCATE (`DELETE FROM` without WHERE is its
equivalent, and the model guards refuse deleting final notes through the ORM).
"""

from django.db import migrations

FINAL_NOTE_TABLES = [
    "clinical_notes_sessionnote",
    "clinical_notes_notesegment",
    "clinical_notes_notemeasurement",
    "clinical_notes_notediagnosis",
    "clinical_notes_notegoal",
    "clinical_notes_noteevent",
    "clinical_notes_noteaddendum",
]

FUNCTION = """
    CREATE OR REPLACE FUNCTION clinical_notes_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('parity.final_note_truncate', true) = 'allow'
           AND current_setting('is_superuser') = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '% holds final notes: TRUNCATE is not allowed', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Final notes are never removed; corrections are addenda.';
    END;
    $$;
"""


def _install_statements() -> list[str]:
    return [
        FUNCTION,
        *(
            f"""
            CREATE TRIGGER {table}_no_truncate
                BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION clinical_notes_refuse_truncate();
            """
            for table in FINAL_NOTE_TABLES
        ),
    ]


def _remove_statements() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};" for table in FINAL_NOTE_TABLES),
        "DROP FUNCTION IF EXISTS clinical_notes_refuse_truncate();",
    ]


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _install_statements():
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _remove_statements():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("clinical_notes", "0004_final_note_immutability_triggers"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
