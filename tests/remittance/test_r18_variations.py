"""R18: real-world 835 variations, one fixture each, through `era_post` on a real database.
Each parses and posts, or is held with a clear error; nothing crashes and no claim is skipped
silently (every CLP has its ERA claim row, posted or in the exceptions queue)."""

from __future__ import annotations

import pytest

from ledger.models import LedgerEntry
from remittance.models import EraClaim, EraFile, PostingException
from remittance.services.posting import era_post
from tests.edi.samples_835 import PAID, envelope, header
from tests.remittance.world import World, era, sums

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sample_world):  # type: ignore[no-untyped-def]
    return sample_world


def _post(world: World, raw: bytes) -> EraFile:
    outcome = era_post(practice_id=world.practice.pk, raw=raw)
    [era_id] = outcome.era_ids
    return EraFile.objects.get(pk=era_id)


def _states(era_file: EraFile) -> dict[str, str]:
    return dict(EraClaim.objects.filter(era=era_file).values_list("patient_control_number", "state"))


@pytest.mark.parametrize(
    ("_case", "separator"),
    [("blank lines", "~\n\n\n"), ("blank CRLF lines", "~\r\n\r\n"), ("spaces then newline", "~  \n")],
)
def test_r18_blank_lines_between_segments_parse_and_post(world, _case, separator):
    # given: the sample file with blank lines between every segment
    raw = envelope(PAID).replace("~\n", separator).encode()
    # when
    era_file = _post(world, raw)
    # then: the whole file posts, as without the blank lines
    assert (era_file.status, era_file.claim_count, era_file.matched_count) == ("posted", 3, 3)
    assert _states(era_file) == {"PCN100": "posted", "PCN200": "posted", "PCN300": "posted"}
    assert sums(claim_id=world.claims["PCN100"].pk) == {"insurance": 0, "patient": 4000}


def test_r18_payer_and_payee_repeated_with_name_variants(world):
    # given: N1*PR and N1*PE each sent twice with a variant name, the payer's REF*2U after the second
    body = header("90.00", "EFT0501")
    body.insert(body.index("N3*1 PAYER WAY"), "N1*PR*SYNTHETIC HEALTH PLAN MEDICAID SOLUTIONS")
    body.append("N1*PE*CALM MINDS THERAPY LLC*XX*1234567893")
    body += [
        "LX*1",
        "CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1",
        "SVC*HC:90837*150.00*90.00**1",
        "DTM*472*20261102",
        "CAS*CO*45*60.00",
        "REF*6R*L3",
    ]
    # when
    era_file = _post(world, envelope(body).encode())
    # then: it posts; the first names are kept, the payer id still comes from REF*2U (R1's key),
    # the payee keeps its tax id, and the variants are named in the ERA's warnings
    assert (era_file.status, era_file.matched_count) == ("posted", 1)
    assert (era_file.payer_id, era_file.payer_name) == ("SYNPAYER1", "SYNTHETIC HEALTH PLAN")
    assert (era_file.payee_name, era_file.payee_npi, era_file.payee_tax_id) == (
        "CALM MINDS THERAPY",
        "1234567893",
        "123456789",
    )
    assert [e["message"] for e in era_file.errors] == [
        "N1*PR repeated as 'SYNTHETIC HEALTH PLAN MEDICAID SOLUTIONS': the first, 'SYNTHETIC HEALTH PLAN', is kept",
        "N1*PE repeated as 'CALM MINDS THERAPY LLC': the first, 'CALM MINDS THERAPY', is kept",
    ]
    assert sums(claim_id=world.claims["PCN200"].pk) == {"insurance": 0}


def test_r18_an_835_with_no_svc_loops_posts_at_claim_level(world):
    # given: claims paid with claim-level CAS only (no SVC loop)
    raw = era(
        "250.00",
        "EFT0502",
        "CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1",
        "CAS*CO*45*60.00",
        "CLP*PCN400*1*200.00*160.00*40.00*12*PAYERCCN4*11*1",
        "CAS*CO*45*0.00",
        "CAS*PR*2*40.00",
    )
    # when
    era_file = _post(world, raw)
    # then: both post to their claims, at claim level, and each claim balances
    assert (era_file.status, era_file.matched_count) == ("posted", 2)
    assert _states(era_file) == {"PCN200": "posted", "PCN400": "posted"}
    assert sums(claim_id=world.claims["PCN200"].pk) == {"insurance": 0}
    assert sums(claim_id=world.claims["PCN400"].pk) == {"insurance": 0, "patient": 4000}
    payments = LedgerEntry.objects.filter(kind="insurance_payment")
    assert {(e.claim_line_id, e.amount_cents) for e in payments} == {(None, -9000), (None, -16000)}


def test_r18_missing_cas_is_held_with_a_clear_error_and_the_others_post(world):
    # given: PCN200 paid 90 of 150 with no CAS explaining the 60; PCN300 paid in full needs none
    raw = era(
        "210.00",
        "EFT0503",
        "CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1",
        "SVC*HC:90837*150.00*90.00**1",
        "DTM*472*20261102",
        "REF*6R*L3",
        "CLP*PCN300*1*120.00*120.00*0*12*PAYERCCN3*11*1",
        "SVC*HC:90791*120.00*120.00**1",
        "DTM*472*20261103",
        "REF*6R*L4",
    )
    # when
    era_file = _post(world, raw)
    # then: PCN200 waits in the exceptions queue saying why; PCN300 posts; nothing is skipped
    assert era_file.status == "posted"
    assert _states(era_file) == {"PCN200": "exception", "PCN300": "posted"}
    held = PostingException.objects.get(era=era_file)
    assert held.kind == "out_of_balance"
    assert "60.00" in held.message
    assert not LedgerEntry.objects.filter(claim_id=world.claims["PCN200"].pk).exists()
    assert sums(claim_id=world.claims["PCN300"].pk) == {"insurance": 0}
