"""Pieces of the claim-to-be built from claims' own rows, without a database."""

from __future__ import annotations

from datetime import date

from claims.domain.claim_facts import DayCharge, captured_units, charge_set_of_note, prior_lines, prior_visits

DOS = date(2026, 3, 9)
CHARGES = (
    DayCharge(
        1, note_id=10, payer_id=3, date_of_service=date(2026, 2, 2), line_number=1, code="90837", units=1
    ),
    DayCharge(2, note_id=11, payer_id=3, date_of_service=DOS, line_number=1, code="90839", units=1),
    DayCharge(2, note_id=11, payer_id=3, date_of_service=DOS, line_number=2, code="90840", units=0),
    DayCharge(3, note_id=12, payer_id=None, date_of_service=DOS),  # a set without lines
)


def test_the_notes_own_set_is_found_and_others_units_are_summed():
    assert charge_set_of_note(CHARGES, 11) == 2
    assert charge_set_of_note(CHARGES, 99) is None
    assert captured_units(CHARGES, day=DOS, exclude_note_id=12) == {"90839": 1, "90840": 0}
    assert captured_units(CHARGES, day=DOS, exclude_note_id=11) == {}


def test_prior_lines_are_the_other_sets_billed_lines_of_the_date():
    lines = prior_lines(CHARGES, day=DOS, exclude_charge_set_id=3)
    assert [(x.reference, x.code, x.units) for x in lines] == [("note 11", "90839", 1)]


def test_prior_visits_are_earlier_sets_with_the_payer_this_year():
    visits = prior_visits(CHARGES, day=DOS, payer_id=3, note_id=12, exclude_charge_set_id=3)
    assert [(v.date_of_service, sorted(v.codes)) for v in visits] == [
        (date(2026, 2, 2), ["90837"]),
        (DOS, ["90839"]),
    ]
    assert prior_visits(CHARGES, day=DOS, payer_id=None, note_id=12, exclude_charge_set_id=3) == ()
