"""Payer API: shapes, permission matrix, IDOR."""

import pytest
from django.urls import reverse

from payers.models import Payer, PayerEnrollment
from tests.factories import PayerFactory, ProviderFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def api_client(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


def test_list_shape(api_client, practice, other_practice):
    payer = PayerFactory(practice=practice, name="Acme", payer_id="ACM01")
    PayerFactory(practice=other_practice, name="Elsewhere")
    PayerEnrollment.objects.create(
        provider=ProviderFactory(practice=practice), payer=payer, status="enrolled"
    )
    PayerEnrollment.objects.create(provider=ProviderFactory(practice=practice), payer=payer, status="pending")
    response = api_client("biller").get(reverse("payers_api:payer_list"))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [
        {
            "id": payer.pk,
            "name": "Acme",
            "kind": "commercial",
            "payer_id": "ACM01",
            "claim_filing_indicator": "CI",
            "timely_filing_days": 90,
            "appeal_window_days": 180,
            "is_active": True,
            "enrolled_count": 1,
        }
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("technician", 403),
        ("clinician", 403),
        ("supervisor", 403),
        ("biller", 200),
        ("practice_admin", 200),
        ("compliance", 403),
    ],
)
def test_list_permission_matrix(api_client, role, status):
    assert api_client(role).get(reverse("payers_api:payer_list")).status_code == status


def test_create_shape(api_client, practice):
    response = post(
        api_client("practice_admin"),
        reverse("payers_api:payer_create"),
        {"name": "State Medicaid", "kind": "medicaid", "payer_id": "77027", "claim_filing_indicator": "MC"},
    )
    payer = Payer.objects.get(practice=practice)
    assert response.status_code == 201
    assert response.json() == {
        "id": payer.pk,
        "name": "State Medicaid",
        "kind": "medicaid",
        "payer_id": "77027",
        "claim_filing_indicator": "MC",
        "address_line1": "",
        "address_line2": "",
        "city": "",
        "state": "",
        "postal_code": "",
        "phone": "",
        "timely_filing_days": 90,
        "appeal_window_days": 180,
        "is_active": True,
    }


@pytest.mark.parametrize("role", ["biller", "technician", "compliance"])
def test_only_admins_create(api_client, practice, role):
    response = post(
        api_client(role),
        reverse("payers_api:payer_create"),
        {"name": "X", "kind": "commercial", "payer_id": "X1"},
    )
    assert response.status_code == 403
    assert Payer.objects.count() == 0


def test_missing_payer_id_error_shape(api_client):
    response = post(
        api_client("practice_admin"), reverse("payers_api:payer_create"), {"name": "X", "kind": "commercial"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "The data is not valid.",
        "code": "validation_failed",
        "extra": {"fields": {"payer_id": ["An electronic payer ID is required (except for self-pay)."]}},
    }
    assert Payer.objects.count() == 0


def test_another_practices_payer_is_404_and_unchanged(api_client, other_practice):
    payer = PayerFactory(practice=other_practice, name="Theirs", timely_filing_days=90)
    client = api_client("practice_admin")
    retrieved = client.get(reverse("payers_api:payer_detail", args=[payer.pk]))
    updated = post(client, reverse("payers_api:payer_update", args=[payer.pk]), {"timely_filing_days": 1})
    assert (retrieved.status_code, updated.status_code) == (404, 404)
    payer.refresh_from_db()
    assert (payer.name, payer.timely_filing_days) == ("Theirs", 90)


def test_retrieve_and_update(api_client, practice):
    payer = PayerFactory(practice=practice, name="Acme")
    client = api_client("practice_admin")
    assert client.get(reverse("payers_api:payer_detail", args=[payer.pk])).json()["name"] == "Acme"
    response = post(client, reverse("payers_api:payer_update", args=[payer.pk]), {"appeal_window_days": 60})
    assert response.status_code == 200
    assert response.json()["appeal_window_days"] == 60


def test_enrollment_set(api_client, practice, other_practice):
    provider = ProviderFactory(practice=practice)
    payer = PayerFactory(practice=practice)
    outsider = ProviderFactory(practice=other_practice)
    client = api_client("practice_admin")
    ok = post(
        client,
        reverse("payers_api:enrollment_set"),
        {"provider_id": provider.pk, "payer": payer.pk, "status": "enrolled", "effective_on": "2025-01-01"},
    )
    foreign = post(
        client,
        reverse("payers_api:enrollment_set"),
        {"provider_id": outsider.pk, "payer": payer.pk, "status": "pending"},
    )
    enrollment = PayerEnrollment.objects.get()
    assert ok.status_code == 200
    assert ok.json() == {
        "id": enrollment.pk,
        "provider_id": provider.pk,
        "payer": payer.pk,
        "status": "enrolled",
        "effective_on": "2025-01-01",
        "ends_on": None,
        "payer_provider_id": "",
    }
    assert foreign.status_code == 404
    assert PayerEnrollment.objects.count() == 1


def test_the_payer_list_filters_before_paging_and_runs_the_same_queries_for_more_rows(api_client, practice):
    # given: 4 inactive payers sorted first, then 3 active ones
    for n in range(4):
        PayerFactory(practice=practice, name=f"Aaa {n}", is_active=False)
    active = [PayerFactory(practice=practice, name=f"Zed {n}") for n in range(3)]
    client = api_client("biller")
    url = reverse("payers_api:payer_list")
    client.get(url)
    few = queries_of(lambda: client.get(url, {"limit": 2}))
    # when
    body = client.get(url, {"active": "1", "limit": 2, "offset": 2}).json()
    # then
    assert ([r["id"] for r in body["results"]], body["count"]) == ([active[2].pk], 3)
    for _ in range(20):
        PayerEnrollment.objects.create(
            provider=ProviderFactory(practice=practice),
            payer=PayerFactory(practice=practice),
            status="enrolled",
        )
    assert queries_of(lambda: client.get(url, {"limit": 2})) == few


def test_the_payer_page_links_keep_their_place(api_client, practice):
    for n in range(55):
        PayerFactory(practice=practice, name=f"Payer {n:02d}")
    response = api_client("biller").get(reverse("payers:list"), {"page": 2})
    assert [r.name for r in response.context["rows"]] == [
        "Payer 50",
        "Payer 51",
        "Payer 52",
        "Payer 53",
        "Payer 54",
    ]
    assert (response.context["pager"].total, response.context["pager"].previous_url) == (55, "?")
