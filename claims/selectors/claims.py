"""Reads of claims for the worklists (counts in a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from claims.domain.claim_status import ClaimStatus
from claims.models import Claim
from core.errors import PermissionDenied
from practice.selectors import practice_today

FILING_ALERT_DAYS = 14

# Not accepted by the payer yet: the timely-filing clock still runs for these (a rejection by
# the clearinghouse or the payer's front end does not stop it).
NOT_WITH_PAYER = (
    ClaimStatus.DRAFT,
    ClaimStatus.READY,
    ClaimStatus.QUEUED,
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED_CLEARINGHOUSE,
    ClaimStatus.REJECTED,
)


@dataclass(frozen=True, slots=True)
class FilingDeadlineCounts:
    due_soon: int  # deadline within the window (today included), not yet past
    past: int  # deadline already passed

    @property
    def total(self) -> int:
        return self.due_soon + self.past


def claims_filing_deadline_counts(
    *, access: PracticeAccess, within_days: int = FILING_ALERT_DAYS
) -> FilingDeadlineCounts:
    """Claims the payer has not accepted whose timely-filing deadline is within `within_days`
    of the practice's today, or past (one query)."""
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()
    today = practice_today(practice_id=access.practice_id)
    counts = Claim.objects.filter(
        practice_id=access.practice_id,
        status__in=[s.value for s in NOT_WITH_PAYER],
        timely_filing_deadline__lte=today + timedelta(days=within_days),
    ).aggregate(
        past=Count("pk", filter=Q(timely_filing_deadline__lt=today)),
        soon=Count("pk", filter=Q(timely_filing_deadline__gte=today)),
    )
    return FilingDeadlineCounts(due_soon=counts["soon"] or 0, past=counts["past"] or 0)
