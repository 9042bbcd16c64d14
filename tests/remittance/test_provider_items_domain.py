"""The provider-level item rule (R10, R11), pure: which PLB amounts open an item and which offset
one (no database)."""

from __future__ import annotations

import pytest

from remittance.domain.provider_items import (
    ItemPlan,
    OpenItem,
    PlbAmount,
    is_tracked,
    plan_provider_items,
    reference_key,
)


def _plb(reason: str, cents: int, reference: str = "REF1", linked: bool = False) -> PlbAmount:
    return PlbAmount(reason=reason, reference=reference, amount_cents=cents, linked_to_claim=linked)


@pytest.mark.parametrize(
    ("_case", "amount", "tracked"),
    [
        ("forward balance carried", _plb("FB", -5000), True),
        ("forward balance taken back", _plb("FB", 5000), True),
        ("forward balance naming a claim", _plb("FB", -5000, linked=True), True),
        ("recoupment naming no claim (R10)", _plb("WO", 4000), True),
        ("recoupment naming our claim", _plb("WO", 4000, linked=True), False),
        ("authorized return naming no claim", _plb("72", 1000), True),
        ("interest", _plb("L6", -366), False),
        ("zero forward balance", _plb("FB", 0), False),
    ],
)
def test_r11_which_plb_amounts_are_tracked(_case, amount, tracked):
    assert is_tracked(amount) is tracked


def test_r11_a_forward_balance_with_nothing_open_opens_an_item():
    # given
    fb = _plb("FB", -5000)
    # when
    decided = plan_provider_items([fb], [])
    # then
    assert decided == ItemPlan(opened=(fb,), offset_ids=())


def test_r11_the_opposite_amount_with_the_same_reference_offsets_the_oldest_open_item():
    # given: two alike open items and one other
    open_items = [
        OpenItem(7, "FB", "ref1", -5000),
        OpenItem(8, "FB", "REF1", -5000),
        OpenItem(9, "FB", "REF2", -5000),
    ]
    # when: the reference differs only in case and spaces
    decided = plan_provider_items([_plb("FB", 5000, reference=" ref1 ")], open_items)
    # then
    assert decided == ItemPlan(opened=(), offset_ids=(7,))


def test_r11_wo_negative_now_positive_later_offsets():
    decided = plan_provider_items(
        [_plb("WO", 2500, reference="CLAIM 77")], [OpenItem(3, "WO", "CLAIM 77", -2500)]
    )
    assert decided.offset_ids == (3,)


@pytest.mark.parametrize(
    ("_case", "amount"),
    [
        ("same sign", _plb("FB", -5000)),
        ("partial amount", _plb("FB", 4000)),
        ("other reference", _plb("FB", 5000, reference="REF9")),
        ("other reason", _plb("WO", 5000)),
    ],
)
def test_r11_only_an_exact_opposite_offsets_otherwise_a_new_item_opens(_case, amount):
    decided = plan_provider_items([amount], [OpenItem(1, "FB", "REF1", -5000)])
    assert decided == ItemPlan(opened=(amount,), offset_ids=())


def test_r11_one_open_item_is_offset_once_even_if_two_amounts_match_it():
    second = _plb("FB", 5000)
    decided = plan_provider_items([_plb("FB", 5000), second], [OpenItem(1, "FB", "REF1", -5000)])
    assert decided == ItemPlan(opened=(second,), offset_ids=(1,))


def test_reference_key_ignores_case_and_spacing():
    assert reference_key("  wo:pcn9   2026 ") == "WO:PCN9 2026"
