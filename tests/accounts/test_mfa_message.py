"""The two-factor lock message: counts and waits in plain words, at their edges."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.domain.mfa import mfa_locked_message

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("failures", "left", "expected"),
    [
        (1, dt.timedelta(seconds=1), "after 1 wrong code in a row. Wait 1 second,"),
        (6, dt.timedelta(seconds=32), "after 6 wrong codes in a row. Wait 32 seconds,"),
        (6, dt.timedelta(seconds=31, milliseconds=1), "Wait 32 seconds,"),  # rounded up
        (2, dt.timedelta(milliseconds=1), "Wait 1 second,"),  # never "0 seconds"
        (2, dt.timedelta(seconds=-5), "Wait 1 second,"),
    ],
)
def test_the_lock_message(failures, left, expected):
    assert expected in mfa_locked_message(failure_count=failures, locked_until=NOW + left, now=NOW)
