"""The billing dashboard and patient billing in real Chromium, at desktop (1440 x 900) and phone
(390 x 844) width: no sideways scroll, axe-core with no serious or critical violation, the aging
basis switched, a tile opening its filtered list, a row opening the patient's account, and a copay
taken there that shows as an unapplied credit while insurance is pending."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from practice.selectors import practice_today
from tests.dashboard.billing_world import claims_bulk
from tests.e2e.helpers import login_with_mfa
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
AXE = Axe()


def _blocking(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.fixture
def office(make_member):  # type: ignore[no-untyped-def]
    practice = PracticeFactory(timezone="America/New_York")
    biller = make_member("biller", practice, username="e2e-dash-biller")
    claims = claims_bulk(practice, 30, today=practice_today(practice_id=practice.pk))
    return {"biller": biller, "claims": claims}


def test_billing_dashboard_desktop_and_phone(live_server, page: Page, office) -> None:  # type: ignore[no-untyped-def]
    login_with_mfa(page, live_server.url, office["biller"])
    base = live_server.url
    problems: list[str] = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in (
            "/billing/",
            "/billing/claims/?queue=rejected",
            "/billing/patients/",
            "/billing/patients/?only=due",
        ):
            response = page.goto(f"{base}{path}")
            assert response is not None
            assert response.status == 200, path
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll > width:
                problems.append(f"{path} at {size}: sideways scroll ({scroll}px)")
            problems += [f"{path} at {size}: axe {v}" for v in _blocking(page)]
    assert not problems, "\n".join(problems)

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base}/billing/")
    expect(page.locator("#aging-chart svg")).to_be_visible()
    page.select_option("#basis", "submission")
    page.click("#aging-apply")
    expect(page).to_have_url(re.compile(r"basis=submission"))
    expect(page.locator("#heading-aging")).to_contain_text("first submission")
    page.click("#tile-rejected")
    expect(page).to_have_url(re.compile(r"queue=rejected.*basis=submission"))
    rejected = [c for c in office["claims"] if c.status == "rejected"]
    expect(page.locator("#claims-heading")).to_contain_text(f"{len(rejected)} claims")
    first_row = page.locator("#worklist tbody tr").first
    first_row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/billing/patients/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Account of")

    page.fill("#id_amount", "25.00")
    page.check("#id_at_time_of_service")
    page.click("#payment-save")
    expect(page.locator("#sum-unapplied")).to_contain_text("$25.00")
    expect(page.locator("#account-payments")).to_contain_text("(at the visit)")
