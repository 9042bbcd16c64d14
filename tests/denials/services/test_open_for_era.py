"""Denials opened from a posted ERA (what remittance posting stored), by the durable job
"denials.tasks.denials_open_for_era": idempotent, reversals and unmatched claims open nothing,
claim-level adjustments stay at claim level (R9), the deadline counts from the ERA date (D7)."""

from __future__ import annotations

import datetime as dt

import pytest

from denials import services
from denials.models import Denial
from remittance.models import EraClaim
from tests.denials.world import World

pytestmark = pytest.mark.django_db


def test_each_denied_line_of_a_posted_era_opens_one_denial_once(world: World) -> None:
    denied, paid, two_lines = world.claim(), world.claim(), world.claim(lines=2)
    era = world.era(
        [
            (denied, [("CO", "197", 15000)], 0),
            (paid, [("CO", "45", 3000), ("PR", "3", 2000)], 10000),
            (two_lines, [("CO", "151", 15000)], 0),
        ],
        remarks=("N54",),
        payment_date=dt.date(2026, 11, 2),
    )
    assert services.denials_open_for_era(era_file_id=era.pk) == 3
    assert services.denials_open_for_era(era_file_id=era.pk) == 0
    rows = list(
        Denial.objects.order_by("pk").values_list("claim_id", "carc", "category", "rarcs", "appeal_deadline")
    )
    assert rows == [
        (denied.pk, "197", "authorization", ["N54"], dt.date(2027, 1, 1)),
        (two_lines.pk, "151", "documentation", ["N54"], dt.date(2027, 1, 1)),
        (two_lines.pk, "151", "documentation", ["N54"], dt.date(2027, 1, 1)),
    ]
    assert set(Denial.objects.values_list("era_line__era_claim__era_id", flat=True)) == {era.pk}


def test_a_reversal_and_an_unmatched_claim_open_nothing(world: World) -> None:
    claim = world.claim()
    reversal = world.era([(claim, [("CO", "50", -15000)], 0)], status_code="22")
    assert services.denials_open_for_era(era_file_id=reversal.pk) == 0
    unmatched = world.era([(world.claim(), [("CO", "50", 15000)], 0)])
    EraClaim.objects.filter(era=unmatched).update(claim_id=None, state="exception")
    assert services.denials_open_for_era(era_file_id=unmatched.pk) == 0


def test_r9_a_claim_level_adjustment_stays_at_claim_level(world: World) -> None:
    claim = world.claim()
    era = world.era([(claim, [], 0)], claim_adjustments=[("CO", "29", 15000)])
    services.denials_open_for_era(era_file_id=era.pk)
    denial = Denial.objects.get()
    assert denial.claim_line_id is None
    assert denial.era_claim_id is not None
    assert (denial.carc, denial.category) == ("29", "timely_filing")


def test_another_practices_era_cannot_open_denials_on_our_claims(world: World, other_practice) -> None:  # type: ignore[no-untyped-def]
    era = world.era([(world.claim(), [("CO", "50", 15000)], 0)])
    era.practice = other_practice
    era.save(update_fields=["practice"])
    assert services.denials_open_for_era(era_file_id=era.pk) == 0


def test_r3_a_later_era_paying_the_corrected_claim_resolves_the_denial(world: World) -> None:
    from claims.models import Claim  # noqa: PLC0415

    claim = world.claim()
    services.denials_open_for_era(era_file_id=world.era([(claim, [("CO", "4", 15000)], 0)]).pk)
    denial = Denial.objects.get()
    services.denial_correct_and_resubmit(
        access=world.access(world.biller), denial_id=denial.pk, note="Add 95"
    )
    replacement = Claim.objects.get(replaces=claim)
    paid = world.era([(replacement, [("CO", "45", 3000)], 12000)], status_code="1")
    assert services.denials_open_for_era(era_file_id=paid.pk) == 0
    denial.refresh_from_db()
    assert denial.status == "resolved"
    event = denial.events.order_by("pk").last()
    assert event is not None
    assert (event.kind, event.reason) == ("resolved", "A later remittance paid the line.")


def test_r3_a_denial_in_appeal_waits_for_the_person_to_record_the_outcome(world: World) -> None:
    claim = world.claim()
    services.denials_open_for_era(era_file_id=world.era([(claim, [("CO", "50", 15000)], 0)]).pk)
    denial = Denial.objects.get()
    services.denial_appeal(access=world.access(world.biller), denial_id=denial.pk)
    services.denials_open_for_era(era_file_id=world.era([(claim, [], 15000)], status_code="1").pk)
    denial.refresh_from_db()
    assert denial.status == "in_appeal"
