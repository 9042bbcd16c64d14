"""Template filters for the one date format (core.formatting): `{{ d|day }}`, `{{ t|moment }}`.

`moment` shows an instant in the zone it carries (view models hand over practice-local times),
or in the zone given as its argument: `{{ job.last_attempt_at|moment:zone }}`. It never falls
back to the server's UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template

from core import formatting

register = template.Library()


@register.filter
def day(value: dt.date | None) -> str:
    return formatting.date_label(value)


@register.filter
def moment(value: dt.datetime | None, zone: ZoneInfo | str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    if value.tzinfo is None:
        return f"{formatting.date_label(value.date())}, {value:%H:%M}"
    return formatting.moment_label(value, zone)
