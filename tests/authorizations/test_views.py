"""Prior-authorization screens: list with bars and badges, detail, create and edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from authorizations.models import PriorAuthorization
from tests.factories.authorizations import AuthorizationUsageFactory, PriorAuthorizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


@pytest.fixture
def low(practice, patient, payer):
    auth = PriorAuthorizationFactory(
        practice=practice, patient=patient, payer=payer, number="KCC-1", authorized=40
    )
    AuthorizationUsageFactory(authorization=auth, units=32, service_date=dt.date(2026, 2, 16))
    return auth


@pytest.mark.parametrize(
    ("role", "status"),
    [("biller", 200), ("practice_admin", 200), ("technician", 403), ("clinician", 403), ("compliance", 403)],
)
def test_list_access(web, role, status):
    assert web(role).get(reverse("authorizations:list")).status_code == status


def test_list_shows_bar_and_alert_badge(web, low):
    # when
    response = web("biller").get(reverse("authorizations:list"))

    # then
    (row,) = response.context["rows"]
    assert (row.number, row.used_pct, row.planned_pct, row.remaining_pct) == ("KCC-1", 80, 0, 20)
    assert row.bar_label == "32 used, 0 planned, 8 left of 40 units"
    assert [(b.label, b.css, b.title) for b in row.alerts] == [("Little left", "bad", "8 of 40 units left.")]
    html = response.content.decode()
    assert 'data-used="80" data-planned="0" data-remaining="20"' in html
    assert "alert-badge" in html
    assert 'id="add-authorization"' in html


def test_list_filters_by_alerting(web, low, practice, patient, payer):
    PriorAuthorizationFactory(practice=practice, patient=patient, payer=payer, number="FINE")
    response = web("biller").get(reverse("authorizations:list"), {"alerting": "on"})
    assert [r.number for r in response.context["rows"]] == ["KCC-1"]


def test_the_alerting_filter_pages_and_its_links_keep_the_filter(web, practice, patient, payer):
    # given: 60 quiet authorizations ending first, then 52 alerting ones (little left)
    for n in range(60):
        PriorAuthorizationFactory(
            practice=practice, patient=patient, payer=payer, number=f"FINE{n:02d}", end_on=dt.date(2026, 5, 1)
        )
    for n in range(52):
        auth = PriorAuthorizationFactory(
            practice=practice,
            patient=patient,
            payer=payer,
            number=f"LOW{n:02d}",
            authorized=10,
            end_on=dt.date(2026, 6, 1),
        )
        AuthorizationUsageFactory(authorization=auth, units=9, service_date=dt.date(2026, 2, 16))
    client = web("biller")
    # when
    first = client.get(reverse("authorizations:list"), {"alerting": "on"})
    second = client.get(reverse("authorizations:list"), {"alerting": "on", "page": 2})
    # then
    assert (first.context["pager"].total, first.context["pager"].next_url) == (52, "?alerting=on&page=2")
    assert [r.number for r in second.context["rows"]] == ["LOW50", "LOW51"]


def test_detail(web, low):
    response = web("practice_admin").get(reverse("authorizations:detail", args=[low.pk]))
    assert response.status_code == 200
    assert [(u.date, u.units) for u in response.context["used"]] == [("Mon 16 Feb 2026", 32)]
    # 32 units in the last 4 weeks (8/7 a day): the 8 left last 7 days
    assert response.context["auth"].forecast == "Runs out about Mon 9 Mar 2026"


def test_detail_of_another_practice_is_404(web, other_practice):
    auth = PriorAuthorizationFactory(practice=other_practice)
    assert web("biller").get(reverse("authorizations:detail", args=[auth.pk])).status_code == 404


def test_create_through_the_form(web, patient, payer):
    # given
    data = {
        "patient_id": patient.pk,
        "payer_id": payer.pk,
        "number": "KCC-77",
        "codes": "97153, 97155",
        "unit_kind": "units",
        "authorized": "240",
        "start_on": "2026-03-01",
        "end_on": "2026-08-31",
        "rendering_provider_id": "",
        "notes": "",
    }

    # when
    response = web("biller").post(reverse("authorizations:create"), data)

    # then
    auth = PriorAuthorization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("authorizations:detail", args=[auth.pk])
    assert (auth.number, auth.authorized, list(auth.codes.values_list("code", flat=True))) == (
        "KCC-77",
        240,
        ["97153", "97155"],
    )


def test_create_with_an_unknown_code_shows_the_error(web, patient, payer):
    data = {
        "patient_id": patient.pk,
        "payer_id": payer.pk,
        "number": "KCC-78",
        "codes": "97153, 123",
        "unit_kind": "units",
        "authorized": "10",
        "start_on": "2026-03-01",
        "end_on": "2026-08-31",
    }
    response = web("biller").post(reverse("authorizations:create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"codes": ["123 is not a CPT or HCPCS code."]}
    assert PriorAuthorization.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), [("biller", 200), ("practice_admin", 200), ("clinician", 403)])
def test_edit_access(web, low, role, status):
    assert web(role).get(reverse("authorizations:edit", args=[low.pk])).status_code == status


def test_cancel_through_the_edit_form(web, low):
    data = {
        "number": "KCC-1",
        "codes": "97153",
        "unit_kind": "units",
        "authorized": "40",
        "start_on": "2026-01-01",
        "end_on": "2026-06-30",
        "rendering_provider_id": "",
        "notes": "Payer withdrew it",
        "status": "cancelled",
    }
    response = web("practice_admin").post(reverse("authorizations:edit", args=[low.pk]), data)
    assert response.status_code == 302
    low.refresh_from_db()
    assert (low.status, low.notes) == ("cancelled", "Payer withdrew it")
    listed = web("biller").get(reverse("authorizations:list"), {"status": "cancelled"}).context["rows"]
    assert [(r.number, r.status_label, r.alerts) for r in listed] == [("KCC-1", "Cancelled", ())]


def test_navigation_shows_authorizations_to_billers(web):
    response = web("biller").get(reverse("home"))
    assert {"label": "Authorizations", "url": "/authorizations/", "active": False} in response.context[
        "nav_items"
    ]
