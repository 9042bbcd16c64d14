import pytest

from audit.domain.export import csv_safe


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        ("plain", "patient", "patient"),
        ("empty", "", ""),
        ("formula", '=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("plus", "+1+1", "'+1+1"),
        ("minus_word", "-cmd", "'-cmd"),
        ("at", "@SUM(A1)", "'@SUM(A1)"),
        ("tab", "\t=1", "'\t=1"),
        ("negative_number", "-12", "-12"),
        ("signed_decimal", "+3.50", "+3.50"),
    ],
)
def test_csv_safe(_case, value, expected):
    assert csv_safe(value) == expected
