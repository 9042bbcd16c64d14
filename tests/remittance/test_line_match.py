"""A biller matches an ERA claim's service lines to our billed lines by hand (R17), a payer's
line split included (R13): the CLP then posts with `era_post`'s rules, or nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import Conflict, PermissionDenied, ValidationFailed
from ledger.models import LedgerEntry
from practice.access import practice_access_for
from remittance.models import EraClaim, EraLine, PostingException, Underpayment
from remittance.services.matching import exception_lines_match, exception_match
from remittance.services.posting import era_post
from tests.remittance.world import NOV1, World, era, sums

pytestmark = pytest.mark.django_db

# Two billed lines; the payer returns both with other codes and no REF*6R: neither matches.
CHANGED = (
    "CLP*PCN500*1*300.00*210.00*0*12*CCN500*11*1",
    "SVC*HC:90834*200.00*150.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*50.00",
    "SVC*HC:90786*100.00*60.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*40.00",
)
# One billed line of $200 returned as two SVCs of $100 (a line split, R13).
SPLIT = (
    "CLP*PCN600*1*200.00*150.00*0*12*CCN600*11*1",
    "SVC*HC:90837*100.00*75.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*25.00",
    "SVC*HC:90837*100.00*75.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*25.00",
)


@pytest.fixture
def world(practice: Any) -> World:
    w = World(practice)
    w.claim("PCN500", ("L50", "90837", (), NOV1, 20000), ("L51", "90785", (), NOV1, 10000))
    w.claim("PCN600", ("L60", "90837", (), NOV1, 20000))
    w.claim("PCN700", ("L70", "90791", (), NOV1, 10000))
    return w


def _access(make_member: Any, world: World, role: str = "biller") -> Any:
    access = practice_access_for(user=make_member(role, world.practice), practice_id=world.practice.pk)
    assert access is not None
    return access


def _post(world: World, *segments: str, amount: str, trace: str = "EFT500") -> list[PostingException]:
    era_post(practice_id=world.practice.pk, raw=era(amount, trace, *segments))
    return list(PostingException.objects.order_by("pk"))


def _era_lines(pcn: str) -> list[EraLine]:
    return list(EraLine.objects.filter(era_claim__patient_control_number=pcn).order_by("position"))


def _nothing_written(before: int, exceptions: list[PostingException]) -> None:
    assert LedgerEntry.objects.count() == before
    assert Underpayment.objects.count() == 0
    for exception in exceptions:
        exception.refresh_from_db()
        assert exception.status == "open"
        assert exception.era_claim.state == "exception"
    assert not EraLine.objects.filter(claim_line_id__isnull=False).exists()


def test_r17_lines_matched_by_hand_post_the_claim_and_resolve_every_exception(world, make_member):
    # given: both lines of PCN500 matched no billed line: two exceptions on one ERA claim
    exceptions = _post(world, *CHANGED, amount="210.00")
    assert [e.kind for e in exceptions] == ["unmatched_line", "unmatched_line"]
    first, second = _era_lines("PCN500")
    access = _access(make_member, world)
    # when
    rows = exception_lines_match(
        access=access,
        exception_id=exceptions[1].pk,
        assignment={first.pk: world.lines["L50"].pk, second.pk: world.lines["L51"].pk},
        note="payer recoded",
    )
    # then
    claim = world.claims["PCN500"]
    assert rows == 6  # two charges, two payments, two CO-45
    assert sums(claim_id=claim.pk) == {"insurance": 0}
    assert sums(claim_line_id=world.lines["L50"].pk) == {"insurance": 0}  # 200 - 150 - 50
    assert sums(claim_line_id=world.lines["L51"].pk) == {"insurance": 0}  # 100 - 60 - 40
    reason = f"matched by hand by {access.username}: payer recoded"
    assert [(x.claim_line_id, x.match_reason) for x in _era_lines("PCN500")] == [
        (world.lines["L50"].pk, reason),
        (world.lines["L51"].pk, reason),
    ]
    era_claim = EraClaim.objects.get(patient_control_number="PCN500")
    assert (era_claim.state, era_claim.claim_id) == ("posted", claim.pk)
    assert era_claim.match_reason == "patient control number (CLP01)"
    for exception in exceptions:
        exception.refresh_from_db()
        assert exception.status == "resolved"
        assert exception.resolution == "Matched to claim PCN500 line by line. payer recoded"
        assert exception.resolved_by_id == access.user_id


def test_r13_a_line_split_by_the_payer_posts_both_parts_to_one_billed_line(world, make_member):
    # given: the contracted rate is what was paid in total, so no part is an underpayment
    world.contract("90837", 15000)
    exceptions = _post(world, *SPLIT, amount="150.00")
    assert {e.kind for e in exceptions} == {"unmatched_line"}
    first, second = _era_lines("PCN600")
    line = world.lines["L60"]
    # when
    exception_lines_match(
        access=_access(make_member, world),
        exception_id=exceptions[0].pk,
        assignment={first.pk: line.pk, second.pk: line.pk},
    )
    # then
    assert sums(claim_line_id=line.pk) == {"insurance": 0}
    assert LedgerEntry.objects.filter(claim_line_id=line.pk, kind="insurance_payment").count() == 2
    assert Underpayment.objects.count() == 0  # judged on 75 + 75, not on each part
    assert set(
        EraLine.objects.filter(era_claim__patient_control_number="PCN600").values_list(
            "claim_line_id", flat=True
        )
    ) == {line.pk}


def test_r13_a_split_line_paid_below_contract_is_one_underpayment(world, make_member):
    world.contract("90837", 16000)
    exceptions = _post(world, *SPLIT, amount="150.00")
    first, second = _era_lines("PCN600")
    exception_lines_match(
        access=_access(make_member, world),
        exception_id=exceptions[0].pk,
        assignment={first.pk: world.lines["L60"].pk, second.pk: world.lines["L60"].pk},
    )
    under = Underpayment.objects.get()
    assert (under.expected_cents, under.paid_cents, under.era_line_id) == (16000, 15000, first.pk)


@pytest.mark.parametrize(
    ("_case", "second_to", "message"),
    [
        ("another claim's line", "L70", "That billed line is not on this claim."),
        ("left unassigned", None, "Choose the billed line this ERA line pays."),
    ],
)
def test_an_incomplete_or_foreign_assignment_changes_nothing(world, make_member, _case, second_to, message):
    exceptions = _post(world, *CHANGED, amount="210.00")
    first, second = _era_lines("PCN500")
    assignment = {first.pk: world.lines["L50"].pk}
    if second_to:
        assignment[second.pk] = world.lines[second_to].pk
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        exception_lines_match(
            access=_access(make_member, world), exception_id=exceptions[0].pk, assignment=assignment
        )
    assert caught.value.field_errors == {f"lines.{second.pk}": [message]}
    _nothing_written(before, exceptions)


def test_an_assignment_that_does_not_balance_the_lines_tells_why_and_changes_nothing(world, make_member):
    # given: both SVCs of PCN500 put on L50, which was already adjudicated by another ERA
    era_post(
        practice_id=world.practice.pk,
        raw=era(
            "150.00",
            "EFT499",
            "CLP*PCN500*1*200.00*150.00*0*12*CCN499*11*1",
            "SVC*HC:90837*200.00*150.00**1",
            "DTM*472*20261101",
            "CAS*CO*45*50.00",
            "REF*6R*L50",
        ),
    )
    exceptions = _post(world, *CHANGED, amount="210.00")
    first, second = _era_lines("PCN500")[-2:]
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed, match="already adjudicated"):
        exception_lines_match(
            access=_access(make_member, world),
            exception_id=exceptions[0].pk,
            assignment={first.pk: world.lines["L50"].pk, second.pk: world.lines["L51"].pk},
        )
    assert LedgerEntry.objects.count() == before
    assert {e.status for e in PostingException.objects.all()} == {"open"}


def test_an_exception_resolved_already_is_a_conflict(world, make_member):
    exceptions = _post(world, *CHANGED, amount="210.00")
    first, second = _era_lines("PCN500")
    access = _access(make_member, world)
    assignment = {first.pk: world.lines["L50"].pk, second.pk: world.lines["L51"].pk}
    exception_lines_match(access=access, exception_id=exceptions[0].pk, assignment=assignment)
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict):
        exception_lines_match(access=access, exception_id=exceptions[1].pk, assignment=assignment)
    assert LedgerEntry.objects.count() == before


def test_a_technician_cannot_match_lines(world, make_member):
    exceptions = _post(world, *CHANGED, amount="210.00")
    first, second = _era_lines("PCN500")
    before = LedgerEntry.objects.count()
    with pytest.raises(PermissionDenied):
        exception_lines_match(
            access=_access(make_member, world, "technician"),
            exception_id=exceptions[0].pk,
            assignment={first.pk: world.lines["L50"].pk, second.pk: world.lines["L51"].pk},
        )
    _nothing_written(before, exceptions)


def test_r17_an_unmatched_claim_whose_lines_fail_is_matched_line_by_line(world, make_member):
    # given: CLP01 names nothing; matched to PCN500 its recoded lines still match no billed line
    exceptions = _post(world, *(s.replace("PCN500", "TYPO500") for s in CHANGED), amount="210.00")
    assert [e.kind for e in exceptions] == ["unmatched_claim"]
    access = _access(make_member, world)
    claim = world.claims["PCN500"]
    with pytest.raises(ValidationFailed, match="no billed line has this"):
        exception_match(access=access, exception_id=exceptions[0].pk, claim_id=claim.pk)
    first, second = _era_lines("TYPO500")
    # when
    exception_lines_match(
        access=access,
        exception_id=exceptions[0].pk,
        claim_id=claim.pk,
        assignment={first.pk: world.lines["L50"].pk, second.pk: world.lines["L51"].pk},
        note="typo in CLP01",
    )
    # then
    era_claim = EraClaim.objects.get()
    assert (era_claim.claim_id, era_claim.match_reason) == (
        claim.pk,
        f"matched by hand by {access.username}: typo in CLP01",
    )
    assert sums(claim_id=claim.pk) == {"insurance": 0}
    exceptions[0].refresh_from_db()
    assert exceptions[0].status == "resolved"


def test_an_unmatched_claim_needs_the_claim_chosen(world, make_member):
    exceptions = _post(world, *(s.replace("PCN500", "TYPO500") for s in CHANGED), amount="210.00")
    first, second = _era_lines("TYPO500")
    with pytest.raises(ValidationFailed) as caught:
        exception_lines_match(
            access=_access(make_member, world),
            exception_id=exceptions[0].pk,
            assignment={first.pk: world.lines["L50"].pk, second.pk: world.lines["L51"].pk},
        )
    assert caught.value.field_errors == {"claim_id": ["Required."]}
    assert not LedgerEntry.objects.exists()
