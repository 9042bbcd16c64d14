"""The billing screens on a phone (390 x 844), as the biller, on the demo practice: no page
scrolls sideways (a wide table scrolls inside its own box), one h1 per page, and axe-core finds
no violation at all (any impact, not only serious). One seed, one browser, one sign-in.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from billing.celery import app as celery_app
from claims.models import Claim
from demo.constants import DEMO_PASSWORD
from demo.seed import seed_all
from denials.models import Denial
from ledger.models import LedgerEntry
from remittance.models import EraFile
from tests.e2e.helpers import login_with_mfa

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()
PHONE = {"width": 390, "height": 844}


def _claim() -> str:
    return f"/claims/{Claim.objects.order_by('pk').values_list('pk', flat=True).first()}/"


def _era() -> str:
    return f"/remittance/eras/{EraFile.objects.order_by('pk').values_list('pk', flat=True).first()}/"


def _denial() -> str:
    return f"/denials/{Denial.objects.order_by('pk').values_list('pk', flat=True).first()}/"


def _account() -> str:
    patient_id = LedgerEntry.objects.order_by("pk").values_list("patient_id", flat=True).first()
    return f"/billing/patients/{patient_id}/"


# the billing pages a biller works through (callables: ids exist only after the seed)
BILLING_PAGES: list[str | Callable[[], str]] = [
    "/billing/",
    "/billing/claims/?queue=rejected",
    "/billing/patients/",
    _account,
    "/claims/",
    _claim,
    "/claims/batches/",
    "/claims/rejections/",
    "/remittance/eras/",
    _era,
    "/remittance/eras/upload/",
    "/denials/",
    _denial,
    "/denials/appeals/",
    "/denials/analytics/",
    "/eligibility/problems/",
    "/charges/",
]


@pytest.fixture
def demo_practice() -> None:
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        seed_all(now=timezone.now())
    finally:
        celery_app.conf.task_always_eager = before


def test_billing_pages_fit_a_phone_with_no_axe_violation(live_server, page: Page, demo_practice) -> None:
    page.set_viewport_size(PHONE)
    login_with_mfa(page, live_server.url, User.objects.get(username="biller"), password=DEMO_PASSWORD)
    problems: list[str] = []
    for entry in BILLING_PAGES:
        path = entry() if callable(entry) else entry
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
