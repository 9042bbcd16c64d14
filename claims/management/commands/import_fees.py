"""Load a fee file (CSV) into the fee schedule (billed fees) or a payer's contracted amounts.

    python manage.py import_fees FILE --kind allowed --payer "Sandbox Health" --user admin
    python manage.py import_fees FILE --kind billed [--payer ID_OR_NAME] --user admin

All or nothing: one bad line and nothing is saved; every bad line is listed with its number and
the command exits with status 1. The user named must be allowed to edit fees in the practice
(billers and practice admins); their name goes on the audit trail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.access import PracticeAccess
from claims.services.fees import FeeKind, fees_import
from core.audit_context import AuditContext
from core.errors import PermissionDenied, ValidationFailed
from payers.selectors import payer_choices
from practice.access import practice_access_for


class Command(BaseCommand):
    help = "Import billed fees or a payer's contracted (allowed) amounts from a CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=[k.value for k in FeeKind])
        parser.add_argument("--payer", default="", help="The payer's id or exact name (required for allowed)")
        parser.add_argument("--user", required=True, help="Username acting (billing or practice admin)")
        parser.add_argument(
            "--practice", type=int, default=None, help="Practice id (default: the user's first)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        access = practice_access_for(
            user=user,
            practice_id=options["practice"],
            audit=AuditContext(actor_id=user.pk, actor_username=f"{user.username} (import_fees)"),
        )
        if access is None:
            raise CommandError(f"{user.username} has no access to that practice.")
        payer_id = self._payer(options["payer"], access) if options["payer"] else None
        try:
            text = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        try:
            changed = fees_import(access=access, kind=FeeKind(options["kind"]), payer_id=payer_id, text=text)
        except PermissionDenied as error:
            raise CommandError(f"{user.username} may not edit fees.") from error
        except ValidationFailed as error:
            problems = error.extra.get("problems") or []
            lines = [str(p["message"]) for p in problems] or [str(error)]
            raise CommandError("Nothing was imported:\n" + "\n".join(lines)) from error
        self.stdout.write(f"Imported {changed} row(s) ({options['kind']}).")

    def _payer(self, value: str, access: PracticeAccess) -> int:
        for pk, name in payer_choices(access=access, active_only=False):
            if value in (str(pk), name):
                return pk
        raise CommandError(f"No payer {value!r} in this practice.")
