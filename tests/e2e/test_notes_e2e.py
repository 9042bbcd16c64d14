"""Session notes in a real browser: a technician writes a note (autosaved), signs it; the supervisor
returns it with a comment; the technician revises and re-signs; the supervisor co-signs; the note
is final and read-only, and a real Celery worker (through Redis) captures its charges; an addendum
appears below it."""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import ChargeSet
from clinical_notes import services
from clinical_notes.models import NoteAddendum, NoteEvent, SessionNote
from practice.access import practice_access_for
from tests.e2e.helpers import login_with_mfa
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import (
    CareTeamMemberFactory,
    PatientDiagnosisFactory,
    PlanGoalFactory,
    PlanProblemFactory,
    SessionNoteFactory,
    SupervisionFactory,
    TreatmentPlanFactory,
)
from tests.factories.scheduling import AppointmentFactory
from tests.workers import real_worker, wait_for_jobs_done

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NY = ZoneInfo("America/New_York")
RESPONSE = "Requested a break with a picture card eleven times and waited calmly between trials"
REVISED = "Requested breaks with the picture card on eleven of twelve trials; waited up to two minutes"


@pytest.fixture
def clinic(make_member):
    practice = PracticeFactory(timezone="America/New_York")
    tech = make_member("technician", practice, provider=True, credential="RBT")
    supervisor = make_member("supervisor", practice, provider=True, credential="BCBA")
    tech_provider = tech.provider_profiles.get()
    SupervisionFactory(
        supervisor=supervisor.provider_profiles.get(), supervisee=tech_provider, starts_on=dt.date(2025, 1, 1)
    )
    patient = PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    CareTeamMemberFactory(patient=patient, provider=tech_provider)
    diagnosis = PatientDiagnosisFactory(patient=patient, code="F840", description="Autistic disorder")
    # An active plan whose review date has passed: signing records a warning the supervisor sees.
    plan = TreatmentPlanFactory(
        practice=practice,
        patient=patient,
        author=supervisor.provider_profiles.get(),
        starts_on=dt.date(2025, 1, 1),
        review_on=dt.date(2025, 6, 30),
    )
    goal = PlanGoalFactory(problem=PlanProblemFactory(plan=plan), description="Requests breaks with a card")
    # The patient's previous note (final): the queue shows the diff against it.
    now = timezone.now()
    SessionNoteFactory(
        practice=practice,
        patient=patient,
        author=tech_provider,
        service_type="aba_technician_treatment",
        date_of_service=(now - dt.timedelta(days=7)).astimezone(NY).date(),
        status="final",
        signed_at=now - dt.timedelta(days=7),
        finalized_at=now - dt.timedelta(days=6),
        content={"behavior_data": "Worked on manding with picture cards during play."},
    )
    start = (now - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    appointment = AppointmentFactory(
        practice=practice,
        patient=patient,
        provider=tech_provider,
        service_type="aba_technician_treatment",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=60),
        status="completed",
    )
    return {
        "tech": tech,
        "supervisor": supervisor,
        "appointment": appointment,
        "diagnosis": diagnosis,
        "goal": goal,
    }


def _write(page: Page, response: str) -> None:
    page.check("#id_participants-patient_present_1")
    page.check("input[data-content-list=interventions][value=dtt]")
    page.fill("#id_content-behavior_data", "Manding with picture cards: 11 of 12 independent responses.")
    page.fill("#id_content-patient_response", response)
    page.fill("#id_content-progress", "Independent requests rose from 7 of 12 last week to 11 of 12 today.")
    page.fill(
        "#id_content-plan", "Fade the visual prompt next session and add a second communication partner."
    )


@pytest.fixture
def worker(tmp_path):
    """Hand-offs from the live server go through Redis to a real Celery worker process."""
    with real_worker(tmp_path) as running:
        yield running


def test_write_sign_return_revise_cosign_and_add_an_addendum(
    live_server, page: Page, new_context, clinic, worker
):
    base = live_server.url
    appointment = clinic["appointment"]

    # given: the technician opens the session from "Notes to write"
    login_with_mfa(page, base, clinic["tech"])
    page.goto(f"{base}/notes/to-write/")
    page.locator(f"#appointment-{appointment.pk}").get_by_role("button", name="Write note").click()
    expect(page).to_have_url(re.compile(r"/notes/\d+/edit/$"))
    note = SessionNote.objects.get(appointment=appointment)

    # when: they write; the draft autosaves
    _write(page, RESPONSE)
    page.check(f"input[data-diagnosis][value='{clinic['diagnosis'].pk}']")
    page.check(f"input[data-goal='{clinic['goal'].pk}']")
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=15_000)
    expect(page.locator("#checks-ready")).to_have_text("Ready to sign")

    # then: reloading loses nothing (the times typed in local time came back unchanged)
    page.reload()
    expect(page.locator("#id_content-patient_response")).to_have_value(RESPONSE)
    expect(page.locator(f"input[data-goal='{clinic['goal'].pk}']")).to_be_checked()
    saved = SessionNote.objects.get(pk=note.pk)
    assert saved.content["patient_response"] == RESPONSE
    assert [(s.starts_at, s.ends_at) for s in saved.segments.all()] == [
        (appointment.starts_at, appointment.ends_at)
    ]

    # when: they sign with the attestation
    page.check("#id_attested")
    page.click("#sign-note")
    expect(page.locator("#note-status")).to_have_text("Awaiting co-signature")

    # then: the supervisor (another browser) sees it in the queue with the findings and the diff
    supervisor_page = new_context().new_page()
    login_with_mfa(supervisor_page, base, clinic["supervisor"])
    supervisor_page.goto(f"{base}/notes/cosign/")
    item = supervisor_page.locator(f"#queue-note-{note.pk}")
    expect(item).to_contain_text("Quill, Avery")
    expect(item.locator(".findings")).to_contain_text("review date (Mon 30 Jun 2025) passed")
    expect(item.locator(".track-changes ins").first).to_be_visible()
    expect(item.locator(".track-changes").first).to_contain_text("Manding with picture cards")

    # when: the supervisor returns it with a comment
    item.locator("textarea[name=comment]").fill("Add the prompt level used for each trial.")
    item.get_by_role("button", name="Return with comments").click()
    expect(supervisor_page.locator("#queue-empty")).to_be_visible()

    # then: the technician sees the comment, revises and signs again
    page.goto(f"{base}/notes/returned/")
    expect(page.locator(f"#note-{note.pk}")).to_contain_text("Add the prompt level used for each trial.")
    page.locator(f"#note-{note.pk}").get_by_role("link", name="Continue").click()
    expect(page.locator("#return-comment")).to_contain_text("Add the prompt level used for each trial.")
    page.fill("#id_content-patient_response", REVISED)
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=15_000)
    page.check("#id_attested")
    page.click("#sign-note")
    expect(page.locator("#note-status")).to_have_text("Awaiting co-signature")

    # when: the supervisor co-signs from the queue with the attestation
    supervisor_page.goto(f"{base}/notes/cosign/")
    item = supervisor_page.locator(f"#queue-note-{note.pk}")
    item.locator("input[name=attested]").check()
    item.get_by_role("button", name="Co-sign").click()
    expect(supervisor_page.locator("#queue-empty")).to_be_visible()

    # then: the note is final and read-only, for the author too
    page.goto(f"{base}/notes/{note.pk}/edit/")
    expect(page).to_have_url(re.compile(rf"/notes/{note.pk}/$"))
    expect(page.locator("#note-status")).to_have_text("Final")
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("#edit-note")).to_have_count(0)
    expect(page.locator("#note-content")).to_contain_text(REVISED)
    expect(page.locator("#cosignature-line")).to_contain_text("Signed electronically by")

    # then: the co-sign handed the note to claims; a real worker captured its charges, once
    wait_for_jobs_done(1)
    assert ChargeSet.objects.filter(note_id=note.pk).count() == 1

    # when: the technician adds an addendum
    page.fill("#id_reason", "Late entry")
    page.fill("#id_text", "The caregiver reported the same card use at home that evening.")
    page.click("#add-addendum")

    # then: it appears below the note, and the history has every transition
    expect(page.locator("#addendum-1")).to_contain_text("The caregiver reported the same card use at home")
    expect(page.locator("#addendum-1")).to_contain_text("Late entry")
    final = SessionNote.objects.get(pk=note.pk)
    assert final.status == "final"
    assert list(NoteEvent.objects.filter(note=final).values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "awaiting_cosign"),
        ("awaiting_cosign", "returned"),
        ("returned", "awaiting_cosign"),
        ("awaiting_cosign", "final"),
    ]
    assert NoteAddendum.objects.filter(note=final).count() == 1


def _wait_for(condition, *, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the database"
        time.sleep(0.1)


def test_leaving_the_page_saves_and_a_stale_page_stops_with_a_conflict(live_server, page: Page, clinic):
    base = live_server.url
    access = practice_access_for(user=clinic["tech"], practice_id=clinic["appointment"].practice_id)
    note = services.note_create(access=access, appointment_id=clinic["appointment"].pk)
    edit = f"{base}/notes/{note.pk}/edit/"
    login_with_mfa(page, base, clinic["tech"])
    page.goto(edit)

    # when: they type and leave at once (before the autosave delay)
    page.fill("#id_content-plan", "Typed just before leaving the page.")
    page.goto(f"{base}/notes/my-day/")

    # then: the page's keepalive save reached the server
    _wait_for(
        lambda: (
            SessionNote.objects.get(pk=note.pk).content.get("plan") == "Typed just before leaving the page."
        )
    )
    page.goto(edit)
    expect(page.locator("#id_content-plan")).to_have_value("Typed just before leaving the page.")

    # when: a time that does not exist in New York (clocks spring forward at 02:00 on 8 March)
    page.click("#add-segment")
    page.fill("#id_segment-1-start", "2026-03-08T02:30")
    page.fill("#id_segment-1-end", "2026-03-08T03:30")
    # then: the rest is saved, the times are kept as they were, and the status says why
    expect(page.locator("#autosave-status")).to_contain_text(
        "except: time 2 does not exist in America/New_York", timeout=15_000
    )
    assert SessionNote.objects.get(pk=note.pk).segments.count() == 1

    # when: the draft is saved elsewhere (another tab), then this page autosaves
    current = SessionNote.objects.get(pk=note.pk)
    services.note_draft_update(
        access=access,
        note_id=note.pk,
        version=current.version,
        content={**current.content, "plan": "Other tab."},
    )
    page.fill("#id_content-progress", "Typed in the stale page.")
    # then: nothing is overwritten; the page says so and offers a reload
    expect(page.locator("#autosave-status")).to_have_text("Conflict — reload", timeout=15_000)
    expect(page.locator("#reload-note")).to_be_visible()
    stored = SessionNote.objects.get(pk=note.pk).content
    assert (stored["plan"], stored.get("progress")) == ("Other tab.", None)
