"""Claims in a real browser.

1. The screens: the biller opens Claims from the menu (counts per state), one claim (837P preview
   from the builder, deadline, acknowledgement in words, CMS-1500 PDF download), the batch screen
   (ready claims ticked, batches with their progress bars) and the rejection queue (the reason in
   words) — at desktop and at phone width (390 px), with axe-core.
2. The flow, through the sandbox clearinghouse and a real Celery worker: two ready claims → Submit
   batch (the progress bar fills as the worker sends the file) → the 999 and the clearinghouse
   277CA → one claim rejected (invalid member ID: the sandbox's SBCCHREJ members) in the queue
   with the reason in words → the member ID corrected on the coverage → Resubmit: re-scrubbed,
   ready → a second batch at phone width → accepted; the queue is empty."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import Claim, ClaimAcknowledgement, ClaimBatch, ClaimBatchItem
from claims.services.acknowledgements import claims_responses_collect
from patients.services import coverage_update
from payers.models import PayerEnrollment
from practice.access import practice_access_for
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory
from tests.workers import real_worker, wait_until

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


@pytest.fixture
def claims_to_send(make_member, settings, tmp_path):
    settings.CLAIMS_SANDBOX_DIR = str(tmp_path / "sandbox")  # the worker gets the same (below)
    practice = PracticeFactory(timezone="America/New_York", postal_code="627011234", phone="2175550100")
    clinician = make_member("clinician", practice, provider=True, credential="LPC")
    biller = make_member("biller", practice, username="e2e-claims-biller")
    admin = make_member("practice_admin", practice)
    payer = PayerFactory(practice=practice, name="Sandbox Health", payer_id="SBXPAYER", timely_filing_days=90)
    provider = clinician.provider_profiles.get()
    PayerEnrollment.objects.create(
        provider=provider, payer=payer, status="enrolled", effective_on=dt.date(2024, 1, 1)
    )
    day = (timezone.now().astimezone(NY) - dt.timedelta(days=3)).date()
    claims = {}
    for name, member in (("paid", "SBCPAID0001"), ("rejected", "SBCCHREJ0002")):
        patient = PatientFactory(practice=practice, first_name=name.title(), last_name="Quill",
                                 address_line1="12 Elm Street")  # fmt: skip
        coverage = CoverageFactory(patient=patient, payer=payer, member_id=member)
        claim = ClaimFactory(
            coverage=coverage, rendering_provider=provider, status="ready", date_from=day, date_to=day,
            total_cents=15000, timely_filing_deadline=day + dt.timedelta(days=90), diagnoses=["F41.1"],
        )  # fmt: skip
        ClaimLineFactory(claim=claim, line_number=1, charge_cents=15000, service_date=day)
        claims[name] = claim
    return {"practice": practice, "biller": biller, "admin": admin, "claims": claims}


def _collect_until(practice_id: int, claim: Claim, statuses: set[str]) -> None:
    """Collect the sandbox's answers (as the beat job does) until `claim` reaches a status."""

    def reached() -> bool:
        claims_responses_collect(practice_id=practice_id)
        claim.refresh_from_db()
        return claim.status in statuses

    wait_until(reached, timeout=60, what=f"claim {claim.pk} to reach {statuses}")


def test_submit_a_batch_then_fix_and_resubmit_a_rejection(live_server, page: Page, claims_to_send, tmp_path):
    sending = claims_to_send
    practice = sending["practice"]
    paid, rejected = sending["claims"]["paid"], sending["claims"]["rejected"]
    problems: list[str] = []
    with real_worker(tmp_path, env={"CLAIMS_SANDBOX_DIR": str(tmp_path / "sandbox")}):
        login_with_mfa(page, live_server.url, sending["biller"])

        # The list: two ready claims, counted per state.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
        expect(page).to_have_url(re.compile(r"/claims/$"))
        expect(page.locator("#claim-count-ready .badge")).to_have_text("2")
        expect(page.locator("#claim-table tbody tr")).to_have_count(2)

        # One claim: the 837P preview from the builder, the PDF.
        page.locator(f"#claim-{paid.pk} a").click()
        expect(page.locator("#claim-status")).to_have_text("Ready")
        expect(page.locator("#claim-837-segments")).to_contain_text(f"CLM*{paid.patient_control_number}*150*")
        expect(page.locator("#claim-deadline")).to_contain_text("days left")
        with page.expect_download() as download:
            page.locator("#claim-pdf").click()
        assert download.value.suggested_filename == f"cms1500-{paid.patient_control_number}.pdf"
        problems += [f"claim detail: axe {v}" for v in _blocking(page)]

        # Submit both as one batch: the progress bar fills as the worker sends the file.
        page.goto(f"{live_server.url}/claims/batches/")
        expect(page.locator("#ready-table tbody tr")).to_have_count(2)
        page.locator("#submit-batch").click()
        expect(page.locator(".messages")).to_contain_text("queued: 2 claims on the way")
        batch = page.locator("li.batch").first
        expect(batch.locator(".batch-status")).to_have_text("Sent", timeout=30_000)
        expect(batch.locator("progress")).to_have_attribute("value", "2")
        expect(batch.locator(".batch-sent")).to_have_text("2")

        # The 999 and the clearinghouse 277CA: one accepted, one rejected (invalid member ID).
        _collect_until(practice.pk, rejected, {"rejected"})
        _collect_until(practice.pk, paid, {"accepted_clearinghouse", "accepted_payer", "paid"})
        page.reload()
        expect(batch.locator(".batch-rejected")).to_have_text("1")
        page.goto(f"{live_server.url}/claims/rejections/")
        row = page.locator(f"#rejection-{rejected.pk}")
        expect(row.locator(".rejection-reason")).not_to_be_empty()
        reason = row.locator(".rejection-reason").inner_text()
        problems += [f"rejections: axe {v}" for v in _blocking(page)]

        # The claim shows the acknowledgements in words.
        page.locator(f"#rejection-{rejected.pk} a").first.click()
        expect(page.locator("#claim-status")).to_have_text("Rejected")
        expect(page.locator("#claim-acknowledgements")).to_contain_text("Rejected")
        expect(page.locator("#claim-acknowledgements")).to_contain_text(reason.split(" (")[0][:40])

        # Fixed: the member ID corrected on the coverage, then Resubmit: re-scrubbed, ready again.
        coverage_update(
            access=practice_access_for(user=sending["admin"], practice_id=practice.pk),
            patient_id=rejected.patient_id,
            coverage_id=rejected.coverage_id,
            changes={"member_id": "SBCPAID0003"},
        )
        page.goto(f"{live_server.url}/claims/rejections/")
        page.locator(f"#resubmit-{rejected.pk}").click()
        expect(page.locator(".messages")).to_contain_text("the claim is ready for the next batch")
        expect(page.locator("#claim-status")).to_have_text("Ready")
        expect(page.locator("#claim-837-segments")).to_contain_text("SBCPAID0003")
        new = rejected

        # At phone width: the batch screen, submit the fixed claim, the queue empty.
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/claims/batches/")
        assert _fits(page), "the batch screen is wider than a phone"
        problems += [f"batches (phone): axe {v}" for v in _blocking(page)]
        expect(page.locator("#ready-table tbody tr")).to_have_count(1)
        page.locator("#submit-batch").click()
        expect(page.locator("li.batch").first.locator(".batch-status")).to_have_text("Sent", timeout=30_000)
        _collect_until(practice.pk, new, {"accepted_clearinghouse", "accepted_payer", "paid"})
        page.goto(f"{live_server.url}/claims/rejections/")
        expect(page.locator("#no-rejections")).to_be_visible()
        page.goto(f"{live_server.url}/claims/")
        assert _fits(page), "the claims list is wider than a phone"
        page.goto(f"{live_server.url}/claims/{new.pk}/")
        assert _fits(page), "the claim page is wider than a phone"
        problems += [f"claim (phone): axe {v}" for v in _blocking(page)]
        page.set_viewport_size(DESKTOP)
    assert problems == []
