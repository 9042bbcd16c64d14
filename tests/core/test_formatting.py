"""One date and time format on every screen (core.formatting and the `parity` filters)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from core.formatting import date_label, moment_label

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2026, 3, 9), "Mon 9 Mar 2026"),
        (dt.date(2026, 12, 31), "Thu 31 Dec 2026"),
        (None, ""),
    ],
)
def test_dates_read_the_same_everywhere(value, text):
    assert date_label(value) == text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC), "Mon 9 Mar 2026, 10:00 EDT"),  # after the DST change
        (dt.datetime(2026, 3, 8, 6, 59, tzinfo=dt.UTC), "Sun 8 Mar 2026, 01:59 EST"),  # just before it
        (dt.datetime(2026, 3, 10, 3, 30, tzinfo=dt.UTC), "Mon 9 Mar 2026, 23:30 EDT"),  # the local day
    ],
)
def test_instants_read_in_the_practice_zone(moment, text):
    assert moment_label(moment, NY) == text


def test_the_template_filters_use_the_same_format_in_the_practice_zone():
    template = Template("{% load parity %}{{ d|day }} · {{ t|moment:zone }} · {{ local|moment }}")
    instant = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    with timezone.override(dt.UTC):  # the server's zone never shows
        text = template.render(
            Context({"d": dt.date(2026, 3, 9), "t": instant, "zone": NY, "local": instant.astimezone(NY)})
        )
    assert text == "Mon 9 Mar 2026 · Mon 9 Mar 2026, 10:00 EDT · Mon 9 Mar 2026, 10:00 EDT"


def test_a_date_of_birth_reads_without_a_weekday():
    assert date_label(dt.date(1990, 4, 12), weekday=False) == "12 Apr 1990"
