"""Time and unit rules at the sources' thresholds (DOMAIN 1 and 2)."""

from __future__ import annotations

import pytest

from coding.domain.units import (
    allocate_units,
    cms_8_minute_units,
    cpt_midpoint_units,
    crisis_add_on_units,
    midpoint_units,
    psychotherapy_band,
)


@pytest.mark.parametrize(
    ("_case", "minutes", "expected"),
    [
        ("zero", 0, None),
        ("just under", 15, None),
        ("30-minute band starts", 16, "90832"),
        ("30-minute band ends", 37, "90832"),
        ("45-minute band starts", 38, "90834"),
        ("45-minute band ends", 52, "90834"),
        ("60-minute band starts", 53, "90837"),
        ("no upper bound", 75, "90837"),
        ("long session", 180, "90837"),
    ],
)
def test_psychotherapy_band_edges(_case, minutes, expected):
    # when
    band = psychotherapy_band(minutes)

    # then
    assert (band.code if band else None) == expected


@pytest.mark.parametrize(
    ("minutes", "with_em_code"), [(16, "90833"), (37, "90833"), (38, "90836"), (52, "90836"), (53, "90838")]
)
def test_psychotherapy_band_add_on_with_em(minutes, with_em_code):
    assert psychotherapy_band(minutes).with_em_code == with_em_code


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (29, 0), (74, 0), (75, 1), (104, 1), (105, 2), (134, 2), (135, 3), (164, 3), (165, 4)],
)
def test_crisis_add_on_units(minutes, units):
    assert crisis_add_on_units(minutes) == units


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0),
        (1, 0),
        (7, 0),
        (8, 1),
        (15, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
    ],
)
def test_midpoint_units_for_15_minute_codes(minutes, units):
    # then: the DOMAIN table and its formula agree
    assert midpoint_units(minutes) == units == (0 if minutes < 8 else (minutes + 7) // 15)


@pytest.mark.parametrize(
    ("minutes", "units"), [(15, 0), (16, 1), (45, 1), (46, 2), (75, 2), (76, 3), (105, 3)]
)
def test_midpoint_units_for_30_minute_codes(minutes, units):
    # then: Premera's table for 30-minute codes (DOMAIN 2)
    assert midpoint_units(minutes, 30) == units


def test_domain_example_7_plus_7_minutes_cpt_versus_cms():
    # given: 7 minutes of code X and 7 of code Y on one date
    minutes = {"X": 7, "Y": 7}

    # when / then: CPT counts each code alone (0 + 0); CMS counts 14 minutes -> 1 unit, to the first
    assert cpt_midpoint_units(minutes) == {"X": 0, "Y": 0}
    assert cms_8_minute_units(minutes) == {"X": 1, "Y": 0}


@pytest.mark.parametrize(
    ("_case", "minutes", "expected"),
    [
        ("CMS example 33 + 7 = 40 min, 3 units", {"A": 33, "B": 7}, {"A": 2, "B": 1}),
        ("most minutes first", {"A": 5, "B": 9}, {"A": 0, "B": 1}),
        ("22 + 22 = 44 min, 3 units", {"A": 22, "B": 22}, {"A": 2, "B": 1}),
        ("under 8 in total", {"A": 3, "B": 4}, {"A": 0, "B": 0}),
        ("one code", {"A": 23}, {"A": 2}),
    ],
)
def test_cms_8_minute_rule_allocation(_case, minutes, expected):
    assert cms_8_minute_units(minutes) == expected


@pytest.mark.parametrize(
    ("_case", "minutes", "expected"),
    [
        ("each code alone", {"A": 33, "B": 7}, {"A": 2, "B": 0}),
        ("22 + 22", {"A": 22, "B": 22}, {"A": 1, "B": 1}),
        ("8 minutes each", {"A": 8, "B": 8}, {"A": 1, "B": 1}),
    ],
)
def test_cpt_midpoint_rule_per_code(_case, minutes, expected):
    assert cpt_midpoint_units(minutes) == expected


def test_allocate_units_gives_leftover_units_by_leftover_minutes():
    # given: 3 units over 20 (1 whole + 5 left) and 14 minutes (0 whole + 14 left)
    # when
    result = allocate_units(3, [("A", 20), ("B", 14)])

    # then: B's 14 leftover minutes beat A's 5
    assert result == {"A": 2, "B": 1}
