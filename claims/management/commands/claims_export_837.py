"""Write 837P files for the claims in the `ready` state, without submitting anything:

    python manage.py claims_export_837 --out DIR [--all] [--practice ID]

One file per practice (`DIR/837P-<submitter>-<ISA13>.x12`), each with a fresh interchange
control number from the counter. `--all`: every claim built so far (any status, every version),
each as it was last sent (claims are never edited once sent; a change is a new version).
Prints how many claims each file holds; a claim the 837 cannot carry is left out and named
(exit status 1 when any was). Claims' statuses do not change. The export is audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.selectors.x837 import claim_ids_to_export, submitter_id
from claims.services.batch_file import claims_837_file
from core.audit_context import AuditContext
from core.errors import ValidationFailed
from core.money import format_cents


class Command(BaseCommand):
    help = "Write 837P files for the ready claims (or --all claims) into a directory; submits nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="Directory to write the files into")
        parser.add_argument(
            "--all", action="store_true", help="Every claim built so far, not only ready ones"
        )
        parser.add_argument("--practice", type=int, default=None, help="Only this practice's claims")
        parser.add_argument(
            "--usage", choices=["T", "P"], default="T", help="ISA15: T test (default), P production"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {out}: {error}") from error
        groups = claim_ids_to_export(practice_id=options["practice"], every_claim=options["all"])
        if not groups:
            self.stdout.write("No claims to export." if options["all"] else "No claims are ready.")
            return
        context = AuditContext(actor_id=None, actor_username="system (claims_export_837)")
        left_out = 0
        for practice_id, claim_ids in groups.items():
            try:
                built = claims_837_file(claim_ids, practice_id=practice_id, usage=options["usage"])
            except ValidationFailed as error:
                self.stderr.write(f"Practice {practice_id}: {error.message}")
                left_out += len(claim_ids)
                continue
            for _pk, reason in built.excluded:
                self.stderr.write(f"Left out {reason}")
            left_out += len(built.excluded)
            if not built.claim_ids:
                continue
            path = out / f"837P-{submitter_id(practice_id)}-{built.interchange_control_number:09d}.x12"
            path.write_text(built.text, encoding="ascii")
            audit_event_record(
                context=context,
                action=AuditEvent.Action.EXPORT,
                category=Category.BILLING,
                practice_id=practice_id,
                object_type="claim",
                object_id=f"837:{built.interchange_control_number}",
                detail=f"claims={built.claim_count};file={path.name}",
            )
            self.stdout.write(
                f"{path}: {built.claim_count} claim(s), {format_cents(built.total_cents)} "
                f"(ISA13 {built.interchange_control_number:09d})"
            )
        if left_out:
            raise CommandError(f"{left_out} claim(s) could not be written (see above).")
