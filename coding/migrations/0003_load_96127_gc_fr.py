"""Load the code-set rows added after 0002: 96127 (brief emotional/behavioral assessment) and the
GC and FR modifiers, with our own labels (the same rows as coding/data/codes.csv).

Self-contained (STYLE 19): the rows are written here, through the historical model. Re-runnable
(update_or_create on the natural key); the reverse deletes exactly these rows.
"""

from datetime import date

from django.db import migrations

ROWS = (
    {
        "code": "96127",
        "kind": "cpt",
        "effective_from": date(2015, 1, 1),
        "defaults": {
            "label": "Brief emotional or behavioral assessment (one scored instrument)",
            "unit": "untimed",
            "timed_minutes": None,
            "add_on": False,
            "effective_to": None,
            "note": "One unit per standardized instrument; billed alongside a session; start date UNCONFIRMED",
        },
    },
    {
        "code": "GC",
        "kind": "modifier",
        "effective_from": date(2013, 1, 1),
        "defaults": {
            "label": "Service given in part by a resident under a teaching physician",
            "unit": "",
            "timed_minutes": None,
            "add_on": False,
            "effective_to": None,
            "note": "Teaching settings; catalog start date",
        },
    },
    {
        "code": "FR",
        "kind": "modifier",
        "effective_from": date(2023, 1, 1),
        "defaults": {
            "label": "Supervising practitioner present by real-time audio and video",
            "unit": "",
            "timed_minutes": None,
            "add_on": False,
            "effective_to": None,
            "note": "Virtual direct supervision; start date UNCONFIRMED",
        },
    },
)


def load(apps, schema_editor):
    entry_model = apps.get_model("coding", "CodeSetEntry")
    for row in ROWS:
        entry_model.objects.update_or_create(
            code=row["code"], kind=row["kind"], effective_from=row["effective_from"], defaults=row["defaults"]
        )


def unload(apps, schema_editor):
    entry_model = apps.get_model("coding", "CodeSetEntry")
    for row in ROWS:
        entry_model.objects.filter(
            code=row["code"], kind=row["kind"], effective_from=row["effective_from"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("coding", "0002_load_shipped_code_set")]

    operations = [migrations.RunPython(load, unload)]
