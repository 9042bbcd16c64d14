"""ERAs that stop arriving (R19): after an enrolment or clearinghouse change a payer keeps paying
claims (seen by 276 or on its portal) but no 835 comes. Pure: the caller passes each payer's
last ERA date, its latest claim activity and `today`.

A payer is silent when it had claims submitted, accepted or paid within `claim_window_days`
and its last ERA (or, before the first one, the ERA enrolment date) is `threshold_days` or more
before today. A payer with claim activity and neither date has never sent an ERA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SILENCE_DAYS = 21
CLAIM_WINDOW_DAYS = 60


@dataclass(frozen=True, slots=True)
class PayerEraFacts:
    payer_pk: int
    payer_name: str
    last_era_on: date | None
    last_claim_on: date | None  # latest claim submitted, accepted or paid
    era_enrolled_on: date | None


@dataclass(frozen=True, slots=True)
class EraSilence:
    payer_pk: int
    payer_name: str
    since: date | None  # None: no ERA ever and no enrolment date
    days: int | None


def era_silence(
    facts: PayerEraFacts,
    *,
    today: date,
    threshold_days: int = SILENCE_DAYS,
    claim_window_days: int = CLAIM_WINDOW_DAYS,
) -> EraSilence | None:
    """The alert for one payer, or None when its ERAs arrive (or nothing is expected)."""
    if facts.last_claim_on is None or (today - facts.last_claim_on).days > claim_window_days:
        return None
    since = facts.last_era_on or facts.era_enrolled_on
    if since is None:
        return EraSilence(facts.payer_pk, facts.payer_name, None, None)
    days = (today - since).days
    if days < threshold_days:
        return None
    return EraSilence(facts.payer_pk, facts.payer_name, since, days)


def era_silences(
    payers: list[PayerEraFacts],
    *,
    today: date,
    threshold_days: int = SILENCE_DAYS,
    claim_window_days: int = CLAIM_WINDOW_DAYS,
) -> list[EraSilence]:
    """Every silent payer, longest silence first (never-received first of all)."""
    found = [
        alert
        for facts in payers
        if (
            alert := era_silence(
                facts, today=today, threshold_days=threshold_days, claim_window_days=claim_window_days
            )
        )
        is not None
    ]
    return sorted(found, key=lambda a: (a.since is not None, a.since or today, a.payer_name))
