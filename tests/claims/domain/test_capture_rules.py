"""Pure steps of capture and override: a note's share of the day, fees, bad override input, status."""

from __future__ import annotations

from datetime import date

import pytest

from claims.domain.capture import (
    FeeEntry,
    LineOverride,
    fee_for,
    lines_for_note,
    modifiers_key,
    override_problems,
)
from claims.domain.status import review_problems, status_after_scrub
from claims.domain.types import ChargeStatus
from claims.models import ChargeStatus as ModelChargeStatus
from coding.domain.types import ChargeLine, CodingResult

DOS = date(2026, 3, 9)


def day(*lines: ChargeLine) -> CodingResult:
    return CodingResult(lines=lines, problems=(), why=())


def test_a_note_alone_keeps_its_lines():
    result = day(ChargeLine("90837", 1, ("HO",), minutes=55, session_ref="note:1"))
    share = lines_for_note(result, note_ref="note:1", captured_units={})
    assert [(x.code, x.units, x.modifiers) for x in share.lines] == [("90837", 1, ("HO",))]
    assert share.why == ()


def test_the_second_crisis_note_of_a_day_gets_the_add_on_the_day_earned():
    # given: 40 + 40 crisis minutes: the day earns 90839 + 90840 (coded on the first session);
    # the first note already captured 90839
    result = day(
        ChargeLine("90839", 1, minutes=74, session_ref="note:1"),
        ChargeLine("90840", 1, minutes=6, add_on=True, session_ref="note:1"),
    )
    # when
    share = lines_for_note(result, note_ref="note:2", captured_units={"90839": 1})
    # then
    assert [(x.code, x.units, x.session_ref) for x in share.lines] == [("90840", 1, "note:2")]
    assert share.why == (
        "90840 x1: earned by the day's total with another session of the date; billed here.",
    )


def test_units_already_captured_by_another_note_of_the_day_are_not_billed_twice():
    # given: two 30-minute ABA sessions: the day earns 4 units of 97153, 2 on each note
    result = day(
        ChargeLine("97153", 2, minutes=30, session_ref="note:1"),
        ChargeLine("97153", 2, minutes=30, session_ref="note:2"),
    )
    # then: the second note bills its 2; with 3 already captured it bills 1
    assert [
        x.units for x in lines_for_note(result, note_ref="note:2", captured_units={"97153": 2}).lines
    ] == [2]
    share = lines_for_note(result, note_ref="note:2", captured_units={"97153": 3})
    assert [x.units for x in share.lines] == [1]
    assert share.why == ("97153: 1 of the day's 2 unit(s) are on another note's charges.",)


def test_more_captured_than_the_day_earns_is_reported():
    result = day(ChargeLine("97153", 1, minutes=10, session_ref="note:2"))
    share = lines_for_note(result, note_ref="note:2", captured_units={"97153": 3})
    assert share.lines == ()
    assert share.why == (
        "97153: the day's other notes already carry these units; nothing more here.",
        "97153: the day's other notes carry 2 unit(s) more than the day now earns; review them.",
    )


# ---- fees -------------------------------------------------------------------------------------

ENTRIES = [
    FeeEntry(payer_id=None, code="H2019", modifiers_key="", amount_cents=1500, effective_from=date(2025, 1, 1)),
    FeeEntry(payer_id=None, code="H2019", modifiers_key="HM", amount_cents=1600, effective_from=date(2025, 1, 1)),
    FeeEntry(payer_id=7, code="H2019", modifiers_key="", amount_cents=1700, effective_from=date(2025, 1, 1)),
    FeeEntry(payer_id=7, code="H2019", modifiers_key="HM", amount_cents=1850, effective_from=date(2025, 1, 1), effective_to=date(2026, 3, 8)),
    FeeEntry(payer_id=7, code="H2019", modifiers_key="HM", amount_cents=1900, effective_from=date(2026, 3, 9)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("_case", "payer_id", "modifiers", "on", "cents", "source"),
    [
        ("payer, exact modifiers, new rate from the date", 7, ["HM"], DOS, 1900, "payer"),
        ("payer, exact modifiers, the day before", 7, ["HM"], date(2026, 3, 8), 1850, "payer"),
        ("payer, other modifiers: the code's payer rate", 7, ["HN"], DOS, 1700, "payer"),
        ("another payer: the default for the modifiers", 8, ["HM"], DOS, 1600, "default"),
        ("self-pay, no modifiers: the default", None, [], DOS, 1500, "default"),
        ("before any entry", 7, ["HM"], date(2024, 12, 31), 0, "none"),
    ],
)
def test_fee_for_a_line(_case, payer_id, modifiers, on, cents, source):
    fee = fee_for(ENTRIES, payer_id=payer_id, code="H2019", modifiers=modifiers, on=on)
    assert (fee.unit_cents, fee.source) == (cents, source)


def test_the_modifiers_key_ignores_order_and_case():
    assert modifiers_key(["95", "ho", " "]) == "95,HO"


# ---- override input ---------------------------------------------------------------------------

CURRENT = LineOverride(code="90837", units=1, modifiers=("HO",), pos="11", diagnosis_pointers=(1,), reason="")


def change(**values: object) -> LineOverride:
    base = {
        "code": "90834",
        "units": 1,
        "modifiers": ("HO",),
        "pos": "11",
        "diagnosis_pointers": (1,),
        "reason": "Time was 45 minutes.",
    }
    base.update(values)
    return LineOverride(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("_case", "proposed", "known", "expected"),
    [
        ("a good change", change(), {}, []),
        ("no reason", change(reason=""), {}, [("reason", "override_reason_required")]),
        ("unknown code", change(code="99999"), {"code_known": False}, [("code", "override_code_unknown")]),
        ("malformed code", change(code="9083"), {}, [("code", "override_code_unknown")]),
        ("negative units", change(units=-1), {}, [("units", "override_units_invalid")]),
        ("0 units drop the line", change(units=0), {}, []),
        ("unknown modifier", change(modifiers=("ZZ",)), {"unknown_modifiers": ["ZZ"]}, [("modifiers", "override_modifier_invalid")]),
        ("five modifiers", change(modifiers=("HO", "95", "59", "XE", "GT")), {}, [("modifiers", "override_modifier_invalid")]),
        ("unknown POS", change(pos="77"), {"pos_known": False}, [("pos", "override_pos_unknown")]),
        ("a diagnosis that doesn't exist", change(diagnosis_pointers=(1, 2)), {}, [("diagnosis_pointers", "override_pointer_invalid")]),
        ("pointer 0", change(diagnosis_pointers=(0,)), {}, [("diagnosis_pointers", "override_pointer_invalid")]),
        ("nothing changed", change(code="90837"), {}, [("__all__", "override_no_change")]),
    ],
)  # fmt: skip
def test_override_input(_case, proposed, known, expected):
    facts = {"code_known": True, "pos_known": True, "unknown_modifiers": [], "diagnosis_count": 1, **known}
    found = override_problems(proposed, current=CURRENT, **facts)
    assert [(p.field, p.code) for p in found] == expected


# ---- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("has_errors", "reviewed", "expected"),
    [
        (True, False, ChargeStatus.ON_HOLD),
        (True, True, ChargeStatus.ON_HOLD),
        (False, False, ChargeStatus.READY),
        (False, True, ChargeStatus.REVIEWED),
    ],
)
def test_status_after_scrub(has_errors, reviewed, expected):
    assert status_after_scrub(has_errors=has_errors, reviewed=reviewed) is expected


@pytest.mark.parametrize(
    ("status", "errors", "expected"),
    [
        (ChargeStatus.READY, 0, []),
        (ChargeStatus.ON_HOLD, 2, ["charges_not_reviewable"]),
        (ChargeStatus.REVIEWED, 0, ["charges_already_reviewed"]),
    ],
)
def test_review_allowed_only_without_errors(status, errors, expected):
    assert [p.code for p in review_problems(status=status, error_count=errors)] == expected


def test_the_model_statuses_match_the_domain():
    assert sorted(ModelChargeStatus.values) == sorted(s.value for s in ChargeStatus)
