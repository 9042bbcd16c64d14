"""Claims in a real browser: the biller opens Claims from the menu (counts per state), one claim
(837P preview from the builder, deadline, acknowledgement in words, CMS-1500 PDF download), the
batch screen (ready claims ticked, batches with their progress bars) and the rejection queue (the
reason in words) — at desktop and at phone width (390 px), with axe-core."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import ClaimAcknowledgement, ClaimBatch, ClaimBatchItem
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NY = ZoneInfo("America/New_York")
AXE = Axe()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
REASON = "The clearinghouse does not know this member ID: check the insurance card and the coverage."


def _blocking(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']})"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.fixture
def claims_day(make_member):
    practice = PracticeFactory(timezone="America/New_York", postal_code="627011234")
    clinician = make_member("clinician", practice, provider=True, credential="LPC")
    biller = make_member("biller", practice, username="e2e-claims-biller")
    payer = PayerFactory(practice=practice, name="Sandbox Health", payer_id="SBXPAYER", timely_filing_days=90)
    provider = clinician.provider_profiles.get()
    day = (timezone.now().astimezone(NY) - dt.timedelta(days=3)).date()
    claims = {}
    for name, member, status in (
        ("ready", "SBCPAID0001", "ready"),
        ("sent", "SBCPAID0002", "accepted_clearinghouse"),
        ("rejected", "SBCCHREJ0003", "rejected"),
    ):
        patient = PatientFactory(practice=practice, first_name=name.title(), last_name="Quill",
                                 address_line1="12 Elm Street")  # fmt: skip
        coverage = CoverageFactory(patient=patient, payer=payer, member_id=member)
        claim = ClaimFactory(
            coverage=coverage, rendering_provider=provider, status=status, date_from=day, date_to=day,
            total_cents=15000, timely_filing_deadline=day + dt.timedelta(days=90), diagnoses=["F41.1"],
        )  # fmt: skip
        ClaimLineFactory(claim=claim, line_number=1, charge_cents=15000, service_date=day)
        claims[name] = claim
    ClaimAcknowledgement.objects.create(
        claim=claims["rejected"], source="clearinghouse_277ca", accepted=False, category_code="A7",
        status_code="164", message=REASON, occurred_at=timezone.now(),
    )  # fmt: skip
    batch = ClaimBatch.objects.create(practice=practice, status="sent", claim_count=2, sent_at=timezone.now())
    for name in ("sent", "rejected"):
        ClaimBatchItem.objects.create(batch=batch, claim=claims[name])
    return {"biller": biller, "claims": claims, "batch": batch}


def test_claim_screens_at_desktop_and_phone_width(live_server, page: Page, claims_day):
    ready, rejected = claims_day["claims"]["ready"], claims_day["claims"]["rejected"]
    batch = claims_day["batch"]
    problems: list[str] = []
    login_with_mfa(page, live_server.url, claims_day["biller"])
    for size in (DESKTOP, PHONE):
        where = f"{size['width']}px"
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/")
        if size is DESKTOP:
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
        else:
            page.goto(f"{live_server.url}/claims/")
        expect(page).to_have_url(re.compile(r"/claims/$"))
        expect(page.locator("#claim-count-ready .badge")).to_have_text("1")
        expect(page.locator("#claim-count-rejected .badge")).to_have_text("1")
        expect(page.locator("#claim-table tbody tr")).to_have_count(3)
        problems += [f"{where} list: axe {v}" for v in _blocking(page)] + (
            [] if _fits(page) else [f"{where} list too wide"]
        )

        # Filter by state through the chips.
        page.locator("#claim-count-rejected").click()
        expect(page.locator("#claim-table tbody tr")).to_have_count(1)

        # One claim: the builder's segments, the deadline, the acknowledgement in words.
        page.locator(f"#claim-{rejected.pk} a").click()
        expect(page.locator("#claim-status")).to_have_text("Rejected")
        expect(page.locator("#claim-837-segments")).to_contain_text(
            f"CLM*{rejected.patient_control_number}*150*"
        )
        expect(page.locator("#claim-837-segments")).to_contain_text(
            "NM1*IL*1*QUILL*REJECTED****MI*SBCCHREJ0003"
        )
        expect(page.locator("#claim-deadline")).to_contain_text("87 days left")
        expect(page.locator("#claim-acknowledgements")).to_contain_text(REASON)
        expect(page.locator("#claim-resubmit")).to_be_visible()
        problems += [f"{where} claim: axe {v}" for v in _blocking(page)] + (
            [] if _fits(page) else [f"{where} claim too wide"]
        )
        with page.expect_download() as download:
            page.locator("#claim-pdf").click()
        assert download.value.suggested_filename == f"cms1500-{rejected.patient_control_number}.pdf"

        # Batches: the ready claim ticked, the sent batch's progress bar full.
        page.goto(f"{live_server.url}/claims/batches/")
        expect(page.locator("#ready-table tbody tr")).to_have_count(1)
        expect(page.locator(f"#submit-{ready.pk}")).to_be_checked()
        item = page.locator(f"#batch-{batch.pk}")
        expect(item.locator(".batch-status")).to_have_text("Sent")
        expect(item.locator("progress")).to_have_attribute("value", "2")
        expect(item.locator(".batch-accepted")).to_have_text("1")
        expect(item.locator(".batch-rejected")).to_have_text("1")
        problems += [f"{where} batches: axe {v}" for v in _blocking(page)] + (
            [] if _fits(page) else [f"{where} batches too wide"]
        )

        # The rejection queue: the reason in words, resubmit offered.
        page.goto(f"{live_server.url}/claims/rejections/")
        row = page.locator(f"#rejection-{rejected.pk}")
        expect(row.locator(".rejection-reason")).to_contain_text(REASON)
        expect(row.locator(".rejection-reason")).to_contain_text("(A7/164)")
        expect(page.locator(f"#resubmit-{rejected.pk}")).to_be_visible()
        problems += [f"{where} rejections: axe {v}" for v in _blocking(page)] + (
            [] if _fits(page) else [f"{where} rejections too wide"]
        )
    assert problems == []
