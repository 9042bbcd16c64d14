"""Pitfall E1, carve-outs: the plan's 271 says another organization administers the MH/SUD
benefits (sandbox member SBX1011 names SANDBOX BEHAVIORAL HEALTH, payer ID SBXBH01). The
patient screen offers a second 270 to that administrator once it is set up as a payer (button
and API); the morning batch asks it by itself; the administrator's answer shows the benefits."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.urls import reverse

from core.errors import ValidationFailed
from eligibility import services
from eligibility.models import EligibilityCheck
from eligibility.selectors import eligibility_panels_for_user
from practice.selectors import practice_today
from tests.eligibility.world import make_world
from tests.factories import PayerFactory

pytestmark = pytest.mark.django_db
DOS = dt.date(2026, 3, 10)


@pytest.fixture
def world(make_member):  # type: ignore[no-untyped-def]
    return make_world(make_member)


def run_all() -> None:
    for check in EligibilityCheck.objects.filter(status__in=["queued", "failed_transient"]):
        with contextlib.suppress(services.CheckRetry):
            services.eligibility_check_run(check_id=check.pk)


def _plan_check(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1011")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    run_all()
    check.refresh_from_db()
    return coverage, check


def test_the_plans_answer_names_the_administrator_and_its_payer_id(world):  # type: ignore[no-untyped-def]
    _, check = _plan_check(world)
    assert check.summary["carve_out"] == "SANDBOX BEHAVIORAL HEALTH"
    assert check.summary["carve_out_payer_id"] == "SBXBH01"
    assert check.summary["copay"] is None  # no "$0 copay" from the plan


def test_without_the_administrator_set_up_the_screen_says_what_to_add_and_nothing_is_queued(
    world, client_for
):  # type: ignore[no-untyped-def]
    coverage, check = _plan_check(world)
    with pytest.raises(ValidationFailed, match="payer ID SBXBH01"):
        services.eligibility_carve_out_verify(access=world.access, check_id=check.pk)
    page = (
        client_for(world.biller)
        .get(reverse("eligibility:patient", args=[coverage.patient_id]))
        .content.decode()
    )
    assert f'id="carve-out-missing-{coverage.pk}"' in page
    assert "with payer ID SBXBH01" in page
    assert EligibilityCheck.objects.count() == 1


def test_verify_with_the_administrator_sends_a_second_270_to_it_once(world, client_for):  # type: ignore[no-untyped-def]
    coverage, plan = _plan_check(world)
    PayerFactory(practice=world.practice, payer_id="SBXBH01", name="Sandbox Behavioral Health")
    http = client_for(world.biller)
    page = http.get(reverse("eligibility:patient", args=[coverage.patient_id])).content.decode()
    assert f'id="verify-carve-out-{coverage.pk}"' in page
    assert "Verify with Sandbox Behavioral Health" in page

    response = http.post(reverse("eligibility:verify_carve_out", args=[plan.pk]))
    assert response.status_code == 302
    second = EligibilityCheck.objects.get(carve_out_of=plan)
    assert (second.reason, second.coverage_id, second.service_date) == ("carve_out", coverage.pk, DOS)
    assert second.trace_number != plan.trace_number
    run_all()
    second.refresh_from_db()
    assert second.status == "done"
    (exchange,) = second.exchanges.all()
    assert "*PI*SBXBH01~" in exchange.request_x12  # the 2100A payer: the administrator
    assert "*ZZ*SBXBH01 " in exchange.request_x12  # ISA08: addressed to it
    assert second.summary["copay"] == "20.00"
    assert second.changes == []  # compared with the administrator's own earlier answers: none

    page = http.get(reverse("eligibility:patient", args=[coverage.patient_id])).content.decode()
    assert f'id="carve-out-benefits-{coverage.pk}"' in page
    assert "$20.00 copay per visit" in page
    assert f'id="verify-carve-out-{coverage.pk}"' not in page

    # the API: the same plan check again returns the same carve-out check (200)
    api = http.post(
        reverse("eligibility_api:check_carve_out", args=[plan.pk]), content_type="application/json"
    )
    assert api.status_code == 200
    assert api.json()["id"] == second.pk
    assert api.json()["carve_out_of_id"] == plan.pk
    assert EligibilityCheck.objects.filter(carve_out_of=plan).count() == 1
    # "Verify again" on the plan is not confused with the administrator's check
    again = services.eligibility_verify_now(
        access=world.access, coverage_id=coverage.pk, service_date=DOS, force=True
    )
    assert (again.sequence, again.carve_out_of_id) == (1, None)


def test_the_api_creates_the_carve_out_check_with_201(world, client_for):  # type: ignore[no-untyped-def]
    _, plan = _plan_check(world)
    PayerFactory(practice=world.practice, payer_id="SBXBH01", name="Sandbox Behavioral Health")
    response = client_for(world.biller).post(
        reverse("eligibility_api:check_carve_out", args=[plan.pk]), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["reason"] == "carve_out"


def test_a_check_that_names_no_administrator_is_refused(world):  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk, service_date=DOS)
    run_all()
    with pytest.raises(ValidationFailed, match="names no other administrator"):
        services.eligibility_carve_out_verify(access=world.access, check_id=check.pk)


@pytest.mark.parametrize(("set_up", "asked"), [(True, True), (False, False)])
def test_the_batch_asks_the_administrator_by_itself_when_it_is_set_up(world, set_up, asked):  # type: ignore[no-untyped-def]
    if set_up:
        PayerFactory(practice=world.practice, payer_id="SBXBH01", name="Sandbox Behavioral Health")
    coverage = world.coverage("SBX1011")
    world.appointment(coverage, practice_today(practice_id=world.practice.pk) + dt.timedelta(days=2))
    batch = services.eligibility_schedule_run(practice_id=world.practice.pk)
    assert batch is not None
    run_all()  # the plan's answer: the administrator's check is queued with it
    run_all()  # … and runs
    carve_outs = EligibilityCheck.objects.filter(reason="carve_out")
    assert carve_outs.exists() is asked
    if asked:
        (check,) = carve_outs
        assert (check.status, check.summary["copay"], check.batch_id) == ("done", "20.00", None)
        panel = eligibility_panels_for_user(access=world.access, patient_id=coverage.patient_id)[0]
        assert panel.carve_out is not None
        assert panel.carve_out.lines[0] == "$20.00 copay per visit"
        assert panel.current is not None
        assert panel.current.check_id == check.carve_out_of_id
