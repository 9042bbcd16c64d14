"""R11 and R19 in real Chromium, at desktop (1440 x 900) and phone (390 x 844) width: the billing
dashboard's "No ERA from <payer> since <date>" alert and ERA table, its provider-level items tile
opening the list of open forward balances, and the payer list's ERA column; no sideways scroll
and axe-core with no serious or critical violation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import Claim
from payers.models import Payer
from remittance.models import EraFile
from remittance.services.posting import era_post
from tests.e2e.helpers import layout_problems, login_with_mfa
from tests.factories import PracticeFactory
from tests.remittance.world import NOV1, PAID_900, REVERSED_900, World, era

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(make_member):  # type: ignore[no-untyped-def]
    practice = PracticeFactory(timezone="America/New_York")
    world = World(practice)
    Payer.objects.filter(pk=world.payer.pk).update(payer_id="SYNPAYER1")
    world.claim("PCN900", ("L90", "90834", (), NOV1, 15000))
    world.claim("PCN910", ("L91", "90837", (), NOV1, 20000))
    era_post(
        practice_id=practice.pk,
        raw=era("50.00", "EFT0001", *PAID_900),
    )
    era_post(
        practice_id=practice.pk,
        raw=era(
            "0.00",
            "EFT0002",
            *REVERSED_900,
            "PLB*1234567893*20261231*FB:FWD900*-50.00",
        ),
    )
    EraFile.objects.update(received_at=timezone.now() - dt.timedelta(days=30))
    Claim.objects.filter(pk=world.claims["PCN910"].pk).update(
        status="accepted_payer", status_changed_at=timezone.now() - dt.timedelta(days=3)
    )
    return {"biller": make_member("biller", practice, username="e2e-era-biller")}


def test_provider_items_and_era_alert_desktop_and_phone(live_server, page: Page, office) -> None:  # type: ignore[no-untyped-def]
    login_with_mfa(page, live_server.url, office["biller"])
    base = live_server.url
    problems = layout_problems(page, base, ["/billing/", "/remittance/provider-items/", "/payers/"])
    assert not problems, "\n".join(problems)

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base}/billing/")
    expect(page.locator("#era-alerts")).to_contain_text(
        re.compile(r"No ERA from Synthetic Health Plan since .* \(30 days\)")
    )
    expect(page.locator("#era-payers")).to_contain_text("Synthetic Health Plan")
    expect(page.locator("#tile-provider_items .tile-count")).to_have_text("1")
    page.click("#tile-provider_items")
    expect(page).to_have_url(re.compile(r"/remittance/provider-items/$"))
    expect(page.locator("h2").first).to_contain_text("Open (1)")
    expect(page.locator("#open-items-1")).to_contain_text("FWD900")
    expect(page.locator("#open-items-1")).to_contain_text("-$50.00")
    page.locator("#open-items-1").get_by_role("link", name="EFT0002").click()
    expect(page).to_have_url(re.compile(r"/remittance/eras/\d+/$"))
