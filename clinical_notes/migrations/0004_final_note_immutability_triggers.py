"""Final notes are immutable, and note history is append-only, in PostgreSQL itself.

Whatever the path (ORM save, queryset update, bulk_update, admin, raw SQL), on PostgreSQL:

* `clinical_notes_sessionnote`: UPDATE or DELETE of a row whose stored status is 'final' fails.
  The transition *to* final (sign, co-sign) still works: the trigger looks at OLD.status.
* segments, measurements, note diagnoses and note goal links: INSERT, UPDATE or DELETE of a
  row whose note is final fails (also moving a row onto or off a final note).
* note events and addenda: UPDATE fails always; DELETE fails, except events of a note still in
  'draft' (never signed), so that deleting an unsigned draft removes its own "created" event.

Errors are raised with SQLSTATE 23001 (restrict_violation), which Django reports as
IntegrityError. TRUNCATE is not blocked here; 0005 refuses it (with an opt-in for the test flush).

SQLite (the demo) gets no triggers: the model and service guards refuse the ORM paths there.
Installed with RunPython so the SQL runs only when the database is PostgreSQL.
"""

from django.db import migrations

FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION clinical_notes_refuse_final_note_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'final' THEN
            RAISE EXCEPTION 'clinical_notes_sessionnote %: a final note cannot be changed (%)', OLD.id, TG_OP
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Corrections to a final note are addenda.';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION clinical_notes_refuse_final_part_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM clinical_notes_sessionnote n WHERE n.id = OLD.note_id AND n.status = 'final'
        ) THEN
            RAISE EXCEPTION '%: note % is final; its parts cannot be changed (%)', TG_TABLE_NAME, OLD.note_id, TG_OP
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Corrections to a final note are addenda.';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM clinical_notes_sessionnote n WHERE n.id = NEW.note_id AND n.status = 'final'
        ) THEN
            RAISE EXCEPTION '%: note % is final; its parts cannot be changed (%)', TG_TABLE_NAME, NEW.note_id, TG_OP
                USING ERRCODE = 'restrict_violation',
                      HINT = 'Corrections to a final note are addenda.';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$;
    """,
    """
    CREATE OR REPLACE FUNCTION clinical_notes_refuse_history_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'clinical_notes_noteevent' AND EXISTS (
            SELECT 1 FROM clinical_notes_sessionnote n WHERE n.id = OLD.note_id AND n.status = 'draft'
        ) THEN
            RETURN OLD;  -- deleting a never-signed draft takes its own history with it
        END IF;
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Note events and addenda are never changed or removed.';
    END;
    $$;
    """,
]

NOTE_TRIGGER = """
    CREATE TRIGGER clinical_notes_sessionnote_final_immutable
        BEFORE UPDATE OR DELETE ON clinical_notes_sessionnote
        FOR EACH ROW EXECUTE FUNCTION clinical_notes_refuse_final_note_change();
"""

PART_TABLES = [
    "clinical_notes_notesegment",
    "clinical_notes_notemeasurement",
    "clinical_notes_notediagnosis",
    "clinical_notes_notegoal",
]
HISTORY_TABLES = ["clinical_notes_noteevent", "clinical_notes_noteaddendum"]


def _install_statements() -> list[str]:
    statements = [*FUNCTIONS, NOTE_TRIGGER]
    statements += [
        f"""
        CREATE TRIGGER {table}_final_immutable
            BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION clinical_notes_refuse_final_part_change();
        """
        for table in PART_TABLES
    ]
    statements += [
        f"""
        CREATE TRIGGER {table}_append_only
            BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION clinical_notes_refuse_history_change();
        """
        for table in HISTORY_TABLES
    ]
    return statements


def _remove_statements() -> list[str]:
    statements = ["DROP TRIGGER IF EXISTS clinical_notes_sessionnote_final_immutable ON clinical_notes_sessionnote;"]
    statements += [f"DROP TRIGGER IF EXISTS {t}_final_immutable ON {t};" for t in PART_TABLES]
    statements += [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in HISTORY_TABLES]
    statements += [
        "DROP FUNCTION IF EXISTS clinical_notes_refuse_final_note_change();",
        "DROP FUNCTION IF EXISTS clinical_notes_refuse_final_part_change();",
        "DROP FUNCTION IF EXISTS clinical_notes_refuse_history_change();",
    ]
    return statements


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
    atomic = False

    dependencies = [
        ("clinical_notes", "0003_cosign_reminder"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
