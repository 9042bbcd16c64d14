"""Fill the diagnoses of notes already signed (final or awaiting co-signature) with the code
and description they point to today (issue #7).

Notes signed before 0006 kept only a pointer to the patient's diagnosis; the best record of
what they were signed with is that diagnosis as it is now. Rows already filled are left alone,
so the migration can be re-run; it works in batches of `BATCH` rows, by primary key.

On PostgreSQL the rows of final notes are protected by the trigger of 0004, so it is disabled
for this transaction only (ALTER TABLE takes the table's lock until commit; a failure rolls the
DISABLE back with the rest). SQLite has no triggers.
"""

from django.db import migrations

SIGNED_STATUSES = ("awaiting_cosign", "final")
BATCH = 500
PART_TRIGGER = "clinical_notes_notediagnosis_final_immutable"
TABLE = "clinical_notes_notediagnosis"


def _set_part_trigger(schema_editor, *, enabled):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        verb = "ENABLE" if enabled else "DISABLE"
        # ALTER TABLE refuses to run while deferred constraint checks are pending on the table.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE;", params=None)
        schema_editor.execute(f"ALTER TABLE {TABLE} {verb} TRIGGER {PART_TRIGGER};", params=None)


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    note_diagnosis = apps.get_model("clinical_notes", "NoteDiagnosis")
    pending = (
        note_diagnosis.objects.filter(note__status__in=SIGNED_STATUSES, code="")
        .select_related("diagnosis")
        .order_by("pk")
    )
    _set_part_trigger(schema_editor, enabled=False)
    last_pk = 0
    while batch := list(pending.filter(pk__gt=last_pk)[:BATCH]):
        for row in batch:
            row.code = row.diagnosis.code
            row.description = row.diagnosis.description
        note_diagnosis.objects.bulk_update(batch, ["code", "description"])
        last_pk = batch[-1].pk
    _set_part_trigger(schema_editor, enabled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("clinical_notes", "0006_notediagnosis_signed_code_description"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
