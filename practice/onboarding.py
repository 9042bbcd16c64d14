"""Creating a practice: the one use case that runs before anyone has a role in it."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction

from accounts.domain.roles import Role
from accounts.models import Membership
from core.domain.problems import Problem
from core.validation import raise_for_problems
from practice.domain.rules import practice_details_normalized, practice_problems
from practice.domain.types import PracticeDetails
from practice.models import Practice


def practice_create(*, details: PracticeDetails, admin_user_id: int) -> Practice:
    """Create a practice and make `admin_user_id` its practice admin, in one transaction."""
    normalized = practice_details_normalized(details)
    problems: list[Problem] = practice_problems(normalized)
    if Practice.objects.filter(billing_npi=normalized.billing_npi).exists():
        problems.append(
            Problem("billing_npi_taken", "Another practice already uses this billing NPI.", "billing_npi")
        )
    raise_for_problems(problems)
    with transaction.atomic(durable=True):
        practice = Practice(**asdict(normalized))
        practice.full_clean()
        practice.save()
        Membership.objects.create(user_id=admin_user_id, practice=practice, role=Role.PRACTICE_ADMIN)
    return practice
