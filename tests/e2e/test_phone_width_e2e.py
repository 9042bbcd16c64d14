"""The billing screens on a phone (390 x 844), as the biller: no page
scrolls sideways (a wide table scrolls inside its own box), one h1 per page, and axe-core finds
no violation at all (any impact, not only serious). A small world (no demo seed), one browser,
one sign-in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from ledger.models import LedgerEntry
from tests.dashboard.billing_world import claims_bulk
from tests.denials.world import World, make_world
from tests.e2e.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(make_member: Any, practice: Any) -> World:
    """A small practice, no demo seed (fast): claims of every state with their ledger rows over
    0-200 days (aging, balances), two denials with their ERA, an ERA with a paid claim."""
    world = make_world(make_member, practice)
    claims_bulk(practice, 12, today=timezone.localdate())
    world.denial(carc="50", cents=24000)
    world.denial(group="PR", carc="96", cents=9000)
    paid = world.claim(status="paid", lines=2)
    world.era([(paid, [("CO", "45", 3000)], 12000)], payment_date=dt.date(2026, 11, 21))
    return world


def _pages(world: World) -> list[str]:
    claim = world.claim(status="submitted")
    era = world.era([(claim, [("PR", "1", 5000)], 10000)])
    denial_id = world.denial(carc="16", cents=8000).pk
    patient_id = LedgerEntry.objects.order_by("pk").values_list("patient_id", flat=True).first()
    return [
        "/billing/",
        "/billing/claims/?queue=rejected",
        "/billing/patients/",
        f"/billing/patients/{patient_id}/",
        "/claims/",
        f"/claims/{claim.pk}/",
        "/claims/batches/",
        "/claims/rejections/",
        "/remittance/eras/",
        f"/remittance/eras/{era.pk}/",
        "/remittance/eras/upload/",
        "/denials/",
        f"/denials/{denial_id}/",
        "/denials/appeals/",
        "/denials/analytics/",
        "/eligibility/problems/",
        "/charges/",
    ]


def test_billing_pages_fit_a_phone_with_no_axe_violation(live_server: Any, page: Page, world: World) -> None:
    page.set_viewport_size(PHONE)
    login_with_mfa(page, live_server.url, world.biller)
    problems: list[str] = []
    for path in _pages(world):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{path}: {page.locator('h1').count()} h1 headings")
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            problems.append(f"{path}: the page scrolls sideways ({scroll_width}px wide)")
        problems += [
            f"{path}: axe {v['id']} ({v.get('impact')}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
            for v in AXE.run(page).response["violations"]
        ]
    assert not problems, "\n".join(problems)

    # One current menu entry: /billing/patients/ is "Patient balances", not also "Billing dashboard".
    page.goto(f"{live_server.url}/billing/patients/")
    current = page.locator("nav.mainnav a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Patient balances")
    # The aging table is wider than a phone: it scrolls inside its own box, not the page.
    page.goto(f"{live_server.url}/billing/")
    box = page.locator("#aging-table").locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the aging table fits: nothing to check"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
