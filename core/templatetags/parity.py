"""Template filters for the one date format (core.formatting): `{{ d|day }}`, `{{ t|moment }}`.

`moment` shows an instant in the template's current time zone (`{% timezone zone %}`, else the
active one), as every other screen does.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from core import formatting

register = template.Library()


@register.filter
def day(value: dt.date | None) -> str:
    return formatting.date_label(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_naive(value):
        return formatting.date_label(value.date()) + value.strftime(", %H:%M")
    return formatting.moment_label(timezone.localtime(value))
