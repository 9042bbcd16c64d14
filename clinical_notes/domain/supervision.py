"""Co-signature rules: whether a note needs one, and when a waiting note is overdue.

Who supervises the author on the date of service is the practice's rule:
`practice.domain.supervision.supervisor_on` / `supervisors_on` over
`practice.selectors.supervision_periods_for_supervisee(...)`.
"""

from __future__ import annotations

from datetime import date, timedelta

from practice.domain.credentials import Credential, credential_requires_supervision


def requires_cosign(
    author_credential: Credential | str, payer_requires_cosign: bool, *, author_is_supervised: bool
) -> bool:
    """A note needs a co-signature when the author's credential always works under supervision,
    or when the payer asks for one and the author practises under a supervisor on the date of
    service (an associate-level clinician). An independently licensed clinician with no
    supervisor of record signs alone: there is nobody who could co-sign."""
    if credential_requires_supervision(author_credential):
        return True
    return payer_requires_cosign and author_is_supervised


def cosign_days_waiting(signed_on: date, today: date) -> int:
    return max((today - signed_on).days, 0)


def cosign_overdue(signed_on: date, today: date, overdue_days: int) -> bool:
    """A note awaiting co-signature is overdue once it has waited `overdue_days` days."""
    return cosign_days_waiting(signed_on, today) >= overdue_days


def cosign_overdue_last_signed_on(today: date, overdue_days: int) -> date:
    """The latest signing day that is overdue on `today` (the same rule as `cosign_overdue`,
    as a bound a query can use: overdue ⇔ signed on or before this day)."""
    return today - timedelta(days=overdue_days)
