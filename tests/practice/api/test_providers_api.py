"""Provider API: shapes, the permission matrix, IDOR (another practice's provider → 404)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from payers.models import PayerEnrollment
from practice.models import License, LicenseAlert, Provider, Supervision
from tests.factories import PayerFactory, ProviderFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def provider_row(provider_id):
    return Provider.objects.filter(pk=provider_id).values("first_name", "last_name", "npi", "credential")[0]


@pytest.fixture
def api_client(practice, make_member, client_for):
    def _make(role, on=practice):
        return client_for(make_member(role, on))

    return _make


@time_machine.travel("2025-06-01 15:00:00+00:00", tick=False)
def test_list_shape(api_client, practice):
    # given
    bcba = ProviderFactory(
        practice=practice, credential="BCBA", first_name="Alex", last_name="Ames", npi="1245319599"
    )
    rbt = ProviderFactory(practice=practice, credential="RBT", first_name="Sam", last_name="Bell", npi="")
    Supervision.objects.create(supervisor=bcba, supervisee=rbt, starts_on=date(2025, 1, 1))
    lic = License.objects.create(provider=rbt, number="RBT-9", state="IL", expires_on=date(2025, 6, 30))
    alert = LicenseAlert.objects.create(license=lic, expires_on=lic.expires_on, status="expiring")
    payer = PayerFactory(practice=practice, name="Acme")
    PayerEnrollment.objects.create(provider=rbt, payer=payer, status="pending")
    # when
    response = api_client("biller").get(reverse("practice_api:provider_list"))
    # then
    assert response.status_code == 200
    assert (response.json()["count"], response.json()["next"]) == (2, None)
    assert response.json()["results"] == [
        {
            "id": bcba.pk,
            "first_name": "Alex",
            "last_name": "Ames",
            "full_name": "Alex Ames",
            "npi": "1245319599",
            "taxonomy_code": "101YP2500X",
            "credential": "BCBA",
            "credential_label": "Board certified behavior analyst",
            "requires_supervision": False,
            "is_active": True,
            "user_id": None,
            "license_status": "missing",
            "supervisors_today": [],
            "open_alerts": [],
            "enrollments": [],
        },
        {
            "id": rbt.pk,
            "first_name": "Sam",
            "last_name": "Bell",
            "full_name": "Sam Bell",
            "npi": "",
            "taxonomy_code": "101YP2500X",
            "credential": "RBT",
            "credential_label": "Registered behavior technician",
            "requires_supervision": True,
            "is_active": True,
            "user_id": None,
            "license_status": "expiring",
            "supervisors_today": [{"id": bcba.pk, "name": "Alex Ames"}],
            "open_alerts": [
                {"id": alert.pk, "license_id": lic.pk, "expires_on": "2025-06-30", "status": "expiring"}
            ],
            "enrollments": [
                {
                    "payer": payer.pk,
                    "payer_name": "Acme",
                    "status": "pending",
                    "effective_on": None,
                    "ends_on": None,
                }
            ],
        },
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("technician", 200),
        ("clinician", 200),
        ("supervisor", 200),
        ("biller", 200),
        ("practice_admin", 200),
        ("compliance", 403),
    ],
)
def test_list_permission_matrix(api_client, role, status):
    assert api_client(role).get(reverse("practice_api:provider_list")).status_code == status


def test_anonymous_is_refused(client):
    response = client.get(reverse("practice_api:provider_list"))
    assert response.status_code == 403


def test_create_shape(api_client, practice):
    # when
    response = post(
        api_client("practice_admin"),
        reverse("practice_api:provider_create"),
        {"first_name": "Dana", "last_name": "Reyes", "credential": "LPC", "npi": "1245319599"},
    )
    # then
    provider = Provider.objects.get(practice=practice)
    body = response.json()
    assert response.status_code == 201
    assert body["id"] == provider.pk
    assert (body["npi"], body["credential"], body["license_status"]) == ("1245319599", "LPC", "missing")
    assert (body["licenses"], body["supervisions"], body["supervisees"]) == ([], [], [])


@pytest.mark.parametrize("role", [r for r in ROLES if r != "practice_admin"])
def test_only_admins_create_providers(api_client, practice, role):
    # when
    response = post(
        api_client(role),
        reverse("practice_api:provider_create"),
        {"first_name": "Dana", "last_name": "Reyes", "credential": "LPC", "npi": "1245319599"},
    )
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Provider.objects.filter(practice=practice).count() == 0


def test_biller_with_invalid_body_still_gets_403(api_client, practice):
    response = post(api_client("biller"), reverse("practice_api:provider_create"), {})
    assert response.status_code == 403
    assert Provider.objects.count() == 0


def test_invalid_npi_error_shape(api_client, practice):
    # when
    response = post(
        api_client("practice_admin"),
        reverse("practice_api:provider_create"),
        {"first_name": "Dana", "last_name": "Reyes", "credential": "LPC", "npi": "1234567890"},
    )
    # then
    assert response.status_code == 400
    assert response.json() == {
        "message": "The data is not valid.",
        "code": "validation_failed",
        "extra": {"fields": {"npi": ["This NPI's check digit is wrong; check it for a typo."]}},
    }
    assert Provider.objects.count() == 0


def test_serializer_errors_use_the_same_shape(api_client):
    response = post(
        api_client("practice_admin"), reverse("practice_api:provider_create"), {"credential": "Wizard"}
    )
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "validation_failed"
    assert sorted(body["extra"]["fields"]) == ["credential", "first_name", "last_name"]


def test_retrieve_and_update(api_client, practice):
    provider = ProviderFactory(practice=practice, first_name="Dana", last_name="Reyes", npi="1245319599")
    client = api_client("practice_admin")
    retrieved = client.get(reverse("practice_api:provider_detail", args=[provider.pk]))
    updated = post(
        client, reverse("practice_api:provider_update", args=[provider.pk]), {"last_name": "Ortiz"}
    )
    assert retrieved.status_code == 200
    assert retrieved.json()["full_name"] == "Dana Reyes"
    assert updated.status_code == 200
    assert updated.json()["full_name"] == "Dana Ortiz"
    assert provider_row(provider.pk)["last_name"] == "Ortiz"


def test_another_practices_provider_is_404_and_unchanged(api_client, other_practice):
    # given
    outsider = ProviderFactory(practice=other_practice, last_name="Original")
    before = provider_row(outsider.pk)
    client = api_client("practice_admin")
    # when
    retrieved = client.get(reverse("practice_api:provider_detail", args=[outsider.pk]))
    updated = post(
        client, reverse("practice_api:provider_update", args=[outsider.pk]), {"last_name": "Hijacked"}
    )
    licence = post(
        client,
        reverse("practice_api:license_add", args=[outsider.pk]),
        {"number": "X", "state": "IL", "expires_on": "2030-01-01"},
    )
    # then
    assert [retrieved.status_code, updated.status_code, licence.status_code] == [404, 404, 404]
    assert updated.json() == {"message": "Not found.", "code": "not_found", "extra": {}}
    assert provider_row(outsider.pk) == before
    assert License.objects.count() == 0


def test_add_a_licence(api_client, practice):
    provider = ProviderFactory(practice=practice)
    response = post(
        api_client("practice_admin"),
        reverse("practice_api:license_add", args=[provider.pk]),
        {"number": "LPC-7", "state": "IL", "expires_on": "2027-03-31"},
    )
    lic = License.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": lic.pk,
        "provider_id": provider.pk,
        "number": "LPC-7",
        "state": "IL",
        "kind": "",
        "issued_on": None,
        "expires_on": "2027-03-31",
    }


def test_add_and_end_supervision(api_client, practice):
    bcba = ProviderFactory(practice=practice, credential="BCBA")
    rbt = ProviderFactory(practice=practice, credential="RBT", npi="")
    client = api_client("practice_admin")
    added = post(
        client,
        reverse("practice_api:supervision_add"),
        {"supervisor_id": bcba.pk, "supervisee_id": rbt.pk, "starts_on": "2025-01-01"},
    )
    supervision = Supervision.objects.get()
    ended = post(
        client, reverse("practice_api:supervision_end", args=[supervision.pk]), {"ends_on": "2025-06-30"}
    )
    assert added.status_code == 201
    assert added.json() == {
        "id": supervision.pk,
        "supervisor_id": bcba.pk,
        "supervisee_id": rbt.pk,
        "starts_on": "2025-01-01",
        "ends_on": None,
    }
    assert ended.status_code == 200
    assert ended.json()["ends_on"] == "2025-06-30"


def test_supervision_by_a_technician_is_rejected(api_client, practice):
    rbt = ProviderFactory(practice=practice, credential="RBT", npi="")
    other = ProviderFactory(practice=practice, credential="BHT", npi="")
    response = post(
        api_client("practice_admin"),
        reverse("practice_api:supervision_add"),
        {"supervisor_id": rbt.pk, "supervisee_id": other.pk, "starts_on": "2025-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "supervisor_id": ["A registered behavior technician cannot supervise other providers."]
    }
    assert Supervision.objects.count() == 0


def test_the_provider_list_filters_before_paging_and_runs_the_same_queries_for_more_rows(
    api_client, practice
):
    # given: 6 inactive providers sorted first, then 3 active ones
    for n in range(6):
        ProviderFactory(practice=practice, last_name=f"Aaron{n}", is_active=False)
    active = [ProviderFactory(practice=practice, last_name=f"Zane{n}") for n in range(3)]
    client = api_client("biller")
    url = reverse("practice_api:provider_list")
    client.get(url)
    few = queries_of(lambda: client.get(url, {"limit": 2}))
    # when
    body = client.get(url, {"active": "true", "limit": 2, "offset": 2}).json()
    # then
    assert ([r["id"] for r in body["results"]], body["count"]) == ([active[2].pk], 3)
    for n in range(20):
        ProviderFactory(practice=practice, last_name=f"More{n:02d}")
    assert queries_of(lambda: client.get(url, {"limit": 2})) == few
