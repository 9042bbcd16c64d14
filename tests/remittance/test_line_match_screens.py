"""The line-by-line match as a biller uses it (R17): the page pre-selects the best guess, a
wrong choice is refused with nothing written, the API posts and answers in the one error shape;
a claim-level match whose lines still fail offers the line match."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from ledger.models import LedgerEntry
from remittance.models import EraLine, PostingException
from remittance.services.posting import era_post
from tests.remittance.test_line_match import CHANGED
from tests.remittance.world import NOV1, World, era

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice: Any) -> World:
    w = World(practice)
    w.claim("PCN500", ("L50", "90837", (), NOV1, 20000), ("L51", "90785", (), NOV1, 10000))
    w.claim("PCN700", ("L70", "90791", (), NOV1, 10000))
    return w


def _held(world: World, pcn: str = "PCN500") -> tuple[PostingException, list[EraLine]]:
    era_post(
        practice_id=world.practice.pk,
        raw=era("210.00", "EFT500", *(s.replace("PCN500", pcn) for s in CHANGED)),
    )
    exception = PostingException.objects.order_by("pk").first()
    assert exception is not None
    return exception, list(EraLine.objects.order_by("position"))


def test_the_page_pre_selects_the_billed_line_of_the_same_date_and_charge(world, make_member, client_for):
    exception, (first, second) = _held(world)
    client = client_for(make_member("biller", world.practice))
    page = client.get(reverse("remittance:exception_lines_match", kwargs={"exception_id": exception.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    for era_line, billed in ((first, "L50"), (second, "L51")):
        assert (
            f'<option value="{world.lines[billed].pk}" selected>'
            in html.split(f'name="line_{era_line.pk}"')[1]
        )
    assert "90837 · $200.00 · Sun 1 Nov 2026 · L50" in html


def test_a_line_of_another_claim_is_refused_on_the_page_and_nothing_is_written(
    world, make_member, client_for
):
    exception, (first, second) = _held(world)
    client = client_for(make_member("biller", world.practice))
    response = client.post(
        reverse("remittance:exception_lines_match", kwargs={"exception_id": exception.pk}),
        {f"line_{first.pk}": world.lines["L50"].pk, f"line_{second.pk}": world.lines["L70"].pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not LedgerEntry.objects.exists()
    assert set(PostingException.objects.values_list("status", flat=True)) == {"open"}


def test_the_page_posts_and_goes_back_to_the_queue(world, make_member, client_for):
    exception, (first, second) = _held(world)
    client = client_for(make_member("biller", world.practice))
    response = client.post(
        reverse("remittance:exception_lines_match", kwargs={"exception_id": exception.pk}),
        {f"line_{first.pk}": world.lines["L50"].pk, f"line_{second.pk}": world.lines["L51"].pk, "note": "ok"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("remittance:exceptions")
    assert set(PostingException.objects.values_list("status", flat=True)) == {"resolved"}


def test_r17_a_claim_match_whose_lines_fail_offers_the_line_match(world, make_member, client_for):
    exception, _ = _held(world, pcn="TYPO500")
    client = client_for(make_member("biller", world.practice))
    claim = world.claims["PCN500"]
    response = client.post(
        reverse("remittance:exception_match", kwargs={"exception_id": exception.pk}),
        {"claim_id": claim.pk, "q": "PCN5"},
    )
    assert response.status_code == 400
    lines_url = reverse("remittance:exception_lines_match", kwargs={"exception_id": exception.pk})
    assert f'href="{lines_url}?claim_id={claim.pk}"' in response.content.decode()
    page = client.get(f"{lines_url}?claim_id={claim.pk}").content.decode()
    assert 'id="line-match-claim">PCN500<' in page


def test_the_api_posts_the_lines_and_answers_problems_in_one_shape(world, make_member, client_for):
    exception, (first, second) = _held(world)
    client = client_for(make_member("biller", world.practice))
    url = reverse("remittance_api:exception_lines_match", kwargs={"exception_id": exception.pk})
    # when: one line left out
    refused = client.post(
        url,
        {"lines": [{"era_line_id": first.pk, "claim_line_id": world.lines["L50"].pk}]},
        content_type="application/json",
    )
    # then
    assert refused.status_code == 400
    body = json.loads(refused.content)
    assert body["code"] == "validation_failed"
    assert body["extra"]["fields"] == {f"lines.{second.pk}": ["Choose the billed line this ERA line pays."]}
    assert not LedgerEntry.objects.exists()
    # when: every line
    done = client.post(
        url,
        {
            "lines": [
                {"era_line_id": first.pk, "claim_line_id": world.lines["L50"].pk},
                {"era_line_id": second.pk, "claim_line_id": world.lines["L51"].pk},
            ],
            "note": "recoded",
        },
        content_type="application/json",
    )
    assert (done.status_code, json.loads(done.content)) == (200, {"ledger_rows": 6})
