"""The raw 270/271 exchanges are the due-diligence record: on PostgreSQL a row trigger refuses
UPDATE and DELETE of `eligibility_eligibilityexchange` (the model refuses them too). SQLite (the
demo): the model guard only."""

from django.db import migrations

from core.db.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial")]

    operations = [
        append_only_trigger(
            table="eligibility_eligibilityexchange",
            name="eligibility_exchange_immutable",
            what="eligibility exchanges are evidence",
        )
    ]
