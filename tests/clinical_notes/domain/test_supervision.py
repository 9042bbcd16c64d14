"""Co-signature rules (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from clinical_notes.domain.supervision import cosign_days_waiting, cosign_overdue, requires_cosign


@pytest.mark.parametrize(
    ("credential", "payer_requires", "expected"),
    [
        ("RBT", False, True),
        ("BHT", False, True),
        ("BCaBA", False, True),
        ("LMSW", False, True),
        ("BCBA", False, False),
        ("LPC", False, False),
        ("LPC", True, True),
        ("MD/DO", True, True),
    ],
)
def test_requires_cosign(credential, payer_requires, expected):
    assert requires_cosign(credential, payer_requires) is expected


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
