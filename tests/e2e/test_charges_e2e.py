"""Charges in a real browser: two final notes of one patient on one day (written through the notes
services, handed off to a real Celery worker through a Redis broker, as in production) → the biller opens Charges, sees the lines with the "why" and the scrubber's duplicate
finding with its fix hint, tries an override without a reason (refused, nothing changed), then
overrides with a reason (59, a separate session): the findings update and the history shows who,
what and why."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import ChargeEvent, ChargeSet
from core.domain.service_types import ServiceType
from core.formatting import date_label
from payer_rules.services import payer_rule_set_create
from payers.models import PayerEnrollment
from practice.access import practice_access_for
from practice.models import License
from tests.clinical_notes.helpers import sign, write_note
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory
from tests.factories.clinical import CareTeamMemberFactory, PatientDiagnosisFactory
from tests.workers import real_worker, wait_for_jobs_done

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NY = ZoneInfo("America/New_York")


@pytest.fixture
def day_of_two_sessions(make_member, tmp_path):
    practice = PracticeFactory(timezone="America/New_York")
    clinician = make_member("clinician", practice, provider=True, credential="LPC")
    admin = make_member("practice_admin", practice)
    biller = make_member("biller", practice, username="e2e-biller")
    provider = clinician.provider_profiles.get()
    License.objects.create(
        provider=provider, number="LPC-1", state="NY", kind="LPC", expires_on=dt.date(2030, 1, 1)
    )
    payer = PayerFactory(
        practice=practice, name="Empire Medicaid", kind="medicaid", payer_id="EMP01", timely_filing_days=365
    )
    payer_rule_set_create(
        access=practice_access_for(user=admin, practice_id=practice.pk),
        payer_pk=payer.pk,
        effective_from=dt.date(2024, 1, 1),
        rules={
            "coding": {"practitioner_modifiers": True, "video_modifier": "95", "audio_only_modifier": "93"}
        },
    )
    PayerEnrollment.objects.create(
        provider=provider, payer=payer, status="enrolled", effective_on=dt.date(2024, 1, 1)
    )
    patient = PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    CoverageFactory(patient=patient, payer=payer, member_id="EMP998877", effective_on=dt.date(2024, 1, 1))
    CareTeamMemberFactory(patient=patient, provider=provider)
    diagnosis = PatientDiagnosisFactory(
        patient=patient, code="F411", description="Generalized anxiety disorder"
    )
    access = practice_access_for(user=clinician, practice_id=practice.pk)
    yesterday = (timezone.now().astimezone(NY) - dt.timedelta(days=1)).date()
    notes = []
    with real_worker(tmp_path):
        for hour in (9, 15):
            start = dt.datetime(yesterday.year, yesterday.month, yesterday.day, hour, 0, tzinfo=NY)
            note = sign(
                access,
                write_note(
                    access,
                    patient_id=patient.pk,
                    diagnosis_ids=[diagnosis.pk],
                    service_type=ServiceType.INDIVIDUAL_PSYCHOTHERAPY,
                    start=start,
                    minutes=45,
                ),
            )
            notes.append(note)
            # one at a time: the second note's capture must see the first's charges
            wait_for_jobs_done(len(notes))
    return {"biller": biller, "notes": notes}


def test_a_biller_reviews_charges_and_overrides_a_line_with_a_reason(
    live_server, page: Page, day_of_two_sessions
):
    first, second = day_of_two_sessions["notes"]
    held = ChargeSet.objects.get(note=second)
    assert (ChargeSet.objects.get(note=first).status, held.status) == ("ready", "on_hold")

    # Sign in and open Charges from the navigation.
    login_with_mfa(page, live_server.url, day_of_two_sessions["biller"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Charges").click()
    expect(page).to_have_url(re.compile(r"/charges/$"))
    expect(page.locator("#charge-table tbody tr")).to_have_count(2)
    expect(page.locator("#count-on_hold .badge")).to_have_text("1")
    expect(page.locator(f"#charges-{held.pk}")).to_contain_text("On hold")

    # The held charges: the line, the "why", the finding with its fix hint.
    page.locator(f"#charges-{held.pk} a").click()
    expect(page.locator("#charge-status")).to_have_text("On hold")
    expect(page.locator("#line-1 .line-code")).to_contain_text("90834")
    expect(page.locator("#line-1 .line-modifiers")).to_have_text("HO")
    expect(page.locator("#charge-why")).to_contain_text(
        "45 minutes of psychotherapy falls in the 38-52 minute band: 90834."
    )
    expect(page.locator("#charge-why")).to_contain_text(
        "asks for the practitioner level: LPC (master) -> HO."
    )
    finding = page.locator("#line-1-details .finding-error")
    expect(finding).to_contain_text(
        f"90834-HO on {date_label(first.date_of_service)} is already captured (note {first.pk})."
    )
    expect(finding).to_contain_text("How to fix: Bill the date's units on one line")
    # yesterday's date of service falls in an ICD-10-CM year the test database has not imported
    expect(page.locator("#finding-counts")).to_have_text("1 error, 1 warning")
    expect(page.locator(".finding-warning").first).to_contain_text("ICD-10-CM")

    # An override without a reason is refused and changes nothing.
    page.locator("#override-1 summary").click()
    page.fill(f"#id_line-{held.lines.get().pk}-modifiers", "HO, 59")
    page.locator("#override-1 button[type=submit]").click()
    expect(page.locator("#override-1 .errors").first).to_contain_text("Nothing was changed.")
    expect(page.locator("#override-1")).to_contain_text(
        "Say why the line is changed (the reason is recorded)."
    )
    expect(page.locator("#charge-status")).to_have_text("On hold")
    assert ChargeEvent.objects.filter(charge_set=held, kind="overridden").count() == 0

    # With a reason: recorded, re-scrubbed, the finding is gone.
    page.fill(f"#id_line-{held.lines.get().pk}-modifiers", "HO, 59")
    page.fill(f"#id_line-{held.lines.get().pk}-reason", "Separate afternoon session: distinct service (59).")
    page.locator("#override-1 button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Line changed and re-scrubbed: no errors remain.")
    expect(page.locator("#charge-status")).to_have_text("Ready")
    expect(page.locator("#line-1 .line-modifiers")).to_have_text("HO, 59")
    expect(page.locator("#line-1-details")).to_contain_text("No findings on this line.")
    expect(page.locator("#finding-counts")).to_have_text("0 errors, 1 warning")  # the ICD-10-CM year
    history = page.locator("#charge-history")
    expect(history).to_contain_text("Line changed (line 1)")
    expect(history).to_contain_text("modifiers HO → HO, 59")
    expect(history).to_contain_text("Separate afternoon session: distinct service (59).")
    expect(history).to_contain_text("e2e-biller")

    # Mark reviewed.
    page.locator("#mark-reviewed").click()
    expect(page.locator("#charge-status")).to_have_text("Reviewed")
    held.refresh_from_db()
    assert (held.status, held.error_count) == ("reviewed", 0)
