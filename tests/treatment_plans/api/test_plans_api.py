"""Treatment-plan API: create / retrieve / list / sign / activate; shapes, permissions, IDOR."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.clinical import TreatmentPlanFactory
from treatment_plans.models import TreatmentPlan

pytestmark = pytest.mark.django_db


def body(clinic, **overrides):
    data = {
        "patient_id": clinic.patient.pk,
        "starts_on": "2026-03-10",
        "review_on": "2026-09-10",
        "problems": [
            {
                "description": "Aggression at home",
                "diagnosis_id": clinic.diagnosis.pk,
                "goals": [
                    {
                        "description": "Safe hands",
                        "interventions": "FCT",
                        "objectives": [
                            {
                                "description": "Fewer hits",
                                "measure": "Hits per day",
                                "target": "0",
                                "target_on": "2026-06-01",
                            }
                        ],
                    }
                ],
            }
        ],
    }
    data.update(overrides)
    return data


def test_create_sign_activate_retrieve(clinic, client_for):
    client = client_for(clinic.clinician_user)
    # create
    created = client.post(reverse("plans_api:create"), body(clinic), content_type="application/json")
    assert created.status_code == 201
    plan = created.json()
    assert (plan["status"], plan["author_id"], plan["signed_at"], plan["review_overdue"]) == (
        "draft",
        clinic.clinician.pk,
        None,
        False,
    )
    [problem] = plan["problems"]
    assert problem["diagnosis_label"] == "F84.0 Synthetic diagnosis"
    assert problem["goals"][0]["objectives"][0] == {
        "id": problem["goals"][0]["objectives"][0]["id"],
        "description": "Fewer hits",
        "measure": "Hits per day",
        "target": "0",
        "target_on": "2026-06-01",
    }
    # sign
    signed = client.post(
        reverse("plans_api:sign", args=[plan["id"]]),
        {"patient_signed_on": "2026-03-10"},
        content_type="application/json",
    )
    assert signed.status_code == 200
    assert (signed.json()["signed_by"], signed.json()["patient_signed_on"]) == (
        clinic.clinician_user.username,
        "2026-03-10",
    )
    assert signed.json()["signed_at"] == "2026-03-10T12:00:00-04:00"
    # activate
    active = client.post(reverse("plans_api:activate", args=[plan["id"]]), content_type="application/json")
    assert active.json()["status"] == "active"
    # list
    listed = client.get(reverse("plans_api:list"), {"patient": clinic.patient.pk})
    assert [(r["id"], r["status"], r["signed"]) for r in listed.json()["results"]] == [
        (plan["id"], "active", True)
    ]


def test_create_errors_use_the_one_shape_and_write_nothing(clinic, client_for):
    bad = body(clinic)
    bad["problems"][0]["goals"][0]["objectives"][0]["target"] = ""
    response = client_for(clinic.clinician_user).post(
        reverse("plans_api:create"), bad, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "Give the target to reach (e.g. fewer than 2).",
        "code": "validation_failed",
        "extra": {
            "fields": {
                "problems[0].goals[0].objectives[0].target": ["Give the target to reach (e.g. fewer than 2)."]
            }
        },
    }
    assert TreatmentPlan.objects.count() == 0


@pytest.mark.parametrize("who", ["tech_user", "biller_user", "admin_user", "compliance_user"])
def test_create_is_for_clinicians_and_supervisors(clinic, client_for, who):
    response = client_for(getattr(clinic, who)).post(
        reverse("plans_api:create"), body(clinic), content_type="application/json"
    )
    assert response.status_code == 403
    assert TreatmentPlan.objects.count() == 0


def test_another_practices_plan_is_404_everywhere(clinic, client_for):
    foreign = TreatmentPlanFactory(status="draft")
    client = client_for(clinic.clinician_user)
    assert client.get(reverse("plans_api:detail", args=[foreign.pk])).status_code == 404
    assert (
        client.post(
            reverse("plans_api:sign", args=[foreign.pk]), {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(reverse("plans_api:list"), {"patient": foreign.patient_id}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.signed_at is None


def test_list_needs_a_patient(clinic, client_for):
    response = client_for(clinic.clinician_user).get(reverse("plans_api:list"))
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"patient": ["This field is required."]}


def test_overdue_shows_in_the_api(clinic, client_for):
    plan = TreatmentPlanFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.clinician,
        status="active",
        review_on=dt.date(2026, 3, 9),
    )
    got = client_for(clinic.tech_user).get(reverse("plans_api:detail", args=[plan.pk])).json()
    assert (got["review_overdue"], got["overdue_message"]) == (
        True,
        "The treatment plan's review was due on Mon 9 Mar 2026 (1 day ago). Review and update the plan.",
    )


def test_list_pages_after_the_status_filter(clinic, client_for):
    # given: 3 superseded plans and 1 active one
    superseded = [
        TreatmentPlanFactory(
            practice=clinic.practice,
            patient=clinic.patient,
            author=clinic.clinician,
            status="superseded",
            starts_on=dt.date(2025, month, 1),
            review_on=dt.date(2025, 12, 31),
        )
        for month in (1, 2, 3)
    ]
    TreatmentPlanFactory(practice=clinic.practice, patient=clinic.patient, author=clinic.clinician)
    client = client_for(clinic.clinician_user)

    # when
    first = client.get(
        reverse("plans_api:list"), {"patient": clinic.patient.pk, "status": "superseded", "limit": 2}
    )
    second = client.get(first.json()["next"])

    # then: the count is of the filtered plans; the pages hold them newest start first
    assert (first.json()["count"], [r["id"] for r in first.json()["results"]]) == (
        3,
        [superseded[2].pk, superseded[1].pk],
    )
    assert ([r["id"] for r in second.json()["results"]], second.json()["next"]) == ([superseded[0].pk], None)


def test_list_rejects_an_unknown_status(clinic, client_for):
    response = client_for(clinic.clinician_user).get(
        reverse("plans_api:list"), {"patient": clinic.patient.pk, "status": "archived"}
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["status"]
