"""Claim events are the claim's history (who moved it, when, why): on PostgreSQL a row trigger
refuses UPDATE and DELETE of `claims_claimevent` (the model and its QuerySet refuse them too).
SQLite (the demo): the model guard only."""

from django.db import migrations

from core.db.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_claims_837")]

    operations = [
        append_only_trigger(
            table="claims_claimevent",
            name="claims_claimevent_immutable",
            what="claim events are append-only",
        )
    ]
