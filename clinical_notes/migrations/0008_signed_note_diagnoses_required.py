"""A note is signed only with its diagnoses recorded (issue #7), in PostgreSQL itself.

`note_sign` and `note_cosign` copy each diagnosis's code and description onto the note's own
rows before the status changes; this trigger makes that a database rule: an UPDATE that moves
a note into 'awaiting_cosign' or 'final' fails (restrict_violation, IntegrityError) while one of
its `clinical_notes_notediagnosis` rows has no code. Once final, 0004 keeps those rows as they
are, so a final note always says what it was signed with.

SQLite (the demo): no trigger; the services are the only path that signs notes.
"""

from django.db import migrations

INSTALL = [
    """
    CREATE OR REPLACE FUNCTION clinical_notes_require_signed_diagnoses() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM clinical_notes_notediagnosis d WHERE d.note_id = NEW.id AND d.code = ''
        ) THEN
            RAISE EXCEPTION 'clinical_notes_sessionnote %: its diagnoses are not recorded as signed (% -> %)',
                NEW.id, OLD.status, NEW.status
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Sign notes through the services: they copy each diagnosis onto the note.';
        END IF;
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE TRIGGER clinical_notes_sessionnote_signed_diagnoses
        BEFORE UPDATE OF status ON clinical_notes_sessionnote
        FOR EACH ROW
        WHEN (NEW.status IN ('awaiting_cosign', 'final') AND NEW.status IS DISTINCT FROM OLD.status)
        EXECUTE FUNCTION clinical_notes_require_signed_diagnoses();
    """,
]

REMOVE = [
    "DROP TRIGGER IF EXISTS clinical_notes_sessionnote_signed_diagnoses ON clinical_notes_sessionnote;",
    "DROP FUNCTION IF EXISTS clinical_notes_require_signed_diagnoses();",
]


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in INSTALL:
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in REMOVE:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("clinical_notes", "0007_backfill_signed_note_diagnoses"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
