"""The eligibility screens and API: verify now, plain benefits with the Sandbox label, the
banner that keeps the previous result when a check fails (E5), the problems before the session."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.urls import reverse

from eligibility import services
from eligibility.models import EligibilityCheck
from eligibility.selectors import session_problem_count
from practice.selectors import practice_today
from tests.eligibility.world import make_world

pytestmark = pytest.mark.django_db
DOS = dt.date(2026, 3, 10)


@pytest.fixture
def world(make_member):  # type: ignore[no-untyped-def]
    return make_world(make_member)


def run_all() -> None:
    for check in EligibilityCheck.objects.filter(status__in=["queued", "failed_transient"]):
        with contextlib.suppress(services.CheckRetry):
            services.eligibility_check_run(check_id=check.pk)


def test_verify_now_on_the_patient_screen_shows_plain_benefits_labelled_sandbox(world, client_for):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1001")
    http = client_for(world.biller)
    response = http.post(
        reverse("eligibility:verify_coverage", args=[coverage.pk]), {"service_date": "2026-03-10"}
    )
    assert response.status_code == 302
    run_all()

    page = http.get(reverse("patients:detail", args=[coverage.patient_id])).content.decode()
    assert "$20.00 copay per visit" in page
    assert "$500.00 of $500.00 deductible left" in page
    assert ">Sandbox<" in page
    assert 'id="verify-' in page


def test_clinicians_read_eligibility_but_get_no_verify_button(world, client_for):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1002")
    services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    run_all()
    page = (
        client_for(world.clinician)
        .get(reverse("eligibility:patient", args=[coverage.patient_id]))
        .content.decode()
    )
    assert "$30.00 copay per visit" in page
    assert 'id="verify-' not in page


def test_a_failed_check_keeps_the_previous_result_with_a_banner(world, client_for, monkeypatch):  # type: ignore[no-untyped-def]
    # E5
    import clearinghouse.sandbox as sandbox

    coverage = world.coverage("SBX1001")
    services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    run_all()
    monkeypatch.setattr(sandbox, "scenario_for", lambda member_id: sandbox.Scenario.CLEARINGHOUSE_DOWN)
    services.eligibility_verify_now(
        access=world.access, coverage_id=coverage.pk, service_date=DOS, force=True
    )
    run_all()

    page = (
        client_for(world.biller)
        .get(reverse("eligibility:patient", args=[coverage.patient_id]))
        .content.decode()
    )
    assert "The last check failed: The sandbox clearinghouse answered HTTP 503" in page
    assert "$20.00 copay per visit" in page
    assert "Failed, retrying" in page


def test_the_check_record_shows_the_raw_270_and_271(world, client_for):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1008")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    run_all()
    page = client_for(world.biller).get(reverse("eligibility:check", args=[check.pk])).content.decode()
    assert "ISA*" in page
    assert "AAA*N**75*C" in page
    assert "Mental health" in page  # the service type asked, in words


def test_aaa_errors_show_code_loop_and_next_step(world, client_for):  # type: ignore[no-untyped-def]
    # E3
    coverage = world.coverage("SBX1008")
    services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    run_all()
    page = (
        client_for(world.biller)
        .get(reverse("eligibility:patient", args=[coverage.patient_id]))
        .content.decode()
    )
    assert "AAA 75" in page
    assert "Subscriber (2100C)" in page
    assert "Rejected by the payer" in page


def test_the_api_creates_once_then_returns_the_same_check(world, client_for):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1003")
    http = client_for(world.biller)
    url = reverse("eligibility_api:check_create")
    body = {"coverage_id": coverage.pk, "service_date": "2026-03-10"}
    first = http.post(url, body, content_type="application/json")
    second = http.post(url, body, content_type="application/json")
    run_all()
    forced = http.post(url, {**body, "force": True}, content_type="application/json")
    assert (first.status_code, second.status_code, forced.status_code) == (201, 200, 201)
    assert first.json()["id"] == second.json()["id"] != forced.json()["id"]
    assert first.json()["is_sandbox"] is True


def test_the_api_refuses_another_practices_coverage(world, client_for, make_member):  # type: ignore[no-untyped-def]
    from tests.factories import CoverageFactory

    other = CoverageFactory(member_id="SBX1001")
    response = client_for(world.biller).post(
        reverse("eligibility_api:check_create"), {"coverage_id": other.pk}, content_type="application/json"
    )
    assert response.status_code == 404


def test_problems_before_the_session_and_their_count(world, client_for):  # type: ignore[no-untyped-def]
    today = practice_today(practice_id=world.practice.pk)
    ok = world.coverage("SBX1001")
    inactive = world.coverage("SBX1007")
    unverified = world.coverage("SBX1002")
    auth = world.coverage("SBX1006")
    later = world.coverage("SBX1004")
    for coverage in (ok, inactive, unverified, auth, later):
        world.appointment(coverage, today + dt.timedelta(days=2 if coverage is not later else 8))
    for coverage in (ok, inactive, auth):
        services.eligibility_verify_now(
            access=world.access, coverage_id=coverage.pk, service_date=today + dt.timedelta(days=2)
        )
    run_all()

    assert session_problem_count(practice_id=world.practice.pk) == 3
    page = client_for(world.biller).get(reverse("eligibility:problems")).content.decode()
    assert "Coverage not active" in page
    assert "Eligibility not verified" in page
    assert "Authorization required, none on file" in page
    assert page.count('id="problem-') == 3


def test_the_nav_links_to_the_problems_list_for_billers_only(world, client_for):  # type: ignore[no-untyped-def]
    url = reverse("eligibility:problems")
    biller = client_for(world.biller).get(reverse("home")).context["nav_items"]
    clinician = client_for(world.clinician).get(reverse("home")).context["nav_items"]
    assert any(item["url"] == url for item in biller)
    assert not any(item["url"] == url for item in clinician)


def test_the_appointment_screen_offers_verify_now_to_billers_and_reading_to_clinicians(world, client_for):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1006")
    appointment = world.appointment(coverage, DOS)
    url = reverse("scheduling:appointment_detail", args=[appointment.pk])
    biller = client_for(world.biller).get(url).content.decode()
    clinician = client_for(world.clinician).get(url).content.decode()
    assert 'id="verify-appointment"' in biller
    assert 'id="appointment-eligibility"' in clinician
    assert 'id="verify-appointment"' not in clinician

    response = client_for(world.biller).post(reverse("eligibility:verify_appointment", args=[appointment.pk]))
    assert response.status_code == 302
    check = EligibilityCheck.objects.get()
    assert (check.appointment_id, check.service_date, check.reason) == (appointment.pk, DOS, "before_session")


def test_the_problems_list_reads_a_constant_number_of_queries(world):  # type: ignore[no-untyped-def]
    from eligibility.selectors import session_problem_rows
    from tests.query_counts import queries_of

    today = practice_today(practice_id=world.practice.pk)
    members = ["SBX1001", "SBX1002", "SBX1006", "SBX1007"]
    coverages = [world.coverage(m) for m in members[:2]]
    for coverage in coverages:
        world.appointment(coverage, today + dt.timedelta(days=1))
    services.eligibility_verify_now(
        access=world.access, coverage_id=coverages[0].pk, service_date=today + dt.timedelta(days=1)
    )
    run_all()
    few_rows = len(session_problem_rows(practice_id=world.practice.pk))
    few = queries_of(lambda: session_problem_rows(practice_id=world.practice.pk))

    more = [world.coverage(m) for m in members[2:]]
    for coverage in [*coverages, *more]:
        world.appointment(coverage, today + dt.timedelta(days=2))
        world.appointment(coverage, today + dt.timedelta(days=3), hour=14)
    for coverage in more:
        services.eligibility_verify_now(
            access=world.access, coverage_id=coverage.pk, service_date=today + dt.timedelta(days=2)
        )
    run_all()
    many_rows = len(session_problem_rows(practice_id=world.practice.pk))
    many = queries_of(lambda: session_problem_rows(practice_id=world.practice.pk))

    assert many_rows > few_rows + 4
    assert many == few


def test_billing_roles_get_estimate_links_on_the_appointment_and_the_eligibility_panel(world, client_for):  # type: ignore[no-untyped-def]
    from tests.factories.scheduling import AppointmentFactory

    today = practice_today(practice_id=world.practice.pk)
    coverage = world.coverage("SBX1001")
    start = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(15), tzinfo=dt.UTC)
    appointment = AppointmentFactory(
        practice=world.practice,
        patient=coverage.patient,
        provider=world.clinician.provider_profiles.get(),
        starts_at=start,
    )
    estimate = reverse("estimates:appointment", args=[appointment.pk])
    detail = reverse("scheduling:appointment_detail", args=[appointment.pk])
    panel = reverse("eligibility:patient", args=[coverage.patient_id])
    patient = reverse("patients:detail", args=[coverage.patient_id])

    biller = client_for(world.biller)
    for url in (detail, panel, patient):
        page = biller.get(url).content.decode()
        assert f'href="{estimate}"' in page, url
    assert biller.get(estimate).status_code == 200

    clinician = client_for(world.clinician)
    for url in (detail, panel, patient):
        response = clinician.get(url)
        assert response.status_code == 200, url
        assert estimate not in response.content.decode(), url
