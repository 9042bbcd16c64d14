"""Prior-authorization API: shapes, permissions, one error shape, another practice's is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from authorizations.models import PriorAuthorization
from tests.factories.authorizations import AuthorizationUsageFactory, PriorAuthorizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


@pytest.fixture
def auth(practice, patient, payer):
    auth = PriorAuthorizationFactory(
        practice=practice,
        patient=patient,
        payer=payer,
        number="KCC-1",
        authorized=40,
        codes=["97153", "97155"],
    )
    AuthorizationUsageFactory(
        authorization=auth, source_id="charge-line:3", units=32, service_date=dt.date(2026, 2, 16)
    )
    return auth


def test_list_shape(api, auth, patient, payer):
    # when
    response = api("biller").get(reverse("authorizations_api:authorization_list"))

    # then
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("count", "limit", "offset", "next", "previous")} == {
        "count": 1,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
    }
    assert body["results"] == [
        {
            "id": auth.pk,
            "patient_id": patient.pk,
            "payer_id": payer.pk,
            "number": "KCC-1",
            "codes": ["97153", "97155"],
            "unit_kind": "units",
            "authorized": 40,
            "used": 32,
            "planned": 0,
            "remaining": 8,
            "start_on": "2026-01-01",
            "end_on": "2026-06-30",
            "rendering_provider_id": None,
            "status": "active",
            "alerts": [{"kind": "low_remaining", "message": "8 of 40 units left."}],
            "forecast_exhausted_on": "2026-03-09",
            "caps": [],
        }
    ]


def test_list_filters_and_bad_filter(api, auth):
    assert (
        api("biller")
        .get(reverse("authorizations_api:authorization_list"), {"status": "expired"})
        .json()["results"]
        == []
    )
    response = api("biller").get(reverse("authorizations_api:authorization_list"), {"status": "lost"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert list(response.json()["extra"]["fields"]) == ["status"]


def test_retrieve_shape(api, auth):
    body = (
        api("practice_admin").get(reverse("authorizations_api:authorization_detail", args=[auth.pk])).json()
    )
    assert body["usages"] == [
        {"date": "2026-02-16", "code": "97153", "units": 32, "kind": "charge", "ref": "charge-line:3"}
    ]
    assert (body["planned_usages"], body["notes"], body["number"]) == ([], "", "KCC-1")


def test_another_practices_authorization_is_404(api, other_practice):
    foreign = PriorAuthorizationFactory(practice=other_practice)
    client = api("biller")
    assert (
        client.get(reverse("authorizations_api:authorization_detail", args=[foreign.pk])).status_code == 404
    )
    response = client.post(
        reverse("authorizations_api:authorization_update", args=[foreign.pk]),
        {"authorized": 1},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    foreign.refresh_from_db()
    assert foreign.authorized == 100


def test_create(api, patient, payer):
    # when
    response = api("biller").post(
        reverse("authorizations_api:authorization_create"),
        {
            "patient_id": patient.pk,
            "payer_id": payer.pk,
            "number": "kcc-9",
            "codes": ["H2019"],
            "unit_kind": "units",
            "authorized": 96,
            "start_on": "2026-03-01",
            "end_on": "2026-05-31",
        },
        content_type="application/json",
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["codes"], body["remaining"], body["status"]) == (
        "KCC-9",
        ["H2019"],
        96,
        "active",
    )
    assert PriorAuthorization.objects.get().pk == body["id"]


def test_create_errors_write_nothing(api, patient, payer):
    response = api("biller").post(
        reverse("authorizations_api:authorization_create"),
        {
            "patient_id": patient.pk,
            "payer_id": payer.pk,
            "number": "KCC-10",
            "codes": ["97153"],
            "authorized": 10,
            "start_on": "2026-05-01",
            "end_on": "2026-03-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "The data is not valid.",
        "code": "validation_failed",
        "extra": {"fields": {"end_on": ["The end date cannot be before the start date."]}},
    }
    assert PriorAuthorization.objects.count() == 0


@pytest.mark.parametrize("role", ["technician", "clinician", "supervisor", "compliance"])
def test_create_is_for_billers_and_admins(api, patient, payer, role):
    response = api(role).post(
        reverse("authorizations_api:authorization_create"),
        {"patient_id": patient.pk, "payer_id": payer.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert PriorAuthorization.objects.count() == 0


def test_update(api, auth):
    response = api("practice_admin").post(
        reverse("authorizations_api:authorization_update", args=[auth.pk]),
        {"authorized": 80, "status": "active"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["authorized"], response.json()["remaining"], response.json()["alerts"]) == (
        80,
        48,
        [],
    )
