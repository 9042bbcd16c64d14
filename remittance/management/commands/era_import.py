"""Receive and post an 835 (ERA) file, and print what happened.

    python manage.py era_import FILE [--practice ID] [--json]

The practice defaults to the one whose billing NPI or tax ID is the 835's payee, else the first
practice. With --json prints the issue's summary: {"status", "trace_number", "payment_amount",
"claims", "matched", "unmatched", "paid_total", "adjustment_totals", "denied_claims",
"balanced", "errors": [{"message", "segment", "position", "segment_number"}]} (a list of them
when the file holds several payments). A malformed file is kept with status "rejected" and the
command exits non-zero.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from remittance.models import EraSource
from remittance.selectors import practice_for_payee
from remittance.services.posting import era_payee, era_post


class Command(BaseCommand):
    help = "Post an 835 remittance file (X12 005010X221A1) and print a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the 835 file")
        parser.add_argument(
            "--practice", type=int, default=None, help="Practice id (default: from the payee)"
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error})") from error
        practice_id = options["practice"]
        if practice_id is None:
            npi, tax_id = era_payee(raw)
            practice_id = practice_for_payee(npi=npi, tax_id=tax_id)
        if practice_id is None:
            raise CommandError("No practice: create one first (or pass --practice).")
        outcome = era_post(practice_id=practice_id, raw=raw, source=EraSource.COMMAND, name=path.name)
        summaries = outcome.summaries
        if options["json"]:
            self.stdout.write(json.dumps(summaries[0] if len(summaries) == 1 else summaries))
        else:
            for era_id, summary in zip(outcome.era_ids, summaries, strict=True):
                self.stdout.write(
                    f"ERA {era_id}: {summary['status']}, trace {summary['trace_number'] or '-'}, "
                    f"payment {summary['payment_amount']}, claims {summary['claims']} "
                    f"(matched {summary['matched']}, unmatched {summary['unmatched']}), "
                    f"paid {summary['paid_total']}, denied claims {summary['denied_claims']}, "
                    f"balanced {'yes' if summary['balanced'] else 'no'}"
                )
                for item in summary["errors"]:
                    self.stdout.write(f"  {item['message']}")
        if outcome.rejected:
            first = summaries[0]["errors"][0]["message"] if summaries[0]["errors"] else "rejected"
            raise CommandError(f"{path}: rejected: {first}")
