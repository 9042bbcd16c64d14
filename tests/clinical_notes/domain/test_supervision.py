"""Co-signature rules (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from clinical_notes.domain.supervision import cosign_days_waiting, cosign_overdue, requires_cosign


@pytest.mark.parametrize(
    ("_case", "credential", "payer_requires", "supervised", "expected"),
    [
        ("RBT always", "RBT", False, False, True),
        ("BHT always", "BHT", False, True, True),
        ("BCaBA always", "BCaBA", False, False, True),
        ("LMSW always", "LMSW", False, False, True),
        ("BCBA alone", "BCBA", False, False, False),
        ("LPC alone, payer silent", "LPC", False, True, False),
        ("supervised LPC, payer asks", "LPC", True, True, True),
        ("independent LPC, payer asks", "LPC", True, False, False),
        ("psychiatrist, payer asks, no supervisor", "MD/DO", True, False, False),
    ],
)
def test_requires_cosign(_case, credential, payer_requires, supervised, expected):
    assert requires_cosign(credential, payer_requires, author_is_supervised=supervised) is expected


@pytest.mark.parametrize(
    ("signed_on", "today", "days", "waiting", "overdue"),
    [
        (dt.date(2026, 3, 9), dt.date(2026, 3, 9), 3, 0, False),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 11), 3, 2, False),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 12), 3, 3, True),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 20), 3, 11, True),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 8), 3, 0, False),
    ],
)
def test_cosign_overdue(signed_on, today, days, waiting, overdue):
    assert cosign_days_waiting(signed_on, today) == waiting
    assert cosign_overdue(signed_on, today, days) is overdue
