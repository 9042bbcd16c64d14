"""ICD-10-CM codes on the problem list: format only.

Full billable-code validation (is this a valid, billable leaf code in the current fiscal year?)
comes later with the `simple-icd-10-cm` package; `icd10_format_problems` is the seam for it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from core.domain.problems import Problem
from core.formatting import date_label
from patients.domain.problems import PatientProblem
from patients.domain.types import DiagnosisInput

# A letter, two more characters (category), then up to four (etiology, site, extension).
_ICD10_RE = re.compile(r"^[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}$")
MAX_RANK = 12  # an 837P claim carries up to 12 diagnosis codes


def normalize_icd10(code: str) -> str:
    """'f41.1 ' → 'F411' (stored without the dot, upper case)."""
    return code.strip().replace(".", "").upper()


def format_icd10(code: str) -> str:
    """'F411' → 'F41.1' for display."""
    value = normalize_icd10(code)
    return value if len(value) <= 3 else f"{value[:3]}.{value[3:]}"


def icd10_format_problems(code: str, *, field: str = "code") -> list[Problem]:
    raw = code.strip()
    if not raw:
        return [Problem(PatientProblem.REQUIRED, "A diagnosis code is required.", field)]
    dot = raw.find(".")
    misplaced_dot = dot != -1 and (dot != 3 or raw.count(".") > 1 or raw.endswith("."))
    if misplaced_dot or not _ICD10_RE.match(normalize_icd10(raw)):
        return [
            Problem(
                PatientProblem.ICD10_FORMAT,
                "An ICD-10-CM code is a letter and 2 characters, then up to 4 more after the dot, as F41.1.",
                field,
            )
        ]
    return []


def diagnosis_problems(
    diagnosis: DiagnosisInput, *, active_codes: Iterable[str], today: dt.date
) -> list[Problem]:
    problems = icd10_format_problems(diagnosis.code)
    if not problems and normalize_icd10(diagnosis.code) in set(active_codes):
        problems.append(
            Problem(
                PatientProblem.DIAGNOSIS_DUPLICATE,
                "This diagnosis is already on the patient's active list.",
                "code",
            )
        )
    if diagnosis.onset_on is not None and diagnosis.onset_on > today:
        problems.append(Problem(PatientProblem.DATE_IN_FUTURE, "Onset can't be in the future.", "onset_on"))
    if not 1 <= diagnosis.rank <= MAX_RANK:
        problems.append(Problem(PatientProblem.RANK_INVALID, f"Rank is 1 (primary) to {MAX_RANK}.", "rank"))
    return problems


def diagnosis_resolution_problems(
    *,
    onset_on: dt.date | None,
    resolved_already_on: dt.date | None,
    resolved_on: dt.date | None,
    today: dt.date,
) -> list[Problem]:
    """Resolving again on the same date is fine (a double click): the service does nothing."""
    if resolved_already_on is not None and resolved_on != resolved_already_on:
        return [
            Problem(
                PatientProblem.DIAGNOSIS_ALREADY_RESOLVED,
                f"This diagnosis was already resolved on {date_label(resolved_already_on)}.",
                "resolved_on",
            )
        ]
    if resolved_on is None:
        return [Problem(PatientProblem.REQUIRED, "Resolution date is required.", "resolved_on")]
    if resolved_on > today:
        return [Problem(PatientProblem.DATE_IN_FUTURE, "Resolution can't be in the future.", "resolved_on")]
    if onset_on is not None and resolved_on < onset_on:
        return [Problem(PatientProblem.DATE_ORDER, "Resolution can't be before onset.", "resolved_on")]
    return []
