"""ICD-10-CM from the command line.

python manage.py icd10 search depress --limit 10 [--all]
python manage.py icd10 check f321 [--date 2025-09-30]
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.selectors import icd10_check, icd10_search


class Command(BaseCommand):
    help = "Search ICD-10-CM codes or check whether one is billable on a date of service."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        search = sub.add_parser("search", help="Codes by code prefix or words of the description")
        search.add_argument("text", nargs="+")
        search.add_argument("--limit", type=int, default=20)
        search.add_argument("--all", action="store_true", help="Include headers that are not billable")
        check = sub.add_parser("check", help="Is the code billable on the date of service?")
        check.add_argument("code")
        check.add_argument(
            "--date", default="", help="Date of service YYYY-MM-DD (default: the table's year)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "search":
            if options["limit"] <= 0:
                raise CommandError("--limit must be a positive number.")
            text = " ".join(options["text"])
            results = icd10_search(text, limit=options["limit"], billable_only=not options["all"])
            if not results:
                self.stdout.write(f"No ICD-10-CM code matches {text!r}.")
            for entry in results:
                mark = "" if entry.billable else "  (header, not billable)"
                self.stdout.write(f"{entry.code:<9} {entry.description}{mark}")
            return
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from None
        result = icd10_check(options["code"], on=day)
        self.stdout.write(
            f"{result.code or options['code']}: {'billable' if result.billable else 'NOT billable'}"
        )
        if result.description:
            self.stdout.write(result.description)
        self.stdout.write(result.reason)
