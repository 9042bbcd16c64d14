"""Issue a one-time MFA enrolment code from the command line (a new deployment's first admin)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Membership
from core.audit_context import AuditContext
from core.errors import NotFound
from practice.services import mfa_enrolment_code_issue


class Command(BaseCommand):
    help = "Print a one-time enrolment code (24 h) with which a user enrols their authenticator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--practice-id", type=int, help="default: the user's first practice")

    def handle(self, *args: Any, **options: Any) -> None:
        memberships = Membership.objects.filter(user__username=options["username"], is_active=True)
        if options["practice_id"] is not None:
            memberships = memberships.filter(practice_id=options["practice_id"])
        membership = memberships.order_by("created_at", "pk").first()
        if membership is None:
            raise CommandError("No such user in a practice (give them a membership first).")
        try:
            issued = mfa_enrolment_code_issue(
                practice_id=membership.practice_id,
                user_id=membership.user_id,
                context=AuditContext.system("command"),
            )
        except NotFound as error:
            raise CommandError("No such user in that practice.") from error
        self.stdout.write(f"Enrolment code: {issued.code}")
        self.stdout.write(f"Valid once until {issued.expires_at:%Y-%m-%d %H:%M} UTC.")
        self.stdout.write("Sign in with the password, then enter the code at /accounts/enrol/.")
