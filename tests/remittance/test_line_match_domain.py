"""The pure part of a manual line match (R17, R13): which assignments are complete, and the
billed line the screen pre-selects for each ERA line."""

from __future__ import annotations

import datetime as dt

import pytest

from remittance.domain.line_match import EraLineFacts, assignment_problems, best_guesses
from remittance.domain.posting import BilledLine

DAY = dt.date(2026, 11, 1)
BILLED = (
    BilledLine("10", "L10", "90837", (), DAY, 20000),
    BilledLine("11", "L11", "90785", (), DAY, 10000),
)


def _era_line(pk: int, code: str, cents: int, control: str = "", day: dt.date | None = DAY) -> EraLineFacts:
    return EraLineFacts(pk, code, (), day, cents, control)


@pytest.mark.parametrize(
    ("_case", "assignment", "codes"),
    [
        ("complete", {1: "10", 2: "11"}, []),
        ("r13 split onto one billed line", {1: "10", 2: "10"}, []),
        ("one line left out", {1: "10"}, ["line_unassigned"]),
        ("another claim's line", {1: "10", 2: "99"}, ["line_not_on_claim"]),
        ("a line not on the ERA claim", {1: "10", 2: "11", 3: "11"}, ["not_an_era_line"]),
    ],
)
def test_assignment_problems(_case: str, assignment: dict[int, str], codes: list[str]) -> None:
    problems = assignment_problems(era_line_ids=[1, 2], billed_line_ids=["10", "11"], assignment=assignment)
    assert [p.code for p in problems] == codes


def test_the_guess_prefers_the_control_number_then_date_and_charge_over_the_code() -> None:
    guesses = best_guesses(
        [
            _era_line(1, "90834", 20000),  # recoded by the payer: same date and charge as L10
            _era_line(2, "90837", 10000, control="L11"),  # REF*6R wins over the code
        ],
        BILLED,
    )
    assert guesses == {1: "10", 2: "11"}


def test_the_guess_takes_a_free_line_first_and_none_when_nothing_is_shared() -> None:
    guesses = best_guesses(
        [_era_line(1, "90837", 20000), _era_line(2, "90837", 20000), _era_line(3, "H0001", 1, day=None)],
        BILLED[:1] + (BilledLine("12", "L12", "90837", (), DAY, 20000),),
    )
    assert guesses == {1: "10", 2: "12", 3: None}
