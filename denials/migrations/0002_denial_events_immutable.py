"""Denial events are the denial's history (who decided what, when, why): on PostgreSQL a row trigger
refuses UPDATE and DELETE of `denials_denialevent` (the model and its QuerySet refuse them too): a write-off cannot be unwritten quietly (R4).
SQLite (the demo): the model guard only."""

from django.db import migrations

from core.db.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("denials", "0001_initial")]

    operations = [
        append_only_trigger(
            table="denials_denialevent",
            name="denials_denialevent_immutable",
            what="denial events are append-only",
        )
    ]
