"""Treatment-plan screens: the tree form (errors shown, nothing written), sign, activate, banner."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.clinical import TreatmentPlanFactory
from treatment_plans.forms import form_key
from treatment_plans.models import PlanObjective, TreatmentPlan

pytestmark = pytest.mark.django_db


def post_data(clinic, **overrides):
    data = {
        "starts_on": "2026-03-10",
        "review_on": "2026-09-10",
        # slot 0 is left empty on purpose: empty slots are ignored
        "problems-0-description": "",
        "problems-1-description": "Elopement",
        "problems-1-diagnosis_id": str(clinic.diagnosis.pk),
        "problems-1-goals-0-description": "Stay with the group",
        "problems-1-goals-0-interventions": "Visual schedule",
        "problems-1-goals-0-objectives-0-description": "No elopement",
        "problems-1-goals-0-objectives-0-measure": "Incidents per week",
        "problems-1-goals-0-objectives-0-target": "0",
        "problems-1-goals-0-objectives-0-target_on": "2026-06-01",
        "problems-1-goals-0-objectives-1-description": "",
    }
    data.update(overrides)
    return data


def test_form_key():
    assert (
        form_key("problems[0].goals[12].objectives[3].measure") == "problems-0-goals-12-objectives-3-measure"
    )
    assert form_key("review_on") == "review_on"


def test_create_through_the_form(clinic, client_for):
    client = client_for(clinic.clinician_user)
    page = client.get(reverse("plans:create", args=[clinic.patient.pk]))
    assert page.status_code == 200
    assert page.context["starts_on"].value == "2026-03-10"
    assert len(page.context["problems"]) == 2
    response = client.post(reverse("plans:create", args=[clinic.patient.pk]), post_data(clinic))
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plans:detail", args=[plan.pk])
    assert list(plan.problems.values_list("description", flat=True)) == ["Elopement"]
    assert PlanObjective.objects.count() == 1


def test_form_errors_show_at_their_slot_and_nothing_is_written(clinic, client_for):
    response = client_for(clinic.clinician_user).post(
        reverse("plans:create", args=[clinic.patient.pk]),
        post_data(clinic, **{"problems-1-goals-0-objectives-0-measure": "", "review_on": "2026-03-01"}),
    )
    assert response.status_code == 400
    problem = response.context["problems"][0]  # renumbered: the empty slot 0 was dropped
    objective = problem.goals[0].objectives[0]
    assert objective.measure.name == "problems-0-goals-0-objectives-0-measure"
    assert objective.measure.errors == ["Say how progress is measured (e.g. tantrums per week, PHQ-9 score)."]
    assert objective.description.value == "No elopement"  # what was typed is kept
    assert response.context["review_on"].errors == ["The review date cannot be before the start date."]
    assert TreatmentPlan.objects.count() == 0


def test_bad_dates_are_format_errors(clinic, client_for):
    response = client_for(clinic.clinician_user).post(
        reverse("plans:create", args=[clinic.patient.pk]),
        post_data(clinic, starts_on="", **{"problems-1-goals-0-objectives-0-target_on": "June"}),
    )
    assert response.status_code == 400
    assert response.context["starts_on"].errors == ["This field is required."]
    assert response.context["problems"][0].goals[0].objectives[0].target_on.errors == ["Enter a valid date."]
    assert TreatmentPlan.objects.count() == 0


def test_empty_form_asks_for_a_problem(clinic, client_for):
    response = client_for(clinic.clinician_user).post(
        reverse("plans:create", args=[clinic.patient.pk]),
        {"starts_on": "2026-03-10", "review_on": "2026-09-10"},
    )
    assert response.status_code == 400
    assert response.context["problems_errors"] == ["Add at least one problem to treat."]


def test_sign_then_activate_from_the_detail_page(clinic, client_for):
    old = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.patient, author=clinic.clinician, status="active"
    )
    client = client_for(clinic.clinician_user)
    client.post(reverse("plans:create", args=[clinic.patient.pk]), post_data(clinic))
    plan = TreatmentPlan.objects.get(status="draft")
    detail = client.get(reverse("plans:detail", args=[plan.pk]))
    assert 'id="sign-plan"' in detail.content.decode()
    client.post(reverse("plans:sign", args=[plan.pk]), {"patient_signed_on": "2026-03-10"})
    after_sign = client.get(reverse("plans:detail", args=[plan.pk]))
    assert 'id="activate-plan"' in after_sign.content.decode()
    response = client.post(reverse("plans:activate", args=[plan.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Treatment plan is now active; the previous plan is superseded."
    ]
    assert dict(TreatmentPlan.objects.values_list("pk", "status")) == {
        old.pk: "superseded",
        plan.pk: "active",
    }


def test_sign_error_is_flashed(clinic, client_for):
    plan = TreatmentPlanFactory(
        practice=clinic.practice, patient=clinic.patient, author=clinic.clinician, status="draft"
    )
    response = client_for(clinic.supervisor_user).post(reverse("plans:sign", args=[plan.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Only the plan's author or the author's supervisor can sign it."
    ]
    plan.refresh_from_db()
    assert plan.signed_at is None


def test_overdue_banner_on_list_and_detail(clinic, client_for):
    plan = TreatmentPlanFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.clinician,
        status="active",
        review_on=dt.date(2026, 3, 1),
    )
    client = client_for(clinic.tech_user)
    listing = client.get(reverse("plans:list", args=[clinic.patient.pk])).content.decode()
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    for html in (listing, detail):
        assert 'id="review-overdue"' in html
        assert "review was due on Sun 1 Mar 2026 (9 days ago)" in html


def test_edit_keeps_the_tree_and_refuses_signed_plans(clinic, client_for):
    client = client_for(clinic.clinician_user)
    client.post(reverse("plans:create", args=[clinic.patient.pk]), post_data(clinic))
    plan = TreatmentPlan.objects.get()
    page = client.get(reverse("plans:edit", args=[plan.pk]))
    assert page.context["problems"][0].description.value == "Elopement"
    assert len(page.context["problems"]) == 2  # the plan's problem + one empty slot
    client.post(reverse("plans:sign", args=[plan.pk]))
    refused = client.get(reverse("plans:edit", args=[plan.pk]))
    assert refused.status_code == 302


@pytest.mark.parametrize("who", ["biller_user", "compliance_user"])
def test_plan_screens_are_clinical(clinic, client_for, who):
    assert (
        client_for(getattr(clinic, who)).get(reverse("plans:list", args=[clinic.patient.pk])).status_code
        == 403
    )


def test_technicians_cannot_open_the_form(clinic, client_for):
    assert (
        client_for(clinic.tech_user).get(reverse("plans:create", args=[clinic.patient.pk])).status_code == 403
    )


def test_list_page_is_paginated_after_the_status_filter(clinic, client_for):
    # given: 27 superseded plans and 1 active one
    for day in range(27):
        TreatmentPlanFactory(
            practice=clinic.practice,
            patient=clinic.patient,
            author=clinic.clinician,
            status="superseded",
            starts_on=dt.date(2024, 1, 1) + dt.timedelta(days=day),
            review_on=dt.date(2024, 12, 31),
        )
    active = TreatmentPlanFactory(practice=clinic.practice, patient=clinic.patient, author=clinic.clinician)
    client = client_for(clinic.clinician_user)
    url = reverse("plans:list", args=[clinic.patient.pk])

    # when
    first = client.get(url, {"status": "superseded"})
    second = client.get(url, {"status": "superseded", "page": 2})
    everything = client.get(url)

    # then
    assert [len(r.context["plans"].object_list) for r in (first, second)] == [25, 2]
    assert {row.status for row in first.context["plans"].object_list} == {"superseded"}
    assert first.context["next_url"] == "?status=superseded&page=2"
    assert second.context["previous_url"] == "?status=superseded&page=1"
    assert everything.context["plans"].paginator.count == 28
    assert everything.context["plans"].object_list[0].plan_id == active.pk
