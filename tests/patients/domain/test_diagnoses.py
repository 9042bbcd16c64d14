import datetime as dt

import pytest

from patients.domain.diagnoses import (
    diagnosis_problems,
    diagnosis_resolution_problems,
    format_icd10,
    icd10_format_problems,
    normalize_icd10,
)
from patients.domain.types import DiagnosisInput

TODAY = dt.date(2026, 3, 16)


@pytest.mark.parametrize(
    ("_case", "raw", "normalized"),
    [
        ("dotted", "F41.1", "F411"),
        ("lower case, spaces", " f41.1 ", "F411"),
        ("no dot", "F4310", "F4310"),
        ("category only", "f32", "F32"),
        ("seventh character", "S06.0X1A", "S060X1A"),
    ],
)
def test_normalize_icd10(_case, raw, normalized):
    assert normalize_icd10(raw) == normalized


@pytest.mark.parametrize(
    ("_case", "raw", "codes"),
    [
        ("dotted", "F41.1", []),
        ("undotted", "F411", []),
        ("category", "F32", []),
        ("7 characters", "S06.0X1A", []),
        ("8 characters", "S06.0X1AB", ["icd10_format"]),
        ("starts with a digit", "141.1", ["icd10_format"]),
        ("too short", "F4", ["icd10_format"]),
        ("dot in the wrong place", "F4.11", ["icd10_format"]),
        ("two dots", "F41.1.2", ["icd10_format"]),
        ("trailing dot", "F41.", ["icd10_format"]),
        ("symbol", "F41-1", ["icd10_format"]),
        ("blank", "  ", ["required"]),
    ],
)
def test_icd10_format_problems(_case, raw, codes):
    assert [p.code for p in icd10_format_problems(raw)] == codes


def test_format_icd10_puts_the_dot_back():
    assert format_icd10("F411") == "F41.1"
    assert format_icd10("F32") == "F32"


@pytest.mark.parametrize(
    ("_case", "diagnosis", "codes"),
    [
        ("ok", DiagnosisInput(code="F41.1"), []),
        ("already active (any spelling)", DiagnosisInput(code="f43.10"), ["diagnosis_duplicate"]),
        (
            "onset tomorrow",
            DiagnosisInput(code="F32.1", onset_on=TODAY + dt.timedelta(days=1)),
            ["date_in_future"],
        ),
        ("onset today", DiagnosisInput(code="F32.1", onset_on=TODAY), []),
        ("rank 0", DiagnosisInput(code="F32.1", rank=0), ["rank_invalid"]),
        ("rank 13", DiagnosisInput(code="F32.1", rank=13), ["rank_invalid"]),
    ],
)
def test_diagnosis_problems(_case, diagnosis, codes):
    problems = diagnosis_problems(diagnosis, active_codes=["F4310"], today=TODAY)
    assert [p.code for p in problems] == codes


@pytest.mark.parametrize(
    ("_case", "onset", "already", "resolved", "codes"),
    [
        ("ok", dt.date(2025, 1, 1), None, TODAY, []),
        ("before onset", dt.date(2025, 1, 1), None, dt.date(2024, 12, 31), ["date_order"]),
        ("tomorrow", None, None, TODAY + dt.timedelta(days=1), ["date_in_future"]),
        ("already resolved on another day", None, dt.date(2026, 1, 1), TODAY, ["diagnosis_already_resolved"]),
        ("already resolved that day", None, TODAY, TODAY, []),
        ("no date", None, None, None, ["required"]),
    ],
)
def test_diagnosis_resolution_problems(_case, onset, already, resolved, codes):
    problems = diagnosis_resolution_problems(
        onset_on=onset, resolved_already_on=already, resolved_on=resolved, today=TODAY
    )
    assert [p.code for p in problems] == codes
