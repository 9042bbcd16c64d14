"""Load the shipped code set (coding/data/codes.csv) into CodeSetEntry.

Self-contained on purpose (STYLE 19): reads the CSV with the standard library and writes
through the historical model. Re-runnable (update_or_create on the natural key); the reverse
deletes exactly the rows the file names.
"""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "codes.csv"


def _rows():
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.lstrip().startswith("#")]
    for row in csv.DictReader(lines):
        if not (row.get("code") or "").strip():
            continue
        minutes = (row.get("timed_minutes") or "").strip()
        effective_to = (row.get("effective_to") or "").strip()
        yield {
            "code": row["code"].strip().upper(),
            "kind": row["kind"].strip().lower(),
            "effective_from": date.fromisoformat(row["effective_from"].strip()),
            "defaults": {
                "label": row["label"].strip(),
                "unit": (row.get("unit") or "").strip().lower(),
                "timed_minutes": int(minutes) if minutes else None,
                "add_on": (row.get("add_on") or "").strip().lower() in {"true", "yes", "1", "y"},
                "effective_to": date.fromisoformat(effective_to) if effective_to else None,
                "note": (row.get("note") or "").strip(),
            },
        }


def load(apps, schema_editor):
    entry_model = apps.get_model("coding", "CodeSetEntry")
    for row in _rows():
        entry_model.objects.update_or_create(
            code=row["code"], kind=row["kind"], effective_from=row["effective_from"], defaults=row["defaults"]
        )


def unload(apps, schema_editor):
    entry_model = apps.get_model("coding", "CodeSetEntry")
    for row in _rows():
        entry_model.objects.filter(
            code=row["code"], kind=row["kind"], effective_from=row["effective_from"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("coding", "0001_code_set_entry")]

    operations = [migrations.RunPython(load, unload)]
