"""Names for ids, for screens in lower layers that show what a higher layer owns.

The audit log (audit, low in the stack) shows patients by name and account number, but audit
may not import patients. Patients registers two lookups here when Django starts
(`PatientsConfig.ready`); the audit screen asks through these functions. Without a registration
(a test of audit alone), ids show as ids and a name filter matches nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PatientLabel:
    name: str  # "Quill, Avery"
    account_number: str


LabelLookup = Callable[[int, Iterable[int]], dict[int, PatientLabel]]
NameSearch = Callable[[int, str], list[int]]

_labels: LabelLookup | None = None
_search: NameSearch | None = None


def register_patient_directory(*, labels: LabelLookup, search: NameSearch) -> None:
    global _labels, _search
    _labels, _search = labels, search


def patient_labels(*, practice_id: int, patient_ids: Iterable[int]) -> dict[int, PatientLabel]:
    """Name and account number of each of `patient_ids` in the practice (one query)."""
    ids = set(patient_ids)
    return _labels(practice_id, ids) if _labels is not None and ids else {}


def patient_ids_named(*, practice_id: int, text: str) -> list[int]:
    """Ids of the practice's patients whose name or account number matches `text`."""
    return _search(practice_id, text) if _search is not None and text.strip() else []


# ---------------------------------------------------------------------------------------------
# Practice time zones (registered by practice): audit shows local times like every other screen

ZoneLookup = Callable[[int], str]
_zone: ZoneLookup | None = None


def register_practice_zones(*, zone: ZoneLookup) -> None:
    global _zone
    _zone = zone


def practice_zone_name(*, practice_id: int | None) -> str:
    """The practice's IANA time zone name ("UTC" when unknown)."""
    return _zone(practice_id) if _zone is not None and practice_id is not None else "UTC"


# ---------------------------------------------------------------------------------------------
# The last ERA received per electronic payer id (registered by remittance): the payer screens
# show it (R19) without storing it twice or importing remittance.

EraLookup = Callable[[int, Iterable[str]], dict[str, dt.date]]
_last_era: EraLookup | None = None


def register_last_era_lookup(*, lookup: EraLookup) -> None:
    global _last_era
    _last_era = lookup


def last_era_received_on(*, practice_id: int, payer_ids: Iterable[str]) -> dict[str, dt.date]:
    """The date (practice time) the practice last received an ERA from each payer id; a payer
    id never seen (or no registration) is absent."""
    ids = {p for p in payer_ids if p}
    return _last_era(practice_id, ids) if _last_era is not None and ids else {}
