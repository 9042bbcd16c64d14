"""The remittance screens and API as a biller uses them: upload an ERA, read why each claim and
line matched (U3), match an exception by hand (R17), read a patient's ledger with insurance
pending, denied and patient due apart (P1). Lists keep a constant number of queries."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ValidationFailed
from ledger.models import LedgerEntry
from practice.access import practice_access_for
from remittance.models import EraClaim, EraFile, PostingException
from remittance.services.matching import exception_match
from remittance.services.posting import era_post
from tests.edi.samples_835 import DENIED, PAID, envelope
from tests.remittance.world import World, sums

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice):  # type: ignore[no-untyped-def]
    w = World(practice)
    w.sample_claims()
    return w


def test_upload_posts_and_the_detail_says_why_each_line_matched_u3(world, make_member, client_for):
    biller = make_member("biller", world.practice)
    client = client_for(biller)
    # when
    response = client.post(
        reverse("remittance:era_upload"),
        {"file": SimpleUploadedFile("paid.835", envelope(PAID).encode())},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    # then
    answer = json.loads(response.content)
    assert answer["message"] == "ERA posted: 3 of 3 claims posted, 0 in the exceptions queue."
    page = client.get(answer["redirect"]).content.decode()
    assert "line control number (REF*6R) L1" in page
    assert "(the payer changed the code; matched on the billed code)" in page
    assert "CO-45" in page
    assert EraFile.objects.get().uploaded_by == biller
    assert AuditEvent.objects.filter(object_type="era", action="view").exists()


def test_the_exceptions_queue_and_a_manual_match_post_the_claim_r17(world, make_member, client_for):
    biller = make_member("biller", world.practice)
    era_post(practice_id=world.practice.pk, raw=envelope(DENIED).encode())  # NOSUCH matches nothing
    exception = PostingException.objects.get(kind="unmatched_claim")
    claim = world.claim("REALPCN", ("LX1", "90837", (), world.claims["PCN100"].date_from, 10000))
    client = client_for(biller)
    assert "NOSUCH" in client.get(reverse("remittance:exceptions")).content.decode()
    # when
    response = client.post(
        reverse("remittance:exception_match", kwargs={"exception_id": exception.pk}),
        {"claim_id": claim.pk, "note": "typo in CLP01", "q": "REAL"},
    )
    # then
    assert response.status_code == 302
    exception.refresh_from_db()
    assert (exception.status, exception.resolved_by) == ("resolved", biller)
    assert sums(claim_id=claim.pk) == {"insurance": 0}  # charge 100 - paid 100
    assert EraClaim.objects.get(pk=exception.era_claim_id).match_reason.startswith("matched by hand by")


def test_a_manual_match_to_an_unknown_claim_changes_nothing(world, make_member):
    biller = make_member("biller", world.practice)
    era_post(practice_id=world.practice.pk, raw=envelope(DENIED).encode())
    exception = PostingException.objects.get(kind="unmatched_claim")
    access = practice_access_for(user=biller, practice_id=world.practice.pk)
    assert access is not None
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed):
        exception_match(access=access, exception_id=exception.pk, claim_id=10**9)
    assert LedgerEntry.objects.count() == before
    exception.refresh_from_db()
    assert exception.status == "open"


def test_the_patient_ledger_keeps_insurance_denied_and_patient_apart_p1(world, make_member, client_for):
    era_post(practice_id=world.practice.pk, raw=envelope(PAID).encode())
    era_post(practice_id=world.practice.pk, raw=envelope(DENIED).encode())
    page = client_for(make_member("biller", world.practice)).get(
        reverse("remittance:patient_ledger", kwargs={"patient_id": world.patient.pk})
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="balance-denied">$200.00<' in html
    assert 'id="balance-patient">$160.00<' in html
    assert 'id="balance-insurance">$0.00<' in html
    api = client_for(make_member("biller", world.practice)).get(
        reverse("remittance_api:patient_ledger", kwargs={"patient_id": world.patient.pk})
    )
    assert (api.data["denied_cents"], api.data["patient_due_cents"]) == (20000, 16000)


def test_the_era_list_runs_a_constant_number_of_queries(
    world, make_member, client_for, django_assert_max_num_queries
):
    client = client_for(make_member("biller", world.practice))
    client.get(reverse("remittance:era_list"))  # warm the session
    era_post(practice_id=world.practice.pk, raw=envelope(PAID).encode())
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("remittance:era_list"))
    for n in range(5):
        era_post(practice_id=world.practice.pk, raw=envelope(PAID).replace("EFT1001", f"EFT9{n}").encode())
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("remittance:era_list"))


def test_the_api_posts_an_835_and_returns_the_summary(world, make_member, client_for):
    response = client_for(make_member("biller", world.practice)).post(
        reverse("remittance_api:era_upload"),
        {"name": "paid.835", "x12": envelope(PAID)},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.data[0]["status"] == "posted"
    assert response.data[0]["payment_amount"] == "213.66"
