"""Provider-level items through `era_post` on a real database (R10, R11): a forward balance or an
unlinked recoupment stays open until a later ERA from the same payer offsets it."""

from __future__ import annotations

import pytest

from ledger.models import LedgerEntry
from remittance.models import EraFile, ProviderLevelItem
from remittance.services.posting import era_force_post, era_post
from tests.remittance.world import NOV1, PAID_900, REVERSED_900, World, era, sums

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice):  # type: ignore[no-untyped-def]
    w = World(practice)
    w.claim("PCN900", ("L90", "90834", (), NOV1, 15000))
    w.claim("PCN910", ("L91", "90837", (), NOV1, 20000))
    return w


def _post(world: World, raw: bytes) -> EraFile:
    outcome = era_post(practice_id=world.practice.pk, raw=raw)
    return EraFile.objects.get(pk=outcome.era_ids[0])


def _items() -> list[tuple[str, str, int, str]]:
    return [
        (i.reason, i.reference, i.amount_cents, i.status) for i in ProviderLevelItem.objects.order_by("pk")
    ]


def test_r11_a_zero_payment_with_a_forward_balance_imports_and_the_balance_stays_open(world):
    # given: a payment of $50 on PCN900
    _post(world, era("50.00", "EFT0001", *PAID_900))
    # when: the reversal alone, BPR02 0.00, the $50 shortfall carried forward (PLB FB -50.00)
    zero = _post(world, era("0.00", "EFT0002", *REVERSED_900, "PLB*1234567893*20261231*FB:FWD900*-50.00"))
    # then: it imports and posts, and the forward balance is an open provider-level item
    assert (zero.status, zero.payment_cents, zero.balanced) == ("posted", 0, True)
    assert sums(claim_id=world.claims["PCN900"].pk) == {"insurance": 15000, "patient": 0}
    item = ProviderLevelItem.objects.get()
    assert (item.era_id, item.payer_id, item.payer_name) == (zero.pk, "SYNPAYER1", "SYNTHETIC HEALTH PLAN")
    assert _items() == [("FB", "FWD900", -5000, "open")]
    # the ledger keeps the PLB at provider level, never on a patient
    plb = LedgerEntry.objects.get(era_id=zero.pk, account="provider")
    assert (plb.reason_code, plb.amount_cents, plb.patient_id) == ("FB", 5000, None)


def test_r11_a_later_era_carrying_the_opposite_amount_offsets_it(world):
    # given: the open forward balance
    _post(world, era("50.00", "EFT0001", *PAID_900))
    zero = _post(world, era("0.00", "EFT0002", *REVERSED_900, "PLB*1234567893*20261231*FB:FWD900*-50.00"))
    # when: the next payment of $200 on PCN910 takes the $50 back (FB +50.00, BPR02 150.00)
    later = _post(
        world,
        era(
            "150.00",
            "EFT0003",
            "CLP*PCN910*1*200.00*200.00*0*12*C2*11*1",
            "PLB*1234567893*20261231*FB:FWD900*50.00",
        ),
    )
    # then
    assert later.status == "posted"
    item = ProviderLevelItem.objects.get()
    assert (item.status, item.era_id, item.offset_by_id) == ("offset", zero.pk, later.pk)
    assert item.offset_at is not None


def test_r11_wo_recoupment_split_across_835s_negative_now_positive_later(world):
    # given: a WO of -25.00 naming no claim of ours (R10: a provider-level receivable)
    first = _post(
        world,
        era(
            "225.00",
            "EFT0011",
            "CLP*PCN910*1*200.00*200.00*0*12*C2*11*1",
            "PLB*1234567893*20261231*WO:X77*-25.00",
        ),
    )
    assert _items() == [("WO", "X77", -2500, "open")]
    # when: the positive WO with the same reference arrives on the next 835
    second = _post(world, era("25.00", "EFT0012", *PAID_900, "PLB*1234567893*20261231*WO:X77*25.00"))
    # then
    item = ProviderLevelItem.objects.get()
    assert (item.era_id, item.status, item.offset_by_id) == (first.pk, "offset", second.pk)


def test_r10_a_wo_naming_our_claim_is_on_that_claim_not_a_provider_item(world):
    _post(world, era("50.00", "EFT0001", *PAID_900))
    _post(
        world,
        era(
            "160.00",
            "EFT0021",
            "CLP*PCN910*1*200.00*200.00*0*12*C2*11*1",
            "PLB*1234567893*20261231*WO:PCN900 20261101*40.00",
        ),
    )
    assert not ProviderLevelItem.objects.exists()
    wo = LedgerEntry.objects.get(account="provider", reason_code="WO")
    assert wo.claim_id == world.claims["PCN900"].pk


def test_r11_another_payer_or_reference_does_not_offset_and_interest_is_not_tracked(world):
    # given
    _post(world, era("50.00", "EFT0001", *PAID_900))
    _post(world, era("0.00", "EFT0002", *REVERSED_900, "PLB*1234567893*20261231*FB:FWD900*-50.00"))
    # when: the same amount from another payer, and another reference with interest from ours
    other_payer = era(
        "150.00",
        "EFT0031",
        "CLP*PCN910*1*200.00*200.00*0*12*C2*11*1",
        "PLB*1234567893*20261231*FB:FWD900*50.00",
    ).replace(b"REF*2U*SYNPAYER1", b"REF*2U*OTHERPAY")
    _post(world, other_payer)
    _post(
        world,
        era(
            "3.66",
            "EFT0032",
            "PLB*1234567893*20261231*L6*-3.66",
        ),
    )
    # then: the first stays open, the other payer's FB opens its own item, interest opens none
    assert [(i.payer_id, i.amount_cents, i.status) for i in ProviderLevelItem.objects.order_by("pk")] == [
        ("SYNPAYER1", -5000, "open"),
        ("OTHERPAY", 5000, "open"),
    ]


def test_r11_a_held_era_opens_no_item_until_it_is_posted_anyway(world, make_member):
    # given: an out-of-balance ERA with a forward balance is held
    held = _post(world, era("10.00", "EFT0041", *PAID_900, "PLB*1234567893*20261231*FB:FWD1*-5.00"))
    assert held.status == "held"
    assert not ProviderLevelItem.objects.exists()
    # when: a biller posts it anyway
    era_force_post(
        practice_id=world.practice.pk,
        era_id=held.pk,
        actor=make_member("biller", world.practice),
        reason="Deposit checked on the payer portal",
    )
    # then: the forward balance is tracked like any posted ERA's
    assert [(i.era_id, i.reason, i.amount_cents, i.status) for i in ProviderLevelItem.objects.all()] == [
        (held.pk, "FB", -500, "open")
    ]


def _forward_balance(world: World) -> ProviderLevelItem:
    _post(world, era("50.00", "EFT0001", *PAID_900))
    _post(world, era("0.00", "EFT0002", *REVERSED_900, "PLB*1234567893*20261231*FB:FWD900*-50.00"))
    return ProviderLevelItem.objects.get()


def test_r11_an_item_settled_outside_the_835s_is_closed_by_a_biller_with_why(world, make_member):
    from core.errors import Conflict, PermissionDenied, ValidationFailed
    from practice.access import practice_access_for
    from remittance.services.provider_items import provider_item_close

    item = _forward_balance(world)
    ledger_before = LedgerEntry.objects.count()

    def access(role: str):  # type: ignore[no-untyped-def]
        return practice_access_for(user=make_member(role, world.practice), practice_id=world.practice.pk)

    biller = access("biller")
    with pytest.raises(PermissionDenied):
        provider_item_close(access=access("practice_admin"), item_id=item.pk, reason="Refund check 1001")
    with pytest.raises(ValidationFailed):
        provider_item_close(access=biller, item_id=item.pk, reason="  ")
    assert _items() == [("FB", "FWD900", -5000, "open")]

    provider_item_close(access=biller, item_id=item.pk, reason="Refund check 1001 received")

    item.refresh_from_db()
    assert (item.status, item.close_reason, item.closed_by_id) == (
        "closed",
        "Refund check 1001 received",
        biller.user_id,
    )
    assert item.closed_at is not None
    assert LedgerEntry.objects.count() == ledger_before  # the money moved with the ERAs
    with pytest.raises(Conflict):
        provider_item_close(access=biller, item_id=item.pk, reason="again")
    # a later ERA with the opposite amount opens its own item: the closed one is not offset
    later = _post(
        world,
        era(
            "150.00",
            "EFT0003",
            "CLP*PCN910*1*200.00*200.00*0*12*C2*11*1",
            "PLB*1234567893*20261231*FB:FWD900*50.00",
        ),
    )
    assert later.status == "posted"
    assert _items() == [("FB", "FWD900", -5000, "closed"), ("FB", "FWD900", 5000, "open")]


def test_r11_the_screen_closes_an_item_and_lists_it_as_closed(world, make_member, client_for):
    from django.urls import reverse

    item = _forward_balance(world)
    biller = client_for(make_member("biller", world.practice))
    page = biller.get(reverse("remittance:provider_items")).content.decode()
    assert f'action="{reverse("remittance:provider_item_close", args=[item.pk])}"' in page

    response = biller.post(
        reverse("remittance:provider_item_close", args=[item.pk]), {"reason": "Payer letter 7"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "closed"
    page = biller.get(reverse("remittance:provider_items")).content.decode()
    assert "Payer letter 7" in page
    assert "No open provider-level item." in page
    reader = client_for(make_member("practice_admin", world.practice))
    assert "provider_item_close" not in reader.get(reverse("remittance:provider_items")).content.decode()
