import datetime as dt

import pytest

from patients.domain.demographics import (
    date_of_birth_problems,
    guarantor_problems,
    patient_problems,
    phone_problems,
    postal_code_problems,
    state_problems,
    years_before,
)
from patients.domain.types import GuarantorInput
from tests.patients.conftest import guarantor_input, patient_input

TODAY = dt.date(2026, 3, 16)


@pytest.mark.parametrize(
    ("_case", "dob", "codes"),
    [
        ("born today", TODAY, []),
        ("born tomorrow", TODAY + dt.timedelta(days=1), ["dob_in_future"]),
        ("born yesterday", TODAY - dt.timedelta(days=1), []),
        ("exactly 120 years", dt.date(1906, 3, 16), []),
        ("120 years and a day", dt.date(1906, 3, 15), ["dob_too_old"]),
        ("missing", None, ["required"]),
    ],
)
def test_date_of_birth_problems(_case, dob, codes):
    # when
    problems = date_of_birth_problems(dob, today=TODAY)
    # then
    assert [p.code for p in problems] == codes
    assert all(p.field == "date_of_birth" for p in problems)


def test_date_of_birth_message_is_plain():
    problems = date_of_birth_problems(TODAY + dt.timedelta(days=1), today=TODAY)
    assert problems[0].message == "Date of birth can't be in the future."


def test_years_before_leap_day():
    assert years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert years_before(dt.date(2024, 2, 29), 4) == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    ("_case", "state", "codes"),
    [
        ("ok", "IL", []),
        ("lower case", "il", []),
        ("blank", " ", ["required"]),
        ("not a state", "XX", ["state_invalid"]),
    ],
)
def test_state_problems(_case, state, codes):
    assert [p.code for p in state_problems(state)] == codes


@pytest.mark.parametrize(
    ("_case", "value", "codes"),
    [
        ("five digits", "62704", []),
        ("zip+4", "62704-1234", []),
        ("nine digits", "627041234", []),
        ("four digits", "6270", ["postal_code_invalid"]),
        ("letters", "K1A0B1", ["postal_code_invalid"]),
        ("blank", "", ["required"]),
    ],
)
def test_postal_code_problems(_case, value, codes):
    assert [p.code for p in postal_code_problems(value)] == codes


@pytest.mark.parametrize(
    ("_case", "value", "codes"),
    [
        ("blank is fine", "", []),
        ("dashes", "217-555-0134", []),
        ("parentheses", "(217) 555-0134", []),
        ("leading one", "+1 217 555 0134", []),
        ("too short", "555-0134", ["phone_invalid"]),
        ("letters", "217-555-01AB", ["phone_invalid"]),
    ],
)
def test_phone_problems(_case, value, codes):
    assert [p.code for p in phone_problems(value)] == codes


def test_patient_problems_reports_every_field_at_once():
    # given
    patient = patient_input(
        first_name=" ", last_name="", sex="X", state="ZZ", postal_code="1", date_of_birth=None
    )
    # when
    problems = patient_problems(patient, today=TODAY)
    # then
    assert [(p.field, p.code) for p in problems] == [
        ("first_name", "required"),
        ("last_name", "required"),
        ("date_of_birth", "required"),
        ("sex", "sex_invalid"),
        ("state", "state_invalid"),
        ("postal_code", "postal_code_invalid"),
    ]


def test_valid_patient_has_no_problems():
    assert patient_problems(patient_input(), today=TODAY) == []


def test_self_guarantor_needs_nothing_else():
    assert guarantor_problems(GuarantorInput(), today=TODAY) == []


def test_other_guarantor_needs_name_and_address():
    # when
    problems = guarantor_problems(GuarantorInput(relationship="parent"), today=TODAY)
    # then
    assert [(p.field, p.code) for p in problems] == [
        ("first_name", "required"),
        ("last_name", "required"),
        ("address_line1", "required"),
        ("city", "required"),
        ("state", "required"),
        ("postal_code", "required"),
    ]


def test_guarantor_dob_in_future_is_rejected():
    problems = guarantor_problems(guarantor_input(date_of_birth=TODAY + dt.timedelta(days=1)), today=TODAY)
    assert [(p.field, p.code) for p in problems] == [("date_of_birth", "dob_in_future")]


def test_unknown_guarantor_relationship():
    problems = guarantor_problems(GuarantorInput(relationship="boss"), today=TODAY)
    assert [p.code for p in problems] == ["relationship_invalid"]
