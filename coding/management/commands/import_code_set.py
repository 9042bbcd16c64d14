"""Import a code-set update (CSV) into the catalog: checked first, then upserted all-or-nothing.

    python manage.py import_code_set path/to/2027-update.csv [--kind cpt|hcpcs|modifier|pos]

Columns as coding/data/codes.csv. A row is keyed by (code, kind, effective_from): a new key is
added, a known key is updated (e.g. an effective_to that ends a code), an identical row is left
alone, so re-running the same file changes nothing. Any bad row: nothing is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.domain.types import CodeKind
from coding.services import code_set_import_csv
from core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Import a code-set CSV (annual CPT/HCPCS/modifier/POS update) idempotently."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV file")
        parser.add_argument(
            "--kind",
            choices=[k.value for k in CodeKind],
            default=None,
            help="Import only rows of this kind (and supply it when the file has no kind column)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        kind = CodeKind(options["kind"]) if options["kind"] else None
        try:
            result = code_set_import_csv(text=text, kind=kind)
        except ValidationFailed as error:
            details = [message for messages in error.field_errors.values() for message in messages]
            raise CommandError("\n".join([error.message, *details])) from None
        self.stdout.write(
            f"Imported {path.name}: {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged"
            + (f", {result.skipped} of other kinds skipped" if result.skipped else "")
        )
