"""The corrections panel and its buttons: what a biller sees and may do, refusals shown as
messages with nothing written, the read audited, the API's error shape."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Claim
from tests.claims.corrections.helpers import PAID_WITH_PR, adjudicate, cas, cob_scenario

pytestmark = pytest.mark.django_db


def _biller(s, make_member, client_for, role="biller"):
    return client_for(make_member(role, s.practice))


def test_the_panel_offers_each_action_and_the_biller_creates_the_secondary(make_member, client_for):
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR)
    http = _biller(s, make_member, client_for)

    page = http.get(reverse("claim_corrections:page", kwargs={"claim_id": s.claim.pk}))

    assert page.status_code == 200
    html = page.content.decode()
    for marker in ('id="replace-form"', 'id="void-form"', "Create secondary", "every line of the claim"):
        assert marker in html
    assert AuditEvent.objects.filter(
        object_type="claim", object_id=str(s.claim.pk), detail="corrections"
    ).exists()
    done = http.post(reverse("claim_corrections:next_payer", kwargs={"claim_id": s.claim.pk}), follow=True)
    secondary = Claim.objects.get(primary_claim=s.claim)
    assert "Secondary claim" in done.content.decode()
    assert secondary.status == "ready"
    again = http.get(reverse("claim_corrections:page", kwargs={"claim_id": s.claim.pk})).content.decode()
    assert "Secondary claim: <a" in again
    assert "Create secondary" not in again


def test_replacement_from_the_screen_changes_a_modifier_and_keeps_every_line(make_member, client_for):
    s = cob_scenario(status="denied")
    adjudicate(s.claim, {1: (15000, []), 2: (0, [cas("CO", "4", 12000)]), 3: (8000, [])})
    http = _biller(s, make_member, client_for)

    http.post(
        reverse("claim_corrections:replace", kwargs={"claim_id": s.claim.pk}),
        {"reason": "Modifier", "modifiers-1": "", "modifiers-2": "HO", "modifiers-3": ""},
    )

    new = Claim.objects.get(replaces=s.claim)
    assert [(line.line_number, line.modifiers) for line in new.lines.order_by("line_number")] == [
        (1, []),
        (2, ["HO"]),
        (3, []),
    ]


def test_a_refused_correction_is_a_message_and_writes_nothing(make_member, client_for):
    s = cob_scenario(status="accepted_payer")
    http = _biller(s, make_member, client_for)

    page = http.get(reverse("claim_corrections:page", kwargs={"claim_id": s.claim.pk})).content.decode()
    assert "claim number is not known yet" in page
    response = http.post(
        reverse("claim_corrections:void", kwargs={"claim_id": s.claim.pk}),
        {"reason": "Billed in error"},
        follow=True,
    )
    assert "claim number is not known yet" in response.content.decode()
    assert not Claim.objects.filter(replaces=s.claim).exists()


def test_a_crossover_shows_instead_of_the_secondary_button(make_member, client_for):  # R15
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR, status_code="19")
    html = (
        _biller(s, make_member, client_for)
        .get(reverse("claim_corrections:page", kwargs={"claim_id": s.claim.pk}))
        .content.decode()
    )
    assert "Crossed over to the next payer" in html
    assert "Create secondary" not in html


def test_admins_see_the_panel_without_buttons(make_member, client_for):
    s = cob_scenario()
    adjudicate(s.claim, PAID_WITH_PR)
    html = (
        _biller(s, make_member, client_for, role="practice_admin")
        .get(reverse("claim_corrections:page", kwargs={"claim_id": s.claim.pk}))
        .content.decode()
    )
    assert "Corrections and the next payer" in html
    assert 'id="replace-form"' not in html


def test_api_replace_and_refusals_in_the_one_error_shape(make_member, client_for):
    s = cob_scenario(status="partially_paid")
    adjudicate(s.claim, PAID_WITH_PR)
    http = _biller(s, make_member, client_for)
    url = reverse("claim_corrections_api:replace", kwargs={"claim_id": s.claim.pk})

    partial = http.post(url, {"reason": "Line 2", "lines": [2]}, content_type="application/json")
    assert partial.status_code == 400
    assert partial.json()["code"] == "validation_failed"
    assert "every line" in partial.json()["message"]

    created = http.post(
        url,
        {"reason": "Line 2", "line_changes": [{"line_number": 2, "modifiers": ["HO"]}]},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["frequency"], body["version"], body["replaces"], body["payer_claim_number"]) == (
        "7",
        2,
        s.claim.pk,
        "ABC123",
    )
    assert [line["modifiers"] for line in body["lines"]] == [[], ["HO"], []]
    conflict = http.post(url, {"reason": "Again"}, content_type="application/json")
    assert conflict.status_code == 409
    panel = http.get(reverse("claim_corrections_api:panel", kwargs={"claim_id": s.claim.pk})).json()
    assert panel["replace"] == {
        "allowed": False,
        "why_not": f"A newer version exists ({body['patient_control_number']}).",
    }


def test_the_claim_detail_screen_includes_the_panel(make_member, client_for):
    s = cob_scenario(status="paid")
    adjudicate(s.claim, PAID_WITH_PR, status_code="19")
    html = (
        _biller(s, make_member, client_for)
        .get(reverse("claims:detail", kwargs={"claim_id": s.claim.pk}))
        .content.decode()
    )
    assert 'id="claim-corrections"' in html
    assert "Crossed over to the next payer" in html
    assert 'id="void-form"' in html
