"""When a note is late: counted from the date of service (due within `due_days` days)."""

from __future__ import annotations

import datetime as dt

import pytest

from clinical_notes.domain.timeliness import days_late, days_since_service, late_label

SERVICE = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("_case", "on", "due_days", "late", "label"),
    [
        ("same day", dt.date(2026, 3, 1), 3, 0, "on time"),
        ("a day before the due date", dt.date(2026, 3, 3), 3, 0, "on time"),
        ("on the due date", dt.date(2026, 3, 4), 3, 0, "due today"),
        ("one day past", dt.date(2026, 3, 5), 3, 1, "1 day late"),
        ("twelve days past", dt.date(2026, 3, 16), 3, 12, "12 days late"),
        ("due the same day, next day", dt.date(2026, 3, 2), 0, 1, "1 day late"),
        ("before the session (clock skew)", dt.date(2026, 2, 28), 3, 0, "on time"),
    ],
)
def test_lateness_counts_from_the_date_of_service(_case, on, due_days, late, label):
    assert days_late(SERVICE, on, due_days) == late
    assert late_label(SERVICE, on, due_days) == label


def test_days_since_service_is_never_negative():
    assert days_since_service(SERVICE, dt.date(2026, 2, 20)) == 0
    assert days_since_service(SERVICE, dt.date(2026, 3, 13)) == 12
