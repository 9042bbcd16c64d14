"""Import one fiscal year of ICD-10-CM from CMS's order file, all or nothing.

    python manage.py import_icd10cm path/to/icd10cm-order-2027.txt [--year 2027]

The year defaults from the file name. Every malformed line is reported with its line number and
nothing is stored; importing the same file again changes nothing; a changed file for a loaded year
replaces that year. From then on, dates of service in that fiscal year (1 October of the year
before to 30 September) are checked against it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.domain.icd10_order_file import fiscal_year_from_file_name
from coding.services import icd10cm_import
from core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Import CMS's ICD-10-CM order file (icd10cm-order-YYYY.txt) as one fiscal year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The order file (fixed width, as CMS publishes it)")
        parser.add_argument(
            "--year", type=int, default=None, help="Fiscal year (default: the year in the file name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # CMS's files are plain ASCII; be lenient
        year = options["year"] if options["year"] is not None else fiscal_year_from_file_name(path.name)
        try:
            result = icd10cm_import(text=text, fiscal_year=year, file_name=path.name)
        except ValidationFailed as error:
            details = [message for messages in error.field_errors.values() for message in messages]
            raise CommandError("\n".join([error.message, *details])) from None
        if result.outcome == "unchanged":
            self.stdout.write(
                f"FY{result.fiscal_year} is already loaded from the same rows; nothing changed."
            )
            return
        self.stdout.write(
            f"FY{result.fiscal_year} {result.outcome} from {path.name}: {result.codes} codes "
            f"({result.billable} billable)"
            + (
                f"; {result.added} added, {result.removed} removed, {result.changed} changed"
                if result.outcome == "replaced"
                else ""
            )
        )
