"""Parsing what people type into the patient search box. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.domain.problems import Problem
from patients.domain.problems import PatientProblem

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")


def parse_search_date(text: str) -> dt.date | None:
    """'1984-03-07' or '03/07/1984' → date; anything else → None."""
    value = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    return None


def search_date_problems(text: str, *, field: str = "dob") -> list[Problem]:
    if not text.strip() or parse_search_date(text) is not None:
        return []
    return [Problem(PatientProblem.SEARCH_DATE_FORMAT, "Enter the date as YYYY-MM-DD or MM/DD/YYYY.", field)]


@dataclass(frozen=True, slots=True)
class NameQuery:
    """`last`/`first` when typed as "last, first"; otherwise `terms`, each matching either name."""

    last: str = ""
    first: str = ""
    terms: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.last or self.first or self.terms)


def parse_name_query(text: str) -> NameQuery:
    value = " ".join(text.split())
    if "," in value:
        last, _, first = value.partition(",")
        return NameQuery(last=last.strip(), first=first.strip().split(" ")[0] if first.strip() else "")
    return NameQuery(terms=tuple(t for t in value.split(" ") if t))
