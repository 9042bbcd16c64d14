"""Parse a 271 eligibility response file and print it as one JSON object.

    python manage.py eligibility_parse_271 FILE [--trace TRACE]

Prints {"transactions": [{"subscriber", "patient", "active", "plan_dates", "errors", "benefits",
...}]} (edi.x271). A malformed file (or, with --trace, a 271 answering another inquiry) is a
CommandError: one message naming the segment and its position, non-zero exit, nothing printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edi.errors import X12Error
from edi.x271 import parse_271


class Command(BaseCommand):
    help = "Parse a 271 eligibility response (X12 005010X279A1) and print it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the 271 file")
        parser.add_argument("--trace", default=None, help="The 270's trace number the 271 must answer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read the file ({error})") from error
        try:
            response = parse_271(text, expected_trace=options["trace"])
        except X12Error as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(json.dumps(response.as_json()))
