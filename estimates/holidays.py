"""The federal holidays Good Faith Estimate deadlines skip (`estimates/data/federal_holidays.json`,
a table as data: observed dates, one row each, with the years it covers)."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib import resources

DATA_PACKAGE = "estimates.data"
DATA_FILE = "federal_holidays.json"


@lru_cache(maxsize=1)
def federal_holiday_table() -> tuple[int, int, frozenset[date]]:
    """(first year, last year, the observed holidays) from the data file."""
    data = json.loads(resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8"))
    days = frozenset(date.fromisoformat(row["date"]) for row in data["holidays"])
    return int(data["first_year"]), int(data["last_year"]), days


def federal_holidays() -> frozenset[date]:
    return federal_holiday_table()[2]
