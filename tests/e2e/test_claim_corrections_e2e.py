"""Corrections in a real browser: a biller corrects a modifier on a partly paid claim (the
replacement keeps every line and carries the payer's claim number), then creates the secondary
from the primary's adjudication; the panel fits a phone and passes axe."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from claims.models import Claim
from tests.claims.corrections.helpers import adjudicate, cas, cob_scenario
from tests.e2e.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_replacement_then_secondary_from_the_corrections_panel(live_server, page: Page, make_member) -> None:  # type: ignore[no-untyped-def]
    s = cob_scenario(status="partially_paid")
    adjudicate(
        s.claim,
        {
            1: (9000, [cas("CO", "45", 2000), cas("PR", "2", 4000)]),
            2: (0, [cas("CO", "4", 12000)]),
            3: (8000, []),
        },
    )
    biller = make_member("biller", s.practice, username="e2e-corrections-biller")
    login_with_mfa(page, live_server.url, biller)
    page.goto(f"{live_server.url}/claims/{s.claim.pk}/corrections/")

    # The panel on a phone: no sideways scroll, no blocking axe violation.
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#correct-claim summary")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    violations = [
        v["id"] for v in Axe().run(page).response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert violations == []
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#modifiers-2", "HO")
    page.fill("#replace-reason", "Modifier HO was missing on line 2")
    page.click("#replace-submit")
    new = Claim.objects.get(replaces=s.claim)
    expect(page).to_have_url(re.compile(rf"/claims/{new.pk}/"))
    expect(page.locator(".messages")).to_contain_text(f"Replacement {new.patient_control_number} created")
    assert [line.modifiers for line in new.lines.order_by("line_number")] == [[], ["HO"], []]
    assert new.payer_claim_number == "ABC123"

    page.goto(f"{live_server.url}/claims/{s.claim.pk}/corrections/")
    expect(page.locator("#claim-newer-version")).to_contain_text(new.patient_control_number)
    page.click("#next-payer-submit")
    secondary = Claim.objects.get(primary_claim=s.claim)
    expect(page.locator(".messages")).to_contain_text(f"Secondary claim {secondary.patient_control_number}")
    assert secondary.responsibility == "S"
