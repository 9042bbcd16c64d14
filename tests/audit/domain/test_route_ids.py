"""out_of_range_id: which route argument no row can have, and how the attempt is recorded."""

import pytest

from audit.domain.categories import Category
from audit.domain.route_ids import SIGNED_64_MAX, OutOfRangeId, object_type_of, out_of_range_id

HUGE = 10**20


@pytest.mark.parametrize(
    ("_case", "kwargs", "method", "expected"),
    [
        ("no_arguments", {}, "GET", None),
        ("largest_bigint_fits", {"patient_id": SIGNED_64_MAX}, "GET", None),
        ("zero_fits", {"note_id": 0}, "GET", None),
        ("text_argument_ignored", {"slug": "9" * 30}, "GET", None),
        (
            "one_past_bigint",
            {"patient_id": SIGNED_64_MAX + 1},
            "GET",
            OutOfRangeId("patient", str(SIGNED_64_MAX + 1), Category.DEMOGRAPHICS, "view", None),
        ),
        (
            "nested_keeps_the_patient",
            {"patient_id": 7, "coverage_id": HUGE},
            "POST",
            OutOfRangeId("coverage", str(HUGE), Category.COVERAGE, "update", 7),
        ),
        (
            "patient_out_of_range_not_kept",
            {"patient_id": HUGE, "consent_id": 3},
            "DELETE",
            OutOfRangeId("patient", str(HUGE), Category.DEMOGRAPHICS, "delete", None),
        ),
        (
            "non_phi_object",
            {"payer_pk": HUGE},
            "PATCH",
            OutOfRangeId("payer", str(HUGE), Category.PRACTICE, "update", None),
        ),
        (
            "note",
            {"note_id": HUGE},
            "head",
            OutOfRangeId("note", str(HUGE), Category.CLINICAL_NOTE, "view", None),
        ),
    ],
)
def test_out_of_range_id(_case, kwargs, method, expected):
    assert out_of_range_id(kwargs, method=method) == expected


@pytest.mark.parametrize(
    ("argument", "expected"),
    [("patient_id", "patient"), ("payer_pk", "payer"), ("charge_set_id", "charge_set"), ("slug", "slug")],
)
def test_object_type_of(argument, expected):
    assert object_type_of(argument) == expected
